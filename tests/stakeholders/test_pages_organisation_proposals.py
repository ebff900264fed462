"""An organisation's page lists the proposals it leads or joined."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import PartnerState
from tests.projects.factories import DraftFactory, PartnerFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_led_and_joined_proposals_are_listed_but_not_drafts_or_invitations() -> None:
    led = ProposalFactory(title="Led heat network")
    org = led.lead_organisation
    joined = PartnerFactory(organisation=org, state=PartnerState.ACCEPTED).proposal
    invited = PartnerFactory(organisation=org, state=PartnerState.INVITED).proposal
    draft = DraftFactory(lead_organisation=org, title="Secret draft")
    html = Client().get(org.get_absolute_url()).content.decode()
    assert led.title in html
    assert joined.title in html
    assert invited.title not in html
    assert draft.title not in html
