"""Writes and domain actions of the stakeholders app.

Plain functions named ``<noun>_<verb>``: keyword-only arguments, the acting user
passed explicitly, one transaction each, ``full_clean()`` before saving. Pages, the
API, the admin, management commands and tasks all call these; none re-implements a
rule. A refused action raises ``PermissionDenied`` or ``ValidationError`` with a
message a person understands, and leaves the database unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import permissions as perms
from .models import (
    ADMIN_ROLES,
    INVITATION_LIFETIME,
    AuditEvent,
    City,
    CityRole,
    CityRoleKind,
    District,
    Invitation,
    JoinRequest,
    Membership,
    MembershipRole,
    Notification,
    NotificationKind,
    Organisation,
    User,
    UserKind,
    VerificationState,
)

INVITATION_SALT = "crosswalk.invitation"


# --- Audit and notifications ------------------------------------------------------------


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    city: City | int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one line to the audit log (who, what, which object, when, why)."""
    event = AuditEvent(
        actor=actor if actor and actor.pk else None,
        action=action,
        city_id=city if isinstance(city, int) or city is None else city.pk,
        reason=reason or "",
        data=data or {},
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event


def notification_fanout(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    event_key: str,
    message: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    actor_id: int | None = None,
) -> int:
    """Insert one notification per recipient for one event; returns how many rows
    are new. The unique (recipient, event_key) constraint makes a second run — a
    redelivered task — insert nothing. The actor is never notified of their own act.
    """
    ids = sorted({int(i) for i in recipient_ids if i and int(i) != (actor_id or 0)})
    if not ids:
        return 0
    active = set(
        User.objects.filter(
            pk__in=ids, is_active=True, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    already = set(
        Notification.objects.filter(
            recipient_id__in=active, event_key=event_key
        ).values_list("recipient_id", flat=True)
    )
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=rid,
            kind=kind,
            event_key=event_key,
            message=message,
            params=params or {},
            url=url,
            actor_id=actor_id,
            created_at=now,
        )
        for rid in sorted(active - already)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_on_commit(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    event_key: str,
    message: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    actor: User | None = None,
) -> None:
    """Queue the fan-out for after the surrounding transaction commits, so nothing is
    notified about a change that was rolled back, and the request never waits."""
    from .tasks import notify_users

    payload = {
        "recipient_ids": sorted({int(i) for i in recipient_ids}),
        "kind": kind,
        "event_key": event_key,
        "message": message,
        "params": params or {},
        "url": url,
        "actor_id": actor.pk if actor and actor.pk else None,
    }
    if payload["recipient_ids"]:
        transaction.on_commit(lambda: _enqueue(notify_users, payload))


def _enqueue(task: Any, payload: dict[str, Any]) -> None:
    """Send to the broker; when the broker is down, run the fan-out in-process
    instead, so the user's action still succeeds and nobody misses the event.

    Nobody waits for these results: sending with ``ignore_result`` keeps the web
    process from subscribing to each task's result in Redis (a subscription per
    task that nothing ever reads, and with Redis down, tens of seconds of
    reconnection attempts before the fallback)."""
    try:
        task.apply_async(kwargs=payload, ignore_result=True)
    except Exception:
        import logging

        logging.getLogger(__name__).warning(
            "broker unavailable, running %s in-process", task.name, exc_info=True
        )
        task.apply(kwargs=payload)


def notification_mark_read(
    *, user: User, notification_ids: Sequence[int] | None = None
) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


# --- Accounts ----------------------------------------------------------------------------


def user_profile_update(
    *,
    actor: User,
    user: User,
    display_name: str | None = None,
    kind: str | None = None,
    home_city: City | None = None,
    district: District | None = None,
    clear_district: bool = False,
) -> User:
    if actor.pk != user.pk and not perms.staff_power(actor):
        raise PermissionDenied(_("You can only edit your own profile."))
    with transaction.atomic():
        if display_name is not None:
            user.display_name = display_name.strip()
        if kind is not None:
            if kind == UserKind.CITY_OFFICIAL and user.kind != UserKind.CITY_OFFICIAL:
                raise ValidationError(
                    {
                        "kind": _(
                            "To become a city official, ask for the role from your profile."
                        )
                    }
                )
            user.kind = kind
        if home_city is not None:
            user.home_city = home_city
            if user.district_id and user.district.city_id != home_city.pk:
                user.district = None
        if district is not None:
            user.district = district
        elif clear_district:
            user.district = None
        user.full_clean(exclude=["password"])
        user.save()
    return user


def user_signup_complete(
    *,
    user: User,
    kind: str,
    display_name: str,
    home_city: City | None,
    official_city: City | None = None,
    official_position: str = "",
    organisation_name: str = "",
    join_organisation: Organisation | None = None,
) -> None:
    """What sign-up adds to the account allauth created: the stakeholder kind, an
    official's pending city role, or an organisation created or asked to join."""
    with transaction.atomic():
        user.kind = kind
        user.display_name = display_name.strip()
        user.home_city = home_city
        user.full_clean(exclude=["password"])
        user.save()
        if kind == UserKind.CITY_OFFICIAL and official_city is not None:
            city_role_request(
                user=user,
                city=official_city,
                role=CityRoleKind.OFFICIAL,
                position=official_position,
            )
        if organisation_name:
            organisation_create(
                actor=user,
                name=organisation_name,
                kind=kind,
                cities=[home_city] if home_city else [],
            )
        elif join_organisation is not None:
            join_request_create(user=user, organisation=join_organisation, message="")


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the site holds about a person, as JSON-ready data."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "kind": user.kind,
            "home_city": user.home_city.slug if user.home_city_id else None,
            "district": user.district.name if user.district_id else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_slug": m.organisation.slug,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in user.memberships.select_related("organisation")
        ],
        "city_roles": [
            {
                "city": r.city.slug,
                "role": r.role,
                "state": r.state,
                "since": r.created_at.isoformat(),
            }
            for r in user.city_roles.select_related("city")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in user.notifications.all()
        ],
    }
    for extra in _export_contributors():
        data.update(extra(user))
    return data


