from django.urls import path

from . import api_conversation as api

urlpatterns = [
    path(
        "proposals/<int:pk>/comments/",
        api.CommentListView.as_view(),
        name="api-proposal-comments",
    ),
    path(
        "proposals/<int:pk>/support/",
        api.SupportView.as_view(),
        name="api-proposal-support",
    ),
    path(
        "proposals/<int:pk>/follow/",
        api.FollowView.as_view(),
        name="api-proposal-follow",
    ),
    path("comments/<int:pk>/", api.CommentDetailView.as_view(), name="api-comment"),
    path(
        "comments/<int:pk>/vote/",
        api.CommentVoteView.as_view(),
        name="api-comment-vote",
    ),
    path("flags/", api.FlagCreateView.as_view(), name="api-flags"),
    path(
        "moderation/queue/",
        api.ModerationQueueView.as_view(),
        name="api-moderation-queue",
    ),
    path(
        "moderation/decisions/",
        api.ModerationDecisionView.as_view(),
        name="api-moderation-decisions",
    ),
]
