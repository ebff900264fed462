"""HTML pages of the stakeholders app.

Views read through ``selectors``, check ``permissions`` predicates to decide what to
show, and write only through ``services``: a service's ``PermissionDenied`` becomes
the 403 page (or a message on a redirect), its ``ValidationError`` goes next to the
field it names. Every write is one service call, so nothing is half-written.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from projects.models import Sector

from . import permissions as perms
from . import selectors, services
from .forms import (
    CityRoleRequestForm,
    DecisionForm,
    DeleteAccountForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinRequestForm,
    MembershipRoleForm,
    OrganisationForm,
    ProfileForm,
    apply_validation_error,
)
from .models import (
    City,
    CityRole,
    Invitation,
    JoinRequest,
    Membership,
    MembershipRole,
    Notification,
    Organisation,
    User,
    VerificationState,
)

DIRECTORY_PAGE_SIZE = 20
NOTIFICATIONS_PAGE_SIZE = 30


def _data(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form is bound and says
    what is missing); None on GET."""
    return request.POST if request.method == "POST" else None


def _messages_from(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _paginate(request: HttpRequest, items: QuerySet[Any], size: int) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _visible_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation named by ``slug`` if this person may see it; 404 otherwise
    (a rejected organisation is not revealed to outsiders)."""
    return get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)


# --- Profile and privacy ----------------------------------------------------------------


def _profile_context(
    request: HttpRequest,
    form: ProfileForm | None = None,
    role_form: CityRoleRequestForm | None = None,
) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "form": form or ProfileForm(user=user),
        "role_form": role_form or CityRoleRequestForm(),
        "memberships": user.memberships.select_related("organisation").order_by(
            "organisation__name"
        ),
        "city_roles": user.city_roles.select_related("city").order_by(
            "city__name", "role"
        ),
        "has_two_factor": perms.has_two_factor(user),
        "needs_two_factor": perms.needs_two_factor_setup(user),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(_data(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_profile_update(
                actor=user,
                user=user,
                display_name=data["display_name"],
                kind=data["kind"],
                home_city=data["home_city"],
                district=data["district"],
                clear_district=data["district"] is None,
            )
        except ValidationError as error:
            user.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    if request.method == "POST":
        user.refresh_from_db()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "stakeholders/profile.html",
        _profile_context(request, form),
        status=status,
    )


@login_required
@require_POST
def profile_role_request(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    role_form = CityRoleRequestForm(request.POST)
    if role_form.is_valid():
        data = role_form.cleaned_data
        try:
            services.city_role_request(
                user=user,
                city=data["city"],
                role=data["role"],
                position=data["position"],
            )
        except ValidationError as error:
            apply_validation_error(role_form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent to the city's coordinators. You get no new "
                    "power until one of them verifies it."
                ),
            )
            return redirect("profile")
    return render(
        request,
        "stakeholders/profile.html",
        _profile_context(request, role_form=role_form),
        status=400,
    )


@login_required
def profile_export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    data = services.user_export_data(user=user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="crosswalk-my-data-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DeleteAccountForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(actor=user, user=user)
        except ValidationError as error:
            _messages_from(request, error)
            return redirect("profile")
        logout(request)
        messages.success(
            request,
            _("Your account is deleted and your personal data erased. Goodbye."),
        )
        return redirect("home")
    owned = user.memberships.filter(role=MembershipRole.OWNER).select_related(
        "organisation"
    )
    return render(
        request,
        "stakeholders/profile_delete.html",
        {"form": form, "owned": owned},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Notifications ----------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items = selectors.user_notifications(user=request.user)
    return render(
        request,
        "stakeholders/notification_list.html",
        {"page_obj": _paginate(request, items, NOTIFICATIONS_PAGE_SIZE)},
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification_ids=[pk])
    if request.POST.get("open") and notification.url.startswith("/"):
        return HttpResponseRedirect(notification.url)
    return redirect(_safe_next(request, reverse("notification-list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification-list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Per kind of notification: e-mail at once, in the daily digest, or never."""
    from .models import EmailFrequency, NotificationKind
    from .notifications import notification_settings_update, preferences_for

    current = preferences_for([request.user.pk])[request.user.pk]
    if request.method == "POST":
        choices = {
            kind: request.POST.get(f"kind-{kind}", current[kind])
            for kind in NotificationKind.values
        }
        try:
            notification_settings_update(user=request.user, choices=choices)
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Your e-mail choices are saved."))
            return redirect("notification-settings")
    rows = [
        {"kind": kind, "label": label, "value": current[kind]}
        for kind, label in NotificationKind.choices
    ]
    return render(
        request,
        "stakeholders/notification_settings.html",
        {"rows": rows, "frequencies": EmailFrequency.choices},
    )


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signature is the key
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click link of every e-mail (GET from a person, POST from a mail
    client honouring List-Unsubscribe-Post); needs no sign-in, trusts only the
    signature."""
    from django.core import signing

    from .models import NotificationKind
    from .notifications import ALL_KINDS, unsubscribe

    try:
        user, kind = unsubscribe(token=token)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return render(
            request,
            "stakeholders/notification_unsubscribe.html",
            {"invalid": True},
            status=400,
        )
    label = _("all kinds") if kind == ALL_KINDS else NotificationKind(kind).label
    return render(
        request,
        "stakeholders/notification_unsubscribe.html",
        {"invalid": False, "label": label},
    )


# --- Organisations ----------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.order_by("position")
    cities = City.objects.order_by("name")
    filters = DirectoryFilterForm(request.GET or None, sectors=sectors, cities=cities)
    organisations = selectors.organisation_directory(
        user=request.user, **(filters.filters() if filters.is_bound else {})
    )
    page_obj = _paginate(request, organisations, DIRECTORY_PAGE_SIZE)
    return render(
        request,
        "stakeholders/organisation_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "filtered": filters.is_bound
            and any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def _organisation_form_values(form: OrganisationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "sectors": data["sectors"],
        "description": data["description"],
        "website": data["website"],
        "cities": data["cities"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial: dict[str, Any] = {}
    if user.home_city_id:
        initial["cities"] = [user.home_city_id]
    if user.kind in dict(OrganisationForm.base_fields["kind"].choices):
        initial["kind"] = user.kind
    form = OrganisationForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                actor=user, **_organisation_form_values(form)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(org)s is created. It shows as “Unverified organisation” until a "
                    "coordinator of one of its cities verifies it."
                )
                % {"org": org.name},
            )
            return redirect(org)
    return render(
        request,
        "stakeholders/organisation_form.html",
        {"form": form, "organisation": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = _visible_organisation(request, slug)
    if not perms.can_edit_organisation(request.user, org):
        raise PermissionDenied(_("Only the organisation's admins can edit it."))
    form = OrganisationForm(_data(request), initial=OrganisationForm.initial_for(org))
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_update(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                **_organisation_form_values(form),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect(org)
    return render(
        request,
        "stakeholders/organisation_form.html",
        {"form": form, "organisation": org},
        status=400 if form.is_bound and form.errors else 200,
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = _visible_organisation(request, slug)
    user = request.user
    members = selectors.organisation_members(organisation=org)
    role = perms.membership_role(user, org)
    pending_request = (
        perms.is_signed_in(user)
        and role is None
        and JoinRequest.objects.filter(
            user=user, organisation=org, decided_at__isnull=True
        ).exists()
    )
    from projects.selectors import ProposalFilters, proposal_list

    # Proposals it leads or joined as an accepted partner, as the reader may see them.
    led_or_joined = proposal_list(
        user=user, filters=ProposalFilters(organisation=org.pk)
    )
    return render(
        request,
        "stakeholders/organisation_detail.html",
        {
            "proposals": list(led_or_joined[:10]),
            "proposal_total": led_or_joined.count(),
            "organisation": org,
            "sectors": org.sectors.all(),
            "cities": org.cities.all(),
            "members": members,
            "my_role": role,
            "can_edit": perms.can_edit_organisation(user, org),
            "can_manage": perms.can_manage_members(user, org),
            "show_emails": perms.can_see_member_emails(user, org),
            "pending_request": pending_request,
            "join_form": JoinRequestForm(),
        },
    )


@login_required
@require_POST
def organisation_join(request: HttpRequest, slug: str) -> HttpResponse:
    org = _visible_organisation(request, slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(org)
    try:
        services.join_request_create(
            user=request.user,  # type: ignore[arg-type]
            organisation=org,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("Your request is sent to the admins of %(org)s.") % {"org": org.name},
        )
    return redirect(org)


def _members_context(
    request: HttpRequest, org: Organisation, invite_form: InvitationForm | None = None
) -> dict[str, Any]:
    user = request.user
    can_manage = perms.can_manage_members(user, org)
    members = list(selectors.organisation_members(organisation=org))
    mine = next((m for m in members if m.user_id == user.pk), None)
    owners = sum(1 for m in members if m.role == MembershipRole.OWNER)
    context: dict[str, Any] = {
        "organisation": org,
        "members": members,
        "can_manage": can_manage,
        "show_emails": perms.can_see_member_emails(user, org),
        "is_owner": perms.is_org_owner(user, org) or perms.staff_power(user),
        "my_membership": mine,
        # The last owner cannot leave (the service refuses); say so instead.
        "can_leave": mine is not None
        and not (mine.role == MembershipRole.OWNER and owners <= 1),
        "role_choices": MembershipRole.choices,
    }
    if can_manage:
        invitations = list(selectors.organisation_open_invitations(organisation=org))
        context.update(
            {
                "invite_form": invite_form or InvitationForm(),
                "invitations": invitations,
                "join_requests": selectors.organisation_open_join_requests(
                    organisation=org
                ),
            }
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Members and invitations. Admins manage them here; members see who is in the
    organisation and may leave it; others are refused."""
    org = _visible_organisation(request, slug)
    user: User = request.user  # type: ignore[assignment]
    if not (perms.is_member(user, org) or perms.can_manage_members(user, org)):
        raise PermissionDenied(
            _("Only the organisation's members can open its member page.")
        )
    form = None
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=user,
                    organisation=org,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("An invitation is on its way to %(email)s.")
                    % {"email": invitation.email},
                )
                return redirect("organisation-members", slug=org.slug)
    return render(
        request,
        "stakeholders/organisation_members.html",
        _members_context(request, org, form),
        status=400 if form is not None and form.errors else 200,
    )


