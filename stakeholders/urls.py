from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation-members",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("verification/", views.verification_queue, name="verification-queue"),
]
