from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api_conversation, api_projects

router = SimpleRouter()
router.register("projects", api_projects.ProjectViewSet, basename="api-project")

urlpatterns = [
    path(
        "projects/<int:pk>/milestones/",
        api_projects.MilestoneListView.as_view(),
        name="api-project-milestones",
    ),
    path(
        "projects/<int:pk>/milestones/<int:item>/",
        api_projects.MilestoneDetailView.as_view(),
        name="api-project-milestone",
    ),
    path(
        "projects/<int:pk>/updates/",
        api_projects.UpdateListView.as_view(),
        name="api-project-updates",
    ),
    path(
        "projects/<int:pk>/financing/",
        api_projects.FinancingListView.as_view(),
        name="api-project-financing",
    ),
    path(
        "projects/<int:pk>/financing/<int:item>/",
        api_projects.FinancingDetailView.as_view(),
        name="api-project-financing-source",
    ),
    path(
        "projects/<int:pk>/partners/",
        api_projects.PartnerListView.as_view(),
        name="api-project-partners",
    ),
    path(
        "projects/<int:pk>/partners/<int:item>/",
        api_projects.PartnerDetailView.as_view(),
        name="api-project-partner",
    ),
    path(
        "projects/<int:pk>/impacts/",
        api_projects.ImpactListView.as_view(),
        name="api-project-impacts",
    ),
    path(
        "projects/<int:pk>/impacts/<int:item>/",
        api_projects.ImpactDetailView.as_view(),
        name="api-project-impact",
    ),
    path(
        "projects/<int:pk>/comments/",
        api_conversation.ProjectCommentListView.as_view(),
        name="api-project-comments",
    ),
    path(
        "projects/<int:pk>/follow/",
        api_conversation.ProjectFollowView.as_view(),
        name="api-project-follow",
    ),
    *router.urls,
]
