"""Services of the matching feature: priorities, scoring, reviews, re-score jobs,
sweep and complements. Tasks run in-process (eager), as without a broker."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import matching_adapter as adapter
from projects.models import (
    JobState,
    Match,
    MatchReview,
    Priority,
    Proposal,
    ProposalStatus,
    RematchJob,
)
from projects.services import matching as services
from projects.tasks import rematch_city_batch, score_proposal, sweep_unscored
from stakeholders.models import AuditEvent, Notification, NotificationKind
from tests.factories import CityFactory, UserFactory, make_coordinator, sector
from tests.projects.factories import ImpactFactory, PartnerFactory, ProposalFactory
from tests.projects.matching_factories import (
    PriorityFactory,
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engines() -> Any:
    adapter.clear_engine_cache()
    yield
    adapter.clear_engine_cache()


def _rows() -> list[tuple[Any, ...]]:
    return sorted(
        Match.objects.values_list(
            "proposal_id", "priority_id", "score", "reasons", "review"
        )
    )


# --- priorities -------------------------------------------------------------------------


def test_coordinator_creates_priority_and_city_is_rescored(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city = CityFactory()
    coordinator = make_coordinator(city)
    proposal = energy_proposal(city)
    with django_capture_on_commit_callbacks(execute=True):
        priority = services.priority_create(
            actor=coordinator,
            city=city,
            title="  Cut   emissions ",
            description="Heat pumps and retrofit of social housing.",
            keywords="heat pump, retrofit, , Heat pump",
            sectors=[sector("energy")],
            weight=5,
            target_indicators=["−30 % CO2 by 2030"],
        )
    assert priority.title == "Cut emissions"
    assert priority.keywords == ["heat pump", "retrofit"]
    job = RematchJob.objects.get(city=city)
    assert job.state == JobState.DONE and job.done == job.total == 1
    assert Match.objects.filter(proposal=proposal, priority=priority).exists()
    assert AuditEvent.objects.filter(action="priority.create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"weight": 0}, "weight"),
        ({"weight": 99}, "weight"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"keywords": ["x" * 61]}, "keywords"),
        ({"keywords": [f"k{i}" for i in range(21)]}, "keywords"),
        ({"keywords": [3]}, "keywords"),
        (
            {"active_from": date(2030, 1, 1), "active_until": date(2029, 1, 1)},
            "active_until",
        ),
    ],
)
def test_bad_priority_is_refused_with_a_field_error(
    changes: dict[str, Any], field: str
) -> None:
    city = CityFactory()
    coordinator = make_coordinator(city)
    kwargs: dict[str, Any] = {"title": "Cut emissions", **changes}
    with pytest.raises(ValidationError) as exc:
        services.priority_create(actor=coordinator, city=city, **kwargs)
    assert field in exc.value.message_dict
    assert not Priority.objects.exists()


def test_resident_and_other_city_coordinator_cannot_manage_priorities() -> None:
    city = CityFactory()
    priority = PriorityFactory(city=city)
    elsewhere = make_coordinator(CityFactory())
    for actor in (UserFactory(), elsewhere, make_coordinator(city, two_factor=False)):
        with pytest.raises(PermissionDenied):
            services.priority_create(actor=actor, city=city, title="Create jobs")
        with pytest.raises(PermissionDenied):
            services.priority_update(actor=actor, priority=priority, weight=5)
        with pytest.raises(PermissionDenied):
            services.priority_delete(actor=actor, priority=priority)
    assert Priority.objects.get().weight == 3


def test_reweighting_starts_one_rescore_and_unchanged_save_starts_none(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city, energy, _mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.priority_update(actor=coordinator, priority=energy, weight=3)
    assert not RematchJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.priority_update(actor=coordinator, priority=energy, weight=5)
    job = RematchJob.objects.get()
    assert job.reason.endswith("reweighted") and job.state == JobState.DONE


# --- scoring --------------------------------------------------------------------------


def test_scoring_twice_writes_the_same_rows() -> None:
    city, energy, mobility = city_with_priorities()
    proposal = energy_proposal(city)
    mobility_proposal(city)
    score_proposal(proposal.pk)
    first = _rows()
    score_proposal(proposal.pk)
    assert _rows() == first
    assert Match.objects.filter(proposal=proposal).count() == 2
    best = Match.objects.filter(proposal=proposal).order_by("-score").first()
    assert best is not None and best.priority_id == energy.pk
    assert any("heat pump" in r for r in best.reasons)
    assert set(best.components) == {"sectors", "impacts"}
    assert Proposal.objects.get(pk=proposal.pk).scored_at is not None


def test_rescoring_keeps_the_coordinators_review() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    coordinator = make_coordinator(city)
    score_proposal(proposal.pk)
    match = Match.objects.get(proposal=proposal, priority=energy)
    services.match_review(actor=coordinator, match=match, decision="confirmed")
    score_proposal(proposal.pk)
    match.refresh_from_db()
    assert match.review == MatchReview.CONFIRMED
    assert match.reviewed_by == coordinator
    assert match.score >= 0.9  # an explicit confirmation is honoured


def test_strong_match_notifies_the_coordinators_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city, energy, _mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    other_city_coordinator = make_coordinator(CityFactory())
    proposal = energy_proposal(city)
    for n in range(4):
        mobility_proposal(city, n)
    ImpactFactory(proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.proposal_score(proposal_id=proposal.pk)
        services.proposal_score(proposal_id=proposal.pk)
    strong = [r for r in rows if r.score >= services.strong_score()]
    assert strong and len(strong) < len(rows)
    notes = Notification.objects.filter(kind=NotificationKind.MATCH)
    assert notes.count() == len(strong)
    assert set(notes.values_list("recipient_id", flat=True)) == {coordinator.pk}
    assert not notes.filter(recipient=other_city_coordinator).exists()
    assert notes.first().event_key == f"match-strong:{proposal.pk}:{energy.pk}"


def test_feedback_moves_scores_of_look_alikes() -> None:
    city, energy, mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    odd = [
        ProposalFactory(
            city=city,
            title=f"Repair cafe and textile recycling at the market {n}",
            summary="A repair cafe and textile sorting next to the food market.",
            body="Volunteers repair clothes and bikes; compost from the market.",
            sectors=["waste", "food"],
        )
        for n in range(3)
    ]
    for n in range(3):
        energy_proposal(city, n)
        mobility_proposal(city, n)
    for proposal in odd:
        score_proposal(proposal.pk)
    before = Match.objects.get(proposal=odd[2], priority=energy).score
    for proposal in odd[:2]:
        match, _created = Match.objects.get_or_create(
            proposal=proposal,
            priority=energy,
            defaults={"score": 0.1, "engine_version": "test"},
        )
        services.match_review(actor=coordinator, match=match, decision="confirmed")
    score_proposal(odd[2].pk)
    after = Match.objects.get(proposal=odd[2], priority=energy).score
    assert after > before


def test_title_only_and_french_proposals_get_sensible_scores() -> None:
    city, energy, mobility = city_with_priorities()
    bare = ProposalFactory(city=city, title="Vélos", summary=".", body="")
    french = ProposalFactory(
        city=city,
        title="Pompes à chaleur et rénovation des logements sociaux",
        summary="Isoler les immeubles et remplacer les chaudières à gaz.",
        body="Des panneaux solaires sur les toits revendent l'électricité au réseau.",
        sectors=["energy", "housing"],
    )
    for proposal in (bare, french):
        rows = services.proposal_score(proposal_id=proposal.pk)
        assert rows and all(0.0 <= r.score <= 1.0 for r in rows)
        assert all(r.reasons for r in rows)


def test_draft_and_withdrawn_proposals_are_not_scored() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    score_proposal(proposal.pk)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)
    assert score_proposal(proposal.pk) == 0
    assert not Match.objects.filter(proposal=proposal).exists()


def test_partner_sectors_and_impacts_reach_the_engine() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = mobility_proposal(city)
    PartnerFactory(
        proposal=proposal,
        state="accepted",
        organisation__sectors=["energy"],
    )
    ImpactFactory(proposal=proposal)
    (item,) = adapter.proposal_inputs([proposal.pk])
    assert item.partner_sectors == ("energy",)
    assert item.impacts[0].indicator == "co2_avoided"
    assert item.sectors == ("health", "mobility")


# --- reviews -----------------------------------------------------------------------------


def test_review_by_non_coordinator_is_refused_and_nothing_changes() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    score_proposal(proposal.pk)
    match = Match.objects.get(proposal=proposal, priority=energy)
    for actor in (UserFactory(), proposal.author, make_coordinator(CityFactory())):
        with pytest.raises(PermissionDenied):
            services.match_review(actor=actor, match=match, decision="confirmed")
    with pytest.raises(ValidationError):
        services.match_review(
            actor=make_coordinator(city), match=match, decision="maybe"
        )
    match.refresh_from_db()
    assert (
        match.review == ""
        and not AuditEvent.objects.filter(action__startswith="match.").exists()
    )


# --- city re-score ------------------------------------------------------------------


def test_rematch_while_one_is_open_joins_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city, _energy, _mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    first = services.city_rematch_start(actor=coordinator, city=city, reason="a")
    second = services.city_rematch_start(actor=coordinator, city=city, reason="b")
    assert first.created and not second.created
    assert second.job.pk == first.job.pk
    assert RematchJob.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.city_rematch_start(actor=UserFactory(), city=city)


def test_abandoned_job_is_closed_and_a_new_one_starts() -> None:
    city, _energy, _mobility = city_with_priorities()
    stale = RematchJob.objects.create(
        city=city,
        state=JobState.RUNNING,
        started_at=timezone.now() - timedelta(hours=3),
    )
    started = services.city_rematch_start(actor=None, city=city)
    assert started.created
    stale.refresh_from_db()
    assert stale.state == JobState.FAILED


def test_city_rematch_in_batches_is_idempotent(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MATCHING_BATCH_SIZE = 3
    city, energy, mobility = city_with_priorities()
    proposals = [energy_proposal(city, n) for n in range(4)] + [
        mobility_proposal(city, n) for n in range(4)
    ]
    ProposalFactory(city=city, status=ProposalStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.city_rematch_start(actor=None, city=city)
    job = RematchJob.objects.get(pk=started.job.pk)
    assert (job.state, job.done, job.total) == (JobState.DONE, 8, 8)
    rows = _rows()
    assert {r[0] for r in rows} == {p.pk for p in proposals}
    assert len(rows) == len({(r[0], r[1]) for r in rows})
    # A redelivered batch changes nothing and never pushes the bar past 100 %.
    RematchJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    rematch_city_batch(job.pk, [p.pk for p in proposals[:3]])
    assert [r[:2] for r in _rows()] == [r[:2] for r in rows]
    job.refresh_from_db()
    assert job.done == job.total == 8


def test_rematch_finish_announces_once_and_follows_up_on_changes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city, energy, _mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    energy_proposal(city)
    job = services.city_rematch_start(actor=None, city=city, enqueue=False).job
    services.rematch_plan(job_id=job.pk)
    # The priority was edited after the job had started (it joined this job).
    RematchJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.rematch_finish(job_id=job.pk)
        services.rematch_finish(job_id=job.pk)
    assert (
        Notification.objects.filter(
            recipient=coordinator, event_key=f"rematch-done:{job.pk}"
        ).count()
        == 1
    )
    follow_up = RematchJob.objects.exclude(pk=job.pk).get()
    assert "changed" in follow_up.reason


# --- sweep -------------------------------------------------------------------------------


def test_sweep_scores_what_was_never_scored_or_edited_since() -> None:
    city, _energy, _mobility = city_with_priorities()
    never = energy_proposal(city, 1)
    fresh = energy_proposal(city, 2)
    edited = mobility_proposal(city, 3)
    draft = ProposalFactory(city=city, status=ProposalStatus.DRAFT)
    score_proposal(fresh.pk)
    score_proposal(edited.pk)
    Proposal.objects.filter(pk=edited.pk).update(
        scored_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.sweep_unscored() == [never.pk, edited.pk]
    assert sweep_unscored() == 2
    assert Match.objects.filter(proposal=never).exists()
    assert not Match.objects.filter(proposal=draft).exists()
    assert services.sweep_unscored() == []


# --- complements -------------------------------------------------------------------------


def test_complements_for_authors_and_coordinators_only() -> None:
    city, energy, mobility = city_with_priorities()
    proposal = energy_proposal(city)
    neighbour = mobility_proposal(city, district=proposal.district)
    from stakeholders.models import VerificationState
    from tests.factories import OrganisationFactory

    bank = OrganisationFactory(
        kind="investor",
        verification_state=VerificationState.VERIFIED,
        cities=[city],
        sectors=["finance"],
    )
    for p in (proposal, neighbour):
        score_proposal(p.pk)
    found = services.proposal_complements(user=proposal.author, proposal=proposal)
    assert bank in [c.target for c in found.organisations]
    assert all(c.reason for c in found.organisations)
    services.proposal_complements(user=make_coordinator(city), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_complements(user=UserFactory(), proposal=proposal)
