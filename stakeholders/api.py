"""REST API of the stakeholders app (``/api/v1/``).

Views parse and shape data; every write is a call to ``stakeholders.services`` and
every "may they?" a predicate of ``stakeholders.permissions`` (through the classes of
``api_permissions``). ``exception_handler`` turns the services' Django exceptions into
DRF answers: ``ValidationError`` → 400 with field errors, ``PermissionDenied`` → 403
with the service's own message, a missing row → 404.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import permissions as perms
from . import selectors, services
from .api_permissions import (
    CanDecideCityRole,
    CanEditOrganisation,
    CanManageMembers,
    CanSeeVerificationQueue,
    CanVerifyOrganisation,
    IsSignedIn,
    ReadOrSignedIn,
)
from .filters import OrganisationFilter
from .models import City, CityRole, Invitation, Membership, Organisation, User
from .serializers import (
    CityRoleSerializer,
    CitySerializer,
    ErrorDetailSerializer,
    ExportSerializer,
    FieldErrorsSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    MembershipCreatedSerializer,
    MeSerializer,
    MeUpdateSerializer,
    OrganisationSerializer,
    OrganisationWriteSerializer,
    TokenObtainSerializer,
    TokenSerializer,
    VerifyDecisionSerializer,
)

# --- Errors ------------------------------------------------------------------------------


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ``ValidationError`` in DRF's shape: ``{field: [messages]}``, with
    errors not tied to a field under ``non_field_errors``."""
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {
            (non_field_key if field == NON_FIELD_ERRORS else field): [
                str(m) for m in messages
            ]
            for field, messages in exc.message_dict.items()
        }
    return {non_field_key: [str(m) for m in exc.messages]}


class RateLimited(drf_exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"


def _rate_limit(exc: DjangoValidationError) -> tuple[str, int] | None:
    """The message and wait of a ``stakeholders.ratelimit`` refusal, if it is one."""
    errors = exc.error_list if hasattr(exc, "error_list") else []
    for error in errors:
        if error.code == "rate_limited":
            params = error.params or {}
            message = error.message % params if params else error.message
            return str(message), int(params.get("retry_after", 60))
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: the services raise Django's
    exceptions; answer them as DRF would answer its own, keeping their messages.
    A service's rate-limit refusal becomes 429 with ``Retry-After``."""
    if isinstance(exc, DjangoValidationError):
        limited = _rate_limit(exc)
        if limited is not None:
            response = drf_exception_handler(RateLimited(detail=limited[0]), context)
            if response is not None:
                response["Retry-After"] = str(limited[1])
            return response
        exc = drf_exceptions.ValidationError(detail=validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args and exc.args[0] else None
        exc = drf_exceptions.PermissionDenied(detail=message)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = drf_exceptions.NotFound()
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an address under ``/api/`` that matches no operation (an id
    that is not a number, say) answers JSON like every API error; pages keep the
    site's HTML page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": str(drf_exceptions.NotFound.default_detail)},
            status=status.HTTP_404_NOT_FOUND,
        )
    return page_not_found(request, exception)


def _field_errors(
    exc: DjangoValidationError, field: str
) -> drf_exceptions.ValidationError:
    """Errors of a service that speaks about one input as a whole (a token, say)
    reported on that field."""
    detail = validation_detail(exc)
    messages = detail.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    if messages:
        detail.setdefault(field, []).extend(messages)
    return drf_exceptions.ValidationError(detail=detail)


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: OpenApiResponse(
            FieldErrorsSerializer,
            description=_(
                "Refused input: one key per field (non_field_errors for the request "
                "as a whole), each with a list of messages. Nothing was saved."
            ),
            examples=[
                OpenApiExample(
                    "Field errors",
                    value={"name": ["This cannot be only spaces."]},
                    response_only=True,
                )
            ],
        ),
        401: OpenApiResponse(
            ErrorDetailSerializer, description=_("Not signed in (no or bad token).")
        ),
        403: OpenApiResponse(
            ErrorDetailSerializer,
            description=_("Signed in, but not allowed; the message says why."),
        ),
        404: OpenApiResponse(
            ErrorDetailSerializer, description=_("No such object (or not visible).")
        ),
        409: OpenApiResponse(
            ErrorDetailSerializer, description=_("Refused; the message says why.")
        ),
        429: OpenApiResponse(
            ErrorDetailSerializer,
            description=_("Too many requests or failed sign-ins: wait, then retry."),
        ),
    }
    return {code: described[code] for code in codes}


# --- Shared view settings -----------------------------------------------------------------


