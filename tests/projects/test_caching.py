"""The shared cache of anonymous readings (``projects.caching``): hits cost no
query, signed-in readers never get a shared copy, and a change through each
service (or any model save) shows on the proposal's page at the next anonymous
read and in the lists once their lag (``PROPOSAL_LIST_LAG_SECONDS``) has passed;
a hidden proposal, a renamed organisation leave the lists at once.

Also: the lean list serializer gives exactly what the declared fields give, and
templates are compiled once (cached loader) outside DEBUG.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects import caching, selectors
from projects.models import (
    Attachment,
    ExpectedImpact,
    PartnerRole,
    PartnerState,
    Proposal,
    ProposalStatus,
)
from projects.serializers import ProposalListSerializer
from projects.services import conversation
from projects.services import proposals as services
from stakeholders.models import Membership, MembershipRole, VerificationState
from tests.factories import (
    CityFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.conversation_factories import make_moderator
from tests.projects.factories import (
    DraftFactory,
    ImpactFactory,
    PartnerFactory,
    ProposalFactory,
    api_client,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/proposals/"
PAGE = "/proposals/"


def _detail(proposal: Any) -> str:
    return f"/proposals/{proposal.pk}/"


def _queries(get: Callable[[], Any]) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    return response, len(ctx)


# --- Settings ------------------------------------------------------------------------


def test_templates_are_compiled_once_outside_debug(settings: Any) -> None:
    assert "loaders" not in settings.TEMPLATES[0].get("OPTIONS", {})
    engine = engines["django"].engine
    assert not engine.debug
    assert engine.loaders == [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]


# --- Lean list serializer -----------------------------------------------------------------


class _DeclaredFields(ProposalListSerializer):
    lean_rows = False


def test_lean_list_rows_equal_the_declared_fields() -> None:
    city = CityFactory()
    full = ProposalFactory(city=city, district=DistrictFactory(city=city))
    PartnerFactory(
        proposal=full, state=PartnerState.ACCEPTED, role=PartnerRole.OPERATOR
    )
    PartnerFactory(proposal=full, state=PartnerState.INVITED)
    ImpactFactory(proposal=full)
    ImpactFactory(proposal=full, amount=Decimal("12.5"))
    bare = ProposalFactory(
        city=city,
        capital_cost=None,
        operating_cost=None,
        city_contribution=None,
        sectors=["water", "mobility", "health"],
        lead_organisation=OrganisationFactory(
            verification_state=VerificationState.PENDING
        ),
    )
    bare.author.deleted_at = None
    rows = list(
        selectors.proposal_list(
            user=None, filters=selectors.ProposalFilters(city=city.slug)
        ).prefetch_related(
            Prefetch("impacts", queryset=ExpectedImpact.objects.order_by("pk"))
        )
    )
    lean = ProposalListSerializer(rows, many=True).data
    declared = _DeclaredFields(rows, many=True).data
    assert [dict(r) for r in lean] == [dict(r) for r in declared]
    assert {r["id"] for r in lean} == {full.pk, bare.pk}
    assert any(r["partners"] and r["impacts"] for r in lean)
    assert any(r["capital_cost"] is None and r["district"] is None for r in lean)


# --- Hits, misses and who shares ----------------------------------------------------------


def test_second_anonymous_read_costs_no_query() -> None:
    proposal = ProposalFactory()
    client, api = Client(), api_client()
    for get in (
        lambda: api.get(API),
        lambda: client.get(PAGE),
        lambda: client.get(_detail(proposal)),
    ):
        first, cold = _queries(get)
        second, warm = _queries(get)
        assert first.status_code == second.status_code == 200
        assert (
            first.content == second.content or b"csrfmiddlewaretoken" in first.content
        )
        assert cold > 0
        assert warm == 0, get


def test_cached_pages_carry_each_readers_own_csrf_token() -> None:
    """The language switcher's form stays outside the cached parts: every reader
    gets a token matching their own cookie, never the first reader's."""
    import re

    from django.middleware.csrf import _does_token_match

    proposal = ProposalFactory()
    for url in (_detail(proposal), PAGE):
        tokens = set()
        for _ in range(3):
            response = Client().get(url)
            token = re.search(
                rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content
            )
            assert token is not None
            assert _does_token_match(
                token.group(1).decode(), response.cookies["csrftoken"].value
            )
            tokens.add(token.group(1))
        assert len(tokens) == 3


