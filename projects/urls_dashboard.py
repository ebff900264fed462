from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("city/", views.city_home, name="city-home"),
    path("cities/<slug:slug>/", views.city_page, name="city-page"),
    path("cities/<slug:slug>/dashboard/", views.dashboard, name="city-dashboard"),
    path("cities/<slug:slug>/audit/", views.audit_log, name="city-audit"),
    path(
        "cities/<slug:slug>/audit/export.<str:fmt>",
        views.audit_export,
        name="city-audit-export",
    ),
    path(
        "cities/<slug:slug>/exports/<str:kind>.<str:fmt>",
        views.full_export,
        name="city-export-full",
    ),
    path("exports/<str:kind>.<str:fmt>", views.public_export, name="open-data-export"),
]
