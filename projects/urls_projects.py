from django.urls import path

from . import views_conversation
from . import views_projects as views

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int:pk>/manage/", views.project_manage, name="project-manage"),
    path("projects/<int:pk>/status/", views.project_status, name="project-status"),
    path(
        "projects/<int:pk>/partners/",
        views.project_partner_add,
        name="project-partner-add",
    ),
    path(
        "projects/<int:pk>/partners/<int:item>/remove/",
        views.project_partner_remove,
        name="project-partner-remove",
    ),
    path(
        "projects/<int:pk>/financing/",
        views.project_financing_add,
        name="project-financing-add",
    ),
    path(
        "projects/<int:pk>/financing/<int:item>/",
        views.project_financing_change,
        name="project-financing-change",
    ),
    path(
        "projects/<int:pk>/financing/<int:item>/remove/",
        views.project_financing_remove,
        name="project-financing-remove",
    ),
    path(
        "projects/<int:pk>/milestones/",
        views.project_milestone_add,
        name="project-milestone-add",
    ),
    path(
        "projects/<int:pk>/milestones/<int:item>/done/",
        views.project_milestone_done,
        name="project-milestone-done",
    ),
    path(
        "projects/<int:pk>/milestones/<int:item>/change/",
        views.project_milestone_change,
        name="project-milestone-change",
    ),
    path(
        "projects/<int:pk>/milestones/<int:item>/remove/",
        views.project_milestone_remove,
        name="project-milestone-remove",
    ),
    path(
        "projects/<int:pk>/impacts/",
        views.project_impact_add,
        name="project-impact-add",
    ),
    path(
        "projects/<int:pk>/impacts/<int:item>/report/",
        views.project_impact_report,
        name="project-impact-report",
    ),
    path(
        "projects/<int:pk>/updates/",
        views.project_update_publish,
        name="project-update-publish",
    ),
    path(
        "projects/<int:pk>/comments/",
        views_conversation.project_comment_create,
        name="project-comment-create",
    ),
    path(
        "projects/<int:pk>/follow/",
        views_conversation.project_follow,
        name="project-follow",
    ),
]