def test_signed_in_readers_never_get_the_shared_copy() -> None:
    draft = DraftFactory(title="Secret draft of the author")
    ProposalFactory()
    anonymous, author = Client(), Client()
    author.force_login(draft.author)
    assert "Secret draft" not in anonymous.get(PAGE).content.decode()
    for _ in range(2):
        response, count = _queries(lambda: author.get(PAGE))
        assert "Secret draft" in response.content.decode()
        assert count > 0
    assert "Secret draft" not in anonymous.get(PAGE).content.decode()
    for _ in range(2):
        response, count = _queries(lambda: api_client(draft.author).get(API))
        assert draft.title in [r["title"] for r in response.json()["results"]]
        assert count > 0


def test_language_and_host_and_query_are_part_of_the_key() -> None:
    ProposalFactory()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(PAGE).content.decode()
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(PAGE).content.decode()
    assert english != french
    assert 'lang="fr"' in french
    one = api_client().get(API, {"page_size": 1, "page": 1}).json()
    two = api_client().get(API, {"page_size": 1, "page": 1}, HTTP_HOST="127.0.0.1")
    assert (one["next"] or "").startswith("http://testserver/") or one["next"] is None
    assert two.status_code == 200


def test_anonymous_detail_of_a_draft_stays_404_and_is_not_cached() -> None:
    draft = DraftFactory()
    assert Client().get(_detail(draft)).status_code == 404
    assert Client().get(_detail(draft)).status_code == 404


# --- Nothing stale (lists: nothing older than the lag) --------------------------------------

#: The cache's clock, moved by the tests (``caching._now``).
_CLOCK = [1_000_000.0]


@pytest.fixture(autouse=True)
def _clock(monkeypatch: Any) -> None:
    monkeypatch.setattr(caching, "_now", lambda: _CLOCK[0])


def _let_lists_lag_out() -> None:
    _CLOCK[0] += caching.list_lag() + 0.5


def _snapshot(proposal: Any) -> dict[str, str]:
    """What anonymous readers are served now (warming the cache)."""
    client = Client()
    detail = client.get(_detail(proposal))
    return {
        "api": api_client().get(API).content.decode(),
        "page": client.get(PAGE).content.decode(),
        "detail": detail.content.decode() if detail.status_code == 200 else "404",
    }


def _after(
    proposal: Any, change: Callable[[], Any], *, at_once: bool = False
) -> dict[str, str]:
    """What is served after ``change``: once the lists' lag has passed, or
    (``at_once``) right after it."""
    before = _snapshot(proposal)
    assert _snapshot(proposal)["api"] == before["api"]  # served from the cache
    change()
    if not at_once:
        _let_lists_lag_out()
    return _snapshot(proposal)


def _author_of(proposal: Any) -> Any:
    return proposal.author


def test_update_shows_at_once_in_list_api_page_and_detail() -> None:
    proposal = ProposalFactory()
    now = _after(
        proposal,
        lambda: services.proposal_update(
            actor=proposal.author,
            proposal=proposal,
            title="Brand new title for the roofs",
            summary="A summary nobody read before.",
            note="Clearer",
        ),
    )
    for where in ("api", "page", "detail"):
        assert "Brand new title for the roofs" in now[where], where
    assert "A summary nobody read before." in now["detail"]


def test_create_and_submit_show_in_the_lists() -> None:
    existing = ProposalFactory()
    draft = DraftFactory(title="Heat pumps for the school district")
    now = _after(existing, lambda: None)
    assert draft.title not in now["api"]
    now = _after(
        existing,
        lambda: services.proposal_submit(actor=draft.author, proposal=draft),
    )
    assert draft.title in now["api"] and draft.title in now["page"]


def test_withdraw_and_transition_show_their_status() -> None:
    proposal = ProposalFactory()
    now = _after(
        proposal,
        lambda: services.proposal_withdraw(
            actor=proposal.author, proposal=proposal, reason="Joining forces"
        ),
    )
    assert '"status":"withdrawn"' in now["api"].replace(" ", "")
    assert "Joining forces" in now["detail"]
    other = ProposalFactory()
    coordinator = make_coordinator(other.city)
    now = _after(
        other,
        lambda: services.proposal_transition(
            actor=coordinator,
            proposal=other,
            to_status=ProposalStatus.SHORTLISTED,
            public_answer="A strong fit with the energy plan.",
        ),
    )
    assert "A strong fit with the energy plan." in now["detail"]
    assert '"status":"shortlisted"' in now["api"].replace(" ", "")