def _export_contributors() -> list[Any]:
    """Other apps add their sections (proposals, comments, supports…) here, so this
    module does not import them."""
    from django.utils.module_loading import import_string

    return [import_string(path) for path in getattr(settings, "PRIVACY_EXPORTERS", [])]


def user_delete(*, actor: User, user: User) -> None:
    """Erase a person's personal data and close the account.

    Public contributions stay, shown as "Deleted account". Where the person is the
    last owner of an organisation, ownership passes to its longest-serving admin; if
    there is none, the deletion is refused with the reason.
    """
    if actor.pk != user.pk and not perms.staff_power(actor):
        raise PermissionDenied(_("You can only delete your own account."))
    with transaction.atomic():
        owned = Membership.objects.select_for_update().filter(
            user=user, role=MembershipRole.OWNER
        )
        for membership in owned.select_related("organisation"):
            org = membership.organisation
            other_owners = org.memberships.filter(role=MembershipRole.OWNER).exclude(
                user=user
            )
            if other_owners.exists():
                continue
            heir = (
                org.memberships.filter(role=MembershipRole.ADMIN)
                .exclude(user=user)
                .order_by("created_at")
                .first()
            )
            if heir is None:
                raise ValidationError(
                    _(
                        "You are the only owner of “%(org)s” and it has no other admin. "
                        "Make another member an admin (or owner) first, then delete "
                        "your account."
                    )
                    % {"org": org.name}
                )
            heir.role = MembershipRole.OWNER
            heir.save(update_fields=["role"])
            audit_record(
                actor=actor,
                action="organisation.ownership_transferred",
                target=org,
                reason=_("Previous owner deleted their account."),
                data={"to_user": heir.user_id},
            )
        Membership.objects.filter(user=user).delete()
        CityRole.objects.filter(user=user).delete()
        JoinRequest.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from rest_framework.authtoken.models import Token

        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        for hook in getattr(settings, "PRIVACY_ERASERS", []):
            from django.utils.module_loading import import_string

            import_string(hook)(user)
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = ""
        user.home_city = None
        user.district = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.deleted_at = timezone.now()
        user.set_unusable_password()
        user.save()
        audit_record(
            actor=None, action="user.deleted", target=None, data={"user": user.pk}
        )
    from django.contrib.sessions.models import Session

    transaction.on_commit(lambda: _drop_sessions(user.pk, Session))


