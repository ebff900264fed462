"""Factories of the projects app, built on ``tests.factories``.

``ProposalFactory`` writes the row directly (fast) and keeps the stored values the
services would compute: ``sectors=[...]`` (Sector rows or slugs, energy + housing by
default) sets ``sector_count``; the body's HTML is rendered by the real sanitiser.
The author is made an owner of the lead organisation, as after ``proposal_create``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from projects.markdown import render_markdown
from projects.models import (
    DeliveryModel,
    ExpectedImpact,
    ImpactIndicator,
    ImpactUnit,
    PartnerRole,
    PartnerState,
    Proposal,
    ProposalPartner,
    ProposalStatus,
    Sector,
)
from stakeholders.models import Membership, MembershipRole
from tests.factories import CityFactory, OrganisationFactory, UserFactory, sector


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    author = factory.SubFactory(UserFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Rooftop solar and housing retrofit {n}")
    summary = "Solar panels on social housing roofs, with power sold to the grid."
    body = "## Plan\n\nInsulate, then put **solar** on the roofs."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    delivery_model = DeliveryModel.PPP
    capital_cost = Decimal("1200000.00")
    operating_cost = Decimal("45000.00")
    currency = "EUR"
    city_contribution = Decimal("300000.00")
    status = ProposalStatus.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == ProposalStatus.DRAFT else timezone.now()
    )

    @factory.post_generation
    def sectors(
        obj: Proposal,  # noqa: N805
        create: bool,
        extracted: list[Sector | str] | None,
        **kwargs: Any,
    ) -> None:
        if not create:
            return
        chosen = extracted if extracted is not None else ["energy", "housing"]
        rows = [sector(s) if isinstance(s, str) else s for s in chosen]
        obj.sectors.set(rows)
        obj.sector_count = len(rows)
        Proposal.objects.filter(pk=obj.pk).update(sector_count=len(rows))

    @factory.post_generation
    def author_membership(
        obj: Proposal,  # noqa: N805
        create: bool,
        extracted: bool | None,
        **kwargs: Any,
    ) -> None:
        if create and obj.author_id and extracted is not False:
            Membership.objects.get_or_create(
                user_id=obj.author_id,
                organisation_id=obj.lead_organisation_id,
                defaults={"role": MembershipRole.OWNER},
            )

    @factory.post_generation
    def search_index(
        obj: Proposal,  # noqa: N805
        create: bool,
        extracted: Any,
        **kwargs: Any,
    ) -> None:
        # Rows written directly still need the full-text vector the services keep,
        # or searches on PostgreSQL would never find them.
        if create:
            from projects.services.proposals import proposal_search_index_update

            proposal_search_index_update(proposal_ids=[obj.pk])


class DraftFactory(ProposalFactory):
    status = ProposalStatus.DRAFT


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner, invited by default; ``state=PartnerState.ACCEPTED`` also bumps the
    proposal's stored ``partner_count``."""

    class Meta:
        model = ProposalPartner
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnerRole.PARTNER
    contribution = "Operates the network."
    state = PartnerState.INVITED
    answered_at = factory.LazyAttribute(
        lambda o: None if o.state == PartnerState.INVITED else timezone.now()
    )

    @factory.post_generation
    def count(
        obj: ProposalPartner,  # noqa: N805
        create: bool,
        extracted: Any,
        **kwargs: Any,
    ) -> None:
        if create and obj.state == PartnerState.ACCEPTED:
            accepted = ProposalPartner.objects.filter(
                proposal_id=obj.proposal_id, state=PartnerState.ACCEPTED
            ).count()
            Proposal.objects.filter(pk=obj.proposal_id).update(partner_count=accepted)


class ImpactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpectedImpact

    proposal = factory.SubFactory(ProposalFactory)
    indicator = ImpactIndicator.CO2
    amount = Decimal("120.00")
    unit = ImpactUnit.T_CO2_YEAR
    year = 2030


# --- Helpers for API and service tests ------------------------------------------------


def api_client(user: Any | None = None) -> Any:
    """A DRF test client, signed in as ``user`` (token authentication) if given."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def proposal_payload(
    city: Any, organisation: Any, /, **overrides: Any
) -> dict[str, Any]:
    """A valid body for ``POST /api/v1/proposals/``."""
    payload: dict[str, Any] = {
        "city": city.slug,
        "lead_organisation": organisation.pk,
        "title": "Rooftop solar on social housing",
        "summary": "Solar panels on twelve social housing roofs, power sold back.",
        "body": "## Plan\n\nInsulate, then install **1.4 MWp** of panels.",
        "sectors": ["energy", "housing"],
        "delivery_model": "ppp",
        "capital_cost": "2400000.00",
        "operating_cost": "60000.00",
        "currency": "EUR",
        "city_contribution": "400000.00",
        "impacts": [
            {
                "indicator": "co2_avoided",
                "amount": "310.5",
                "unit": "t_co2_per_year",
                "year": 2028,
            }
        ],
    }
    payload.update(overrides)
    return payload


def row_counts() -> dict[str, int]:
    """Rows of every table a proposal action may write, to assert that a refusal
    left the database unchanged."""
    from projects.models import Attachment, ProposalEvent, ProposalRevision
    from stakeholders.models import AuditEvent, Notification

    return {
        model.__name__: model.objects.count()
        for model in (
            Proposal,
            ProposalPartner,
            ExpectedImpact,
            Attachment,
            ProposalEvent,
            ProposalRevision,
            Notification,
            AuditEvent,
        )
    } | {"proposal_sectors": Proposal.sectors.through.objects.count()}


def proposal_state(proposal: Proposal) -> dict[str, Any]:
    """Every stored field of one proposal, to assert that it did not change."""
    from django.forms.models import model_to_dict

    fresh = Proposal.objects.get(pk=proposal.pk)
    data = model_to_dict(fresh, exclude=["sectors"])
    data["updated_at"] = fresh.updated_at
    data["sectors"] = sorted(fresh.sectors.values_list("slug", flat=True))
    data["impacts"] = list(fresh.impacts.values_list("indicator", "amount", "unit"))
    return data


# --- File bytes for upload tests -------------------------------------------------------


def pdf_bytes(size: int = 2048) -> bytes:
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"%%EOF\n"


def png_bytes(width: int = 640, height: int = 480) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + crc + b"\0" * 64


def jpeg_bytes(width: int = 640, height: int = 480) -> bytes:
    import struct

    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\0" * 9
    return b"\xff\xd8" + app0 + sof + b"\0" * 64 + b"\xff\xd9"


def exe_bytes() -> bytes:
    """A Windows executable's start (MZ header, PE stub)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200


def zip_bytes() -> bytes:
    """A real zip archive of highly compressible data (a small zip bomb)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.bin", b"\0" * 5_000_000)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
