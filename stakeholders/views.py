from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "home.html")


profile = organisation_list = organisation_detail = organisation_members = _pending
invitation_accept = verification_queue = _pending
