from django.urls import path

from . import api_dashboard as api

urlpatterns = [
    path(
        "dashboard/<slug:city_slug>/",
        api.DashboardView.as_view(),
        name="api-dashboard",
    ),
    path("audit/", api.AuditListView.as_view(), name="api-audit"),
    path(
        "exports/<str:kind>.<str:fmt>",
        api.ExportView.as_view(),
        name="api-export",
    ),
]