def test_partner_invite_and_answer_show_the_consortium() -> None:
    proposal = ProposalFactory()
    partner_org = OrganisationFactory(name="Riverside Energy Utility")
    admin = UserFactory()
    Membership.objects.create(
        user=admin, organisation=partner_org, role=MembershipRole.OWNER
    )
    holder: dict[str, Any] = {}

    def invite() -> None:
        holder["partner"] = services.partner_invite(
            actor=proposal.author,
            proposal=proposal,
            organisation=partner_org,
            role=PartnerRole.OPERATOR,
        )

    now = _after(proposal, invite)
    assert "Riverside Energy Utility" in now["detail"]  # the timeline's invitation
    assert "Riverside Energy Utility" not in now["api"]  # not a partner yet
    now = _after(
        proposal,
        lambda: services.partner_answer(
            actor=admin, partner=holder["partner"], accept=True
        ),
    )
    for where in ("api", "detail"):
        assert "Riverside Energy Utility" in now[where], where
    assert "with 1 partner" in now["page"]


def test_attachments_show_and_go() -> None:
    proposal = ProposalFactory()
    data = pdf_bytes()
    now = _after(
        proposal,
        lambda: services.attachment_add(
            actor=proposal.author,
            proposal=proposal,
            upload=upload("budget-plan.pdf", data),
            name="budget-plan.pdf",
            size=len(data),
        ),
    )
    assert "budget-plan.pdf" in now["detail"]
    attachment = Attachment.objects.get(proposal=proposal)
    now = _after(
        proposal,
        lambda: services.attachment_remove(
            actor=proposal.author, attachment=attachment
        ),
    )
    assert "budget-plan.pdf" not in now["detail"]


def _count_in(text: str, label: str) -> int:
    import re

    found = re.search(rf"(\d+) {label}", text)
    return int(found.group(1)) if found else -1


def test_comments_and_supports_update_the_counts() -> None:
    proposal = ProposalFactory()
    resident = UserFactory()
    holder: dict[str, Any] = {}

    def comment() -> None:
        holder["comment"] = conversation.comment_create(
            actor=resident, proposal=proposal, body="Count me in."
        )

    now = _after(proposal, comment)
    assert _count_in(now["detail"], "comment") == 1
    assert '"comment_count":1' in now["api"].replace(" ", "")
    now = _after(
        proposal,
        lambda: conversation.comment_delete(actor=resident, comment=holder["comment"]),
    )
    assert _count_in(now["detail"], "comments") == 0
    now = _after(
        proposal, lambda: conversation.support_add(actor=resident, proposal=proposal)
    )
    assert _count_in(now["detail"], "support") == 1
    assert _count_in(now["page"], "support") == 1
    now = _after(
        proposal,
        lambda: conversation.support_remove(actor=resident, proposal=proposal),
    )
    assert _count_in(now["detail"], "supports") == 0


def test_lists_lag_behind_a_count_by_at_most_the_lag_and_the_page_never() -> None:
    """A support shows on the proposal's page at once; the lists go on serving
    their copy (no query) until it is ``PROPOSAL_LIST_LAG_SECONDS`` old, then
    show the new count."""
    proposal = ProposalFactory()
    resident = UserFactory()
    _snapshot(proposal)
    conversation.support_add(actor=resident, proposal=proposal)
    _CLOCK[0] += caching.list_lag() - 1
    page, count = _queries(lambda: Client().get(PAGE))
    assert count == 0 and _count_in(page.content.decode(), "supports") == 0
    assert _count_in(Client().get(_detail(proposal)).content.decode(), "support") == 1
    _CLOCK[0] += 1.5
    page, count = _queries(lambda: Client().get(PAGE))
    assert count > 0 and _count_in(page.content.decode(), "support") == 1


