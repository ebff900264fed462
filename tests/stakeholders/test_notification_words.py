"""Codes inside notification messages read as words of the reader's language."""

from __future__ import annotations

from django.utils import translation

from stakeholders.models import Notification


def test_status_codes_become_words() -> None:
    n = Notification(
        message="“%(title)s” is now %(status)s.",
        params={"title": "Heat network", "status": "under_review"},
    )
    assert n.text == "“Heat network” is now under review."


def test_words_follow_the_language() -> None:
    n = Notification(
        message="“%(title)s” is now %(status)s.",
        params={"title": "Réseau de chaleur", "status": "shortlisted"},
    )
    with translation.override("fr"):
        assert "shortlisted" not in n.text
