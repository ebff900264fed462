"""Factories and a small world for the review (curation) tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory

from projects.models import (
    InternalNote,
    PartnerState,
    Proposal,
    Recommendation,
    ReviewAssignment,
)
from stakeholders.models import (
    City,
    CityRoleKind,
    Membership,
    MembershipRole,
    Organisation,
    User,
    UserKind,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    OrganisationFactory,
    UserFactory,
    role_users,
)
from tests.projects.factories import PartnerFactory, ProposalFactory


def make_official(city: City, **user: Any) -> User:
    """A verified official of ``city`` (no two-factor authentication needed)."""
    person = UserFactory(kind=UserKind.CITY_OFFICIAL, **user)
    CityRoleFactory(user=person, city=city, role=CityRoleKind.OFFICIAL)
    return person


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAssignment

    proposal = factory.SubFactory(ProposalFactory)
    reviewer = factory.SubFactory(UserFactory, kind=UserKind.CITY_OFFICIAL)
    recommendation = Recommendation.NONE


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalNote

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "SECRET-NOTE: the utility's grid study is missing."


SECRET = "SECRET-NOTE"
SECRET_REASON = "SECRET-REASON: budget looks inflated"


@dataclass
class ReviewWorld:
    city: City
    proposal: Proposal
    lead: Organisation
    partner_org: Organisation
    users: dict[str, User | None]
    reviewer: User
    assignment: ReviewAssignment
    note: InternalNote


def review_world(*, other_city_slug: str = "elsewhere") -> ReviewWorld:
    """A submitted proposal of ``riverbend`` led by an organisation (whose member
    and admin are its authors) with an accepted partner; the ten roles of the
    permission tables around it, plus ``reviewer``: an official of the city
    assigned to the proposal with a recommendation, and one internal note."""
    city = CityFactory(slug="riverbend", name="Riverbend")
    author = UserFactory()
    lead = OrganisationFactory(owner=author, name="Solar Commons")
    proposal = ProposalFactory(
        city=city, author=author, lead_organisation=lead, sectors=["energy", "housing"]
    )
    partner_org = OrganisationFactory(name="Riverbend Energy & Water")
    PartnerFactory(
        proposal=proposal, organisation=partner_org, state=PartnerState.ACCEPTED
    )
    users = role_users(city, lead, other_city_slug=other_city_slug)
    users["author"] = author
    reviewer = make_official(city, display_name="Rita Reviewer")
    assignment = AssignmentFactory(
        proposal=proposal,
        reviewer=reviewer,
        recommendation=Recommendation.SHORTLIST,
        recommendation_reason=SECRET_REASON,
    )
    note = NoteFactory(proposal=proposal, author=reviewer)
    users["reviewer"] = reviewer
    return ReviewWorld(
        city=city,
        proposal=proposal,
        lead=lead,
        partner_org=partner_org,
        users=users,
        reviewer=reviewer,
        assignment=assignment,
        note=note,
    )


def join(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.create(
        user=user, organisation=organisation, role=MembershipRole.MEMBER
    )
