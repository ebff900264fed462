"""Pages of the review of proposals: the city's review queue with its bulk actions,
and the forms of the "Internal review" panel of a proposal's page (assign and
unassign reviewers, internal notes, the reviewer's recommendation).

Views read through ``selectors_curation``, write through ``services.curation`` and
ask ``permissions_curation``; the API calls the same functions. The panel is
shown only to the city's coordinators and the proposal's assigned reviewers (never
to its authors); everyone else gets 403 from these pages (404 when the proposal
itself is not visible to them).
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

from stakeholders import permissions as sp
from stakeholders.models import City, User

from . import permissions_curation as cperms
from . import selectors_curation as selectors
from .forms_curation import (
    AssignForm,
    BulkForm,
    NoteForm,
    QueueFilterForm,
    RecommendationForm,
)
from .models import Proposal, ReviewAssignment
from .services import curation as services

PAGE_SIZE = 25


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    from . import selectors as proposal_selectors

    try:
        return proposal_selectors.proposal_detail(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404(_("No such proposal.")) from exc


def _city_or_403(request: HttpRequest, slug: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not cperms.can_see_review_queue(request.user, city):
        raise PermissionDenied(
            _(
                "Only the coordinators of %(city)s (with two-factor authentication) "
                "see its review queue."
            )
            % {"city": city.name}
        )
    return city


# --- The internal review panel of a proposal's page ----------------------------------


def internal_review_context(
    request: HttpRequest, proposal: Proposal, **forms: Any
) -> dict[str, Any] | None:
    """What ``partials/_internal_review.html`` shows, or None for a reader who may
    not see the internal review (the public, the authors, other officials). Bound
    forms with errors can be passed in (``assign_form``, ``note_form``,
    ``recommendation_form``)."""
    user = request.user
    if not cperms.can_read_internal(user, proposal):
        return None
    is_coordinator = cperms.can_assign_reviewers(user, proposal)
    mine = cperms.assignment_of(user, proposal)
    panel = selectors.review_panel(
        proposal=proposal, is_coordinator=is_coordinator, my_assignment=mine
    )
    context: dict[str, Any] = {"panel": panel, "proposal": proposal}
    context["note_form"] = forms.get("note_form") or NoteForm(prefix="note")
    if is_coordinator and panel.reviewable:
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            prefix="assign", city=proposal.city
        )
    if mine is not None and panel.reviewable:
        context["recommendation_form"] = forms.get(
            "recommendation_form"
        ) or RecommendationForm(
            prefix="recommend",
            initial={
                "recommendation": mine.recommendation or None,
                "recommendation_reason": mine.recommendation_reason,
            },
        )
    return context


def _apply(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page_with(request: HttpRequest, proposal: Proposal, **forms: Any) -> HttpResponse:
    """The proposal's page again, with the panel's form that failed and its errors
    (400); nothing was written."""
    from .views import _detail_context

    review = internal_review_context(request, proposal, **forms)
    return render(
        request,
        "projects/proposal_detail.html",
        _detail_context(request, proposal, internal_review=review),
        status=400,
    )


def _back(proposal: Proposal) -> HttpResponse:
    return redirect(f"{proposal.get_absolute_url()}#internal-review")


@login_required
@require_POST
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not cperms.can_assign_reviewers(request.user, proposal):
        raise PermissionDenied(
            _("Only a coordinator of this city can assign reviewers.")
        )
    form = AssignForm(request.POST, prefix="assign", city=proposal.city)
    if form.is_valid():
        reviewer = User.objects.get(pk=form.cleaned_data["reviewer"])
        try:
            services.review_assign(
                actor=request.user,  # type: ignore[arg-type]
                proposal=proposal,
                reviewer=reviewer,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now reviews this proposal and is notified.")
                % {"name": reviewer.public_name},
            )
            return _back(proposal)
    return _page_with(request, proposal, assign_form=form)


@login_required
@require_POST
def review_unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not cperms.can_assign_reviewers(request.user, proposal):
        raise PermissionDenied(
            _("Only a coordinator of this city can unassign reviewers.")
        )
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("reviewer"),
        pk=assignment_pk,
        proposal=proposal,
    )
    assignment.proposal = proposal
    try:
        services.review_unassign(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s no longer reviews this proposal.")
            % {"name": assignment.reviewer.public_name},
        )
    return _back(proposal)


@login_required
@require_POST
def review_note(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not cperms.can_write_note(request.user, proposal):
        raise PermissionDenied(
            _(
                "Only the city's coordinators and the proposal's assigned reviewers "
                "write internal notes."
            )
        )
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.internal_note_create(
                actor=request.user,  # type: ignore[arg-type]
                proposal=proposal,
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Note added to the internal review."))
            return _back(proposal)
    return _page_with(request, proposal, note_form=form)


@login_required
@require_POST
def review_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not cperms.is_assigned_reviewer(
        request.user, proposal
    ) or cperms.is_proposal_author(request.user, proposal):
        raise PermissionDenied(
            _("Only a reviewer assigned to this proposal can recommend a decision.")
        )
    form = RecommendationForm(request.POST, prefix="recommend")
    if form.is_valid():
        try:
            services.review_recommend(
                actor=request.user,  # type: ignore[arg-type]
                proposal=proposal,
                recommendation=form.cleaned_data["recommendation"],
                reason=form.cleaned_data["recommendation_reason"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, _("Recommendation saved; the coordinators are told.")
            )
            return _back(proposal)
    if proposal.status not in cperms.REVIEWABLE:
        for message in form.non_field_errors():
            messages.error(request, message)
        return _back(proposal)
    return _page_with(request, proposal, recommendation_form=form)


# --- The review queue --------------------------------------------------------------------


@login_required
@require_GET
def review_home(request: HttpRequest) -> HttpResponse:
    """The navigation's "Review": the queue of a city the reader coordinates (their
    home city first)."""
    user = request.user
    cities = City.objects.order_by("name", "pk")
    if not sp.staff_power(user):
        cities = cities.filter(pk__in=sp.coordinated_city_ids(user))
    home = getattr(user, "home_city_id", None)
    slug = (
        cities.filter(pk=home).values_list("slug", flat=True).first() if home else None
    ) or cities.values_list("slug", flat=True).first()
    if slug is None:
        raise PermissionDenied(
            _(
                "Only city coordinators (with two-factor authentication) have a "
                "review queue."
            )
        )
    return redirect("review-queue", slug=slug)


def _queue_page(
    request: HttpRequest, city: City, *, bulk_form: BulkForm | None = None
) -> HttpResponse:
    reviewers = selectors.reviewer_choices(city)
    filters = QueueFilterForm(request.GET or None, city=city, reviewers=reviewers)
    queue = selectors.review_queue(city=city, filters=filters.to_filters())
    page_obj = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"proposal": p, "age": selectors.queue_age_days(p)}
        for p in page_obj.object_list
    ]
    return render(
        request,
        "projects/review_queue.html",
        {
            "city": city,
            "filters": filters,
            "filtered": filters.is_filtered,
            "page_obj": page_obj,
            "rows": rows,
            "bulk_form": bulk_form or BulkForm(city=city, reviewers=reviewers),
            "next": request.get_full_path(),
        },
        status=400 if bulk_form is not None else 200,
    )


@login_required
@require_GET
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_or_403(request, slug)
    return _queue_page(request, city)


@login_required
@require_POST
def review_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply one action to the ticked proposals; one result message per row."""
    city = _city_or_403(request, slug)
    form = BulkForm(request.POST, city=city)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not (
        back.startswith(f"/cities/{city.slug}/review/")
    ):
        back = ""
    if not form.is_valid():
        return _queue_page(request, city, bulk_form=form)
    ids = form.cleaned_data["proposals"]
    found = {
        p.pk: p
        for p in Proposal.objects.filter(city=city, pk__in=ids).select_related(
            "city", "lead_organisation"
        )
    }
    reviewer = (
        User.objects.get(pk=form.cleaned_data["reviewer"])
        if form.cleaned_data.get("reviewer")
        else None
    )
    results = services.review_bulk(
        actor=request.user,  # type: ignore[arg-type]
        proposals=[found[pk] for pk in ids if pk in found],
        action=form.cleaned_data["action"],
        reviewer=reviewer,
        override_reason=form.cleaned_data["override_reason"],
    )
    for pk in ids:
        if pk not in found:
            messages.error(
                request,
                _("Proposal #%(id)s is not in this city's queue.") % {"id": pk},
            )
    for result in results:
        text = _("“%(title)s”: %(result)s") % {
            "title": result.proposal.title,
            "result": result.message,
        }
        (messages.success if result.ok else messages.error)(request, text)
    return redirect(back or "review-queue", **({} if back else {"slug": city.slug}))
