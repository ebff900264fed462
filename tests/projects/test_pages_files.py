"""Attachments through the pages: upload checked from the content, limits, and
downloads served only to those who may see the proposal, with safe headers."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projects.models import Attachment
from tests.factories import UserFactory
from tests.projects.factories import DraftFactory, ProposalFactory, row_counts

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width: int = 2, height: int = 2) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def upload(
    client: Client, proposal: object, filename: str, data: bytes, **extra: str
) -> object:
    file = SimpleUploadedFile(filename, data, content_type="application/pdf")
    return client.post(
        f"/proposals/{proposal.pk}/attachments/",  # type: ignore[attr-defined]
        {"file": file, **extra},
    )


def test_author_uploads_a_pdf_and_anyone_downloads_it_safely(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    response = upload(client, proposal, '../../etc/Plan "final".pdf', PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    client.logout()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f"/attachments/{attachment.pk}/" in page
    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "/" not in disposition.split("filename=")[1]
    assert '"final"' not in disposition
    assert disposition.endswith('.pdf"')
    assert b"".join(download.streaming_content) == PDF


def test_png_is_served_inline_with_its_type(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    upload(client, proposal, "map.png", png(), name="Site map")
    attachment = Attachment.objects.get()
    assert attachment.name == "Site map"
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, "Only PDF, PNG and JPEG"),
        ("photo.png", b"PK\x03\x04" + b"\x00" * 200, "Only PDF, PNG and JPEG"),
        ("bomb.png", png(100_000, 100_000), "size is absurd"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_disguised_or_dangerous_files_are_refused(
    client: Client, name: str, data: bytes, message: str
) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    before = row_counts()
    response = upload(client, proposal, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert row_counts() == before


def test_oversize_file_is_refused(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client, proposal, "big.pdf", big)
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_at_most_ten_attachments(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    for index in range(10):
        assert upload(client, proposal, f"p{index}.pdf", PDF).status_code == 302
    response = upload(client, proposal, "eleven.pdf", PDF)
    assert response.status_code == 400
    assert "at most 10 attachments" in response.content.decode()
    assert Attachment.objects.count() == 10


def test_author_removes_an_attachment(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    upload(client, proposal, "p.pdf", PDF)
    attachment = Attachment.objects.get()
    client.post(f"/proposals/{proposal.pk}/attachments/", {"remove": attachment.pk})
    assert not Attachment.objects.exists()


def test_others_cannot_upload_or_remove(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    upload(client, proposal, "p.pdf", PDF)
    attachment = Attachment.objects.get()
    client.force_login(UserFactory())
    assert upload(client, proposal, "x.pdf", PDF).status_code == 403
    response = client.post(
        f"/proposals/{proposal.pk}/attachments/", {"remove": attachment.pk}
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_attachment_of_a_draft_is_404_for_others(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    upload(client, draft, "p.pdf", PDF)
    attachment = Attachment.objects.get()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client.get("/attachments/999999/").status_code == 404
