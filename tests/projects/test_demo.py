"""The demo proposals: at least 40, spread over statuses, delivery models and
districts, played through the services; seeding twice converges on the same set."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from projects.demo_data import PROPOSALS
from projects.models import (
    IMPACT_UNITS,
    SECTOR_SLUGS,
    DeliveryModel,
    ExpectedImpact,
    PartnerRole,
    Proposal,
    ProposalEvent,
    ProposalPartner,
    ProposalRevision,
    ProposalStatus,
)


def _counts() -> dict[str, int]:
    return {
        "proposals": Proposal.objects.count(),
        "partners": ProposalPartner.objects.count(),
        "events": ProposalEvent.objects.count(),
        "revisions": ProposalRevision.objects.count(),
        "impacts": ExpectedImpact.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_varied_set(settings) -> None:  # type: ignore[no-untyped-def]
    # The demo accounts' passwords are hashed on every run; a strong hash costs a
    # second each, which this test does not need to measure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()

    assert first["proposals"] >= 40
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == set(ProposalStatus.values)
    per_status = dict(
        Proposal.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    assert per_status[ProposalStatus.ACCEPTED] == 2
    assert per_status[ProposalStatus.REJECTED] == 2
    assert per_status[ProposalStatus.WITHDRAWN] == 1
    assert per_status[ProposalStatus.SUBMITTED] >= 10
    sectors = Proposal.objects.annotate(n=Count("sectors")).values_list("n", flat=True)
    assert min(sectors) >= 2
    assert not Proposal.objects.filter(sector_count__lt=2).exists()
    assert set(Proposal.objects.values_list("delivery_model", flat=True)) == set(
        DeliveryModel.values
    )
    assert Proposal.objects.values("district").distinct().count() == 6
    assert not Proposal.objects.filter(district__isnull=True).exists()
    assert Proposal.objects.filter(latitude__isnull=False).count() >= 10
    assert set(Proposal.objects.values_list("currency", flat=True)) == {"CAD"}
    # Derived fields come from the services, not from raw inserts.
    assert not Proposal.objects.filter(body_html="").exists()
    assert Proposal.objects.filter(partner_count__gt=0).count() >= 40
    assert Proposal.objects.filter(revision_count__gt=1).count() >= 5
    assert (
        ProposalPartner.objects.filter(state="invited").exists()
        and ProposalPartner.objects.filter(state="accepted").count() > 80
    )
    # Decisions carry a public answer; the history lies in the past.
    decided = Proposal.objects.filter(
        status__in=[ProposalStatus.ACCEPTED, ProposalStatus.REJECTED]
    )
    assert all(p.public_answer and p.decided_at for p in decided)
    now = timezone.now()
    oldest = Proposal.objects.order_by("created_at").first()
    assert oldest is not None
    assert oldest.created_at < now - timedelta(days=180)
    assert not Proposal.objects.filter(created_at__gt=now).exists()
    assert not ProposalEvent.objects.filter(created_at__gt=now).exists()
    assert not Proposal.objects.filter(
        status=ProposalStatus.DRAFT, submitted_at__isnull=False
    ).exists()

    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert "0 created" in out.getvalue()


def test_demo_data_is_well_formed() -> None:
    titles = [spec["title"] for spec in PROPOSALS]
    assert len(titles) == len(set(titles)) >= 40
    roles = set(PartnerRole.values)
    for spec in PROPOSALS:
        title = spec["title"]
        assert len(title) <= 140, title
        assert len(spec["summary"]) <= 500, title
        words = len(re.findall(r"\w+", spec["body"]))
        assert 200 <= words <= 600, (title, words)
        assert "\n- " in spec["body"] or "\n1. " in spec["body"] or "|" in spec["body"]
        assert 2 <= len(spec["sectors"]) <= 4, title
        assert set(spec["sectors"]) <= set(SECTOR_SLUGS), title
        assert spec["delivery"] in DeliveryModel.values, title
        assert 0 <= spec["ask"] <= spec["capital"] + spec["operating"], title
        impacts = spec["impacts"] + spec.get("edit", {}).get("impacts_before", [])
        assert 1 <= len(spec["impacts"]) <= 3, title
        for indicator, amount, unit, year in impacts:
            assert unit in IMPACT_UNITS[indicator], (title, indicator, unit)
            assert amount > 0 and 2025 <= year <= 2035
        for _org, role, contribution, answer in spec.get("partners", []):
            assert role in roles and contribution
            assert answer in {"accepted", "invited", "declined"}
