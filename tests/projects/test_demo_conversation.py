"""The demo conversation: a few hundred comments in threads up to depth 3, official
answers, votes, resident and organisation supports, one comment hidden by three
flags; played through the services, so the stored counters match the rows; seeding
twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from projects.demo_conversation import RESIDENTS, THREADS, _titles
from projects.models import (
    Comment,
    CommentVote,
    Flag,
    FlagState,
    Follow,
    Proposal,
    ProposalStatus,
    Support,
    SupportKind,
)
from projects.selectors_conversation import moderation_queue
from stakeholders.models import City, User


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "comments": Comment.objects.count(),
        "votes": CommentVote.objects.count(),
        "supports": Support.objects.count(),
        "follows": Follow.objects.count(),
        "flags": Flag.objects.count(),
    }


def _counters() -> list[tuple[int, int, int, int]]:
    return list(
        Proposal.objects.order_by("pk").values_list(
            "pk",
            "comment_count",
            "resident_support_count",
            "organisation_support_count",
        )
    )


@pytest.mark.django_db
def test_seed_demo_twice_gives_one_lively_conversation(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert len(_titles()) >= len(THREADS)  # every thread key names one proposal
    call_command("seed_demo", stdout=StringIO())
    first, counters = _counts(), _counters()

    # Residents: 25 verified accounts in Riverbend, each in a district.
    residents = User.objects.filter(
        email__startswith="resident", email__endswith="@example.org"
    )
    residents = residents.exclude(email="resident@example.org")
    assert residents.count() == len(RESIDENTS) == 25
    assert not residents.filter(
        Q(district__isnull=True) | ~Q(home_city__slug="riverbend")
    ).exists()
    assert residents.filter(emailaddress__verified=True).count() == 25
    assert residents.first().check_password(settings.DEMO_PASSWORD)

    # A few hundred comments, threaded, with official answers, none on drafts.
    comments = Comment.objects.all()
    assert 200 <= first["comments"] <= 400
    depths = dict(comments.values_list("depth").annotate(n=Count("pk")).order_by())
    assert depths[1] > 0 and depths[2] > 0 and depths[3] > 0
    assert comments.filter(is_official=True).count() >= 30
    assert comments.filter(
        is_official=True, author__email="official@example.org"
    ).exists()
    assert comments.filter(body__contains="Merci").exists()  # some in French
    assert not comments.filter(proposal__status=ProposalStatus.DRAFT).exists()
    assert (
        Proposal.objects.exclude(status=ProposalStatus.DRAFT)
        .filter(comment_count=0)
        .count()
        == 0
    )

    # Dated in the past, after the proposal's submission and after the parent.
    now = timezone.now()
    assert not comments.filter(created_at__gt=now).exists()
    assert not comments.filter(created_at__lt=F("proposal__submitted_at")).exists()
    assert not comments.filter(created_at__lte=F("parent__created_at")).exists()
    assert comments.dates("created_at", "month").count() >= 5
    assert not CommentVote.objects.filter(
        created_at__lt=F("comment__created_at")
    ).exists()
    assert not Support.objects.filter(
        created_at__lt=F("proposal__submitted_at")
    ).exists()
    assert not Support.objects.filter(created_at__gt=F("proposal__decided_at")).exists()
    assert not Follow.objects.filter(created_at__gt=now).exists()

    # Votes, supports from residents and from organisations, counted apart.
    assert first["votes"] >= 200
    assert CommentVote.objects.filter(value=-1).exists()
    assert Proposal.objects.filter(
        resident_support_count__gt=0, organisation_support_count__gt=0
    ).exists()
    assert Support.objects.filter(
        kind=SupportKind.ORGANISATION, organisation__isnull=False
    ).exists()

    # Exactly one comment hidden by three open flags, waiting for the moderators.
    hidden = Comment.objects.get(hidden_at__isnull=False)
    assert hidden.open_flag_count == 3
    flags = Flag.objects.filter(comment=hidden, state=FlagState.OPEN)
    assert flags.values("reporter").distinct().count() == 3
    assert not flags.filter(created_at__lt=hidden.created_at).exists()
    assert not CommentVote.objects.filter(comment=hidden).exists()
    queue = moderation_queue(city=City.objects.get(slug="riverbend"))
    assert len(queue) == 1

    # Stored counters equal the rows (a hidden comment is not counted).
    for proposal in Proposal.objects.annotate(
        visible=Count(
            "comments",
            filter=Q(
                comments__hidden_at__isnull=True, comments__deleted_at__isnull=True
            ),
            distinct=True,
        ),
        residents=Count(
            "supports", filter=Q(supports__kind=SupportKind.RESIDENT), distinct=True
        ),
        organisations=Count(
            "supports", filter=Q(supports__kind=SupportKind.ORGANISATION), distinct=True
        ),
    ):
        assert proposal.comment_count == proposal.visible, proposal.title
        assert proposal.resident_support_count == proposal.residents, proposal.title
        assert proposal.organisation_support_count == proposal.organisations, (
            proposal.title
        )
    for comment in Comment.objects.annotate(
        n=Count("replies", distinct=True),
        up=Count("votes", filter=Q(votes__value=1), distinct=True),
        down=Count("votes", filter=Q(votes__value=-1), distinct=True),
    ):
        assert (comment.reply_count, comment.upvotes, comment.downvotes) == (
            comment.n,
            comment.up,
            comment.down,
        )
        assert comment.score == comment.up - comment.down

    # A second run adds nothing and changes no counter.
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert _counters() == counters
    assert "(0 new)" in out.getvalue()
    assert Comment.objects.filter(hidden_at__isnull=False).count() == 1
