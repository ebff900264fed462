"""Conversation pages: comments, votes, supports, follows, flags and the moderation
queue. Views read through ``selectors_conversation``, write through
``services.conversation`` and only translate between HTTP and those functions.

Every action is a plain POST form that redirects back to ``#comment-<id>``; with
JavaScript the same forms are posted with ``X-Requested-With: fetch`` and the view
answers with the server-rendered fragment to swap in (the new comment, the vote
buttons, the support and follow buttons, or the form with its error).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stakeholders import permissions as sp
from stakeholders.forms import apply_validation_error
from stakeholders.models import City

from . import selectors_conversation as conversation_selectors
from .forms_conversation import (
    SORTS,
    CommentEditForm,
    CommentForm,
    FlagForm,
    ModerationDecisionForm,
    VoteForm,
    clean_sort,
)
from .models import (
    Comment,
    FlagReason,
    Follow,
    Project,
    Proposal,
    ProposalStatus,
    Support,
)
from .services import conversation as services

FETCH_HEADER = "fetch"


def is_fetch(request: HttpRequest) -> bool:
    """The page's own script asks for a fragment instead of a redirect."""
    return request.headers.get("X-Requested-With") == FETCH_HEADER


def refusal_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, PermissionDenied):
        return [str(exc) or _("You may not do this.")]
    return [str(m) for m in exc.messages]


def refusal_status(exc: ValidationError | PermissionDenied) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if getattr(exc, "code", None) == "rate_limited":
        return 429
    return 400


def _retry_after(exc: ValidationError | PermissionDenied) -> int | None:
    params = getattr(exc, "params", None) or {}
    retry = params.get("retry_after") if isinstance(params, dict) else None
    return int(retry) if retry is not None else None


def _with_retry(response: HttpResponse, exc: Any) -> HttpResponse:
    retry = _retry_after(exc)
    if retry is not None:
        response["Retry-After"] = str(retry)
    return response


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    try:
        return (
            Proposal.objects.visible_to(request.user)
            .select_related("city", "lead_organisation")
            .get(pk=pk)
        )
    except Proposal.DoesNotExist as exc:
        raise Http404(_("No such proposal.")) from exc


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """A comment the user may read (the selector's rule: not deleted, on a proposal
    they can see, hidden ones only for their author and the city's moderators)."""
    try:
        return conversation_selectors.comment_for(user=request.user, pk=pk)
    except Comment.DoesNotExist as exc:
        raise Http404(_("No such comment.")) from exc


def _back_to(
    proposal_id: int | None,
    comment_id: int | None = None,
    *,
    project_id: int | None = None,
) -> HttpResponse:
    url = f"/projects/{project_id}/" if project_id else f"/proposals/{proposal_id}/"
    return redirect(f"{url}#comment-{comment_id}" if comment_id else f"{url}#comments")


def _back_to_comment(comment: Comment, comment_id: int | None) -> HttpResponse:
    """Back to the page of the proposal or project the comment is on."""
    return _back_to(comment.proposal_id, comment_id, project_id=comment.project_id)


