"""The Markdown renderer: whatever the input, the HTML is inert."""

from __future__ import annotations

import pytest

from projects.markdown import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body{display:none}</style>",
    "<svg onload=alert(1)>",
    "<form action='https://evil.example'><input name=q></form>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_raw_html_is_shown_as_text_never_as_markup(text: str) -> None:
    html = render_markdown(f"Before\n\n{text}\n\nAfter").lower()
    for tag in ("<script", "<img", "<iframe", "<object", "<embed", "<style", "<svg"):
        assert tag not in html
    for tag in ("<div", "<form", "<input", "<a "):
        assert tag not in html
    # The text stays readable, escaped.
    assert "&lt;" in html
    assert "<p>before</p>" in html


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_are_dropped(link: str) -> None:
    html = render_markdown(link).lower()
    # Refused links stay visible as text, which is inert; no link is made of them.
    assert "<a" not in html
    assert 'href="javascript' not in html
    assert 'href="vbscript' not in html
    assert 'href="data:' not in html
    assert "<img" not in html


def test_safe_links_are_kept_with_rel() -> None:
    html = render_markdown(
        "[plan](https://city.example/plan) and [mail](mailto:a@b.example)"
    )
    assert '<a href="https://city.example/plan" rel="nofollow noopener ugc">' in html
    assert 'href="mailto:a@b.example"' in html


def test_headings_start_at_h2() -> None:
    html = render_markdown("# One\n\n## Two\n\n###### Six")
    assert "<h1" not in html
    assert "<h2>One</h2>" in html
    assert "<h3>Two</h3>" in html
    assert "<h6>Six</h6>" in html


def test_ordinary_markdown_renders() -> None:
    html = render_markdown(
        "**bold** _em_ `code`\n\n- a\n- b\n\n"
        "| kWh | year |\n| ---: | --- |\n| 12 | 2030 |\n\n> quote"
    )
    for tag in ("<strong>", "<em>", "<code>", "<ul>", "<table>", "<blockquote>"):
        assert tag in html
    assert 'style="text-align' not in html


def test_empty_input() -> None:
    assert render_markdown("") == ""