def _drop_sessions(user_id: int, session_model: Any) -> None:
    """Sign the person out everywhere, through the session engine so a copy it
    keeps in the cache (``cached_db``) goes too."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in session_model.objects.filter(
        expire_date__gt=timezone.now()
    ).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            store().delete(session.session_key)


# --- Organisations -----------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "organisation"
    slug = base
    n = 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_create(
    *,
    actor: User,
    name: str,
    kind: str,
    sectors: Iterable[Any] = (),
    description: str = "",
    website: str = "",
    cities: Iterable[City] = (),
) -> Organisation:
    """Create an organisation (pending verification); the creator becomes owner."""
    if not perms.can_create_organisation(actor):
        raise PermissionDenied(_("Sign in to create an organisation."))
    with transaction.atomic():
        org = Organisation(
            name=(name or "").strip(),
            kind=kind,
            description=(description or "").strip(),
            website=(website or "").strip(),
            created_by=actor,
        )
        org.slug = _unique_slug(org.name) if org.name.strip() else ""
        org.full_clean()
        org.save()
        org.sectors.set(list(sectors))
        org.cities.set(list(cities))
        Membership.objects.create(
            user=actor, organisation=org, role=MembershipRole.OWNER
        )
        audit_record(actor=actor, action="organisation.created", target=org)
    perms.forget_cached_powers(actor)
    coordinators = coordinators_of(list(org.cities.values_list("pk", flat=True)))
    notify_on_commit(
        recipient_ids=coordinators,
        kind=NotificationKind.VERIFICATION,
        event_key=f"org-pending:{org.pk}",
        message=gettext_noop("%(org)s asks to be verified."),
        params={"org": org.name},
        url=reverse("verification-queue"),
        actor=actor,
    )
    return org


def organisation_update(
    *, actor: User, organisation: Organisation, **fields: Any
) -> Organisation:
    if not perms.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's admins can edit it."))
    allowed = {"name", "kind", "description", "website"}
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        for key in allowed & fields.keys():
            value = fields[key]
            setattr(org, key, value.strip() if isinstance(value, str) else value)
        # created_by is empty for organisations made in the admin or whose creator
        # row is gone; that is no reason to refuse an edit.
        org.full_clean(exclude=["created_by"])
        org.save()
        if "sectors" in fields:
            org.sectors.set(list(fields["sectors"]))
        if "cities" in fields:
            org.cities.set(list(fields["cities"]))
    return org


def organisation_verify(
    *, actor: User, organisation: Organisation, decision: str, reason: str = ""
) -> Organisation:
    """A coordinator of a city the organisation works in (or staff) verifies or
    rejects it; the decision is audited and the organisation's admins notified."""
    if decision not in (VerificationState.VERIFIED, VerificationState.REJECTED):
        raise ValidationError({"decision": _("Choose “verified” or “rejected”.")})
    if not perms.can_verify_organisation(actor, organisation):
        raise PermissionDenied(
            _("Only a coordinator of a city this organisation works in can verify it.")
        )
    if decision == VerificationState.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the organisation is rejected.")})
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        org.verification_state = decision
        org.verified_by = actor
        org.verified_at = timezone.now()
        org.verification_reason = reason.strip()
        org.save(
            update_fields=[
                "verification_state",
                "verified_by",
                "verified_at",
                "verification_reason",
            ]
        )
        city_ids = set(org.cities.values_list("pk", flat=True)) & (
            perms.coordinated_city_ids(actor)
            or set(org.cities.values_list("pk", flat=True))
        )
        audit_record(
            actor=actor,
            action=f"organisation.{decision}",
            target=org,
            city=min(city_ids) if city_ids else None,
            reason=reason,
        )
        admins = org.memberships.filter(role__in=ADMIN_ROLES).values_list(
            "user_id", flat=True
        )
        notify_on_commit(
            recipient_ids=admins,
            kind=NotificationKind.VERIFICATION,
            event_key=f"org-verify:{org.pk}:{org.verified_at.timestamp()}",
            message=gettext_noop("%(org)s was verified.")
            if decision == VerificationState.VERIFIED
            else gettext_noop("%(org)s was not verified: %(reason)s"),
            params={"org": org.name, "reason": reason.strip()},
            url=org.get_absolute_url(),
            actor=actor,
        )
    return org


