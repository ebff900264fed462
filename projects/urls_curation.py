from django.urls import path

from . import views_curation as views

urlpatterns = [
    path("review/", views.review_home, name="review-home"),
    path("cities/<slug:slug>/review/", views.review_queue, name="review-queue"),
    path("cities/<slug:slug>/review/bulk/", views.review_bulk, name="review-bulk"),
    path(
        "proposals/<int:pk>/review/assign/",
        views.review_assign,
        name="review-assign",
    ),
    path(
        "proposals/<int:pk>/review/assignments/<int:assignment_pk>/remove/",
        views.review_unassign,
        name="review-unassign",
    ),
    path("proposals/<int:pk>/review/notes/", views.review_note, name="review-note"),
    path(
        "proposals/<int:pk>/review/recommendation/",
        views.review_recommend,
        name="review-recommend",
    ),
]
