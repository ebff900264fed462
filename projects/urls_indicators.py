from django.urls import path

from . import views_indicators as views

urlpatterns = [
    path(
        "cities/<slug:slug>/indicators/import/",
        views.indicator_import,
        name="indicator-import",
    ),
    path(
        "cities/<slug:slug>/indicators/imports/",
        views.indicator_import_list,
        name="indicator-import-list",
    ),
    path(
        "cities/<slug:slug>/indicators/imports/<int:pk>/",
        views.indicator_import_detail,
        name="indicator-import-detail",
    ),
]
