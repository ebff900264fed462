"""Proposal pages. Views read through ``selectors``, write through ``services`` and
ask ``permissions``; they only translate between HTTP and those functions.

Every page works without JavaScript; ``/proposals/preview/`` and
``/proposals/similar/`` return HTML fragments that the script swaps in place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from stakeholders import permissions as sp
from stakeholders.models import City

from . import caching, exports, selectors
from . import permissions as perms
from .feeds import ProposalFeed
from .forms import (
    AttachmentForm,
    PartnerInviteForm,
    ProposalFilterForm,
    TransitionForm,
    WithdrawForm,
)
from .markdown import render_markdown
from .models import (
    Attachment,
    PartnerState,
    Proposal,
    ProposalEventKind,
    ProposalPartner,
)
from .permissions_matching import can_see_complements
from .permissions_projects import can_create_project_from
from .selectors_projects import source_of
from .services import proposals as services
from .services.matching import proposal_complements
from .similar import similar_proposals
from .wizard import ProposalWizard

PAGE_SIZE = 20
PAGE_SIZES = (20, 50, 100)
__all__ = ["ProposalFeed"]


def _visible_or_404(request: HttpRequest, pk: int) -> Proposal:
    try:
        return selectors.proposal_detail(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404(_("No such proposal.")) from exc


def _row_or_404(request: HttpRequest, pk: int) -> Proposal:
    """The proposal's row (with its city and lead organisation) if the reader
    may see it."""
    try:
        return (
            Proposal.objects.visible_to(request.user)
            .select_related("city", "lead_organisation")
            .get(pk=pk)
        )
    except Proposal.DoesNotExist as exc:
        raise Http404(_("No such proposal.")) from exc


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _page(request: HttpRequest, queryset: Any) -> Any:
    """One page; ``?size=50`` (or 100) for longer pages, e.g. on a wide screen."""
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else PAGE_SIZE
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


# --- list, feed, exports -------------------------------------------------------------


def _proposal_list_public(request: HttpRequest) -> dict[str, Any]:
    """What every reader with the same rights sees of the list page: the city
    (for the title and feed link) and the filters, counts, cards and pagination,
    rendered."""
    form = ProposalFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.to_filters()
    city = City.objects.filter(slug=filters.city).first() if filters.city else None
    page_obj = _page(
        request,
        selectors.proposal_list(user=request.user, filters=filters, city=city),
    )
    query = request.GET.copy()
    query.pop("page", None)
    content = render_to_string(
        "projects/proposal_list_results.html",
        {
            "filters": form,
            "filtered": form.is_filtered,
            "page_obj": page_obj,
            "city": city,
            "export_query": query.urlencode(),
        },
        request,
    )
    return {
        "city": {"slug": city.slug, "name": city.name} if city else None,
        "content": content,
    }


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    # Anonymous readers share the rendered results per URL and language, and the
    # whole page when they have no message, their CSRF token put in when served
    # (``projects.caching``). Signed-in readers get everything rendered.
    def page(extra: dict[str, Any]) -> HttpResponse:
        public = caching.get_or_render(
            caching.list_entry(request, "page"), lambda: _proposal_list_public(request)
        )
        return render(
            request,
            "projects/proposal_list.html",
            {
                "city": public["city"],
                "results": mark_safe(public["content"]),  # noqa: S308 (our template rendered it)
                "can_create": perms.can_create_proposal(request.user),
                **extra,
            },
        )

    return caching.anonymous_page(
        request, caching.list_entry(request, "page-html"), page
    )


@require_GET
def proposal_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404(_("Exports exist as CSV and JSON."))
    form = ProposalFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return exports.export_response(
        form.to_filters(), fmt, base_url=request.build_absolute_uri("/").rstrip("/")
    )


# --- detail and revisions ------------------------------------------------------------------


def _consortium(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    partners = list(getattr(proposal, "all_partners", []))
    is_author = perms.is_proposal_author(request.user, proposal)
    shown = partners if is_author else [p for p in partners if p.state == "accepted"]
    answerable = [
        p
        for p in partners
        if p.state == PartnerState.INVITED
        and perms.can_answer_partnership(request.user, p.organisation_id)
    ]
    return {"partners": shown, "answerable": answerable, "is_author": is_author}


def _timeline(proposal: Proposal) -> list[dict[str, Any]]:
    names = {p.organisation_id: p.organisation.name for p in proposal.all_partners}
    rows = []
    for event in proposal.events.all():
        organisation = names.get((event.data or {}).get("organisation"))
        rows.append({"event": event, "organisation": organisation})
    return rows


def _detail_context(
    request: HttpRequest, proposal: Proposal, **extra: Any
) -> dict[str, Any]:
    user = request.user
    can_transition = perms.can_transition_proposal(user, proposal)
    context = {
        "proposal": proposal,
        "sectors": list(proposal.sectors.all()),
        "impacts": list(proposal.impacts.all()),
        "attachments": list(proposal.attachments.all()),
        "timeline": _timeline(proposal),
        "revision_count": len(proposal.revisions.all()),
        "can_edit": perms.can_edit_proposal(user, proposal),
        "can_submit": perms.can_submit_proposal(user, proposal),
        "can_withdraw": perms.can_withdraw_proposal(user, proposal),
        "can_manage_partners": perms.can_manage_partners(user, proposal),
        "can_transition": can_transition,
        "transition_form": TransitionForm(proposal=proposal)
        if can_transition
        else None,
        "ProposalEventKind": ProposalEventKind,
        # The project it became part of (shown in the cached header, retired by
        # the project services) and the coordinator's "Create a project" action.
        "project_source": source_of(proposal.pk),
        "can_create_project": can_create_project_from(user, proposal),
        **_consortium(request, proposal),
    }
    context.update(extra)
    if "internal_review" not in context:
        from .views_curation import internal_review_context

        context["internal_review"] = internal_review_context(request, proposal)
    if "public" not in context:
        context["public"] = _detail_public(request, context)
    if can_see_complements(user, proposal):
        context["complements"] = proposal_complements(user=user, proposal=proposal)
    return context


def _detail_public(request: HttpRequest, context: dict[str, Any]) -> dict[str, str]:
    """The parts of a proposal's page that depend on the proposal only (and on
    the partners the reader may see): rendered for every reader, cached for
    anonymous ones. What depends on the reader (actions, forms, invitations, the
    conversation) stays in ``proposal_detail.html``, outside these parts."""
    proposal = context["proposal"]
    return {
        "title": proposal.title,
        "description": Truncator(proposal.summary).chars(160),
        "header": render_to_string(
            "projects/proposal_detail_header.html", context, request
        ),
        "main": render_to_string(
            "projects/proposal_detail_main.html", context, request
        ),
        "aside": render_to_string(
            "projects/proposal_detail_aside.html", context, request
        ),
    }


#: What an anonymous reader may do on a proposal's page: nothing but read. Used
#: when the public parts come from the cache, without loading the proposal.
_ANONYMOUS_READER = {
    "can_edit": False,
    "can_submit": False,
    "can_withdraw": False,
    "can_manage_partners": False,
    "can_transition": False,
    "transition_form": None,
    "is_author": False,
    "answerable": [],
}


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return caching.anonymous_page(
        request,
        caching.detail_entry(request, pk, "page-html"),
        lambda extra: _proposal_detail_page(request, pk, extra),
    )


def _proposal_detail_page(
    request: HttpRequest, pk: int, extra: dict[str, Any]
) -> HttpResponse:
    entry = caching.detail_entry(request, pk)
    public = caching.cached(entry)
    if public is None:
        proposal = _visible_or_404(request, pk)
        context = _detail_context(request, proposal)
        caching.store(entry, context["public"])
    else:
        # Only what a part outside the cached ones reads (the conversation)
        # loads the proposal, once and in one query (its own row, not everything
        # the full selector prefetches for the cached parts); an anonymous page
        # that needs none costs no query.
        context = {
            **_ANONYMOUS_READER,
            "public": public,
            "proposal": SimpleLazyObject(lambda: _row_or_404(request, pk)),
            "ProposalEventKind": ProposalEventKind,
        }
    for part in ("header", "main", "aside"):
        context["public"] = {
            **context["public"],
            part: mark_safe(context["public"][part]),  # noqa: S308 (our templates)
        }
    return render(request, "projects/proposal_detail.html", {**context, **extra})


@require_GET
def proposal_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    diffs = selectors.revision_diffs(proposal)
    diffs.reverse()
    return render(
        request,
        "projects/proposal_revisions.html",
        {"proposal": proposal, "diffs": diffs, "labels": FIELD_LABELS},
    )


FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "body": gettext_lazy("Description"),
    "sectors": gettext_lazy("Sectors"),
    "delivery_model": gettext_lazy("Delivery model"),
    "capital_cost": gettext_lazy("Capital cost"),
    "operating_cost": gettext_lazy("Yearly operating cost"),
    "city_contribution": gettext_lazy("Amount asked of the city"),
    "currency": gettext_lazy("Currency"),
    "district": gettext_lazy("District"),
    "impacts": gettext_lazy("Expected impacts"),
}


# --- life cycle -----------------------------------------------------------------------------


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    if not perms.is_proposal_author(request.user, proposal):
        raise PermissionDenied(_("Only the proposal's authors can submit it."))
    try:
        services.proposal_submit(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Submitted. The city's coordinators and the public can now read it."),
        )
    return redirect(proposal)


@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST withdraws."""
    proposal = _visible_or_404(request, pk)
    if not perms.can_withdraw_proposal(request.user, proposal):
        raise PermissionDenied(_("Only the proposal's authors can withdraw it."))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(
                actor=request.user,
                proposal=proposal,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in _messages_of(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The proposal is withdrawn."))
        return redirect(proposal)
    return render(
        request,
        "projects/proposal_withdraw.html",
        {"proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def proposal_transition(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    if not sp.is_coordinator(request.user, proposal.city_id):
        raise PermissionDenied(
            _("Only a coordinator of this city can change a proposal's status.")
        )
    form = TransitionForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_transition(
                actor=request.user,
                proposal=proposal,
                to_status=form.cleaned_data["to_status"],
                public_answer=form.cleaned_data["public_answer"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Status changed; the audience is notified."))
            return redirect(proposal)
    return render(
        request,
        "projects/proposal_detail.html",
        _detail_context(request, proposal, transition_form=form),
        status=400,
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- consortium -------------------------------------------------------------------------------


@login_required
def proposal_partners(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    if not perms.can_manage_partners(request.user, proposal):
        raise PermissionDenied(
            _("Only the proposal's authors can change the consortium.")
        )
    form = PartnerInviteForm(proposal=proposal)
    status = 200
    if request.method == "POST" and request.POST.get("remove"):
        partner = get_object_or_404(
            ProposalPartner, pk=request.POST["remove"], proposal=proposal
        )
        services.partner_remove(actor=request.user, partner=partner)
        messages.success(
            request,
            _("%(org)s is no longer in the consortium.")
            % {"org": partner.organisation.name},
        )
        return redirect("proposal-partners", pk=proposal.pk)
    if request.method == "POST":
        form = PartnerInviteForm(request.POST, proposal=proposal)
        if form.is_valid():
            try:
                partner = services.partner_invite(
                    actor=request.user, proposal=proposal, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(org)s is invited; its admins are notified.")
                    % {"org": partner.organisation.name},
                )
                return redirect("proposal-partners", pk=proposal.pk)
        status = 400
    partners = list(proposal.partners.select_related("organisation", "invited_by"))
    return render(
        request,
        "projects/proposal_partners.html",
        {"proposal": proposal, "form": form, "partners": partners},
        status=status,
    )


@login_required
@require_POST
def partner_answer(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    partner = get_object_or_404(
        ProposalPartner.objects.select_related("proposal", "organisation"),
        pk=partner_pk,
        proposal_id=pk,
    )
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            services.partner_answer(
                actor=request.user, partner=partner, accept=decision == "accept"
            )
        except ValidationError as exc:
            for message in _messages_of(exc):
                messages.error(request, message)
        else:
            if decision == "accept":
                messages.success(
                    request,
                    _("%(org)s joined the consortium.")
                    % {"org": partner.organisation.name},
                )
            else:
                messages.success(request, _("The invitation is declined."))
    if Proposal.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("proposal-detail", pk=pk)
    return redirect("proposal-mine")


# --- attachments -----------------------------------------------------------------------------


@login_required
def proposal_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    if not perms.can_manage_attachments(request.user, proposal):
        raise PermissionDenied(_("Only the proposal's authors can change attachments."))
    form = AttachmentForm()
    status = 200
    if request.method == "POST" and request.POST.get("remove"):
        attachment = get_object_or_404(
            Attachment, pk=request.POST["remove"], proposal=proposal
        )
        services.attachment_remove(actor=request.user, attachment=attachment)
        messages.success(
            request, _("“%(name)s” is removed.") % {"name": attachment.name}
        )
        return redirect("proposal-attachments", pk=proposal.pk)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = services.attachment_add(
                    actor=request.user,
                    proposal=proposal,
                    upload=upload,
                    name=form.cleaned_data["name"] or upload.name,
                    size=upload.size,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    _add_errors(form, exc)
                else:
                    form.add_error("file", exc.messages)
            else:
                messages.success(
                    request, _("“%(name)s” is attached.") % {"name": attachment.name}
                )
                return redirect("proposal-attachments", pk=proposal.pk)
        status = 400
    return render(
        request,
        "projects/proposal_attachments.html",
        {
            "proposal": proposal,
            "form": form,
            "attachments": list(proposal.attachments.all()),
            "max_attachments": services.MAX_ATTACHMENTS,
        },
        status=status,
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
    if (
        not Proposal.objects.visible_to(request.user)
        .filter(pk=attachment.proposal_id)
        .exists()
    ):
        raise Http404(_("No such attachment."))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("This file is missing.")) from exc
    is_image = attachment.content_type in ("image/png", "image/jpeg")
    response = FileResponse(
        handle,
        as_attachment=not is_image,
        filename=exports.safe_filename(attachment.name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even an image opened on its own cannot run anything or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- my proposals, fragments ---------------------------------------------------------------------


@login_required
@require_GET
def proposal_mine(request: HttpRequest) -> HttpResponse:
    page_obj = _page(request, selectors.proposals_of(user=request.user))
    pending = list(
        selectors.pending_partnerships_for(request.user).order_by("-invited_at")
    )
    organisations = list(selectors.organisations_of(request.user))
    return render(
        request,
        "projects/proposal_mine.html",
        {
            "page_obj": page_obj,
            "pending": pending,
            "organisations": organisations,
            "can_create": perms.can_create_proposal(request.user),
        },
    )


@require_GET
def proposal_similar(request: HttpRequest) -> HttpResponse:
    city_value = request.GET.get("city", "")
    city = City.objects.filter(slug=city_value).first()
    exclude = request.GET.get("exclude")
    items = []
    if city is not None:
        items = similar_proposals(
            city_id=city.pk,
            title=request.GET.get("title", "")[:140],
            summary=request.GET.get("summary", "")[:500],
            exclude=int(exclude) if exclude and exclude.isdigit() else None,
        )
    return render(
        request,
        "partials/_proposal_similar.html",
        {"similar": items, "searched": city is not None},
    )


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    body = request.POST.get("body", "")[:50_000]
    return render(
        request, "partials/_proposal_preview.html", {"html": render_markdown(body)}
    )


# --- the multi-step form --------------------------------------------------------------------------


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not perms.can_create_proposal(request.user):
        return render(request, "projects/proposal_no_organisation.html", status=403)
    return ProposalWizard(request, proposal=None).dispatch()


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_or_404(request, pk)
    if not perms.can_edit_proposal(request.user, proposal):
        if proposal.is_decided:
            messages.error(
                request, _("A decided or withdrawn proposal can no longer be edited.")
            )
            return redirect(proposal)
        raise PermissionDenied(_("Only the proposal's authors can edit it."))
    return ProposalWizard(request, proposal=proposal).dispatch()
