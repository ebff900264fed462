"""REST API of notifications (``/api/v1/notifications/``) and of each person's
e-mail choices (``/api/v1/me/notification-settings/``).

The serializers live here rather than in ``serializers.py`` because nothing else
uses them. Writes go through ``stakeholders.services`` and
``stakeholders.notifications``, as the pages do.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors, services
from .api import MAX_ID, ApiDefaults, StandardPagination, _errors, _user
from .api_permissions import IsSignedIn
from .models import EmailFrequency, Notification, NotificationKind
from .notifications import notification_settings_update, preferences_for

# --- Serializers --------------------------------------------------------------------------


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    text = serializers.CharField(help_text=gettext_lazy("In the reader's language."))
    url = serializers.CharField(help_text=gettext_lazy("A path on this site."))
    actor = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_actor(self, n: Notification) -> str | None:
        return n.actor.public_name if n.actor_id and n.actor else None

    def get_read(self, n: Notification) -> bool:
        return n.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=500,
        help_text=gettext_lazy("The notifications to mark as read."),
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("Mark every one read.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("all") and not attrs.get("ids"):
            raise serializers.ValidationError(
                _("Give the ids to mark as read, or all: true.")
            )
        return attrs


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class NotificationSettingsSerializer(serializers.Serializer):
    """One field per kind of notification: e-mail at once, in the daily digest, or
    never. Unknown kinds are refused."""

    # The OpenAPI document says so: additionalProperties false (api_schema).
    refuses_unknown_fields = True

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = OrderedDict()
        for kind, label in NotificationKind.choices:
            fields[kind] = serializers.ChoiceField(
                choices=EmailFrequency.choices, label=label, required=True
            )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(NotificationKind.values))
        if unknown:
            raise serializers.ValidationError(
                {k: [_("Unknown kind of notification.")] for k in unknown}
            )
        return attrs


class NotificationPagination(StandardPagination):
    """A page of notifications with the reader's unread count."""

    unread = 0

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["unread"] = self.unread
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["unread"] = {"type": "integer", "example": 3}
        out["required"] = [*out.get("required", []), "unread"]
        return out


# --- Views -------------------------------------------------------------------------------


def _flag(request: Request, name: str) -> bool:
    """A true/false query parameter (absent: false); anything else is a 400."""
    value = request.query_params.get(name)
    if value is None:
        return False
    try:
        return bool(serializers.BooleanField().to_internal_value(value))
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc


class NotificationListView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    queryset = Notification.objects.none()

    @extend_schema(
        summary="My notifications",
        description=(
            "Newest first, with `unread`: how many are not read yet (for a bell). "
            "`unread=true` lists only those."
        ),
        parameters=[
            OpenApiParameter(
                "unread", bool, description="Only unread notifications.", required=False
            )
        ],
        responses={200: NotificationSerializer(many=True), **_errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        items = selectors.user_notifications(user=user)
        if _flag(request, "unread"):
            items = items.filter(read_at__isnull=True)
        paginator: NotificationPagination = self.paginator  # type: ignore[assignment]
        paginator.unread = selectors.unread_notification_count(user=user)
        page = self.paginate_queryset(items)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = MarkReadSerializer

    @extend_schema(
        summary="Mark notifications as read",
        description="Only your own; ids of someone else's are ignored.",
        request=MarkReadSerializer,
        responses={200: MarkReadResultSerializer, **_errors(400, 401)},
        examples=[
            OpenApiExample("Some", value={"ids": [31, 32]}, request_only=True),
            OpenApiExample("All", value={"all": True}, request_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        incoming = MarkReadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = _user(request)
        marked = services.notification_mark_read(
            user=user, notification_ids=None if data.get("all") else data["ids"]
        )
        return Response(
            {
                "marked": marked,
                "unread": selectors.unread_notification_count(user=user),
            }
        )


class NotificationSettingsView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = NotificationSettingsSerializer

    @extend_schema(
        summary="My e-mail choices per kind of notification",
        description=(
            "For each kind: `immediate` (an e-mail at once), `daily` (in the daily "
            "digest, sent at a set hour in your city's time zone) or `never`. "
            "Notifications always appear on the site."
        ),
        responses={200: NotificationSettingsSerializer, **_errors(401)},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        return Response(preferences_for([user.pk])[user.pk])

    def _save(self, request: Request, *, partial: bool) -> Response:
        incoming = NotificationSettingsSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        choices = notification_settings_update(
            user=_user(request), choices=dict(incoming.validated_data)
        )
        return Response(choices)

    @extend_schema(
        summary="Set every e-mail choice",
        request=NotificationSettingsSerializer,
        responses={200: NotificationSettingsSerializer, **_errors(400, 401)},
    )
    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    @extend_schema(
        summary="Change some e-mail choices",
        request=NotificationSettingsSerializer,
        responses={200: NotificationSettingsSerializer, **_errors(400, 401)},
        examples=[
            OpenApiExample(
                "Replies at once, no status news",
                value={"reply": "immediate", "status": "never"},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)


urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path(
        "notifications/read/",
        NotificationReadView.as_view(),
        name="api-notifications-read",
    ),
    path(
        "me/notification-settings/",
        NotificationSettingsView.as_view(),
        name="api-notification-settings",
    ),
]
