"""Factories and helpers for the conversation tests (comments, flags, roles).

``CommentFactory`` writes the row directly (fast, no rate limit, no notifications)
with the HTML the real sanitiser renders; tests of behaviour go through the
services instead.
"""

from __future__ import annotations

from typing import Any

import factory
from django.db.models import F

from projects.markdown import render_markdown
from projects.models import Comment, Proposal
from stakeholders.models import City, CityRoleKind, User, UserKind
from tests.factories import CityRoleFactory, UserFactory, give_totp
from tests.projects.factories import ProposalFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    parent = None
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 1)
    body = factory.Sequence(lambda n: f"A thought about this, number {n}.")
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @factory.post_generation
    def counters(
        obj: Comment,  # noqa: N805
        create: bool,
        extracted: Any,
        **kwargs: Any,
    ) -> None:
        if not create:
            return
        Proposal.objects.filter(pk=obj.proposal_id).update(
            comment_count=F("comment_count") + 1
        )
        if obj.parent_id:
            Comment.objects.filter(pk=obj.parent_id).update(
                reply_count=F("reply_count") + 1
            )


def make_moderator(city: City, *, two_factor: bool = True, **user: Any) -> User:
    """A verified moderator of ``city`` (TOTP set up unless told not to)."""
    person = UserFactory(kind=UserKind.RESIDENT, **user)
    CityRoleFactory(user=person, city=city, role=CityRoleKind.MODERATOR)
    if two_factor:
        give_totp(person)
    return person


def thread_of(proposal: Proposal, n: int) -> list[Comment]:
    """``n`` comments on ``proposal``: roots with replies down to depth 3."""
    made: list[Comment] = []
    for i in range(n):
        parent = made[i - 1] if i % 4 and made and made[i - 1].depth < 3 else None
        made.append(CommentFactory(proposal=proposal, parent=parent))
    return made
