"""Matching API: permission matrix, priorities CRUD, ranked matches with filters,
reviews, complements, re-score jobs, bad input and fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import matching_adapter as adapter
from projects.models import JobState, Match, Priority, RematchJob
from projects.tasks import score_proposal
from stakeholders.models import (
    CityRoleKind,
    Membership,
    MembershipRole,
    User,
    UserKind,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    UserFactory,
    give_totp,
    make_coordinator,
    make_staff,
)
from tests.projects.factories import api_client
from tests.projects.matching_factories import (
    PriorityFactory,
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "org_member",
    "org_admin",
    "unverified_official",
    "coordinator",
    "coordinator_no_2fa",
    "coordinator_elsewhere",
    "moderator",
    "staff",
]
# Expected status per action, in the order of ROLES.
#                 anon res  mem  adm  uoff coord c2fa celse mod  staff
MATRIX: dict[str, list[int]] = {
    "list": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "create": [401, 403, 403, 403, 403, 201, 403, 403, 403, 201],
    "update": [401, 403, 403, 403, 403, 200, 403, 403, 403, 200],
    "delete": [401, 403, 403, 403, 403, 204, 403, 403, 403, 204],
    "matches": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "proposal_matches": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "review": [401, 403, 403, 403, 403, 200, 403, 403, 403, 200],
    "complements": [401, 403, 200, 200, 403, 200, 403, 403, 403, 200],
    "rematch": [401, 403, 403, 403, 403, 202, 403, 403, 403, 202],
    "job": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
}


@pytest.fixture(autouse=True)
def _fresh_engines() -> Any:
    adapter.clear_engine_cache()
    yield
    adapter.clear_engine_cache()


def _users(city: Any, proposal: Any) -> dict[str, User | None]:
    def member(role: str) -> User:
        user = UserFactory()
        Membership.objects.create(
            user=user, organisation=proposal.lead_organisation, role=role
        )
        return user

    def city_role(role: str, state: str = VerificationState.VERIFIED) -> User:
        user = UserFactory(kind=UserKind.CITY_OFFICIAL)
        CityRoleFactory(user=user, city=city, role=role, state=state)
        give_totp(user)
        return user

    return {
        "anonymous": None,
        "resident": UserFactory(),
        "org_member": member(MembershipRole.MEMBER),
        "org_admin": member(MembershipRole.ADMIN),
        "unverified_official": city_role(
            CityRoleKind.OFFICIAL, VerificationState.PENDING
        ),
        "coordinator": make_coordinator(city),
        "coordinator_no_2fa": make_coordinator(city, two_factor=False),
        "coordinator_elsewhere": make_coordinator(CityFactory()),
        "moderator": city_role(CityRoleKind.MODERATOR),
        "staff": make_staff(),
    }


def _call(action: str, client: Any, world: dict[str, Any]) -> Any:
    city, priority, proposal, match, job = (
        world["city"],
        world["priority"],
        world["proposal"],
        world["match"],
        world["job"],
    )
    if action == "list":
        return client.get(f"/api/v1/priorities/?city={city.slug}")
    if action == "retrieve":
        return client.get(f"/api/v1/priorities/{priority.pk}/")
    if action == "create":
        return client.post(
            "/api/v1/priorities/",
            {"city": city.slug, "title": "Create jobs", "weight": 4},
            format="json",
        )
    if action == "update":
        return client.patch(
            f"/api/v1/priorities/{priority.pk}/", {"weight": 5}, format="json"
        )
    if action == "delete":
        return client.delete(f"/api/v1/priorities/{priority.pk}/")
    if action == "matches":
        return client.get(f"/api/v1/priorities/{priority.pk}/matches/")
    if action == "proposal_matches":
        return client.get(f"/api/v1/proposals/{proposal.pk}/matches/")
    if action == "review":
        return client.post(
            f"/api/v1/matches/{match.pk}/review/",
            {"decision": "confirmed"},
            format="json",
        )
    if action == "complements":
        return client.get(f"/api/v1/proposals/{proposal.pk}/complements/")
    if action == "rematch":
        return client.post(f"/api/v1/cities/{city.slug}/rematch/", {}, format="json")
    if action == "job":
        return client.get(f"/api/v1/jobs/{job.pk}/")
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action: str) -> None:
    city, priority, _mobility = city_with_priorities(slug="riverbend")
    proposal = energy_proposal(city)
    score_proposal(proposal.pk)
    match = Match.objects.get(proposal=proposal, priority=priority)
    job = RematchJob.objects.create(city=CityFactory(), state=JobState.DONE)
    world = {
        "city": city,
        "priority": priority,
        "proposal": proposal,
        "match": match,
        "job": job,
    }
    users = _users(city, proposal)
    got = {}
    for role in ROLES:
        response = _call(action, api_client(users[role]), world)
        got[role] = response.status_code
        if response.status_code in (201, 204):
            # Undo, so the next role acts on the same world.
            Priority.objects.exclude(pk__in=[priority.pk, _mobility.pk]).delete()
            if action == "delete":
                priority = PriorityFactory(city=city)
                world["priority"] = priority
        RematchJob.objects.filter(city=city).delete()
    assert got == dict(zip(ROLES, MATRIX[action], strict=True))


def test_create_priority_and_read_it_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    energy_proposal(city)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(coordinator).post(
            "/api/v1/priorities/",
            {
                "city": "riverbend",
                "title": "Cut emissions",
                "description": "Heat pumps and retrofit.",
                "keywords": ["heat pump", "retrofit"],
                "sectors": ["energy", "housing"],
                "weight": 5,
                "target_indicators": ["−30 % CO2 by 2030"],
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["weight"] == 5 and body["city"]["slug"] == "riverbend"
    assert [s["slug"] for s in body["sectors"]] == ["energy", "housing"]
    matches = api_client().get(f"/api/v1/priorities/{body['id']}/matches/").json()
    assert matches["count"] == 1
    assert RematchJob.objects.get(city=city).state == JobState.DONE


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Jobs", "weight": 0}, "weight"),
        ({"title": "Jobs", "weight": 99}, "weight"),
        ({"title": "Jobs", "weight": "heavy"}, "weight"),
        ({"title": "Jobs", "sectors": ["spaceflight"]}, "sectors"),
        ({"title": "Jobs", "keywords": "not a list"}, "keywords"),
        ({"title": "Jobs", "status": "x"}, "status"),
        ({"title": "Jobs", "city": "nowhere"}, "city"),
        ({"title": "<b>Jobs</b>"}, "title"),
    ],
)
def test_bad_priority_input_is_a_400_and_nothing_is_saved(
    payload: dict[str, Any], field: str
) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    body = {"city": "riverbend", **payload}
    response = api_client(coordinator).post("/api/v1/priorities/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Priority.objects.exists()


def test_coordinator_cannot_create_a_priority_for_another_city() -> None:
    mine = CityFactory(slug="riverbend")
    CityFactory(slug="elsewhere")
    coordinator = make_coordinator(mine)
    response = api_client(coordinator).post(
        "/api/v1/priorities/", {"city": "elsewhere", "title": "Jobs"}, format="json"
    )
    assert response.status_code == 403
    assert not Priority.objects.exists()


def test_matches_are_ranked_and_filtered() -> None:
    city, energy, mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    for n in range(3):
        score_proposal(energy_proposal(city, n).pk)
        score_proposal(mobility_proposal(city, n).pk)
    client = api_client()
    rows = client.get(f"/api/v1/priorities/{energy.pk}/matches/").json()["results"]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert "heat" in rows[0]["proposal"]["title"].lower()
    assert rows[0]["reasons"] and "sectors" in rows[0]["components"]
    strong = client.get(
        f"/api/v1/priorities/{energy.pk}/matches/?min_score=0.5"
    ).json()["results"]
    assert strong and all(r["score"] >= 0.5 for r in strong)
    match_id = rows[0]["id"]
    reviewed = api_client(coordinator).post(
        f"/api/v1/matches/{match_id}/review/", {"decision": "rejected"}, format="json"
    )
    assert reviewed.status_code == 200 and reviewed.json()["review"] == "rejected"
    only = client.get(f"/api/v1/priorities/{energy.pk}/matches/?review=rejected")
    assert [r["id"] for r in only.json()["results"]] == [match_id]
    bad = client.get(f"/api/v1/priorities/{energy.pk}/matches/?min_score=2")
    assert bad.status_code == 400 and "min_score" in bad.json()
    bad = client.get(f"/api/v1/priorities/{energy.pk}/matches/?review=maybe")
    assert bad.status_code == 400


def test_review_with_a_bad_decision_is_a_400() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    score_proposal(proposal.pk)
    match = Match.objects.get(proposal=proposal, priority=energy)
    response = api_client(make_coordinator(city)).post(
        f"/api/v1/matches/{match.pk}/review/", {"decision": "maybe"}, format="json"
    )
    assert response.status_code == 400 and "decision" in response.json()
    assert Match.objects.get(pk=match.pk).review == ""


def test_rematch_while_running_is_joined_not_doubled() -> None:
    city, _energy, _mobility = city_with_priorities(slug="riverbend")
    coordinator = make_coordinator(city)
    open_job = RematchJob.objects.create(city=city, state=JobState.RUNNING, total=10)
    from django.utils import timezone

    RematchJob.objects.filter(pk=open_job.pk).update(started_at=timezone.now())
    response = api_client(coordinator).post(
        "/api/v1/cities/riverbend/rematch/", {}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["id"] == open_job.pk and response.json()["joined"] is True
    assert RematchJob.objects.count() == 1
    progress = api_client().get(f"/api/v1/jobs/{open_job.pk}/").json()
    assert progress["state"] == "running" and progress["percent"] == 0


def test_unknown_ids_are_404() -> None:
    client = api_client(make_staff())
    assert client.get("/api/v1/priorities/999/").status_code == 404
    assert client.get("/api/v1/priorities/999/matches/").status_code == 404
    assert client.get("/api/v1/proposals/999/matches/").status_code == 404
    assert client.get("/api/v1/jobs/999/").status_code == 404
    assert client.post("/api/v1/cities/nowhere/rematch/", {}).status_code == 404
    assert (
        client.post(
            "/api/v1/matches/999/review/", {"decision": "confirmed"}
        ).status_code
        == 404
    )


def _count(url: str) -> int:
    client = api_client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_priority_matches_cost_the_same_for_2_and_20_proposals() -> None:
    city, energy, _mobility = city_with_priorities()
    small, _ = PriorityFactory(city=city, title="Small"), None
    big = PriorityFactory(city=city, title="Big")
    for n in range(20):
        proposal = energy_proposal(city, n)
        for priority, limit in ((small, 2), (big, 20)):
            if n < limit:
                Match.objects.create(
                    proposal=proposal,
                    priority=priority,
                    score=0.5 + n / 100,
                    engine_version="test",
                )
    two = _count(f"/api/v1/priorities/{small.pk}/matches/")
    twenty = _count(f"/api/v1/priorities/{big.pk}/matches/")
    assert two == twenty
    assert twenty <= 12
