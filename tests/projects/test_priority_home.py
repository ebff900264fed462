"""The navigation's "Priorities" link lands on the reader's own city."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_readers_go_to_the_first_city() -> None:
    first = CityFactory()
    CityFactory()
    response = Client().get("/priorities/")
    assert response.status_code == 302
    assert response["Location"] == f"/cities/{first.slug}/priorities/"


def test_signed_in_readers_go_to_their_home_city() -> None:
    CityFactory()
    home = CityFactory()
    client = Client()
    client.force_login(UserFactory(home_city=home))
    assert client.get("/priorities/")["Location"] == f"/cities/{home.slug}/priorities/"


def test_without_any_city_the_page_is_not_found() -> None:
    assert Client().get("/priorities/").status_code == 404
