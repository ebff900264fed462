"""Input and output rules of the security review (docs/security.md) not already
held by a feature's own tests: CSV formula injection for every prefix a
spreadsheet evaluates, and the password policy."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from projects.exports import neutralise
from tests.factories import UserFactory
from tests.projects.factories import ProposalFactory

# OWASP "CSV injection": cells a spreadsheet reads as a formula or a command.
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("cell", FORMULAS, ids=["=", "+", "-", "@", "tab", "cr"])
def test_every_formula_prefix_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Heat network", "2.5", "", None, "a=b", " =x"])
def test_other_cells_are_left_alone(cell: str | None) -> None:
    assert neutralise(cell) == ("" if cell is None else cell)


@pytest.mark.django_db
def test_open_data_csv_carries_no_live_formula(client: Client) -> None:
    for n, cell in enumerate(FORMULAS):
        ProposalFactory(title=f"Proposal {n}", summary=cell)
    body = b"".join(client.get("/proposals/export.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    summaries = {row["summary"] for row in rows}
    assert summaries == {"'" + cell for cell in FORMULAS}


@pytest.mark.parametrize(
    "password", ["short-pass1", "password1234", "123456789012", "crosswalk"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.django_db
def test_password_like_the_email_is_refused() -> None:
    person = UserFactory(email="ana.lopez@example.org", display_name="Ana Lopez")
    with pytest.raises(ValidationError):
        validate_password("ana.lopez@example", user=person)


def test_twelve_characters_of_a_passphrase_are_enough() -> None:
    validate_password("tide-lamp-oak")
