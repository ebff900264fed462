"""The permission table of docs/permissions.md, checked against the API.

One row per (role, action, expected answer). Coordinators, moderators and staff have
two-factor authentication set up; two extra roles without it show that their powers
need it. The last test reads docs/permissions.md and checks that the document says
the same thing as this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from stakeholders.models import (
    CityRole,
    CityRoleKind,
    Membership,
    MembershipRole,
    Organisation,
    User,
    VerificationState,
)
from stakeholders.services import invitation_token
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    give_totp,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "unverified_official",
    "official",
    "coordinator",
    "other_coordinator",
    "moderator",
    "staff",
    # Not columns of the document: its note on two-factor authentication.
    "coordinator_without_2fa",
    "staff_without_2fa",
]

A, U, F = 200, 401, 403  # allowed (GET/PATCH/POST), not signed in, forbidden
C, D, N = 201, 204, 404  # created, deleted, not found

# role order:               anon res mem adm uoff off coord ocoord mod staff c-2fa s-2fa
MATRIX: dict[str, tuple[Any, ...]] = {
    "view_directory":        (A, A, A, A, A, A, A, A, A, A, A, A),
    "view_organisation":     (A, A, A, A, A, A, A, A, A, A, A, A),
    "view_members":          (A, A, A, A, A, A, A, A, A, A, A, A),
    "create_organisation":   (U, C, C, C, C, C, C, C, C, C, C, C),
    "edit_organisation":     (U, F, F, A, F, F, F, F, F, A, F, F),
    "invite_member":         (U, F, F, C, F, F, F, F, F, C, F, F),
    "list_invitations":      (U, F, F, A, F, F, F, F, F, A, F, F),
    "revoke_invitation":     (U, F, F, D, F, F, F, F, F, D, F, F),
    "change_role":           (U, F, F, A, F, F, F, F, F, A, F, F),
    "remove_member":         (U, F, F, D, F, F, F, F, F, D, F, F),
    "leave_organisation":    (U, N, D, D, N, N, N, N, N, N, N, N),
    "accept_invitation":     (U, C, C, C, C, C, C, C, C, C, C, C),
    "verify_organisation":   (U, F, F, F, F, F, A, F, F, A, F, F),
    "verify_official":       (U, F, F, F, F, F, A, F, F, A, F, F),
    "grant_coordinator":     (U, F, F, F, F, F, F, F, F, A, F, F),
    "see_member_emails":     ("hidden",) * 3 + ("shown",) + ("hidden",) * 5
    + ("shown", "hidden", "hidden"),
    "export_own_data":       (U, A, A, A, A, A, A, A, A, A, A, A),
    "delete_own_account":    (U, D, D, D, D, D, D, D, D, D, D, D),
    "see_verification_queue": (U, F, F, F, F, F, A, A, F, A, F, F),
}  # fmt: skip

CASES = [
    pytest.param(role, action, expected, id=f"{action}-{role}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@dataclass
class World:
    city: Any
    org: Organisation
    other_org: Organisation
    target: Membership
    victim: Membership
    official_request: CityRole
    coordinator_request: CityRole


def build_world() -> World:
    city = CityFactory()
    org = OrganisationFactory(
        cities=[city],
        owner=UserFactory(email="owner@example.org"),
        verification_state=VerificationState.PENDING,
    )
    return World(
        city=city,
        org=org,
        other_org=OrganisationFactory(owner=UserFactory()),
        target=MembershipFactory(organisation=org, user=UserFactory()),
        victim=MembershipFactory(organisation=org, user=UserFactory()),
        official_request=CityRoleFactory(
            city=city, state=VerificationState.PENDING, decided_at=None
        ),
        coordinator_request=CityRoleFactory(
            city=city,
            role=CityRoleKind.COORDINATOR,
            state=VerificationState.PENDING,
            decided_at=None,
        ),
    )


def build_role(role: str, world: World) -> User | None:
    def member(kind: str) -> User:
        user = UserFactory()
        MembershipFactory(organisation=world.org, user=user, role=kind)
        return user

    def city_role(kind: str, state: str, two_factor: bool) -> User:
        user = UserFactory(kind="city_official")
        CityRoleFactory(user=user, city=world.city, role=kind, state=state)
        if two_factor:
            give_totp(user)
        return user

    builders: dict[str, Callable[[], User | None]] = {
        "anonymous": lambda: None,
        "resident": lambda: UserFactory(),
        "member": lambda: member(MembershipRole.MEMBER),
        "org_admin": lambda: member(MembershipRole.ADMIN),
        "unverified_official": lambda: city_role(
            CityRoleKind.OFFICIAL, VerificationState.PENDING, False
        ),
        "official": lambda: city_role(
            CityRoleKind.OFFICIAL, VerificationState.VERIFIED, False
        ),
        "coordinator": lambda: make_coordinator(world.city),
        "other_coordinator": lambda: make_coordinator(CityFactory()),
        "moderator": lambda: city_role(
            CityRoleKind.MODERATOR, VerificationState.VERIFIED, True
        ),
        "staff": lambda: make_staff(),
        "coordinator_without_2fa": lambda: make_coordinator(
            world.city, two_factor=False
        ),
        "staff_without_2fa": lambda: make_staff(two_factor=False),
    }
    return builders[role]()


def perform(action: str, client: APIClient, user: User | None, world: World) -> Any:
    org = f"/api/v1/organisations/{world.org.pk}"
    if action == "view_directory":
        return client.get("/api/v1/organisations/").status_code
    if action == "view_organisation":
        return client.get(f"{org}/").status_code
    if action == "view_members":
        return client.get(f"{org}/members/").status_code
    if action == "create_organisation":
        body = {"name": "New Ventures", "kind": "startup"}
        return client.post("/api/v1/organisations/", body).status_code
    if action == "edit_organisation":
        return client.patch(f"{org}/", {"description": "Edited."}).status_code
    if action == "invite_member":
        body = {"email": "newcomer@example.org"}
        return client.post(f"{org}/invitations/", body).status_code
    if action == "list_invitations":
        return client.get(f"{org}/invitations/").status_code
    if action == "revoke_invitation":
        invitation = InvitationFactory(organisation=world.org)
        return client.delete(f"{org}/invitations/{invitation.pk}/").status_code
    if action == "change_role":
        body = {"role": "admin"}
        return client.patch(f"{org}/members/{world.target.pk}/", body).status_code
    if action == "remove_member":
        return client.delete(f"{org}/members/{world.victim.pk}/").status_code
    if action == "leave_organisation":
        own = Membership.objects.filter(organisation=world.org, user=user).first()
        return client.delete(f"{org}/members/{own.pk if own else 0}/").status_code
    if action == "accept_invitation":
        invitation = InvitationFactory(
            organisation=world.other_org,
            email=user.email if user else "nobody@example.org",
        )
        body = {"token": invitation_token(invitation)}
        return client.post("/api/v1/invitations/accept/", body).status_code
    if action == "verify_organisation":
        body = {"decision": "verified"}
        return client.post(f"{org}/verify/", body).status_code
    if action == "verify_official":
        url = f"/api/v1/city-roles/{world.official_request.pk}/decide/"
        return client.post(url, {"decision": "verified"}).status_code
    if action == "grant_coordinator":
        url = f"/api/v1/city-roles/{world.coordinator_request.pk}/decide/"
        return client.post(url, {"decision": "verified"}).status_code
    if action == "see_member_emails":
        rows = client.get(f"{org}/members/").json()["results"]
        return "shown" if any(r["email"] for r in rows) else "hidden"
    if action == "export_own_data":
        return client.get("/api/v1/me/export/").status_code
    if action == "delete_own_account":
        return client.delete("/api/v1/me/").status_code
    if action == "see_verification_queue":
        return client.get("/api/v1/city-roles/").status_code
    raise AssertionError(f"unknown action {action}")


@pytest.mark.parametrize("role, action, expected", CASES)
def test_permission_matrix(role: str, action: str, expected: Any) -> None:
    world = build_world()
    user = build_role(role, world)
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    assert perform(action, client, user, world) == expected


# --- The document says the same -------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
DOC_SECTION = "Organisations, members and city roles"
DOC_COLUMNS = ROLES[:10]
DOC_ROWS = {
    "View the organisation directory, an organisation and its members": [
        "view_directory",
        "view_organisation",
        "view_members",
    ],
    "Create an organisation": ["create_organisation"],
    "Edit an organisation": ["edit_organisation"],
    "Invite members, list and revoke invitations": [
        "invite_member",
        "list_invitations",
        "revoke_invitation",
    ],
    "Change a member's role, remove a member": ["change_role", "remove_member"],
    "Leave an organisation": ["leave_organisation"],
    "Accept an invitation": ["accept_invitation"],
    "Verify or reject an organisation": ["verify_organisation"],
    "Verify or reject an official or moderator": ["verify_official"],
    "Grant the coordinator role": ["grant_coordinator"],
    "See members' e-mail addresses": ["see_member_emails"],
    "Export own data": ["export_own_data"],
    "Delete own account": ["delete_own_account"],
    "See the verification queue": ["see_verification_queue"],
}


@dataclass
class DocTable:
    columns: list[str]
    rows: dict[str, list[bool]]


def _doc_tables() -> dict[str, DocTable]:
    """Every table of the document, by the ``##`` heading it stands under: its role
    columns and, per action, whether each cell says yes."""
    tables: dict[str, DocTable] = {}
    section = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "Action":
            assert section not in tables, f"two tables under “{section}”"
            tables[section] = DocTable(columns=cells[1:], rows={})
        elif cells[0] != "---":
            table = tables[section]
            assert len(cells) == len(table.columns) + 1, line
            table.rows[cells[0]] = [c.startswith("yes") for c in cells[1:]]
    return tables


def _doc_table() -> dict[str, list[bool]]:
    return _doc_tables()[DOC_SECTION].rows


def _allowed(outcome: Any) -> bool:
    return outcome == "shown" or (isinstance(outcome, int) and outcome < 300)


def test_document_and_matrix_agree() -> None:
    table = _doc_table()
    assert set(table) == set(DOC_ROWS)
    assert set(MATRIX) == {a for actions in DOC_ROWS.values() for a in actions}
    for label, actions in DOC_ROWS.items():
        for action in actions:
            from_matrix = [_allowed(x) for x in MATRIX[action][: len(DOC_COLUMNS)]]
            assert table[label] == from_matrix, (label, action)


# --- The other tables of the document: against the projects' matrices and predicates --

# The document's column headings, as the role names of the projects' tests.
DOC_ROLE_KEYS = {
    "anonymous": "anonymous",
    "resident": "resident",
    "organisation member": "org_member",
    "organisation admin": "org_admin",
    "unverified official": "unverified_official",
    "official": "official",
    "assigned reviewer": "reviewer",
    "coordinator (this city)": "coordinator",
    "coordinator (another city)": "coordinator_elsewhere",
    "moderator": "moderator",
    "staff": "staff",
}


def _matrix_allowed(role: str, outcome: Any) -> bool:
    """A matrix cell as allowed or refused: 2xx, or a page's redirect after the
    action (302 for someone signed in; for the anonymous it is the sign-in page)."""
    if isinstance(outcome, bool):
        return outcome
    if not isinstance(outcome, int):
        return False  # "login": sent to the sign-in page
    return outcome < 300 or (outcome == 302 and role != "anonymous")


@dataclass
class FromMatrix:
    """Rows of one permission-matrix test (its roles in its own order)."""

    roles: list[str]
    matrix: dict[str, Any]
    actions: tuple[str, ...]

    def expected(self, world: Any) -> list[tuple[str, bool]]:
        return [
            (role, _matrix_allowed(role, outcome))
            for action in self.actions
            for role, outcome in zip(self.roles, self.matrix[action], strict=True)
        ]


@dataclass
class FromPredicate:
    """A permission predicate, asked for each role of the review world."""

    ask: Callable[[Any, Any], bool]

    def expected(self, world: Any) -> list[tuple[str, bool]]:
        return [
            (role, bool(self.ask(user, world))) for role, user in world.users.items()
        ]


def _project_sources() -> dict[str, dict[str, list[Any]]]:
    from types import SimpleNamespace

    from projects import permissions as pperms
    from projects import permissions_curation as cperms
    from projects import permissions_matching as mperms
    from projects import permissions_projects as prperms
    from projects.services.indicators import can_import
    from projects.services.signals import can_act_on_signals
    from stakeholders import permissions as sp
    from tests.projects import test_api_permission_matrix as proposals_t
    from tests.projects import test_curation_permissions as curation_t
    from tests.projects import test_indicators_api as indicators_t
    from tests.projects import test_matching_api as matching_t
    from tests.projects import test_projects_permission_matrix as projects_t
    from tests.projects import test_signals_permissions as signals_t

    def curation_api(*actions: str) -> FromMatrix:
        return FromMatrix(curation_t.ROLES, curation_t.API_MATRIX, actions)

    def curation_pages(*actions: str) -> FromMatrix:
        return FromMatrix(curation_t.ROLES, curation_t.PAGE_MATRIX, actions)

    def projects_api(*actions: str) -> FromMatrix:
        return FromMatrix(projects_t.ROLES, projects_t.API, actions)

    def projects_pages(*actions: str) -> FromMatrix:
        return FromMatrix(projects_t.ROLES, projects_t.PAGES, actions)

    def signals_pages(*actions: str) -> FromMatrix:
        return FromMatrix(signals_t.ROLES, signals_t.PAGES, actions)

    def signals_api(*actions: str) -> FromMatrix:
        return FromMatrix(signals_t.ROLES, signals_t.API, actions)

    def indicators_api(*actions: str) -> FromMatrix:
        return FromMatrix(indicators_t.ROLES, indicators_t.MATRIX, actions)

    def matching_api(*actions: str) -> FromMatrix:
        return FromMatrix(matching_t.ROLES, matching_t.MATRIX, actions)

    def city_coordinator(user: Any, w: Any) -> bool:
        return sp.is_coordinator(user, w.city)

    def everyone(user: Any, w: Any) -> bool:
        return True

    match = SimpleNamespace  # what ``can_review_match`` reads of a match

    return {
        "Review of proposals": {
            "See the city's review queue, use its filters and bulk actions": [
                curation_api("queue"),
                curation_pages("queue", "bulk"),
                FromPredicate(lambda u, w: cperms.can_see_review_queue(u, w.city)),
            ],
            "Assign and unassign reviewers": [
                curation_api("assign", "unassign"),
                curation_pages("assign", "unassign"),
                FromPredicate(lambda u, w: cperms.can_assign_reviewers(u, w.proposal)),
            ],
            "See suggested reviewers and their conflicts of interest": [
                curation_api("suggestions"),
            ],
            "Read the internal review: notes, recommendations, assignments": [
                curation_api("notes", "assignments"),
                FromMatrix(curation_t.ROLES, {"panel": curation_t.PANEL}, ("panel",)),
                FromPredicate(lambda u, w: cperms.can_read_internal(u, w.proposal)),
            ],
            "Write an internal note": [
                curation_api("note_create"),
                curation_pages("note"),
                FromPredicate(lambda u, w: cperms.can_write_note(u, w.proposal)),
            ],
            "Recommend a decision": [
                curation_api("recommend"),
                curation_pages("recommend"),
                FromPredicate(lambda u, w: cperms.can_recommend(u, w.proposal)),
            ],
            (
                "Decide: under review, shortlisted, accepted or rejected, with a "
                "public answer"
            ): [
                curation_api("decide"),
                FromMatrix(proposals_t.ROLES, proposals_t.MATRIX, ("transition",)),
                FromPredicate(lambda u, w: cperms.can_decide(u, w.proposal)),
                FromPredicate(
                    lambda u, w: pperms.can_transition_proposal(u, w.proposal)
                ),
            ],
        },
        "Projects": {
            (
                "View projects: list, detail, partners, financing, milestones, "
                "impacts, updates"
            ): [
                projects_api("list", "retrieve", "read_rows"),
                projects_pages("list", "detail"),
            ],
            "Create a project from proposals": [
                projects_api("create"),
                projects_pages("create_form", "create"),
                FromPredicate(lambda u, w: prperms.can_create_project(u, w.city)),
            ],
            "Edit a project's details": [
                projects_api("update"),
                projects_pages("manage", "edit"),
                FromPredicate(lambda u, w: prperms.can_manage_project(u, w.project)),
            ],
            "Change a project's status": [
                projects_api("status"),
                projects_pages("status"),
            ],
            "Add and change a project's partners": [projects_api("partner")],
            "Add and change a project's financing": [
                projects_api("financing"),
                projects_pages("financing"),
            ],
            "Add milestones and mark them done": [
                projects_api("milestone", "milestone_done"),
                projects_pages("milestone"),
            ],
            "Add expected impacts and report measured ones": [
                projects_api("impact", "impact_report")
            ],
            "Publish an update": [projects_api("publish"), projects_pages("publish")],
            "Comment on a project": [
                projects_api("comment"),
                projects_pages("comment"),
                FromPredicate(
                    lambda u, w: prperms.can_comment_on_project(u, w.project)
                ),
            ],
            "Follow a project": [
                projects_api("follow"),
                projects_pages("follow"),
                FromPredicate(lambda u, w: prperms.can_follow_project(u, w.project)),
            ],
        },
        "Dashboard, audit log, exports and indicators": {
            "See the city's dashboard (page and `dashboard/{city}/`)": [
                FromPredicate(city_coordinator),
            ],
            (
                "Read, filter and export the city's audit log (page, CSV, JSON, "
                "`audit/`)"
            ): [FromPredicate(lambda u, w: sp.can_see_audit_log(u, w.city))],
            "Public exports of proposals, projects and matches (CSV, JSON)": [
                FromPredicate(everyone),  # open data: no predicate guards it
            ],
            "Full exports of the city's proposals, projects and matches": [
                FromPredicate(city_coordinator),
            ],
            "Read indicators, their observations and charts": [
                indicators_api("list", "retrieve", "observations"),
                signals_pages("indicators"),
            ],
            (
                "Import indicators: upload a CSV, see its import, add series and "
                "observations"
            ): [
                indicators_api("create", "add_observations", "upload", "import_detail"),
                FromPredicate(lambda u, w: can_import(u, w.city)),
            ],
        },
        "Demand signals": {
            "See the city's signal inbox and a signal": [
                signals_pages("inbox", "detail"),
                signals_api("retrieve"),
                FromPredicate(lambda u, w: can_act_on_signals(u, w.city)),
            ],
            "Accept a signal": [signals_pages("accept"), signals_api("accept")],
            "Dismiss a signal": [signals_pages("dismiss"), signals_api("dismiss")],
        },
        "Matching": {
            (
                "View priorities, their ranked proposals, a proposal's matches, a "
                "re-score's progress"
            ): [
                matching_api("list", "retrieve", "matches", "proposal_matches", "job"),
                FromPredicate(everyone),  # public reads: no predicate guards them
            ],
            "Create, edit and delete priorities": [
                matching_api("create", "update", "delete"),
                FromPredicate(lambda u, w: mperms.can_manage_priorities(u, w.city)),
            ],
            "Confirm or reject a match (review of matches)": [
                matching_api("review"),
                FromPredicate(
                    lambda u, w: mperms.can_review_match(
                        u, match(priority=match(city_id=w.city.pk))
                    )
                ),
            ],
            "Re-score the city's proposals": [
                matching_api("rematch"),
                FromPredicate(lambda u, w: mperms.can_start_rematch(u, w.city)),
            ],
            "See a proposal's complementary proposals": [
                matching_api("complements"),
                FromPredicate(lambda u, w: mperms.can_see_complements(u, w.proposal)),
            ],
        },
    }


@dataclass
class PredicateWorld:
    city: Any
    proposal: Any
    project: Any
    users: dict[str, User | None]


def _predicate_world() -> PredicateWorld:
    """The review world of the projects' tests (its proposal is led by the
    organisation of "org_member" and "org_admin"; "reviewer" is assigned to it),
    with a project of the same city."""
    from tests.projects.curation_factories import review_world
    from tests.projects.project_factories import ProjectFactory

    world = review_world()
    return PredicateWorld(
        city=world.city,
        proposal=world.proposal,
        project=ProjectFactory(city=world.city),
        users=dict(world.users),
    )


def test_every_section_of_the_document_is_checked() -> None:
    assert set(_doc_tables()) == {DOC_SECTION, *_project_sources()}


@pytest.mark.parametrize(
    "section",
    [
        "Review of proposals",
        "Projects",
        "Dashboard, audit log, exports and indicators",
        "Demand signals",
        "Matching",
    ],
)
def test_document_agrees_with_the_projects_matrices_and_predicates(
    section: str,
) -> None:
    table = _doc_tables()[section]
    sources = _project_sources()[section]
    assert set(table.rows) == set(sources)
    roles = [DOC_ROLE_KEYS[c] for c in table.columns]
    world = _predicate_world()
    for label, row_sources in sources.items():
        expected: dict[str, set[bool]] = {role: set() for role in roles}
        for source in row_sources:
            for role, allowed in source.expected(world):
                if role in expected:
                    expected[role].add(allowed)
        for role, said in zip(roles, table.rows[label], strict=True):
            # Every cell is backed by a matrix or a predicate, and they agree.
            assert expected[role], (section, label, role, "no source")
            assert expected[role] == {said}, (section, label, role, expected[role])
