"""An edit after submission is a revision only when something really changed."""

from __future__ import annotations

import pytest

from projects.services import proposals as services
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_same_amount_written_differently_makes_no_revision() -> None:
    proposal = ProposalFactory()
    before = proposal.revisions.count()
    services.proposal_update(
        actor=proposal.author, proposal=proposal, capital_cost="1200000", note="same"
    )
    assert proposal.revisions.count() == before


def test_a_real_change_makes_a_revision() -> None:
    proposal = ProposalFactory()
    before = proposal.revisions.count()
    services.proposal_update(
        actor=proposal.author, proposal=proposal, capital_cost="1300000", note="more"
    )
    assert proposal.revisions.count() == before + 1