def _back_to_members(org: Organisation) -> HttpResponse:
    return redirect("organisation-members", slug=org.slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _visible_organisation(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=org)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is revoked.") % {"email": invitation.email},
        )
    return _back_to_members(org)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _visible_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=org,
    )
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner, admin or member."))
        return _back_to_members(org)
    try:
        services.membership_change_role(
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {
                "name": membership.user.public_name,
                "role": membership.get_role_display(),
            },
        )
    return _back_to_members(org)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _visible_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=org,
    )
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except ValidationError as error:
        _messages_from(request, error)
        return _back_to_members(org)
    if leaving:
        messages.success(request, _("You left %(org)s.") % {"org": org.name})
        return redirect("profile")
    messages.success(
        request,
        _("%(name)s is no longer a member.") % {"name": membership.user.public_name},
    )
    return _back_to_members(org)


@login_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _visible_organisation(request, slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=org,
    )
    accept = request.POST.get("accept") == "yes"
    try:
        services.join_request_decide(
            actor=request.user,  # type: ignore[arg-type]
            join_request=join_request,
            accept=accept,
        )
    except ValidationError as error:
        _messages_from(request, error)
    else:
        name = join_request.user.public_name
        messages.success(
            request,
            (
                _("%(name)s is now a member.")
                if accept
                else _("%(name)s's request is declined.")
            )
            % {"name": name},
        )
    return _back_to_members(org)


