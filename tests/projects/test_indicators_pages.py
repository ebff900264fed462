"""Pages of the indicator CSV import: who sees them, the upload form with its
refusals on the page, the state page (progress, counts, every bad line), constant
queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ImportState, IndicatorImport, Observation
from projects.services import indicators as services
from tests.factories import OrganisationFactory, make_coordinator, role_users
from tests.projects.indicator_factories import (
    city_with_districts,
    csv_bytes,
    monthly_rows,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Any:
    return city_with_districts()


@pytest.fixture
def coordinator(city: Any) -> Any:
    return make_coordinator(city)


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_only_the_citys_coordinators_see_the_pages(city: Any) -> None:
    users = role_users(city, OrganisationFactory(), other_city_slug="elsewhere")
    users["coordinator_no_2fa"] = make_coordinator(city, two_factor=False)
    imp = services.indicator_import_create(
        actor=users["coordinator"], city=city, upload=upload(csv_bytes(*monthly_rows()))
    )
    urls = [
        reverse("indicator-import", kwargs={"slug": city.slug}),
        reverse("indicator-import-list", kwargs={"slug": city.slug}),
        reverse("indicator-import-detail", kwargs={"slug": city.slug, "pk": imp.pk}),
    ]
    expected = {"coordinator": 200, "staff": 200, "anonymous": 302}
    for role, user in users.items():
        for url in urls:
            status = _client(user).get(url).status_code
            assert status == expected.get(role, 403), (role, url, status)
    post = _client(users["resident"]).post(
        urls[0], {"file": upload(csv_bytes(*monthly_rows()))}
    )
    assert post.status_code == 403
    assert IndicatorImport.objects.count() == 1


def test_upload_page_documents_the_format(city: Any, coordinator: Any) -> None:
    response = _client(coordinator).get(
        reverse("indicator-import", kwargs={"slug": city.slug})
    )
    text = response.content.decode()
    assert "district,indicator,unit,period,value" in text
    assert "commute_minutes" in text and "ug/m3" in text and "YYYY-Qn" in text
    assert 'enctype="multipart/form-data"' in text
    assert "200 MB" in text
    assert "<script>" not in text and "style=" not in text


def test_upload_then_state_page_with_counts(
    city: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicator-import", kwargs={"slug": city.slug}),
            {"file": upload(csv_bytes(*monthly_rows()), "commute.csv")},
        )
    imp = IndicatorImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "indicator-import-detail", kwargs={"slug": city.slug, "pk": imp.pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert "12 rows imported." in page
    assert "http-equiv" not in page  # done: no more refreshing
    assert Observation.objects.count() == 12
    listing = client.get(reverse("indicator-import-list", kwargs={"slug": city.slug}))
    assert "commute.csv" in listing.content.decode()


def test_a_rejected_file_shows_every_bad_line(
    city: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(coordinator)
    data = csv_bytes(
        "north,commute_minutes,min,2024-01,30",
        "north,commute_minutes,km,2024-02,31",
        "north,commute_minutes,min,2024-03,inf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicator-import", kwargs={"slug": city.slug}),
            {"file": upload(data)},
        )
    page = client.get(response["Location"]).content.decode()
    assert "2 bad lines; nothing was changed" in page
    assert "<td>3</td>" in page and "<td>4</td>" in page
    assert "unknown unit “km”" in page
    assert not Observation.objects.exists()


def test_a_running_import_refreshes_itself(city: Any, coordinator: Any) -> None:
    imp = services.indicator_import_create(
        actor=coordinator, city=city, upload=upload(csv_bytes(*monthly_rows()))
    )
    IndicatorImport.objects.filter(pk=imp.pk).update(
        state=ImportState.RUNNING, rows_total=1000, rows_done=250
    )
    page = _client(coordinator).get(
        reverse("indicator-import-detail", kwargs={"slug": city.slug, "pk": imp.pk})
    )
    text = page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in text
    assert "250 of 1000 rows (25 %)" in text and 'value="25"' in text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"district;indicator;unit;period;value\n", "semicolons"),
        (b"PK\x03\x04\x00\x00", "spreadsheet"),
    ],
)
def test_refusals_are_shown_on_the_form(
    city: Any, coordinator: Any, data: bytes, words: str
) -> None:
    response = _client(coordinator).post(
        reverse("indicator-import", kwargs={"slug": city.slug}),
        {"file": upload(data)},
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not IndicatorImport.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(
    city: Any, coordinator: Any, settings: Any
) -> None:
    settings.INDICATOR_IMPORT_MAX_BYTES = 1024 * 1024
    response = _client(coordinator).post(
        reverse("indicator-import", kwargs={"slug": city.slug}),
        {"file": upload(csv_bytes(*monthly_rows()) + b"#" * (1024 * 1024))},
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not IndicatorImport.objects.exists()


def test_an_import_of_another_city_is_not_found(city: Any) -> None:
    other = city_with_districts("elsewhere")
    theirs = services.indicator_import_create(
        actor=make_coordinator(other),
        city=other,
        upload=upload(csv_bytes(*monthly_rows())),
    )
    response = _client(make_coordinator(city)).get(
        reverse("indicator-import-detail", kwargs={"slug": city.slug, "pk": theirs.pk})
    )
    assert response.status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_cost_the_same_queries_for_2_and_20_imports(
    city: Any, coordinator: Any
) -> None:
    client = _client(coordinator)
    urls = [
        reverse("indicator-import", kwargs={"slug": city.slug}),
        reverse("indicator-import-list", kwargs={"slug": city.slug}),
    ]
    for _i in range(2):
        services.indicator_import_create(
            actor=coordinator, city=city, upload=upload(csv_bytes(*monthly_rows()))
        )
    few = [_queries(client, url) for url in urls]
    for _i in range(18):
        services.indicator_import_create(
            actor=coordinator, city=city, upload=upload(csv_bytes(*monthly_rows()))
        )
    assert [_queries(client, url) for url in urls] == few


def test_a_huge_upload_is_refused_before_its_body_is_read(
    city: Any, coordinator: Any, settings: Any
) -> None:
    settings.INDICATOR_IMPORT_MAX_BYTES = 1024 * 1024
    response = _client(coordinator).post(
        reverse("indicator-import", kwargs={"slug": city.slug}),
        {"file": upload(csv_bytes(*monthly_rows()) + b"#" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not IndicatorImport.objects.exists()
