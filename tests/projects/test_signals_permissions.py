"""Who may do what with demand signals, pages and API: one table of (role, action,
expected status). The indicator charts are public; the inbox, a signal and the
decisions belong to the coordinators of the signal's city (and staff with 2FA)."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import Signal, SignalState
from projects.services.signals import signals_detect_city
from tests.demand.factories import make_indicator, series_values
from tests.factories import (
    PERMISSION_ROLES,
    CityFactory,
    DistrictFactory,
    OrganisationFactory,
    role_users,
)
from tests.projects.factories import api_client
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db

ROLES = PERMISSION_ROLES

#                       anon res  mem  adm  uoff off  coord celse mod  staff
PAGES: dict[str, list[int]] = {
    "indicators": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "inbox": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "detail": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "accept": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "dismiss": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
}
API: dict[str, list[int]] = {
    "list": [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve": [401, 404, 404, 404, 404, 404, 200, 404, 404, 200],
    "accept": [401, 404, 404, 404, 404, 404, 200, 404, 404, 200],
    "dismiss": [401, 404, 404, 404, 404, 404, 200, 404, 404, 200],
}
# Signals listed by the API per role (the list is narrowed, never refused).
LISTED = [None, 0, 0, 0, 0, 0, 1, 0, 0, 1]


@pytest.fixture
def world():
    city = CityFactory(slug="riverbend")
    indicator = make_indicator(
        city,
        district=DistrictFactory(city=city, name="North"),
        values=series_values(jump=0.2),
    )
    indicator.priorities.add(PriorityFactory(city=city))
    signals_detect_city(city=city)
    users = role_users(city, OrganisationFactory(), other_city_slug="elsewhere")
    return city, Signal.objects.get(), users


def _page_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("action", list(PAGES))
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_pages(world, action: str, index: int) -> None:
    city, signal, users = world
    client = _page_client(users[ROLES[index]])
    url, data = {
        "indicators": (f"/cities/{city.slug}/indicators/", None),
        "inbox": (f"/cities/{city.slug}/signals/", None),
        "detail": (f"/signals/{signal.pk}/", None),
        "accept": (
            f"/signals/{signal.pk}/accept/",
            {"accept-action": "raise_weight"},
        ),
        "dismiss": (f"/signals/{signal.pk}/dismiss/", {"dismiss-reason": "Known."}),
    }[action]
    response = client.post(url, data) if data is not None else client.get(url)
    expected = PAGES[action][index]
    assert response.status_code == expected, (ROLES[index], action)
    decided = Signal.objects.get(pk=signal.pk).state != SignalState.OPEN
    assert decided == (data is not None and expected == 302 and index >= 6)


@pytest.mark.parametrize("action", list(API))
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_api(world, action: str, index: int) -> None:
    _city, signal, users = world
    client = api_client(users[ROLES[index]])
    base = "/api/v1/signals/"
    if action == "list":
        response = client.get(base)
    elif action == "retrieve":
        response = client.get(f"{base}{signal.pk}/")
    elif action == "accept":
        response = client.post(
            f"{base}{signal.pk}/accept/", {"action": "raise_weight"}, format="json"
        )
    else:
        response = client.post(
            f"{base}{signal.pk}/dismiss/", {"reason": "Known."}, format="json"
        )
    assert response.status_code == API[action][index], (ROLES[index], action)
    if action == "list" and response.status_code == 200:
        assert response.json()["count"] == LISTED[index]
    state = Signal.objects.get(pk=signal.pk).state
    assert (state != SignalState.OPEN) == (
        action in ("accept", "dismiss") and response.status_code == 200
    )
