from django.urls import path

from . import views

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/mine/", views.proposal_mine, name="proposal-mine"),
    path("proposals/similar/", views.proposal_similar, name="proposal-similar"),
    path("proposals/preview/", views.markdown_preview, name="markdown-preview"),
    path("proposals/export.<str:fmt>", views.proposal_export, name="proposal-export"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal-submit"),
    path(
        "proposals/<int:pk>/withdraw/",
        views.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "proposals/<int:pk>/transition/",
        views.proposal_transition,
        name="proposal-transition",
    ),
    path(
        "proposals/<int:pk>/partners/",
        views.proposal_partners,
        name="proposal-partners",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_pk>/answer/",
        views.partner_answer,
        name="partner-answer",
    ),
    path(
        "proposals/<int:pk>/attachments/",
        views.proposal_attachments,
        name="proposal-attachments",
    ),
    path(
        "attachments/<int:pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "proposals/<int:pk>/revisions/",
        views.proposal_revisions,
        name="proposal-revisions",
    ),
    path(
        "cities/<slug:slug>/proposals.atom", views.ProposalFeed(), name="proposal-feed"
    ),
]
