from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/role/", views.profile_role_request, name="profile-role-request"),
    path("profile/export/", views.profile_export, name="profile-export"),
    path("profile/delete/", views.profile_delete, name="profile-delete"),
    path("notifications/", views.notification_list, name="notification-list"),
    path(
        "notifications/read-all/",
        views.notification_read_all,
        name="notification-read-all",
    ),
    path(
        "notifications/settings/",
        views.notification_settings,
        name="notification-settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification-unsubscribe",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.notification_read,
        name="notification-read",
    ),
    path("organisations/", views.organisation_list, name="organisation-list"),
    # Slugs never start with "_" (slugify strips it), so this cannot shadow one.
    path("organisations/_new/", views.organisation_create, name="organisation-create"),
    path(
        "organisations/<slug:slug>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<slug:slug>/join/",
        views.organisation_join,
        name="organisation-join",
    ),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation-members",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        views.membership_role,
        name="membership-role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "organisations/<slug:slug>/join-requests/<int:pk>/",
        views.join_request_decide,
        name="join-request-decide",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("verification/", views.verification_queue, name="verification-queue"),
    path(
        "verification/organisations/<int:pk>/",
        views.verification_organisation_decide,
        name="verification-organisation-decide",
    ),
    path(
        "verification/roles/<int:pk>/",
        views.verification_role_decide,
        name="verification-role-decide",
    ),
]
