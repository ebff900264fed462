"""Attachments through the services: checked by content, at most ten, removed with
their file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import Attachment, ProposalStatus
from projects.services import proposals as services
from tests.factories import UserFactory
from tests.projects.factories import (
    ProposalFactory,
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    row_counts,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add(actor: Any, proposal: Any, content: bytes, name: str = "file") -> Attachment:
    return services.attachment_add(
        actor=actor,
        proposal=proposal,
        upload=io.BytesIO(content),
        name=name,
        size=len(content),
    )


def test_a_jpeg_is_stored_under_a_random_name() -> None:
    proposal = ProposalFactory()
    attachment = _add(proposal.author, proposal, jpeg_bytes(), "site photo.pdf")
    assert attachment.content_type == "image/jpeg"
    assert attachment.name == "site photo.pdf"
    assert attachment.file.name.startswith(f"proposals/{proposal.pk}/")
    assert attachment.file.name.endswith(".jpg")
    assert "site photo" not in attachment.file.name
    assert attachment.uploaded_by == proposal.author
    assert len(_files()) == 1


@pytest.mark.parametrize("content", [exe_bytes(), zip_bytes(), b"plain text"])
def test_other_content_is_refused_and_nothing_is_stored(content: bytes) -> None:
    proposal = ProposalFactory()
    counts = row_counts()
    with pytest.raises(ValidationError):
        _add(proposal.author, proposal, content, "innocent.pdf")
    assert row_counts() == counts
    assert _files() == []


def test_at_most_ten() -> None:
    proposal = ProposalFactory()
    for _ in range(10):
        _add(proposal.author, proposal, pdf_bytes())
    with pytest.raises(ValidationError) as caught:
        _add(proposal.author, proposal, pdf_bytes())
    assert "file" in caught.value.message_dict
    assert proposal.attachments.count() == 10
    assert len(_files()) == 10


@pytest.mark.parametrize("status", [ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED])
def test_strangers_and_decided_proposals_get_no_attachment(status: str) -> None:
    proposal = ProposalFactory(status=status)
    actor = UserFactory() if status == ProposalStatus.SUBMITTED else proposal.author
    with pytest.raises(PermissionDenied):
        _add(actor, proposal, pdf_bytes())
    assert _files() == []


def test_remove_deletes_the_file_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    attachment = _add(proposal.author, proposal, pdf_bytes())
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=UserFactory(), attachment=attachment)
    assert len(_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=proposal.author, attachment=attachment)
    assert not Attachment.objects.exists()
    assert _files() == []
