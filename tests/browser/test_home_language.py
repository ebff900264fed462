from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_to_french_shows_french_text(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Build the city together"
    page.select_option("#language-select", "fr")
    page.wait_for_load_state("load")
    page.locator("html[lang=fr]").wait_for(state="attached")
    assert page.locator("h1").inner_text() == "Construire la ville ensemble"


def test_skip_link_is_the_first_focusable_element(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
