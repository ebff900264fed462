"""Upload checks: the type comes from the bytes, never from the name."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from projects.uploads import MAX_BYTES, check_upload
from tests.projects.factories import (
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    zip_bytes,
)


def _check(content: bytes, size: int | None = None) -> str:
    stream = io.BytesIO(content)
    checked = check_upload(stream, size=len(content) if size is None else size)
    assert stream.tell() == 0, "the stream is rewound for storing"
    return checked.content_type


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (png_bytes(1920, 1080), "image/png"),
        (jpeg_bytes(4000, 3000), "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_are_recognised_from_their_bytes(
    content: bytes, expected: str
) -> None:
    assert _check(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        exe_bytes(),
        b"\x7fELF\x02\x01\x01" + b"\0" * 64,
        zip_bytes(),
        b"PK\x03\x04" + b"\0" * 64,
        b"GIF89a" + b"\0" * 64,
        b"<html><script>alert(1)</script></html>",
        b"%!PS-Adobe-3.0",
        b"  %PDF-1.7 starts too late",
    ],
    ids=["exe", "elf", "zip bomb", "zip header", "gif", "html", "postscript", "late"],
)
def test_anything_else_is_refused_whatever_its_name(content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        _check(content)
    assert "Only PDF, PNG and JPEG" in caught.value.messages[0]


def test_more_than_10_mb_is_refused_with_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        _check(pdf_bytes(), size=MAX_BYTES + 1)
    assert "10 MB" in caught.value.messages[0]
    assert _check(pdf_bytes(), size=MAX_BYTES) == "application/pdf"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        _check(b"")


@pytest.mark.parametrize(
    "content",
    [
        png_bytes(100_000, 100_000),
        png_bytes(0, 480),
        png_bytes()[:20],
        jpeg_bytes(65_000, 65_000),
        jpeg_bytes(0, 10),
        b"\xff\xd8\xff\xe0",
    ],
    ids=["png bomb", "png zero", "png cut", "jpeg bomb", "jpeg zero", "jpeg cut"],
)
def test_absurd_or_damaged_images_are_refused(content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        _check(content)
    assert "damaged or its size is absurd" in caught.value.messages[0]
