from django.urls import path

from . import views_signals as views

urlpatterns = [
    path(
        "cities/<slug:slug>/indicators/",
        views.indicator_list,
        name="indicator-list",
    ),
    path("cities/<slug:slug>/signals/", views.signal_inbox, name="signal-inbox"),
    path("signals/<int:pk>/", views.signal_detail, name="signal-detail"),
    path("signals/<int:pk>/accept/", views.signal_accept, name="signal-accept"),
    path("signals/<int:pk>/dismiss/", views.signal_dismiss, name="signal-dismiss"),
]
