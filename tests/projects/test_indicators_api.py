"""Indicators API: permission table, series, observations (read and batch write),
CSV upload and import state, bad input with nothing changed, fixed query counts and
the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import (
    ImportState,
    Indicator,
    IndicatorImport,
    Observation,
    ObservationRevision,
)
from projects.services import indicators as services
from tests.factories import OrganisationFactory, make_coordinator, role_users
from tests.projects.factories import api_client
from tests.projects.indicator_factories import (
    city_with_districts,
    csv_bytes,
    monthly_rows,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "org_member",
    "org_admin",
    "unverified_official",
    "official",
    "coordinator",
    "coordinator_no_2fa",
    "coordinator_elsewhere",
    "moderator",
    "staff",
]
# Expected status per action, in the order of ROLES.
#               anon res  mem  adm  uoff off  coord c2fa celse mod  staff
MATRIX: dict[str, list[int]] = {
    "list": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "create": [401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 201],
    "observations": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "add_observations": [401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200],
    "imports": [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "upload": [401, 403, 403, 403, 403, 403, 202, 403, 403, 403, 202],
    "import_detail": [401, 404, 404, 404, 404, 404, 200, 404, 404, 404, 200],
}


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    city = city_with_districts()
    users = role_users(city, OrganisationFactory(), other_city_slug="elsewhere")
    users["coordinator_no_2fa"] = make_coordinator(city, two_factor=False)
    coordinator = users["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        imp = services.indicator_import_create(
            actor=coordinator, city=city, upload=upload(csv_bytes(*monthly_rows()))
        )
    return {
        "city": city,
        "users": users,
        "indicator": Indicator.objects.get(code="commute_minutes"),
        "import": imp,
    }


def _call(action: str, client: Any, world: dict[str, Any]) -> Any:
    ind = world["indicator"]
    city = world["city"]
    if action == "list":
        return client.get("/api/v1/indicators/", {"city": city.slug})
    if action == "retrieve":
        return client.get(f"/api/v1/indicators/{ind.pk}/")
    if action == "create":
        return client.post(
            "/api/v1/indicators/",
            {"city": city.slug, "district": "south-bank", "kind": "pm25"},
            format="json",
        )
    if action == "observations":
        return client.get(f"/api/v1/indicators/{ind.pk}/observations/")
    if action == "add_observations":
        return client.post(
            f"/api/v1/indicators/{ind.pk}/observations/",
            {"observations": [{"period": "2025-01", "value": 33.0}]},
            format="json",
        )
    if action == "imports":
        return client.get("/api/v1/imports/")
    if action == "upload":
        return client.post(
            "/api/v1/imports/",
            {"city": city.slug, "file": upload(csv_bytes(*monthly_rows(months=2)))},
            format="multipart",
        )
    if action == "import_detail":
        return client.get(f"/api/v1/imports/{world['import'].pk}/")
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action: str, world: dict[str, Any]) -> None:
    got = []
    for role in ROLES:
        response = _call(action, api_client(world["users"][role]), world)
        got.append(response.status_code)
        if action == "create" and response.status_code == 201:
            Indicator.objects.filter(pk=response.json()["id"]).delete()
    assert got == MATRIX[action], list(zip(ROLES, got, strict=True))


def test_refused_writes_change_nothing(world: dict[str, Any]) -> None:
    before = (
        Indicator.objects.count(),
        Observation.objects.count(),
        IndicatorImport.objects.count(),
    )
    for role in (
        "anonymous",
        "resident",
        "coordinator_elsewhere",
        "coordinator_no_2fa",
    ):
        client = api_client(world["users"][role])
        for action in ("create", "add_observations", "upload"):
            assert _call(action, client, world).status_code in (401, 403)
    assert (
        Indicator.objects.count(),
        Observation.objects.count(),
        IndicatorImport.objects.count(),
    ) == before


def test_imports_list_shows_only_the_cities_one_coordinates(
    world: dict[str, Any],
) -> None:
    mine = api_client(world["users"]["coordinator"]).get("/api/v1/imports/").json()
    assert [row["id"] for row in mine["results"]] == [world["import"].pk]
    theirs = (
        api_client(world["users"]["coordinator_elsewhere"])
        .get("/api/v1/imports/")
        .json()
    )
    assert theirs["results"] == []


def test_upload_is_queued_then_done_and_reports_counts(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client(world["users"]["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/",
            {
                "city": world["city"].slug,
                "file": upload(csv_bytes(*monthly_rows(months=13, base=31))),
            },
            format="multipart",
        )
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "queued" and body["filename"] == "indicators.csv"
    assert body["url"].endswith(f"/indicators/imports/{body['id']}/")
    # The task ran on commit (in-process in tests): the import is done.
    detail = client.get(f"/api/v1/imports/{body['id']}/").json()
    assert detail["state"] == "done" and detail["percent"] == 100
    assert (detail["created_count"], detail["updated_count"]) == (1, 12)
    assert detail["errors"] == [] and detail["rows_total"] == 13


def test_a_rejected_import_lists_its_bad_lines(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client(world["users"]["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/",
            {
                "city": world["city"].slug,
                "file": upload(csv_bytes("north,commute_minutes,MIN,2024-01,1")),
            },
            format="multipart",
        )
    assert response.status_code == 202
    detail = client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert detail["state"] == ImportState.REJECTED
    assert detail["error_count"] == 1
    assert detail["errors"][0]["line"] == 2
    assert "unknown unit" in detail["errors"][0]["message"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"district;indicator;unit;period;value\n", "semicolons"),
        (b"\x00\x01\x02binary", "binary"),
        (b"a,b,c\n1,2,3\n", "district,indicator,unit,period,value"),
    ],
)
def test_upload_refusals_are_400_on_the_file_field(
    world: dict[str, Any], data: bytes, words: str
) -> None:
    client = api_client(world["users"]["coordinator"])
    response = client.post(
        "/api/v1/imports/",
        {"city": world["city"].slug, "file": upload(data)},
        format="multipart",
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()["file"])
    assert IndicatorImport.objects.count() == 1


def test_upload_over_the_limit_states_the_limit(
    world: dict[str, Any], settings: Any
) -> None:
    settings.INDICATOR_IMPORT_MAX_BYTES = 1024 * 1024
    client = api_client(world["users"]["coordinator"])
    data = csv_bytes(*monthly_rows()) + b"#" * (1024 * 1024)
    response = client.post(
        "/api/v1/imports/",
        {"city": world["city"].slug, "file": upload(data)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.json()["file"][0]


def test_upload_needs_a_known_city_and_a_file(world: dict[str, Any]) -> None:
    client = api_client(world["users"]["coordinator"])
    response = client.post("/api/v1/imports/", {"city": "atlantis"}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"city", "file"}
    response = client.post(
        "/api/v1/imports/",
        {"city": world["city"].slug, "file": upload(b"x"), "extra": "1"},
        format="multipart",
    )
    assert response.status_code == 400 and "extra" in response.json()


def test_observations_batch_adds_corrects_and_keeps_history(
    world: dict[str, Any],
) -> None:
    ind = world["indicator"]
    client = api_client(world["users"]["coordinator"])
    response = client.post(
        f"/api/v1/indicators/{ind.pk}/observations/",
        {
            "observations": [
                {"period": "2024-01", "value": 30.0},
                {"period": "2024-02", "value": 99.0, "note": "Bridge closed"},
                {"period": "2025-01", "value": 33},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 1}
    obs = Observation.objects.get(indicator=ind, period=date(2024, 2, 1))
    assert obs.value == 99.0 and obs.note == "Bridge closed"
    assert ObservationRevision.objects.get().old_value == 31.0
    ind.refresh_from_db()
    assert ind.observation_count == 13 and ind.last_period == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"period": "2999-01", "value": 1}, "in the future"),
        ({"period": "2024-Q1", "value": 1}, "one kind of period"),
        ({"period": "24-01", "value": 1}, "not a period"),
        ({"period": "2024-03", "value": 1, "note": "<b>x</b>"}, "HTML"),
    ],
)
def test_observations_batch_refusals_name_the_item_and_change_nothing(
    world: dict[str, Any], item: dict[str, Any], words: str
) -> None:
    ind = world["indicator"]
    before = list(Observation.objects.values_list("pk", "value", "note"))
    response = api_client(world["users"]["coordinator"]).post(
        f"/api/v1/indicators/{ind.pk}/observations/",
        {"observations": [{"period": "2024-05", "value": 1.0}, item]},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["observations"][0]
    assert message.startswith("item 2:") and words in message
    assert list(Observation.objects.values_list("pk", "value", "note")) == before


def test_observations_batch_refuses_duplicates_and_bad_types(
    world: dict[str, Any],
) -> None:
    ind = world["indicator"]
    client = api_client(world["users"]["coordinator"])
    twice = client.post(
        f"/api/v1/indicators/{ind.pk}/observations/",
        {
            "observations": [
                {"period": "2024-05", "value": 1.0},
                {"period": "2024-05", "value": 2.0},
            ]
        },
        format="json",
    )
    assert twice.status_code == 400
    assert "duplicate period" in twice.json()["observations"][0]
    for body in (
        {"observations": []},
        {"observations": [{"period": "2024-05", "value": "many"}]},
        {"observations": [{"period": "2024-05"}]},
        {"observations": [{"period": "2024-05", "value": 1, "colour": "red"}]},
        {"rows": []},
    ):
        response = client.post(
            f"/api/v1/indicators/{ind.pk}/observations/", body, format="json"
        )
        assert response.status_code == 400, body
    assert not ObservationRevision.objects.exists()


def test_create_series_checks_units_districts_and_duplicates(
    world: dict[str, Any],
) -> None:
    client = api_client(world["users"]["coordinator"])
    city = world["city"].slug
    ok = client.post(
        "/api/v1/indicators/",
        {
            "city": city,
            "kind": "custom",
            "name": "Bus ridership",
            "unit": "trips",
            "period_kind": "quarter",
            "sectors": ["mobility"],
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert body["code"] == "bus_ridership" and body["district"] is None
    assert body["period_kind"] == "quarter" and body["sectors"] == ["mobility"]
    for payload, field in [
        ({"city": city, "kind": "energy_mwh", "unit": "kWh"}, "unit"),
        ({"city": city, "kind": "custom", "unit": "t"}, "name"),
        ({"city": city, "kind": "pm25", "district": "atlantis"}, "district"),
        ({"city": city, "kind": "commute_minutes", "district": "north"}, "code"),
        (
            {"city": city, "kind": "custom", "name": "Bus ridership", "unit": "x"},
            "unit",
        ),
        ({"city": city, "kind": "pm25", "priorities": [999999]}, "priorities"),
        ({"city": city, "kind": "volcano"}, "kind"),
    ]:
        response = client.post("/api/v1/indicators/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json(), (payload, response.json())
    assert Indicator.objects.count() == 2


def test_list_filters(world: dict[str, Any]) -> None:
    client = api_client(None)
    services.indicator_create(
        actor=world["users"]["coordinator"], city=world["city"], kind="pm25"
    )
    codes = lambda **q: [  # noqa: E731
        (r["code"], r["district"] and r["district"]["slug"])
        for r in client.get("/api/v1/indicators/", q).json()["results"]
    ]
    assert codes(district="all") == [("pm25", None)]
    assert codes(district="north") == [("commute_minutes", "north")]
    assert codes(kind="pm25") == [("pm25", None)]
    assert codes(city="elsewhere") == []
    assert client.get("/api/v1/indicators/", {"kind": "x"}).status_code == 400
    obs = client.get(f"/api/v1/indicators/{world['indicator'].pk}/observations/").json()
    assert obs["count"] == 12
    assert obs["results"][0]["label"] == "2024-01"
    assert client.get("/api/v1/indicators/999999/").status_code == 404
    assert client.get("/api/v1/indicators/999999/observations/").status_code == 404


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_cost_the_same_queries_for_2_and_20_rows(world: dict[str, Any]) -> None:
    coordinator = world["users"]["coordinator"]
    city = world["city"]
    client = api_client(coordinator)
    services.indicator_create(actor=coordinator, city=city, kind="pm25")
    for i in range(1):
        services.indicator_import_create(
            actor=coordinator,
            city=city,
            upload=upload(csv_bytes(*monthly_rows(months=i + 2))),
        )
    few = [
        _queries(client, "/api/v1/indicators/"),
        _queries(client, "/api/v1/imports/"),
        _queries(client, f"/api/v1/indicators/{world['indicator'].pk}/observations/"),
    ]
    for kind in ("no2", "co2_emissions", "water_m3", "energy_mwh", "mode_share_car"):
        for district in (None, *city.districts.all()):
            if not Indicator.objects.filter(city=city, district=district, code=kind):
                services.indicator_create(
                    actor=coordinator, city=city, kind=kind, district=district
                )
    for _i in range(18):
        services.indicator_import_create(
            actor=coordinator,
            city=city,
            upload=upload(csv_bytes(*monthly_rows(months=2))),
        )
    assert Indicator.objects.count() >= 17 and IndicatorImport.objects.count() >= 20
    many = [
        _queries(client, "/api/v1/indicators/"),
        _queries(client, "/api/v1/imports/"),
        _queries(client, f"/api/v1/indicators/{world['indicator'].pk}/observations/"),
    ]
    assert many == few
    assert max(many) <= 8


def test_the_schema_documents_every_indicator_operation() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert set(paths["/api/v1/indicators/"]) >= {"get", "post"}
    assert set(paths["/api/v1/indicators/{id}/observations/"]) >= {"get", "post"}
    upload_op = paths["/api/v1/imports/"]["post"]
    assert set(upload_op["responses"]) >= {"202", "400", "401", "403"}
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert set(paths["/api/v1/imports/{id}/"]["get"]["responses"]) >= {
        "200",
        "401",
        "404",
    }
    assert set(paths["/api/v1/indicators/{id}/observations/"]["post"]["responses"]) >= {
        "200",
        "400",
        "401",
        "403",
        "404",
    }


def test_a_huge_upload_is_refused_before_its_body_is_parsed(
    world: dict[str, Any], settings: Any
) -> None:
    settings.INDICATOR_IMPORT_MAX_BYTES = 1024 * 1024
    response = api_client(world["users"]["coordinator"]).post(
        "/api/v1/imports/",
        {
            "city": world["city"].slug,
            "file": upload(csv_bytes(*monthly_rows()) + b"#" * (2 * 1024 * 1024)),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.json()["file"][0]
    assert IndicatorImport.objects.count() == 1