# --- Invitations -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Shows the invitation and an Accept button; anonymous visitors are asked to
    sign in or sign up and come back here."""
    context: dict[str, Any] = {"token": token}
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(
            request, "stakeholders/invitation_accept.html", context, status=400
        )
    context["invitation"] = invitation
    context["organisation"] = invitation.organisation
    user = request.user
    if not perms.is_signed_in(user):
        context["next"] = request.get_full_path()
        return render(request, "stakeholders/invitation_accept.html", context)
    if perms.is_member(user, invitation.organisation):
        context["error"] = _("You are already a member of this organisation.")
        return render(
            request, "stakeholders/invitation_accept.html", context, status=400
        )
    if request.method == "POST":
        try:
            services.invitation_accept(user=user, token=token)  # type: ignore[arg-type]
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(
                request, "stakeholders/invitation_accept.html", context, status=400
            )
        messages.success(
            request,
            _("Welcome to %(org)s: you are now a member.")
            % {"org": invitation.organisation.name},
        )
        return redirect(invitation.organisation)
    context["wrong_account"] = user.email.lower() != invitation.email.lower()
    return render(request, "stakeholders/invitation_accept.html", context)


# --- Verification queue ------------------------------------------------------------------


def _queue_response(
    request: HttpRequest,
    *,
    bound: tuple[str, int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    if not perms.can_see_verification_queue(request.user):
        raise PermissionDenied(
            _("Only city coordinators (with two-factor authentication) can verify.")
        )
    queue = selectors.verification_queue(user=request.user)
    organisations = list(queue["organisations"])
    roles = list(queue["roles"])
    forms: dict[tuple[str, int], DecisionForm] = {}
    for org in organisations:
        forms[("org", org.pk)] = DecisionForm(prefix=f"org-{org.pk}")
    for role in roles:
        forms[("role", role.pk)] = DecisionForm(prefix=f"role-{role.pk}")
    if bound is not None:
        forms[(bound[0], bound[1])] = bound[2]
    return render(
        request,
        "stakeholders/verification_queue.html",
        {
            "organisation_items": [(o, forms[("org", o.pk)]) for o in organisations],
            "role_items": [(r, forms[("role", r.pk)]) for r in roles],
        },
        status=status,
    )


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    return _queue_response(request)


@login_required
@require_POST
def verification_organisation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not perms.can_see_verification_queue(request.user):
        raise PermissionDenied(
            _("Only city coordinators (with two-factor authentication) can verify.")
        )
    org = get_object_or_404(Organisation, pk=pk)
    form = DecisionForm(request.POST, prefix=f"org-{org.pk}")
    if form.is_valid():
        try:
            services.organisation_verify(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            verified = form.cleaned_data["decision"] == VerificationState.VERIFIED
            messages.success(
                request,
                (_("%(org)s is verified.") if verified else _("%(org)s is rejected."))
                % {"org": org.name},
            )
            return redirect("verification-queue")
    if org.verification_state != VerificationState.PENDING:
        messages.error(request, _("%(org)s was already decided.") % {"org": org.name})
        return redirect("verification-queue")
    return _queue_response(request, bound=("org", org.pk, form), status=400)


@login_required
@require_POST
def verification_role_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not perms.can_see_verification_queue(request.user):
        raise PermissionDenied(
            _("Only city coordinators (with two-factor authentication) can verify.")
        )
    role = get_object_or_404(CityRole.objects.select_related("user", "city"), pk=pk)
    form = DecisionForm(request.POST, prefix=f"role-{role.pk}")
    if form.is_valid():
        try:
            services.city_role_decide(
                actor=request.user,  # type: ignore[arg-type]
                city_role=role,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: %(role)s in %(city)s — decision saved.")
                % {
                    "name": role.user.public_name,
                    "role": role.get_role_display(),
                    "city": role.city.name,
                },
            )
            return redirect("verification-queue")
    if role.state != VerificationState.PENDING:
        messages.error(request, _("This request was already decided."))
        return redirect("verification-queue")
    return _queue_response(request, bound=("role", role.pk, form), status=400)