# The largest id a row can have (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiDefaults:
    """Token first, so an anonymous call gets 401 with ``WWW-Authenticate: Token``
    (with session first DRF answers 403, as session auth has no challenge)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    pagination_class = StandardPagination

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # An id in the path beyond the database's 64-bit integers names no row;
        # left to the database, a lookup through a foreign key overflows (500).
        for value in kwargs.values():
            if str(value).isdigit() and int(value) > MAX_ID:
                raise drf_exceptions.NotFound()
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


# --- Me ---------------------------------------------------------------------------------------


class MeView(ApiDefaults, GenericAPIView):
    """The signed-in person's own profile."""

    serializer_class = MeSerializer
    permission_classes = [IsSignedIn]

    @extend_schema(
        summary="Read my profile", responses={200: MeSerializer, **_errors(401)}
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(_user(request)).data)

    @extend_schema(
        summary="Update my profile",
        request=MeUpdateSerializer,
        responses={200: MeSerializer, **_errors(400, 401)},
        examples=[
            OpenApiExample(
                "Move to a district",
                value={"home_city": "lyon", "district": 3},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        user = _user(request)
        incoming = MeUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        services.user_profile_update(
            actor=user,
            user=user,
            display_name=data.get("display_name"),
            kind=data.get("kind"),
            home_city=data.get("home_city"),
            district=data.get("district"),
            clear_district="district" in data and data["district"] is None,
        )
        return Response(MeSerializer(user).data)

    @extend_schema(
        summary="Delete my account",
        description=(
            "Erases personal data and closes the account; public contributions stay, "
            "shown as “Deleted account”. Organisations the person alone owns pass to "
            "their longest-serving admin; with no admin, the deletion is refused "
            "(409) with the reason."
        ),
        request=None,
        responses={204: None, **_errors(401, 409)},
    )
    def delete(self, request: Request) -> Response:
        try:
            services.user_delete(actor=_user(request), user=_user(request))
        except DjangoValidationError as exc:
            return Response(
                {"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportView(ApiDefaults, APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        summary="Download everything the site holds about me",
        responses={200: ExportSerializer, **_errors(401)},
    )
    def get(self, request: Request) -> Response:
        response = Response(services.user_export_data(user=_user(request)))
        response["Content-Disposition"] = (
            'attachment; filename="crosswalk-my-data.json"'
        )
        return response


# --- Cities -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List cities"),
    retrieve=extend_schema(
        summary="One city", responses={200: CitySerializer, **_errors(404)}
    ),
)
class CityViewSet(ApiDefaults, viewsets.ReadOnlyModelViewSet):
    serializer_class = CitySerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[City]:
        return selectors.cities_with_counts().prefetch_related("districts")


# --- Organisations ------------------------------------------------------------------------------


_ORG_EXAMPLE = {
    "name": "Solar Commons",
    "kind": "startup",
    "sectors": ["energy", "housing"],
    "description": "Rooftop solar on social housing, with power sold back to the grid.",
    "website": "https://solar-commons.example",
    "cities": ["lyon"],
}


@extend_schema_view(
    list=extend_schema(
        summary="Organisation directory",
        description=(
            "Verified and pending organisations (rejected ones only for their "
            "members). Several `sector` parameters: organisations in all of them."
        ),
        responses={200: OrganisationSerializer(many=True), **_errors(400)},
    ),
    retrieve=extend_schema(
        summary="One organisation",
        responses={200: OrganisationSerializer, **_errors(404)},
    ),
)
class OrganisationViewSet(
    ApiDefaults,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganisationSerializer
    permission_classes = [ReadOrSignedIn, CanEditOrganisation]
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_directory(user=self.request.user)

    def _read(self, organisation: Organisation) -> dict[str, Any]:
        fresh = selectors.organisation_directory(user=self.request.user).get(
            pk=organisation.pk
        )
        return OrganisationSerializer(fresh).data

    @extend_schema(
        summary="Create an organisation",
        description="The creator becomes its owner; it waits for verification.",
        request=OrganisationWriteSerializer,
        responses={201: OrganisationSerializer, **_errors(400, 401)},
        examples=[OpenApiExample("Startup", value=_ORG_EXAMPLE, request_only=True)],
    )
    def create(self, request: Request) -> Response:
        incoming = OrganisationWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        organisation = services.organisation_create(
            actor=_user(request),
            name=data["name"],
            kind=data["kind"],
            sectors=data.get("sectors", []),
            description=data.get("description", ""),
            website=data.get("website", ""),
            cities=data.get("cities", []),
        )
        return Response(self._read(organisation), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an organisation (its admins)",
        request=OrganisationWriteSerializer,
        responses={200: OrganisationSerializer, **_errors(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        incoming = OrganisationWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.organisation_update(
            actor=_user(request), organisation=organisation, **incoming.validated_data
        )
        return Response(self._read(organisation))

    @extend_schema(
        summary="Verify or reject an organisation",
        description=(
            "Coordinators of a city the organisation works in, or staff (both with "
            "two-factor authentication). Audited; its admins are notified."
        ),
        request=VerifyDecisionSerializer,
        responses={200: OrganisationSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Reject",
                value={"decision": "rejected", "reason": "No registered company."},
                request_only=True,
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsSignedIn, CanVerifyOrganisation],
    )
    def verify(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        incoming = VerifyDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.organisation_verify(
            actor=_user(request),
            organisation=organisation,
            decision=incoming.validated_data["decision"],
            reason=incoming.validated_data["reason"],
        )
        return Response(self._read(organisation))


class OrganisationScoped(ApiDefaults):
    """Views under ``organisations/{id}/``: the organisation must be visible to the
    reader, or the answer is 404."""

    kwargs: dict[str, Any]
    request: Request

    @cached_property
    def organisation(self) -> Organisation:
        return get_object_or_404(
            Organisation.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )


class MemberListView(OrganisationScoped, GenericAPIView):
    serializer_class = MemberSerializer
    queryset = Membership.objects.none()
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.organisation_members(organisation=self.organisation)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["show_emails"] = perms.can_see_member_emails(
            self.request.user, self.organisation
        )
        return context

    @extend_schema(
        summary="Members of an organisation",
        description="E-mail addresses only for the organisation's admins.",
        responses={200: MemberSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class MemberDetailView(OrganisationScoped, GenericAPIView):
    serializer_class = MemberSerializer
    permission_classes = [IsSignedIn]

    def _membership(self, member_id: int) -> Membership:
        membership = get_object_or_404(
            Membership.objects.select_related("user"),
            pk=member_id,
            organisation=self.organisation,
        )
        membership.organisation = self.organisation
        return membership

    @extend_schema(
        summary="Change a member's role (admins; owners for owners)",
        request=MemberRoleSerializer,
        responses={200: MemberSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int, member_id: int) -> Response:
        membership = self._membership(member_id)
        incoming = MemberRoleSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.membership_change_role(
            actor=_user(request),
            membership=membership,
            role=incoming.validated_data["role"],
        )
        show = perms.can_see_member_emails(request.user, self.organisation)
        return Response(
            MemberSerializer(membership, context={"show_emails": show}).data
        )

    @extend_schema(
        summary="Remove a member (admins), or leave (oneself)",
        request=None,
        responses={204: None, **_errors(400, 401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, member_id: int) -> Response:
        services.membership_remove(
            actor=_user(request), membership=self._membership(member_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(OrganisationScoped, GenericAPIView):
    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()
    permission_classes = [IsSignedIn, CanManageMembers]

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.organisation_open_invitations(organisation=self.organisation)

    @extend_schema(
        summary="Open invitations (admins)",
        responses={200: InvitationSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Invite someone by e-mail (admins)",
        description="Sends a single-use link that expires after seven days.",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Invite",
                value={"email": "ana@utility.example", "role": "member"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        incoming = InvitationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            actor=_user(request),
            organisation=self.organisation,
            email=incoming.validated_data["email"],
            role=incoming.validated_data["role"],
        )
        return Response(
            InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED
        )


class InvitationDetailView(OrganisationScoped, GenericAPIView):
    serializer_class = InvitationSerializer
    permission_classes = [IsSignedIn, CanManageMembers]

    @extend_schema(
        summary="Revoke an invitation (admins)",
        request=None,
        responses={204: None, **_errors(400, 401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, invitation_id: int) -> Response:
        invitation = get_object_or_404(
            Invitation, pk=invitation_id, organisation=self.organisation
        )
        invitation.organisation = self.organisation
        services.invitation_revoke(actor=_user(request), invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(ApiDefaults, GenericAPIView):
    serializer_class = InvitationAcceptSerializer
    permission_classes = [IsSignedIn]

    @extend_schema(
        summary="Accept an invitation",
        description="Needs the account of the e-mail address the invitation was "
        "sent to. Errors about the token are reported on `token`.",
        request=InvitationAcceptSerializer,
        responses={201: MembershipCreatedSerializer, **_errors(400, 401)},
    )
    def post(self, request: Request) -> Response:
        incoming = InvitationAcceptSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            membership = services.invitation_accept(
                user=_user(request), token=incoming.validated_data["token"]
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc, "token") from exc
        membership = Membership.objects.select_related("organisation").get(
            pk=membership.pk
        )
        return Response(
            MembershipCreatedSerializer(membership).data,
            status=status.HTTP_201_CREATED,
        )


# --- City roles (verification queue) ---------------------------------------------------------


class CityRoleQueueView(ApiDefaults, GenericAPIView):
    serializer_class = CityRoleSerializer
    permission_classes = [IsSignedIn, CanSeeVerificationQueue]

    def get_queryset(self) -> QuerySet[CityRole]:
        return selectors.verification_queue(user=self.request.user)["roles"]

    @extend_schema(
        summary="City roles waiting for verification",
        description="Pending roles of the cities the caller coordinates (all, for "
        "staff). Coordinators and staff need two-factor authentication.",
        responses={200: CityRoleSerializer(many=True), **_errors(401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CityRoleDecideView(ApiDefaults, GenericAPIView):
    serializer_class = CityRoleSerializer
    permission_classes = [IsSignedIn, CanDecideCityRole]

    @extend_schema(
        summary="Verify or reject a city role",
        description="Coordinators of the role's city decide officials and "
        "moderators; only staff decide coordinators. Audited; the person is "
        "notified.",
        request=VerifyDecisionSerializer,
        responses={200: CityRoleSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        city_role = get_object_or_404(
            CityRole.objects.select_related("city", "user"), pk=pk
        )
        self.check_object_permissions(request, city_role)
        incoming = VerifyDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        decided = services.city_role_decide(
            actor=_user(request),
            city_role=city_role,
            decision=incoming.validated_data["decision"],
            reason=incoming.validated_data["reason"],
        )
        return Response(CityRoleSerializer(decided).data)


# --- Tokens ---------------------------------------------------------------------------------


class AuthTokenView(GenericAPIView):
    """Exchange e-mail, password and (with 2FA) a TOTP code for an API token.

    Goes through ``django.contrib.auth.authenticate`` so django-axes counts failures
    and locks the account from this address, exactly as on the login page. Axes
    reads the username from the ``AXES_USERNAME_FORM_FIELD`` key of the
    credentials (``login``, the login form's field), so the e-mail is passed under
    that key too. A wrong TOTP code counts as a failed sign-in as well.
    """

    serializer_class = TokenObtainSerializer
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Get an API token",
        description=(
            'Returns `{"token": …}`, used as `Authorization: Token …`. Accounts '
            "with two-factor authentication add `otp`, the current six-digit code. "
            "After 5 failures the account is locked for 15 minutes from that "
            "address (429)."
        ),
        request=TokenObtainSerializer,
        responses={200: TokenSerializer, **_errors(400, 429)},
        examples=[
            OpenApiExample(
                "With two-factor authentication",
                value={
                    "email": "coordinator@example.org",
                    "password": "…",
                    "otp": "123456",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Token",
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP
        from rest_framework.authtoken.models import Token

        incoming = TokenObtainSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        email = incoming.validated_data["email"].strip().lower()
        password = incoming.validated_data["password"]
        otp = (incoming.validated_data.get("otp") or "").replace(" ", "")
        login_key = settings.AXES_USERNAME_FORM_FIELD

        user = authenticate(
            request=request, email=email, password=password, **{login_key: email}
        )
        if getattr(request, "axes_locked_out", False):
            return self._locked_out()
        if user is None:
            raise drf_exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("The e-mail address or the password is not correct.")
                    ]
                }
            )
        if not self._email_verified(user):
            raise drf_exceptions.ValidationError(
                {
                    "email": [
                        _("Confirm your e-mail address first: follow the link we sent.")
                    ]
                }
            )
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is not None:
            if not otp:
                raise drf_exceptions.ValidationError(
                    {
                        "otp": [
                            _(
                                "This account uses two-factor authentication: add the "
                                "current six-digit code of your authenticator app."
                            )
                        ]
                    }
                )
            if not TOTP(authenticator).validate_code(otp):
                user_login_failed.send(
                    sender=__name__, credentials={login_key: email}, request=request
                )
                if getattr(request, "axes_locked_out", False):
                    return self._locked_out()
                raise drf_exceptions.ValidationError(
                    {"otp": [_("This code is not valid (or was already used).")]}
                )
            authenticator.record_usage()
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @staticmethod
    def _email_verified(user: User) -> bool:
        from allauth.account import app_settings as account_settings
        from allauth.account.models import EmailAddress

        if (
            account_settings.EMAIL_VERIFICATION
            != account_settings.EmailVerificationMethod.MANDATORY
        ):
            return True
        return EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()

    @staticmethod
    def _locked_out() -> Response:
        cool_off = settings.AXES_COOLOFF_TIME
        minutes = int(cool_off.total_seconds() // 60)
        response = Response(
            {
                "detail": _(
                    "Too many failed sign-ins: this account is locked from your "
                    "address for %(minutes)s minutes. Try again later."
                )
                % {"minutes": minutes}
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(int(cool_off.total_seconds()))
        return response


@receiver([password_changed, password_set, password_reset])
def revoke_api_tokens(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """A new password ends every way in that the old one gave: the other browser
    sessions (Django's session hash) and, here, the API token. Connected when the
    URLconf loads this module, so before any request can change a password."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
