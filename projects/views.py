from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "home.html")


proposal_list = proposal_create = proposal_mine = proposal_similar = _pending
markdown_preview = proposal_export = proposal_detail = proposal_edit = _pending
proposal_submit = proposal_withdraw = proposal_transition = proposal_partners = _pending
partner_answer = proposal_attachments = attachment_download = proposal_revisions = _pending


class ProposalFeed:
    def __call__(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        return _pending(request)
