"""A small world for the API fuzzer: one city with a coordinator, a resident who
owns an organisation and leads a proposal, and one row of every resource the API
addresses by id, so generated requests reach real objects as well as missing ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from projects.models import Match, RematchJob
from stakeholders.models import (
    CityRoleKind,
    Invitation,
    Membership,
    MembershipRole,
    Notification,
    NotificationKind,
    UserKind,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    DistrictFactory,
    InvitationFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.conversation_factories import CommentFactory
from tests.projects.factories import DraftFactory, PartnerFactory, ProposalFactory
from tests.projects.matching_factories import PriorityFactory


@dataclass
class World:
    """Tokens per role, and the ids that stand for each resource in a path or body."""

    tokens: dict[str, str | None]
    # Path segment before a parameter -> a real value for that parameter.
    path_ids: dict[str, Any]
    # Body or query field name -> a real value for that field.
    field_ids: dict[str, Any] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens[role]
        return {"Authorization": f"Token {token}"} if token else {}


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Django's WSGI handler closes "old" database connections around each request;
    inside a test's transaction that would drop the transaction itself. Django's own
    test client disconnects the same signal for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(db: None, same_connection: None) -> World:  # noqa: ARG001
    from rest_framework.authtoken.models import Token

    city = CityFactory(slug="riverbend", name="Riverbend")
    district = DistrictFactory(city=city, slug="old-port")
    resident = UserFactory(kind=UserKind.RESIDENT, home_city=city)
    coordinator = make_coordinator(city)

    lead = OrganisationFactory(
        owner=resident,
        cities=[city],
        sectors=["energy", "housing"],
        verification_state=VerificationState.VERIFIED,
    )
    colleague = UserFactory()
    membership = Membership.objects.create(
        user=colleague, organisation=lead, role=MembershipRole.MEMBER
    )
    invitation = InvitationFactory(organisation=lead)
    proposal = ProposalFactory(
        city=city, district=district, author=resident, lead_organisation=lead
    )
    DraftFactory(city=city, author=resident, lead_organisation=lead)
    partner = PartnerFactory(proposal=proposal)
    comment = CommentFactory(proposal=proposal, author=resident)
    CommentFactory(proposal=proposal, author=colleague, parent=comment)
    priority = PriorityFactory(city=city)
    match = Match.objects.create(
        proposal=proposal,
        priority=priority,
        score=0.6,
        components={"text": 0.5, "sectors": 1.0},
        reasons=["Shares the sectors energy and housing."],
        engine_version="fuzz",
    )
    job = RematchJob.objects.create(
        city=city, state="done", total=1, done=1, finished_at=timezone.now()
    )
    pending_role = CityRoleFactory(
        user=UserFactory(kind=UserKind.CITY_OFFICIAL),
        city=city,
        role=CityRoleKind.OFFICIAL,
        state=VerificationState.PENDING,
        decided_at=None,
    )
    Notification.objects.create(
        recipient=resident,
        kind=NotificationKind.COMMENT,
        event_key="fuzz-1",
        message="%(name)s commented on your proposal.",
        params={"name": colleague.display_name},
        url=f"/proposals/{proposal.pk}/",
    )

    def token(user: Any) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    return World(
        tokens={
            "anonymous": None,
            "resident": token(resident),
            "coordinator": token(coordinator),
        },
        path_ids={
            "cities": city.slug,
            "organisations": lead.pk,
            "members": membership.pk,
            "invitations": Invitation.objects.get(pk=invitation.pk).pk,
            "proposals": proposal.pk,
            "partners": partner.pk,
            "comments": comment.pk,
            "priorities": priority.pk,
            "matches": match.pk,
            "jobs": job.pk,
            "city-roles": pending_role.pk,
        },
        field_ids={
            "city": city.slug,
            "home_city": city.slug,
            "district": district.pk,
            "lead_organisation": lead.pk,
            "organisation": lead.pk,
            "proposal": proposal.pk,
            "comment": comment.pk,
            "priority": priority.pk,
        },
    )
