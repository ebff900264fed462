from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_notifications

router = SimpleRouter()
router.register("cities", api.CityViewSet, basename="api-city")
router.register("organisations", api.OrganisationViewSet, basename="api-organisation")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("me/export/", api.MeExportView.as_view(), name="api-me-export"),
    *api_notifications.urlpatterns,
    path(
        "organisations/<int:pk>/members/",
        api.MemberListView.as_view(),
        name="api-organisation-members",
    ),
    path(
        "organisations/<int:pk>/members/<int:member_id>/",
        api.MemberDetailView.as_view(),
        name="api-organisation-member",
    ),
    path(
        "organisations/<int:pk>/invitations/",
        api.InvitationListView.as_view(),
        name="api-organisation-invitations",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_id>/",
        api.InvitationDetailView.as_view(),
        name="api-organisation-invitation",
    ),
    path(
        "invitations/accept/",
        api.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path("city-roles/", api.CityRoleQueueView.as_view(), name="api-city-roles"),
    path(
        "city-roles/<int:pk>/decide/",
        api.CityRoleDecideView.as_view(),
        name="api-city-role-decide",
    ),
    path("auth/token/", api.AuthTokenView.as_view(), name="api-auth-token"),
    *router.urls,
]
