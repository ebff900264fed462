"""Who may do what in the conversation through the API: one table of (role, action,
expected status), and who posts an official answer.

The proposal is public, led by an organisation with a member and an admin; the
comment acted on is someone else's. Coordinators, moderators and staff have
two-factor authentication set up, as their powers require.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from projects.models import Comment, Flag, FlagState, Proposal
from stakeholders.models import (
    User,
    UserKind,
)
from tests.factories import (
    PERMISSION_ROLES,
    CityFactory,
    OrganisationFactory,
    UserFactory,
    role_users,
)
from tests.projects.conversation_factories import CommentFactory
from tests.projects.factories import ProposalFactory, api_client

pytestmark = pytest.mark.django_db

ROLES = PERMISSION_ROLES

# Expected status per action, in the order of ROLES.
#                      anon res  mem  adm  uoff off  coord celse mod  staff
MATRIX: dict[str, list[int]] = {
    "list_comments": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "read_comment": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "comment": [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    "reply": [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    "edit_others": [401, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "delete_others": [401, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "vote": [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "support": [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    "follow": [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "flag": [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    "queue": [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
    "decide": [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
    "hidden_comment": [404, 404, 404, 404, 404, 404, 404, 404, 200, 200],
}
OFFICIAL_VOICES = {"org_member", "org_admin", "coordinator", "staff"}


@dataclass
class World:
    proposal: Proposal
    comment: Comment
    hidden: Comment
    users: dict[str, User | None]


def _world() -> World:
    city = CityFactory(slug="lyon")
    author = UserFactory()
    lead = OrganisationFactory(owner=author)
    proposal = ProposalFactory(city=city, author=author, lead_organisation=lead)
    comment = CommentFactory(proposal=proposal)
    hidden = CommentFactory(proposal=proposal, hidden_at=comment.created_at)
    Flag.objects.create(
        reporter=UserFactory(), comment=comment, city=city, reason="spam"
    )
    Comment.objects.filter(pk=comment.pk).update(open_flag_count=1)

    users = role_users(
        city, lead, other_city_slug="porto", member_kind=UserKind.STARTUP
    )
    return World(proposal, comment, hidden, users)


def _act(action: str, world: World, client: Any) -> Any:
    p, c = world.proposal, world.comment
    comments = f"/api/v1/proposals/{p.pk}/comments/"
    if action == "list_comments":
        return client.get(comments)
    if action == "read_comment":
        return client.get(f"/api/v1/comments/{c.pk}/")
    if action == "comment":
        return client.post(comments, {"body": "A question."}, format="json")
    if action == "reply":
        return client.post(comments, {"body": "Yes.", "parent": c.pk}, format="json")
    if action == "edit_others":
        return client.patch(f"/api/v1/comments/{c.pk}/", {"body": "x"}, format="json")
    if action == "delete_others":
        return client.delete(f"/api/v1/comments/{c.pk}/")
    if action == "vote":
        return client.post(f"/api/v1/comments/{c.pk}/vote/", {"value": 1})
    if action == "support":
        return client.post(f"/api/v1/proposals/{p.pk}/support/")
    if action == "follow":
        return client.post(f"/api/v1/proposals/{p.pk}/follow/")
    if action == "flag":
        return client.post("/api/v1/flags/", {"comment": c.pk, "reason": "spam"})
    if action == "queue":
        return client.get("/api/v1/moderation/queue/?city=lyon")
    if action == "decide":
        return client.post(
            "/api/v1/moderation/decisions/",
            {"comment": c.pk, "action": "dismiss", "reason": "Fine."},
        )
    if action == "hidden_comment":
        return client.get(f"/api/v1/comments/{world.hidden.pk}/")
    raise AssertionError(action)


CASES = [
    (role, action, expected[i])
    for action, expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_conversation_permission_matrix(role: str, action: str, expected: int) -> None:
    world = _world()
    before = (
        Comment.objects.count(),
        Flag.objects.filter(state=FlagState.OPEN).count(),
    )
    response = _act(action, world, api_client(world.users[role]))
    assert response.status_code == expected, (role, action, response.content[:300])
    if expected >= 400:
        world.comment.refresh_from_db()
        assert world.comment.body.startswith("A thought")
        assert world.comment.deleted_at is None and world.comment.upvotes == 0
        after = (
            Comment.objects.count(),
            Flag.objects.filter(state=FlagState.OPEN).count(),
        )
        assert after == before


@pytest.mark.parametrize("role", ROLES[1:])
def test_official_answer_mark_by_role(role: str) -> None:
    world = _world()
    response = _act("comment", world, api_client(world.users[role]))
    assert response.json()["is_official"] is (role in OFFICIAL_VOICES)
