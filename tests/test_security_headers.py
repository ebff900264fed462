"""Security headers and the Content-Security-Policy on pages, the API and its docs.

The policy (django-csp, ``CONTENT_SECURITY_POLICY`` in settings) allows scripts only
from the site itself: no inline script, no ``eval``, no event-handler attribute. The
pages must therefore carry none, or they would break; both sides are checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import CityFactory
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/proposals/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]


def _directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


class _Scripts(HTMLParser):
    """Inline scripts, event-handler attributes and javascript: URLs in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            kind = (names.get("type") or "").lower()
            data_only = kind in ("application/json", "application/ld+json")
            self._in_inline_script = "src" not in names and not data_only
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.js_urls.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline.append(data.strip()[:80])


@pytest.fixture
def some_content() -> None:
    ProposalFactory(city=CityFactory(slug="riverbend"), title="Heat <b>network</b>")


@pytest.mark.parametrize("path", PAGES)
def test_policy_allows_scripts_only_from_the_site(
    client: Client, some_content: None, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    everything = " ".join(" ".join(values) for values in policy.values())
    assert "unsafe-inline" not in everything
    assert "unsafe-eval" not in everything
    assert "*" not in everything.split()


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_script_the_policy_would_block(
    client: Client, some_content: None, path: str
) -> None:
    parser = _Scripts()
    parser.feed(client.get(path).content.decode())
    assert parser.inline == []
    assert parser.handlers == []
    assert parser.js_urls == []


@pytest.mark.parametrize(
    "path", ["/", "/proposals/", "/accounts/login/", "/api/v1/proposals/"]
)
def test_security_headers_on_pages_and_api(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Server" not in response.headers
    assert "X-Powered-By" not in response.headers


def test_no_other_origin_is_granted_access(client: Client) -> None:
    origin = "https://elsewhere.example"
    read = client.get("/api/v1/proposals/", HTTP_ORIGIN=origin)
    preflight = client.options(
        "/api/v1/proposals/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    for response in (read, preflight):
        assert not [h for h in response.headers if h.startswith("Access-Control-")]


def test_api_answers_unknown_addresses_in_json_not_a_page(client: Client) -> None:
    for path in ("/api/v1/proposals/not-a-number/", "/api/v1/nothing-here/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")


def test_markup_in_content_is_escaped_not_rendered(
    client: Client, some_content: None
) -> None:
    html = client.get("/proposals/").content.decode()
    assert "Heat &lt;b&gt;network&lt;/b&gt;" in html
    assert not re.search(r"Heat <b>network</b>", html)


def test_page_templates_carry_no_style_attribute_the_policy_would_block() -> None:
    """style-src is 'self' only: a style attribute is ignored by the browser (a
    score bar once showed no width). E-mails are not under the policy."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "emails" not in path.parts
        and re.search(r"\sstyle\s*=", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
