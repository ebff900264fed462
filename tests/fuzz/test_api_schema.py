"""Fuzz every operation of the OpenAPI schema the site serves at ``/api/schema/``.

Schemathesis reads the schema from the running application (so an operation added
anywhere under ``/api/v1/`` is fuzzed without touching this file) and, for each
operation and each of three callers — anonymous, a signed-in resident, a
coordinator with two-factor authentication — sends a bounded, derandomised set of
generated requests: valid ones and deliberately invalid ones (wrong types, missing
fields, out-of-range values, NUL bytes…). About half the cases address the real
objects of a small world (``conftest.world``) instead of generated ids.

Each response must:

- never be a server error (5xx);
- carry a status code the schema documents for that operation, with a body and a
  content type that match the documented schema for that status;
- refuse invalid input with a 4xx, and accept valid input (anything but 400/422).

Every request runs in a savepoint rolled back afterwards, with the cache cleared
before it, so examples do not pile rows, rate-limit counters or lockouts onto each
other. Run these alone with ``PYTEST_ARGS="-m fuzz" make test``.
"""

from __future__ import annotations

import pkgutil
import re
import zlib
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.fuzz.checks import (
    invalid_input_is_refused,
    valid_input_is_not_refused_for_its_shape,
)
from tests.fuzz.conftest import World

ROLES = ["anonymous", "resident", "coordinator"]
MAX_EXAMPLES = 12

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        # The coverage phase enumerates every boundary of every field (hundreds of
        # cases for the big bodies); the bounded fuzzing phase samples them instead.
        "phases": {"coverage": {"enabled": False}},
        # Replaced by checks.valid_input_is_not_refused_for_its_shape (see there).
        "checks": {"positive_data_acceptance": {"enabled": False}},
        "suppress-health-check": ["all"],
    }
)


def _load_project_modules() -> None:
    """Hypothesis draws some values from the constants of the project's modules
    that are loaded; loading them all up front makes the generated cases the same
    whichever tests ran before in this process."""
    for package in ("config", "stakeholders", "projects"):
        root = import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            try:
                import_module(info.name)
            except ImportError:  # an optional extra that is not installed
                continue


_load_project_modules()

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
)

_PARAMETER = re.compile(r"([^/]+)/\{([^}]+)\}")


def _real_path_parameters(path: str, world: World) -> dict[str, Any]:
    """For ``/proposals/{id}/partners/{partner_id}/``: the ids of the world's
    proposal and partner, keyed by parameter name (unknown resources: none)."""
    found: dict[str, Any] = {}
    for segment, name in _PARAMETER.findall(path):
        if segment in world.path_ids:
            # As text: some ids are documented as digit strings, and schemathesis
            # re-checks an edited case against the schema.
            found[name] = str(world.path_ids[segment])
    return found


def _aims_at_world(case: Any) -> bool:
    """Half the cases, chosen by their content (so a replayed case chooses alike)."""
    drawn = repr((case.path_parameters, case.query, case.body)).encode()
    return zlib.crc32(drawn) % 2 == 0


def _point_at_world(case: Any, world: World) -> None:
    """Real ids in the path and in the body, where those were generated valid
    (an invalid component stays invalid: it is what that case tests)."""
    meta = case.meta
    if not meta.is_negative_at(ParameterLocation.PATH):
        case.path_parameters = {
            **(case.path_parameters or {}),
            **_real_path_parameters(case.path, world),
        }
    if isinstance(case.body, dict) and not meta.is_negative_at(ParameterLocation.BODY):
        for name, value in world.field_ids.items():
            if name in case.body and isinstance(case.body[name], type(value)):
                case.body[name] = value


@pytest.mark.fuzz
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
def test_api_operation_keeps_its_schema(case: Any, role: str, world: World) -> None:
    if _aims_at_world(case):
        _point_at_world(case, world)
    cache.clear()
    with transaction.atomic():
        case.call_and_validate(
            headers=world.headers(role),
            excluded_checks=[negative_data_rejection],
            additional_checks=[
                invalid_input_is_refused,
                valid_input_is_not_refused_for_its_shape,
            ],
        )
        transaction.set_rollback(True)
