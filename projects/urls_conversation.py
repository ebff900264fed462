from django.urls import path

from . import views_conversation as views

urlpatterns = [
    path(
        "proposals/<int:pk>/conversation/",
        views.conversation_fragment,
        name="conversation-fragment",
    ),
    path("proposals/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path(
        "proposals/<int:pk>/support/", views.proposal_support, name="proposal-support"
    ),
    path("proposals/<int:pk>/follow/", views.proposal_follow, name="proposal-follow"),
    path("proposals/<int:pk>/flag/", views.proposal_flag, name="proposal-flag"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("comments/<int:pk>/vote/", views.comment_vote, name="comment-vote"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment-flag"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path(
        "moderation/<str:kind>/<int:pk>/",
        views.moderation_decide,
        name="moderation-decide",
    ),
    path(
        "cities/<slug:slug>/moderation/",
        views.moderation_queue,
        name="city-moderation-queue",
    ),
]