# --- Members and invitations ---------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(
        {"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT
    )


def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str = MembershipRole.MEMBER,
) -> Invitation:
    if not perms.can_manage_members(actor, organisation):
        raise PermissionDenied(_("Only the organisation's admins can invite people."))
    email = (email or "").strip().lower()
    if role not in (MembershipRole.ADMIN, MembershipRole.MEMBER):
        raise ValidationError({"role": _("Invite as “admin” or “member”.")})
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=timezone.now(),
        ).update(revoked_at=timezone.now())
        if Invitation.objects.filter(
            organisation=organisation,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).exists():
            raise ValidationError(
                {
                    "email": _(
                        "An invitation to this address is already waiting for an answer."
                    )
                }
            )
        invitation = Invitation(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        invitation.full_clean()
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "email": _(
                        "An invitation to this address is already waiting for an answer."
                    )
                }
            ) from exc
        audit_record(
            actor=actor,
            action="invitation.created",
            target=organisation,
            data={"role": role},
        )
        from .tasks import send_invitation_email

        transaction.on_commit(
            lambda: _enqueue(send_invitation_email, {"invitation_id": invitation.pk})
        )
        existing = User.objects.filter(email__iexact=email, is_active=True).first()
        if existing:
            notify_on_commit(
                recipient_ids=[existing.pk],
                kind=NotificationKind.INVITATION,
                event_key=f"invitation:{invitation.pk}",
                message=gettext_noop("You are invited to join %(org)s."),
                params={"org": organisation.name},
                url=reverse(
                    "invitation-accept", kwargs={"token": invitation_token(invitation)}
                ),
                actor=actor,
            )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token names, or a ValidationError saying what is wrong."""
    try:
        payload = signing.loads(
            token, salt=INVITATION_SALT, max_age=INVITATION_LIFETIME.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This invitation has expired: ask for a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=payload.get("i"), nonce=payload.get("n"))
        .first()
    )
    if invitation is None or invitation.revoked_at:
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired: ask for a new one."))
    return invitation


def invitation_accept(*, user: User, token: str) -> Membership:
    invitation = invitation_from_token(token)
    if not perms.is_signed_in(user):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Sign in with "
                "the account of that address to accept it."
            )
        )
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if inv.accepted_at:
            raise ValidationError(_("This invitation has already been used."))
        if Membership.objects.filter(
            user=user, organisation_id=inv.organisation_id
        ).exists():
            raise ValidationError(_("You are already a member of this organisation."))
        membership = Membership.objects.create(
            user=user, organisation_id=inv.organisation_id, role=inv.role
        )
        inv.accepted_at = timezone.now()
        inv.accepted_by = user
        inv.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(actor=user, action="invitation.accepted", target=inv.organisation)
        admins = inv.organisation.memberships.filter(role__in=ADMIN_ROLES).values_list(
            "user_id", flat=True
        )
        notify_on_commit(
            recipient_ids=admins,
            kind=NotificationKind.MEMBERSHIP,
            event_key=f"invitation-accepted:{inv.pk}",
            message=gettext_noop("%(name)s joined %(org)s."),
            params={"name": user.public_name, "org": inv.organisation.name},
            url=reverse("organisation-members", kwargs={"slug": inv.organisation.slug}),
            actor=user,
        )
    perms.forget_cached_powers(user)
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if not perms.can_manage_members(actor, invitation.organisation):
        raise PermissionDenied(
            _("Only the organisation's admins can revoke invitations.")
        )
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _owner_count(organisation: Organisation) -> int:
    return organisation.memberships.filter(role=MembershipRole.OWNER).count()


def membership_change_role(
    *, actor: User, membership: Membership, role: str
) -> Membership:
    org = membership.organisation
    if not perms.can_manage_members(actor, org):
        raise PermissionDenied(_("Only the organisation's admins can change roles."))
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose owner, admin or member.")})
    if (
        role == MembershipRole.OWNER or membership.role == MembershipRole.OWNER
    ) and not (perms.is_org_owner(actor, org) or perms.staff_power(actor)):
        raise PermissionDenied(_("Only an owner can make or unmake owners."))
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=org.pk)
        if (
            membership.role == MembershipRole.OWNER
            and role != MembershipRole.OWNER
            and _owner_count(org) <= 1
        ):
            raise ValidationError(
                _(
                    "An organisation needs at least one owner: make someone else owner first."
                )
            )
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="membership.role_changed",
            target=org,
            data={"user": membership.user_id, "from": old, "to": role},
        )
    perms.forget_cached_powers(membership.user)
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    org = membership.organisation
    leaving = actor.pk == membership.user_id
    if not leaving and not perms.can_manage_members(actor, org):
        raise PermissionDenied(_("Only the organisation's admins can remove members."))
    if (
        not leaving
        and membership.role == MembershipRole.OWNER
        and not (perms.is_org_owner(actor, org) or perms.staff_power(actor))
    ):
        raise PermissionDenied(_("Only an owner can remove another owner."))
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=org.pk)
        if membership.role == MembershipRole.OWNER and _owner_count(org) <= 1:
            raise ValidationError(
                _(
                    "This is the organisation's last owner: make someone else owner "
                    "before removing them."
                )
            )
        membership.delete()
        audit_record(
            actor=actor,
            action="membership.left" if leaving else "membership.removed",
            target=org,
            data={"user": membership.user_id},
        )
    perms.forget_cached_powers(membership.user)


def join_request_create(
    *, user: User, organisation: Organisation, message: str = ""
) -> JoinRequest:
    if not perms.is_signed_in(user):
        raise PermissionDenied(_("Sign in to ask to join."))
    if perms.is_member(user, organisation):
        raise ValidationError(_("You are already a member of this organisation."))
    with transaction.atomic():
        if JoinRequest.objects.filter(
            user=user, organisation=organisation, decided_at__isnull=True
        ).exists():
            raise ValidationError(_("Your request is already waiting for an answer."))
        jr = JoinRequest(
            user=user, organisation=organisation, message=(message or "").strip()
        )
        # ``accepted`` stays NULL until an admin answers (the field is not blank=True).
        jr.full_clean(exclude=["accepted"])
        jr.save()
        admins = organisation.memberships.filter(role__in=ADMIN_ROLES).values_list(
            "user_id", flat=True
        )
        notify_on_commit(
            recipient_ids=admins,
            kind=NotificationKind.JOIN_REQUEST,
            event_key=f"join-request:{jr.pk}",
            message=gettext_noop("%(name)s asks to join %(org)s."),
            params={"name": user.public_name, "org": organisation.name},
            url=reverse("organisation-members", kwargs={"slug": organisation.slug}),
            actor=user,
        )
    return jr


def join_request_decide(
    *, actor: User, join_request: JoinRequest, accept: bool
) -> JoinRequest:
    org = join_request.organisation
    if not perms.can_manage_members(actor, org):
        raise PermissionDenied(
            _("Only the organisation's admins can answer join requests.")
        )
    with transaction.atomic():
        jr = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if jr.decided_at:
            raise ValidationError(_("This request was already answered."))
        jr.decided_at = timezone.now()
        jr.decided_by = actor
        jr.accepted = accept
        jr.save(update_fields=["decided_at", "decided_by", "accepted"])
        if accept:
            Membership.objects.get_or_create(
                user_id=jr.user_id,
                organisation=org,
                defaults={"role": MembershipRole.MEMBER},
            )
        audit_record(
            actor=actor,
            action="join_request.accepted" if accept else "join_request.declined",
            target=org,
            data={"user": jr.user_id},
        )
        notify_on_commit(
            recipient_ids=[jr.user_id],
            kind=NotificationKind.MEMBERSHIP,
            event_key=f"join-request-decided:{jr.pk}",
            message=gettext_noop("You are now a member of %(org)s.")
            if accept
            else gettext_noop("%(org)s declined your request to join."),
            params={"org": org.name},
            url=org.get_absolute_url(),
            actor=actor,
        )
    return jr


# --- City roles -------------------------------------------------------------------------------


def coordinators_of(city_ids: Sequence[int]) -> list[int]:
    """Users ids of the verified coordinators of these cities."""
    if not city_ids:
        return []
    return list(
        CityRole.objects.filter(
            city_id__in=city_ids,
            role=CityRoleKind.COORDINATOR,
            state=VerificationState.VERIFIED,
        ).values_list("user_id", flat=True)
    )


def city_role_request(
    *, user: User, city: City, role: str, position: str = ""
) -> CityRole:
    """Ask for a city power; it counts only once a coordinator (or staff) verifies it."""
    if role not in CityRoleKind.values:
        raise ValidationError({"role": _("Unknown role.")})
    with transaction.atomic():
        existing = CityRole.objects.filter(user=user, city=city, role=role).first()
        if existing and existing.state != VerificationState.REJECTED:
            raise ValidationError(
                _("You have already asked for this role in this city.")
            )
        city_role = existing or CityRole(user=user, city=city, role=role)
        city_role.state = VerificationState.PENDING
        city_role.position = (position or "").strip()
        city_role.full_clean()
        city_role.save()
        audit_record(
            actor=user, action="city_role.requested", target=city_role, city=city
        )
    notify_on_commit(
        recipient_ids=coordinators_of([city.pk]),
        kind=NotificationKind.VERIFICATION,
        event_key=f"role-pending:{city_role.pk}:{city_role.created_at.timestamp()}",
        message=gettext_noop("%(name)s asks to be verified as %(role)s in %(city)s."),
        params={"name": user.public_name, "role": role, "city": city.name},
        url=reverse("verification-queue"),
        actor=user,
    )
    return city_role


def city_role_grant(
    *, actor: User | None, user: User, city: City, role: str
) -> CityRole:
    """Give a verified role directly (staff, the admin and ``seed_demo``)."""
    if actor is not None and not perms.staff_power(actor):
        raise PermissionDenied(_("Only staff can grant city roles directly."))
    with transaction.atomic():
        city_role, _created = CityRole.objects.update_or_create(
            user=user,
            city=city,
            role=role,
            defaults={
                "state": VerificationState.VERIFIED,
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor, action="city_role.granted", target=city_role, city=city
        )
    perms.forget_cached_powers(user)
    return city_role


def city_role_decide(
    *, actor: User, city_role: CityRole, decision: str, reason: str = ""
) -> CityRole:
    if decision not in (VerificationState.VERIFIED, VerificationState.REJECTED):
        raise ValidationError({"decision": _("Choose “verified” or “rejected”.")})
    if not perms.can_decide_city_role(actor, city_role):
        raise PermissionDenied(
            _("Only a coordinator of this city can verify its officials.")
        )
    if decision == VerificationState.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    with transaction.atomic():
        role = (
            CityRole.objects.select_for_update()
            .select_related("city", "user")
            .get(pk=city_role.pk)
        )
        role.state = decision
        role.decided_by = actor
        role.decided_at = timezone.now()
        role.reason = reason.strip()
        role.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit_record(
            actor=actor,
            action=f"city_role.{decision}",
            target=role,
            city=role.city,
            reason=reason,
        )
        notify_on_commit(
            recipient_ids=[role.user_id],
            kind=NotificationKind.VERIFICATION,
            event_key=f"role-decided:{role.pk}:{role.decided_at.timestamp()}",
            message=gettext_noop("You are now verified as %(role)s in %(city)s.")
            if decision == VerificationState.VERIFIED
            else gettext_noop(
                "Your request to act as %(role)s in %(city)s was declined: %(reason)s"
            ),
            params={"role": role.role, "city": role.city.name, "reason": role.reason},
            url=reverse("profile"),
            actor=actor,
        )
    perms.forget_cached_powers(role.user)
    return role
