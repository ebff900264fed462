from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api_matching as api

router = SimpleRouter()
router.register("priorities", api.PriorityViewSet, basename="api-priority")

urlpatterns = [
    path(
        "proposals/<int:pk>/matches/",
        api.ProposalMatchesView.as_view(),
        name="api-proposal-matches",
    ),
    path(
        "proposals/<int:pk>/complements/",
        api.ProposalComplementsView.as_view(),
        name="api-proposal-complements",
    ),
    path(
        "matches/<int:pk>/review/",
        api.MatchReviewView.as_view(),
        name="api-match-review",
    ),
    path(
        "cities/<slug:slug>/rematch/",
        api.CityRematchView.as_view(),
        name="api-city-rematch",
    ),
    path("jobs/<int:pk>/", api.JobView.as_view(), name="api-job"),
    *router.urls,
]
