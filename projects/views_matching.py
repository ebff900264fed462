"""Priority pages: a city's priorities with their best proposals, one priority's
ranked proposals (coordinators confirm or reject inline), the coordinators' form.

Views read through ``selectors_matching``, write through ``services.matching`` and
ask ``permissions_matching``. Every page works without JavaScript: a running
re-score shows its progress as of the page load, and the script updates the bar.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stakeholders.models import City

from . import permissions_matching as mperms
from . import selectors_matching as selectors
from .forms_matching import MatchFilterForm, PriorityForm, ReviewForm
from .models import Match, MatchReview, Priority
from .selectors_signals import indicators_informing
from .services import matching as services

PAGE_SIZE = 20


def _apply_errors(form: PriorityForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _city(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


def _job_context(city: City | int) -> dict[str, Any]:
    return {"job": selectors.open_job(city)}


@require_GET
def priority_home(request: HttpRequest) -> HttpResponse:
    """The navigation's "Priorities": the reader's home city, else the site's
    first city. A redirect, so the header itself costs no query."""
    user = request.user
    cities = City.objects.order_by("created_at", "pk")
    if user.is_authenticated and user.home_city_id:
        cities = cities.filter(pk=user.home_city_id)
    slug = cities.values_list("slug", flat=True).first()
    if slug is None:
        raise Http404(_("No city has been set up yet."))
    return redirect("priority-list", slug=slug)


@require_GET
def priority_list(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    return render(
        request,
        "projects/priority_list.html",
        {
            "city": city,
            "rows": selectors.priorities_with_top(city),
            "can_manage": mperms.can_manage_priorities(request.user, city),
            **_job_context(city),
        },
    )


@require_GET
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        priority = selectors.priority_detail(pk)
    except Priority.DoesNotExist as exc:
        raise Http404(_("No such priority.")) from exc
    filters = MatchFilterForm(request.GET or None)
    values = (
        filters.values() if filters.is_bound else {"min_score": None, "review": "any"}
    )
    page_obj = Paginator(
        selectors.matches_of_priority(priority, **values), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = selectors.explained(list(page_obj.object_list))
    return render(
        request,
        "projects/priority_detail.html",
        {
            "priority": priority,
            "city": priority.city,
            "filters": filters,
            "page_obj": page_obj,
            "rows": rows,
            "rank_offset": page_obj.start_index() - 1 if rows else 0,
            "can_edit": mperms.can_edit_priority(request.user, priority),
            "can_review": mperms.can_edit_priority(request.user, priority),
            "MatchReview": MatchReview,
            "informing": indicators_informing(priority),
            **_job_context(priority.city_id),
        },
    )


@login_required
def priority_create(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    if not mperms.can_manage_priorities(request.user, city):
        raise PermissionDenied(
            _("Only the city's coordinators can set its priorities.")
        )
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(
                actor=request.user,  # type: ignore[arg-type]
                city=city,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Priority saved. Every proposal of %(city)s is being re-scored.")
                % {"city": city.name},
            )
            return redirect("priority-detail", pk=priority.pk)
    return render(
        request,
        "projects/priority_form.html",
        {"form": form, "city": city, "priority": None},
    )


@login_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority.objects.select_related("city"), pk=pk)
    if not mperms.can_edit_priority(request.user, priority):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s can change its priorities.")
            % {"city": priority.city.name}
        )
    form = PriorityForm(
        request.POST or None,
        initial=None if request.method == "POST" else PriorityForm.initial_of(priority),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(
                actor=request.user,  # type: ignore[arg-type]
                priority=priority,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Priority saved."))
            return redirect("priority-detail", pk=priority.pk)
    return render(
        request,
        "projects/priority_form.html",
        {"form": form, "city": priority.city, "priority": priority},
    )


@require_POST
@login_required
def priority_delete(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority.objects.select_related("city"), pk=pk)
    city = priority.city
    services.priority_delete(actor=request.user, priority=priority)  # type: ignore[arg-type]
    messages.success(request, _("Priority removed."))
    return redirect("priority-list", slug=city.slug)


@require_POST
@login_required
def match_review(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        Match.objects.select_related("priority", "priority__city", "proposal"), pk=pk
    )
    form = ReviewForm(request.POST)
    target = request.POST.get("next") or f"/priorities/{match.priority_id}/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = f"/priorities/{match.priority_id}/"
    if not form.is_valid():
        messages.error(request, _("Choose confirm, reject or clear."))
        return redirect(target)
    try:
        services.match_review(
            actor=request.user,  # type: ignore[arg-type]
            match=match,
            decision=form.cleaned_data["decision"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        decision = form.cleaned_data["decision"]
        if decision == MatchReview.CONFIRMED:
            text = _("“%(title)s” confirmed for this priority.")
        elif decision == MatchReview.REJECTED:
            text = _("“%(title)s” rejected for this priority.")
        else:
            text = _("Review of “%(title)s” cleared.")
        messages.success(request, text % {"title": match.proposal.title})
    return redirect(target)


@require_POST
@login_required
def city_rematch(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    started = services.city_rematch_start(
        actor=request.user,  # type: ignore[arg-type]
        city=city,
        reason=_("Requested from the priorities page"),
    )
    if started.created:
        messages.success(
            request, _("Re-scoring every proposal of %(city)s.") % {"city": city.name}
        )
    else:
        messages.info(request, _("A re-score is already running; follow it below."))
    return redirect("priority-list", slug=city.slug)
