from django.urls import path

from . import views_matching as views

urlpatterns = [
    path("priorities/", views.priority_home, name="priority-home"),
    path("cities/<slug:slug>/priorities/", views.priority_list, name="priority-list"),
    path(
        "cities/<slug:slug>/priorities/new/",
        views.priority_create,
        name="priority-create",
    ),
    path("cities/<slug:slug>/rematch/", views.city_rematch, name="city-rematch"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority-delete"),
    path("matches/<int:pk>/review/", views.match_review, name="match-review"),
]
