from __future__ import annotations

import secrets
import zoneinfo
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .validators import validate_no_html, validate_not_blank


class UserKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    STARTUP = "startup", _("Startup")
    UTILITY = "utility", _("Utility")
    REAL_ESTATE = "real_estate", _("Real-estate firm")
    INVESTOR = "investor", _("Investor")
    CONSTRUCTION = "construction", _("Construction firm")
    ENGINEERING = "engineering", _("Engineering firm")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    CITY_OFFICIAL = "city_official", _("City official")


class OrganisationKind(models.TextChoices):
    STARTUP = "startup", _("Startup")
    UTILITY = "utility", _("Utility")
    REAL_ESTATE = "real_estate", _("Real-estate firm")
    INVESTOR = "investor", _("Investor")
    CONSTRUCTION = "construction", _("Construction firm")
    ENGINEERING = "engineering", _("Engineering firm")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")


ORGANISATION_USER_KINDS = {k.value for k in OrganisationKind}


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (e.g. Europe/Paris)."),
            params={"value": value},
        )


def validate_languages(value: Any) -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("List at least one language."))
    unknown = [v for v in value if v not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s."),
            params={"codes": ", ".join(map(str, unknown))},
        )


class City(models.Model):
    name = models.CharField(_("name"), max_length=120, validators=[validate_not_blank])
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter ISO code, e.g. FR.")
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_timezone],
    )
    languages = models.JSONField(
        _("languages"), default=list, validators=[validate_languages]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("name"), max_length=80, validators=[validate_not_blank])
    slug = models.SlugField(_("slug"), max_length=80)

    class Meta:
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "slug"], name="district_unique_slug"
            )
        ]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address, which is never shown publicly."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, validators=[validate_no_html]
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=UserKind.choices, default=UserKind.RESIDENT
    )
    home_city = models.ForeignKey(
        City,
        verbose_name=_("home city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return str(self.public_name)

    @property
    def public_name(self) -> str:
        if self.deleted_at:
            return str(_("Deleted account"))
        return self.display_name or str(_("Member #%(id)s") % {"id": self.pk})

    def get_short_name(self) -> str:
        return self.public_name

    def get_full_name(self) -> str:
        return self.public_name

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if (
            self.district_id
            and self.home_city_id
            and self.district.city_id != self.home_city_id
        ):
            raise ValidationError(
                {"district": _("This district is not in your home city.")}
            )


class VerificationState(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def verified(self) -> OrganisationQuerySet:
        return self.filter(verification_state=VerificationState.VERIFIED)

    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Everyone sees verified and pending organisations; rejected ones only
        their members and staff see."""
        if getattr(user, "is_staff", False):
            return self
        visible = ~Q(verification_state=VerificationState.REJECTED)
        if getattr(user, "is_authenticated", False):
            visible |= Q(memberships__user=user)
        return self.filter(visible).distinct()


class Organisation(models.Model):
    name = models.CharField(
        _("name"),
        max_length=120,
        validators=[validate_not_blank, validate_no_html, MinLengthValidator(2)],
    )
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    sectors = models.ManyToManyField(
        "projects.Sector",
        verbose_name=_("sectors"),
        related_name="organisations",
        blank=True,
    )
    description = models.TextField(
        _("description"), max_length=4000, blank=True, validators=[validate_no_html]
    )
    website = models.URLField(_("website"), blank=True, max_length=300)
    cities = models.ManyToManyField(
        City,
        verbose_name=_("cities active in"),
        related_name="organisations",
        blank=True,
    )
    verification_state = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationState.choices,
        default=VerificationState.PENDING,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    verified_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    verification_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "verification_state"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verification_state == VerificationState.VERIFIED


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


ADMIN_ROLES = (MembershipRole.OWNER, MembershipRole.ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


def _invitation_nonce() -> str:
    return secrets.token_urlsafe(16)


INVITATION_LIFETIME = timedelta(days=7)


class Invitation(models.Model):
    """An e-mail invitation to join an organisation.

    The link carries a token signed with the site's secret (django.core.signing) over
    the invitation id and a random nonce; it is single use (``accepted_at``) and
    expires after seven days.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=[
            (MembershipRole.ADMIN, _("Admin")),
            (MembershipRole.MEMBER, _("Member")),
        ],
        default=MembershipRole.MEMBER,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=40, default=_invitation_nonce, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class JoinRequest(models.Model):
    """A person asking an organisation's admins to let them in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted = models.BooleanField(null=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(decided_at__isnull=True),
                name="joinrequest_one_open",
            )
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class CityRoleKind(models.TextChoices):
    OFFICIAL = "official", _("City official")
    COORDINATOR = "coordinator", _("Coordinator")
    MODERATOR = "moderator", _("Moderator")


class CityRole(models.Model):
    """A power in one city. It counts only once verified."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_roles"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=CityRoleKind.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=VerificationState.choices,
        default=VerificationState.PENDING,
        db_index=True,
    )
    position = models.CharField(
        _("position"),
        max_length=120,
        blank=True,
        help_text=_("Job title or department."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "city", "role"], name="cityrole_unique_user_city_role"
            )
        ]
        indexes = [models.Index(fields=["city", "role", "state"])]
        verbose_name = _("city role")
        verbose_name_plural = _("city roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.city}"


class AuditEvent(models.Model):
    """Who did what to which object, when and why. Written, never edited."""

    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["city", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class NotificationKind(models.TextChoices):
    VERIFICATION = "verification", _("Verification result")
    INVITATION = "invitation", _("Invitation to an organisation")
    MEMBERSHIP = "membership", _("Membership change")
    JOIN_REQUEST = "join_request", _("Request to join my organisation")
    COMMENT = "comment", _("New comment on my proposal")
    REPLY = "reply", _("Reply to my comment")
    OFFICIAL_ANSWER = "official_answer", _("Official answer")
    STATUS = "status", _("Status change of something I follow")
    PARTNER = "partner", _("Partner invitation and answer")
    HIDDEN = "hidden", _("My content hidden")
    MATCH = "match", _("Strong new match")
    PROJECT = "project", _("Project news")
    SIGNAL = "signal", _("Demand signal")


# Words for the codes notification messages carry, lower case: they sit mid-sentence.
NOTIFICATION_WORDS = {
    "comment": pgettext_lazy("in a notification", "comment"),
    "proposal": pgettext_lazy("in a notification", "proposal"),
    "official": pgettext_lazy("in a notification", "city official"),
    "coordinator": pgettext_lazy("in a notification", "coordinator"),
    "moderator": pgettext_lazy("in a notification", "moderator"),
    "partner": pgettext_lazy("in a notification", "partner"),
    "financer": pgettext_lazy("in a notification", "financer"),
    "operator": pgettext_lazy("in a notification", "operator"),
    "research": pgettext_lazy("in a notification", "research partner"),
    "submitted": pgettext_lazy("in a notification", "submitted"),
    "under_review": pgettext_lazy("in a notification", "under review"),
    "shortlisted": pgettext_lazy("in a notification", "shortlisted"),
    "accepted": pgettext_lazy("in a notification", "accepted"),
    "rejected": pgettext_lazy("in a notification", "rejected"),
    "withdrawn": pgettext_lazy("in a notification", "withdrawn"),
}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One row per recipient and event. ``event_key`` makes fan-out idempotent: a
    redelivered task inserts nothing new."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=120)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The message is an untranslated msgid (marked with gettext_noop where it is
    # written) with %(name)s placeholders, rendered in the reader's language.
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from django.utils.translation import gettext

        # Codes stored in the parameters (a status, a role, the kind of content)
        # are shown as words of the reader's language.
        params = {
            key: str(NOTIFICATION_WORDS.get(value, value))
            if isinstance(value, str)
            else value
            for key, value in (self.params or {}).items()
        }
        try:
            return gettext(self.message) % params
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


class NotificationSetting(models.Model):
    """How a person wants e-mail for one kind of notification. No row means the
    default of that kind (see the notification services)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    email = models.CharField(max_length=10, choices=EmailFrequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_setting_once"
            )
        ]
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"