def test_a_zero_lag_makes_lists_exact(settings: Any) -> None:
    settings.PROPOSAL_LIST_LAG_SECONDS = 0
    proposal = ProposalFactory()
    _snapshot(proposal)
    conversation.support_add(actor=UserFactory(), proposal=proposal)
    assert _count_in(Client().get(PAGE).content.decode(), "support") == 1


def test_moderation_hides_and_restores_a_proposal() -> None:
    proposal = ProposalFactory(title="A proposal under review by moderators")
    moderator = make_moderator(proposal.city)
    now = _after(
        proposal,
        lambda: conversation.moderation_decide(
            actor=moderator, action="hide", reason="Spam", proposal=proposal
        ),
        at_once=True,
    )
    assert proposal.title not in now["api"] and proposal.title not in now["page"]
    assert now["detail"] == "404"
    now = _after(
        proposal,
        lambda: conversation.moderation_decide(
            actor=moderator, action="restore", reason="Fine", proposal=proposal
        ),
    )
    assert proposal.title in now["api"] and proposal.title in now["detail"]


def test_a_renamed_organisation_or_any_saved_row_shows_at_once() -> None:
    proposal = ProposalFactory()
    org = proposal.lead_organisation

    def rename() -> None:
        org.name = "Renamed Cooperative"
        org.save()

    now = _after(proposal, rename, at_once=True)
    for where in ("api", "page", "detail"):
        assert "Renamed Cooperative" in now[where], where

    def direct() -> None:  # not through a service: the signals still bump
        Proposal.objects.get(pk=proposal.pk).__class__.objects.get(
            pk=proposal.pk
        ).save()
        p = Proposal.objects.get(pk=proposal.pk)
        p.summary = "Edited in the admin."
        p.save()

    assert "Edited in the admin." in _after(proposal, direct)["detail"]


def test_a_change_to_one_proposal_keeps_the_others_pages_cached() -> None:
    one, other = ProposalFactory(), ProposalFactory()
    resident = UserFactory()  # a new person changes every page: make them first
    Client().get(_detail(other))
    conversation.support_add(actor=resident, proposal=one)
    _, count = _queries(lambda: Client().get(_detail(other)))
    assert count == 0
    _, count = _queries(lambda: Client().get(_detail(one)))
    assert count > 0


# --- Versions ---------------------------------------------------------------------------


def test_bump_happens_at_once_and_again_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def version() -> int:
        return cache.get(caching.LIST)

    caching.bump()
    start = version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        caching.bump(1)
        assert version() == start + 1
    assert version() == start + 2


def test_a_lost_counter_starts_above_every_earlier_value() -> None:
    caching.bump()
    old = cache.get(caching.ALL)
    cache.delete(caching.ALL)
    caching.bump()
    assert cache.get(caching.ALL) > old


def test_the_cache_being_down_serves_fresh_pages(monkeypatch: Any) -> None:
    proposal = ProposalFactory()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    from django.core.cache import caches

    backend = caches["default"]
    for name in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(backend, name, broken)
    assert Client().get(_detail(proposal)).status_code == 200
    assert Client().get(PAGE).status_code == 200  # (the API's throttles need it)
    services.proposal_update(
        actor=proposal.author, proposal=proposal, title="Still writable"
    )


def test_comment_edits_and_votes_retire_the_proposals_anonymous_page() -> None:
    """The whole anonymous page is cached: what a conversation shows there must
    retire it too."""
    proposal = ProposalFactory()
    author, voter = UserFactory(), UserFactory()
    comment = conversation.comment_create(
        actor=author, proposal=proposal, body="First version."
    )
    for change in (
        lambda: conversation.comment_edit(
            actor=author, comment=comment, body="Second version."
        ),
        lambda: conversation.comment_vote(actor=voter, comment=comment, value=1),
    ):
        Client().get(_detail(proposal))
        assert _queries(lambda: Client().get(_detail(proposal)))[1] == 0
        change()
        assert _queries(lambda: Client().get(_detail(proposal)))[1] > 0


def test_a_comment_on_a_project_keeps_cached_proposal_pages() -> None:
    from projects.models import Comment
    from tests.projects.project_factories import ProjectFactory

    project = ProjectFactory()
    author = UserFactory()
    before = cache.get(caching.ALL)
    Comment.objects.create(project=project, author=author, body="Good news")
    assert cache.get(caching.ALL) == before
