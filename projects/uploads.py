"""Check uploaded files by their content, never by their name.

Accepted: PDF, PNG and JPEG up to 10 MB. The type comes from the first bytes (magic
numbers); an image's declared pixel size is read from its header and refused when
absurd, so a decompression bomb renamed .png never reaches a viewer.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000
ALLOWED = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass(frozen=True)
class Checked:
    content_type: str
    size: int


def _png_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _jpeg_size(stream: IO[bytes]) -> tuple[int, int] | None:
    stream.seek(2)
    while True:
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        code = marker[1]
        if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
            continue
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        # Start-of-frame markers carry the image size.
        if code in (
            0xC0,
            0xC1,
            0xC2,
            0xC3,
            0xC5,
            0xC6,
            0xC7,
            0xC9,
            0xCA,
            0xCB,
            0xCD,
            0xCE,
            0xCF,
        ):
            data = stream.read(5)
            if len(data) < 5:
                return None
            height, width = struct.unpack(">HH", data[1:5])
            return width, height
        stream.seek(length - 2, 1)


def check_upload(upload: IO[bytes], *, size: int) -> Checked:
    if size <= 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is 10 MB.")
            % {"size": size / 1024 / 1024}
        )
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return Checked("application/pdf", size)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        dims = _png_size(head)
        if dims is None or dims[0] * dims[1] > MAX_PIXELS or 0 in dims:
            raise ValidationError(_("This PNG image is damaged or its size is absurd."))
        return Checked("image/png", size)
    if head.startswith(b"\xff\xd8\xff"):
        dims = _jpeg_size(upload)
        upload.seek(0)
        if dims is None or dims[0] * dims[1] > MAX_PIXELS or 0 in dims:
            raise ValidationError(
                _("This JPEG image is damaged or its size is absurd.")
            )
        return Checked("image/jpeg", size)
    raise ValidationError(
        _(
            "Only PDF, PNG and JPEG files are accepted (checked from the file's content, not its name)."
        )
    )
