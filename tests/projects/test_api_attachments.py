"""Attachments through the API: multipart upload checked by content, list, removal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from projects.models import Attachment, Proposal
from tests.factories import UserFactory
from tests.projects.factories import (
    DraftFactory,
    ProposalFactory,
    api_client,
    exe_bytes,
    pdf_bytes,
    png_bytes,
    row_counts,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def _url(proposal: Proposal, attachment_id: int | None = None) -> str:
    base = f"/api/v1/proposals/{proposal.pk}/attachments/"
    return f"{base}{attachment_id}/" if attachment_id else base


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post(client: Any, proposal: Proposal, name: str, content: bytes) -> Any:
    return client.post(
        _url(proposal), {"file": upload(name, content)}, format="multipart"
    )


def test_author_uploads_a_pdf_and_everyone_lists_it() -> None:
    proposal = ProposalFactory()
    response = _post(
        api_client(proposal.author), proposal, "Roof survey.pdf", pdf_bytes()
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    attachment = Attachment.objects.get(pk=data["id"])
    assert data["content_type"] == "application/pdf"
    assert data["name"] == "Roof survey.pdf"
    assert data["size"] == len(pdf_bytes())
    assert data["url"] == f"/attachments/{attachment.pk}/"
    # The stored name never comes from the user.
    assert "Roof survey" not in attachment.file.name

    listed = api_client().get(_url(proposal)).json()
    assert [a["id"] for a in listed] == [attachment.pk]


def test_a_png_named_pdf_is_stored_as_png() -> None:
    proposal = ProposalFactory()
    response = _post(
        api_client(proposal.author), proposal, "plan.pdf", png_bytes(800, 600)
    )
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"
    assert Attachment.objects.get().file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("budget.pdf", exe_bytes(), "Only PDF, PNG and JPEG"),
        ("photo.png", zip_bytes(), "Only PDF, PNG and JPEG"),
        ("huge.png", png_bytes(100_000, 100_000), "absurd"),
        ("big.pdf", pdf_bytes(10 * 1024 * 1024 + 1), "10 MB"),
    ],
    ids=["executable named .pdf", "zip named .png", "absurd png", "over 10 MB"],
)
def test_refused_files_are_field_errors_and_leave_nothing(
    name: str, content: bytes, words: str
) -> None:
    proposal = ProposalFactory()
    counts = row_counts()
    response = _post(api_client(proposal.author), proposal, name, content)
    assert response.status_code == 400, response.json()
    assert words in response.json()["file"][0]
    assert row_counts() == counts
    assert _stored_files() == []


def test_an_empty_upload_or_none_is_refused() -> None:
    proposal = ProposalFactory()
    client = api_client(proposal.author)
    assert _post(client, proposal, "empty.pdf", b"").status_code == 400
    response = client.post(_url(proposal), {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_eleventh_attachment_is_refused() -> None:
    proposal = ProposalFactory()
    client = api_client(proposal.author)
    for index in range(10):
        assert _post(client, proposal, f"{index}.pdf", pdf_bytes()).status_code == 201
    response = _post(client, proposal, "11.pdf", pdf_bytes())
    assert response.status_code == 400
    assert "at most 10" in response.json()["file"][0]
    assert proposal.attachments.count() == 10


def test_someone_else_cannot_upload() -> None:
    proposal = ProposalFactory()
    counts = row_counts()
    response = _post(api_client(UserFactory()), proposal, "x.pdf", pdf_bytes())
    assert response.status_code == 403
    assert _post(api_client(), proposal, "x.pdf", pdf_bytes()).status_code == 401
    assert row_counts() == counts
    assert _stored_files() == []


def test_attachments_of_a_draft_are_hidden() -> None:
    draft = DraftFactory()
    assert api_client().get(_url(draft)).status_code == 404
    assert api_client(draft.author).get(_url(draft)).status_code == 200


def test_author_removes_an_attachment_and_its_file(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    client = api_client(proposal.author)
    attachment_id = _post(client, proposal, "a.pdf", pdf_bytes()).json()["id"]
    assert len(_stored_files()) == 1

    stranger = api_client(UserFactory()).delete(_url(proposal, attachment_id))
    assert stranger.status_code == 403
    assert len(_stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(_url(proposal, attachment_id)).status_code == 204
    assert not Attachment.objects.filter(pk=attachment_id).exists()
    assert _stored_files() == []
    assert client.delete(_url(proposal, attachment_id)).status_code == 404
