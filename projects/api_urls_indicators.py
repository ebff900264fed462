from django.urls import path

from . import api_indicators as api

urlpatterns = [
    path("indicators/", api.IndicatorListView.as_view(), name="api-indicators"),
    path(
        "indicators/<int:pk>/",
        api.IndicatorDetailView.as_view(),
        name="api-indicator",
    ),
    path(
        "indicators/<int:pk>/observations/",
        api.ObservationListView.as_view(),
        name="api-indicator-observations",
    ),
    path("imports/", api.ImportListView.as_view(), name="api-imports"),
    path("imports/<int:pk>/", api.ImportDetailView.as_view(), name="api-import"),
]
