from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("proposals", api.ProposalViewSet, basename="api-proposal")

urlpatterns = [
    path(
        "proposals/<int:pk>/partners/",
        api.PartnerListView.as_view(),
        name="api-proposal-partners",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_id>/",
        api.PartnerDetailView.as_view(),
        name="api-proposal-partner",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_id>/accept/",
        api.PartnerAcceptView.as_view(),
        name="api-proposal-partner-accept",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_id>/decline/",
        api.PartnerDeclineView.as_view(),
        name="api-proposal-partner-decline",
    ),
    path(
        "proposals/<int:pk>/attachments/",
        api.AttachmentListView.as_view(),
        name="api-proposal-attachments",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_id>/",
        api.AttachmentDetailView.as_view(),
        name="api-proposal-attachment",
    ),
    *router.urls,
]