def _project_or_404(pk: int) -> Project:
    try:
        return Project.objects.select_related("city").get(pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404(_("No such project.")) from exc


# --- the thread --------------------------------------------------------------------------------


def conversation_open(proposal: Proposal | Project) -> bool:
    if isinstance(proposal, Project):
        return True
    return proposal.status != ProposalStatus.DRAFT and proposal.hidden_at is None


def _create_url(target: Proposal | Project) -> str:
    if isinstance(target, Project):
        return reverse("project-comment-create", kwargs={"pk": target.pk})
    return reverse("comment-create", kwargs={"pk": target.pk})


def _comment_flags(
    request: HttpRequest, proposal: Proposal | Project
) -> dict[str, Any]:
    """What every comment's template needs besides its node (passed down the
    recursive include, which sees nothing else)."""
    return {
        "signed_in": sp.is_signed_in(request.user),
        "open": conversation_open(proposal),
        "reasons": FlagReason.choices,
        "create_url": _create_url(proposal),
    }


def thread_context(
    request: HttpRequest,
    proposal: Proposal | None = None,
    *,
    project: Project | None = None,
) -> dict[str, Any]:
    """Everything ``_conversation.html`` shows, for a proposal or a project, read
    in a fixed number of queries whatever the thread's length."""
    sort = clean_sort(request.GET.get("sort"))
    thread = conversation_selectors.comment_thread(
        user=request.user, proposal=proposal, project=project, sort=sort
    )
    target: Proposal | Project = proposal if proposal is not None else project  # type: ignore[assignment]
    flags = _comment_flags(request, target)
    return {
        "proposal": proposal,
        "project": project,
        "target_key": f"project-{target.pk}" if project else str(target.pk),
        "thread": thread,
        "sort": sort,
        "sorts": list(SORTS.items()),
        "can_comment": flags["signed_in"] and flags["open"],
        "base_url": request.path,
        "login_url": f"{reverse('account_login')}?next={quote(request.path)}",
        **flags,
    }


@require_GET
def conversation_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The discussion on a page of its own (``?sort=`` oldest, newest or best);
    with ``X-Requested-With: fetch``, the thread fragment alone."""
    proposal = _proposal_or_404(request, pk)
    template = (
        "partials/_conversation.html"
        if is_fetch(request)
        else "projects/proposal_conversation.html"
    )
    return render(request, template, thread_context(request, proposal))


def _render_comment(request: HttpRequest, comment: Comment, **extra: Any) -> str:
    proposal = comment.proposal if comment.proposal_id else comment.project
    assert proposal is not None
    return render_to_string(
        "partials/_comment.html",
        {
            "node": conversation_selectors.comment_node(
                user=request.user, comment=comment
            ),
            "proposal_id": proposal.pk,
            **_comment_flags(request, proposal),
            **extra,
        },
        request=request,
    )


# --- comments ----------------------------------------------------------------------------------


def _comment_form_fragment(
    request: HttpRequest,
    proposal: Proposal | Project,
    *,
    parent_id: int | None,
    body: str,
    errors: list[str],
) -> str:
    return render_to_string(
        "partials/_comment_form.html",
        {
            "proposal_id": proposal.pk,
            "create_url": _create_url(proposal),
            "parent_id": parent_id,
            "body": body,
            "errors": errors,
        },
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """POST a comment or a reply (``parent``) on a proposal. GET, or a refusal
    without script, shows the form on a page of its own with the message next to
    it."""
    return _comment_create(request, _proposal_or_404(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def project_comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The same, on a project."""
    return _comment_create(request, _project_or_404(pk))


def _comment_create(request: HttpRequest, proposal: Proposal | Project) -> HttpResponse:
    is_project = isinstance(proposal, Project)
    form = CommentForm(request.POST or None)
    parent_id = None
    if request.method == "GET":
        raw = request.GET.get("parent", "")
        parent_id = int(raw) if raw.isdigit() else None
        return _comment_form_page(request, proposal, parent_id, "", [])
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    parent_id = cleaned.get("parent")
    body = request.POST.get("body", "")
    try:
        if form.errors:
            raise ValidationError(_("Reply to an existing comment."))
        parent = None
        if parent_id is not None:
            parent = (
                Comment.objects.visible_to(request.user)
                .select_related("parent")
                .filter(pk=parent_id)
                .first()
            )
            if parent is None:
                raise ValidationError(_("This comment can no longer be answered."))
        comment = services.comment_create(
            actor=request.user,  # type: ignore[arg-type]
            proposal=None if is_project else proposal,  # type: ignore[arg-type]
            project=proposal if is_project else None,  # type: ignore[arg-type]
            body=body,
            parent=parent,
        )
    except (ValidationError, PermissionDenied) as exc:
        errors = refusal_messages(exc)
        status = refusal_status(exc)
        if is_fetch(request):
            html = _comment_form_fragment(
                request, proposal, parent_id=parent_id, body=body, errors=errors
            )
            return _with_retry(HttpResponse(html, status=status), exc)
        response = _comment_form_page(
            request, proposal, parent_id, body, errors, status=status
        )
        return _with_retry(response, exc)
    if is_fetch(request):
        if is_project:
            comment.project = proposal  # type: ignore[assignment]
        else:
            comment.proposal = proposal  # type: ignore[assignment]
        count = (
            type(proposal)
            .objects.filter(pk=proposal.pk)
            .values_list("comment_count", flat=True)
            .get()
        )
        label = ngettext("%(n)d comment", "%(n)d comments", count) % {"n": count}
        html = _render_comment(request, comment, is_new=True, count_label=label)
        return HttpResponse(html, status=201)
    messages.success(request, _("Comment posted."))
    return _back_to_comment(comment, comment.pk)


def _comment_form_page(
    request: HttpRequest,
    proposal: Proposal | Project,
    parent_id: int | None,
    body: str,
    errors: list[str],
    *,
    status: int = 200,
) -> HttpResponse:
    parent = None
    is_project = isinstance(proposal, Project)
    if parent_id is not None:
        parent = (
            Comment.objects.visible_to(request.user)
            .select_related("author")
            .filter(pk=parent_id, **{"project" if is_project else "proposal": proposal})
            .first()
        )
    return render(
        request,
        "projects/comment_form.html",
        {
            "proposal": proposal,
            "is_project": is_project,
            "create_url": _create_url(proposal),
            "parent": parent,
            "parent_id": parent.pk if parent else None,
            "body": body,
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    proposal = comment.proposal if comment.proposal_id else comment.project
    assert proposal is not None
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("You can only edit your own comments."))
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user,  # type: ignore[arg-type]
                comment=comment,
                body=form.cleaned_data["body"],
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                apply_validation_error(form, exc)
            else:
                form.add_error(None, refusal_messages(exc)[0])
            status = refusal_status(exc)
            comment.refresh_from_db()
        else:
            messages.success(request, _("Comment updated."))
            return _back_to_comment(comment, comment.pk)
    editable = timezone.now() - comment.created_at <= services.EDIT_WINDOW
    return render(
        request,
        "projects/comment_edit.html",
        {
            "comment": comment,
            "proposal": proposal,
            "is_project": comment.project_id is not None,
            "form": form,
            "editable": editable and comment.deleted_at is None,
        },
        status=status,
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    parent_id = comment.parent_id
    try:
        services.comment_delete(actor=request.user, comment=comment)  # type: ignore[arg-type]
    except PermissionDenied as exc:
        messages.error(request, refusal_messages(exc)[0])
        return _back_to_comment(comment, comment.pk)
    messages.success(request, _("Comment deleted."))
    still_there = Comment.objects.filter(pk=pk).exists()
    return _back_to_comment(comment, pk if still_there else parent_id)


@login_required
@require_POST
def comment_vote(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    form = VoteForm(request.POST)
    error = ""
    status = 200
    try:
        if not form.is_valid():
            raise ValidationError(_("Vote 1 (up), -1 (down) or 0 (remove)."))
        comment = services.comment_vote(
            actor=request.user,  # type: ignore[arg-type]
            comment=comment,
            value=form.cleaned_data["value"],
        )
    except (ValidationError, PermissionDenied) as exc:
        error = " ".join(refusal_messages(exc))
        status = refusal_status(exc)
    if is_fetch(request):
        html = render_to_string(
            "partials/_comment_votes.html",
            {
                "node": conversation_selectors.comment_node(
                    user=request.user, comment=comment
                ),
                "signed_in": True,
                "error": error,
                "announce": "" if error else _("Vote recorded."),
            },
            request=request,
        )
        return HttpResponse(html, status=status)
    if error:
        messages.error(request, error)
    return _back_to_comment(comment, comment.pk)


# --- supports and follows ------------------------------------------------------------------------


def support_follow_context(
    request: HttpRequest, proposal: Proposal, *, error: str = ""
) -> dict[str, Any]:
    """The counts come from the proposal's stored counters; what the viewer does
    costs one query."""
    user = request.user
    supporting = following = False
    if sp.is_signed_in(user):
        supporting = Support.objects.filter(proposal=proposal, user=user).exists()
        following = Follow.objects.filter(proposal=proposal, user=user).exists()
    return {
        "proposal": proposal,
        "signed_in": sp.is_signed_in(user),
        "supporting": supporting,
        "following": following,
        "can_support": conversation_open(proposal) and not proposal.is_decided,
        "error": error,
        "login_url": f"{reverse('account_login')}?next={quote(request.path)}",
    }


def _support_follow_answer(
    request: HttpRequest,
    proposal: Proposal,
    *,
    done: str,
    exc: ValidationError | PermissionDenied | None,
) -> HttpResponse:
    error = " ".join(refusal_messages(exc)) if exc is not None else ""
    if is_fetch(request):
        fresh = Proposal.objects.select_related("city").get(pk=proposal.pk)
        html = render_to_string(
            "partials/_support_follow.html",
            support_follow_context(request, fresh, error=error) | {"announce": done},
            request=request,
        )
        status = refusal_status(exc) if exc is not None else 200
        return HttpResponse(html, status=status)
    if exc is not None:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"/proposals/{proposal.pk}/#support")


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    """``action=add`` (the default) or ``action=remove``."""
    proposal = _proposal_or_404(request, pk)
    remove = request.POST.get("action") == "remove"
    exc: ValidationError | PermissionDenied | None = None
    try:
        if remove:
            services.support_remove(actor=request.user, proposal=proposal)  # type: ignore[arg-type]
        else:
            services.support_add(actor=request.user, proposal=proposal)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        exc = error
    done = _("Support removed.") if remove else _("Thank you: your support counts.")
    return _support_follow_answer(request, proposal, done=done, exc=exc)


@login_required
@require_POST
def proposal_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """``action=add`` (the default) or ``action=remove``."""
    proposal = _proposal_or_404(request, pk)
    remove = request.POST.get("action") == "remove"
    exc: ValidationError | PermissionDenied | None = None
    try:
        if remove:
            services.follow_remove(user=request.user, proposal=proposal)  # type: ignore[arg-type]
        else:
            services.follow_add(user=request.user, proposal=proposal)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        exc = error
    done = (
        _("You no longer follow this proposal.")
        if remove
        else _("You follow this proposal: you will hear about its news.")
    )
    return _support_follow_answer(request, proposal, done=done, exc=exc)


# --- flags ------------------------------------------------------------------------------------------


def _flag(
    request: HttpRequest,
    *,
    proposal: Proposal | Project,
    comment: Comment | None,
) -> HttpResponse:
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                comment=comment,
                proposal=None if comment is not None else proposal,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                apply_validation_error(form, exc)
            else:
                form.add_error(None, refusal_messages(exc)[0])
            status = refusal_status(exc)
            response = render(
                request,
                "projects/flag_form.html",
                {
                    "form": form,
                    "proposal": proposal,
                    "comment": comment,
                    "reasons": FlagReason.choices,
                },
                status=status,
            )
            return _with_retry(response, exc)
        messages.success(
            request, _("Thank you: a moderator will look at it. You are not named.")
        )
        if comment is not None:
            return _back_to_comment(comment, comment.pk)
        return _back_to(proposal.pk)
    if request.method == "POST":
        status = 400
    return render(
        request,
        "projects/flag_form.html",
        {
            "form": form,
            "proposal": proposal,
            "comment": comment,
            "reasons": FlagReason.choices,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    target = comment.proposal if comment.proposal_id else comment.project
    assert target is not None
    return _flag(request, proposal=target, comment=comment)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_flag(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    return _flag(request, proposal=proposal, comment=None)


# --- moderation ----------------------------------------------------------------------------------


def _moderated_cities(user: Any, city: City | None) -> list[City]:
    """The cities whose queue the user sees: one city when asked for, else every
    city the user moderates (staff: all)."""
    if city is not None:
        if not services.can_moderate(user, city.pk):
            raise PermissionDenied(
                _("Only a moderator of this city can open its moderation queue.")
            )
        return [city]
    cities = list(conversation_selectors.moderation_cities(user=user))
    if not cities:
        raise PermissionDenied(
            _("Only city moderators (with two-factor authentication) see this queue.")
        )
    return cities


def _queue_response(
    request: HttpRequest,
    *,
    city: City | None,
    bound: tuple[str, int, ModerationDecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue of each city the reader moderates (a few queries per city,
    whatever the number of flagged items)."""
    cities = _moderated_cities(request.user, city)
    sections = []
    total = 0
    for each in cities:
        items = conversation_selectors.moderation_queue(city=each)
        for item in items:
            key = (item.kind, item.pk)
            item.form = (  # type: ignore[attr-defined]
                bound[2]
                if bound is not None and (bound[0], bound[1]) == key
                else ModerationDecisionForm(
                    prefix=f"{item.kind}-{item.pk}",
                    hidden=item.target.hidden_at is not None,
                )
            )
        total += len(items)
        sections.append({"city": each, "items": items})
    return render(
        request,
        "projects/moderation_queue.html",
        {
            "sections": sections,
            "total": total,
            "city": city,
            "next": request.get_full_path(),
        },
        status=status,
    )


@login_required
@require_GET
def moderation_queue(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    city = get_object_or_404(City, slug=slug) if slug else None
    return _queue_response(request, city=city)


@login_required
@require_POST
def moderation_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Hide, restore or dismiss, with a reason. The service checks that the user
    moderates the item's city."""
    if kind not in ("comment", "proposal"):
        raise Http404(_("Only comments and proposals are moderated."))
    comment: Comment | None = None
    proposal: Proposal | None = None
    if kind == "comment":
        comment = get_object_or_404(
            Comment.objects.select_related(
                "proposal", "proposal__city", "project", "project__city"
            ),
            pk=pk,
        )
        where = comment.proposal or comment.project
        city = where.city if where is not None else None
    else:
        proposal = get_object_or_404(Proposal.objects.select_related("city"), pk=pk)
        city = proposal.city
    if city is None or not services.can_moderate(request.user, city.pk):
        raise PermissionDenied(
            _("Only a moderator of this city can decide on flagged content.")
        )
    target = comment if comment is not None else proposal
    form = ModerationDecisionForm(
        request.POST,
        prefix=f"{kind}-{pk}",
        hidden=getattr(target, "hidden_at", None) is not None,
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = ""
    if form.is_valid():
        try:
            services.moderation_decide(
                actor=request.user,  # type: ignore[arg-type]
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                comment=comment,
                proposal=proposal,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Decision saved and written to the audit log."))
            return redirect(back or "moderation-queue")
    scoped = city if back.startswith("/cities/") else None
    return _queue_response(request, city=scoped, bound=(kind, pk, form), status=400)


# --- following a project -------------------------------------------------------------------------


def project_follow_context(
    request: HttpRequest, project: Project, *, error: str = ""
) -> dict[str, Any]:
    """The follow button of a project: the count is stored on the project; whether
    the viewer follows costs one query."""
    user = request.user
    following = sp.is_signed_in(user) and (
        Follow.objects.filter(project=project, user=user).exists()
    )
    return {
        "project": project,
        "signed_in": sp.is_signed_in(user),
        "following": following,
        "error": error,
        "login_url": f"{reverse('account_login')}?next={quote(request.path)}",
    }


@login_required
@require_POST
def project_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """``action=add`` (the default) or ``action=remove``."""
    project = _project_or_404(pk)
    remove = request.POST.get("action") == "remove"
    exc: ValidationError | PermissionDenied | None = None
    try:
        if remove:
            services.follow_remove(user=request.user, project=project)  # type: ignore[arg-type]
        else:
            services.follow_add(user=request.user, project=project)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        exc = error
    done = (
        _("You no longer follow this project.")
        if remove
        else _("You follow this project: you will hear about its news.")
    )
    error = " ".join(refusal_messages(exc)) if exc is not None else ""
    if is_fetch(request):
        fresh = Project.objects.get(pk=project.pk)
        html = render_to_string(
            "partials/_project_follow.html",
            project_follow_context(request, fresh, error=error) | {"announce": done},
            request=request,
        )
        return HttpResponse(html, status=refusal_status(exc) if exc else 200)
    if exc is not None:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"/projects/{project.pk}/#follow")
