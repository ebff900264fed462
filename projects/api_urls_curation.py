from django.urls import path

from . import api_curation as api

urlpatterns = [
    path("review/queue/", api.ReviewQueueView.as_view(), name="api-review-queue"),
    path(
        "proposals/<int:pk>/assignments/",
        api.AssignmentListView.as_view(),
        name="api-proposal-assignments",
    ),
    path(
        "proposals/<int:pk>/assignments/suggestions/",
        api.SuggestionListView.as_view(),
        name="api-proposal-assignment-suggestions",
    ),
    path(
        "proposals/<int:pk>/assignments/<int:assignment_id>/",
        api.AssignmentDetailView.as_view(),
        name="api-proposal-assignment",
    ),
    path(
        "proposals/<int:pk>/recommendation/",
        api.RecommendationView.as_view(),
        name="api-proposal-recommendation",
    ),
    path(
        "proposals/<int:pk>/notes/",
        api.NoteListView.as_view(),
        name="api-proposal-notes",
    ),
    path(
        "proposals/<int:pk>/decision/",
        api.DecisionView.as_view(),
        name="api-proposal-decision",
    ),
]
