"""``backup_site`` then ``restore_site`` on PostgreSQL: a proposal, its uploaded
attachment and a person are wiped after the backup, something new is added, and
the restore brings back exactly the state of the backup, rows and file."""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from projects.models import Attachment, Proposal
from stakeholders.models import User
from tests.factories import UserFactory
from tests.projects.factories import ProposalFactory

pytestmark = [pytest.mark.integration]


def _require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    reason = "DATABASE_URL is not PostgreSQL: the backup round trip needs pg_dump"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the integration tests)")
    pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_rows_and_uploaded_files(
    tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    _require_postgres()
    proposal = ProposalFactory(title="Rain gardens on the school streets")
    pdf = b"%PDF-1.4 rain garden plan\n"
    attachment = Attachment(
        proposal=proposal,
        name="plan.pdf",
        content_type="application/pdf",
        size=len(pdf),
    )
    attachment.file.save("plan.pdf", ContentFile(pdf), save=True)
    stored = Path(attachment.file.path)
    resident = UserFactory(email="kept@example.org")

    out = StringIO()
    call_command("backup_site", "--dir", str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    assert folder.parent == tmp_path / "backups"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql"
    assert manifest["media_files"] == 1
    assert (folder / "database.dump").stat().st_size > 0
    assert "projects.0003_proposals" in manifest["migrations"]

    # Disaster: rows and file gone, and something written after the backup.
    Proposal.objects.all().delete()
    User.objects.filter(pk=resident.pk).delete()
    stored.unlink()
    UserFactory(email="after-the-backup@example.org")

    call_command("restore_site", str(folder), "--noinput", stdout=StringIO())

    restored = Proposal.objects.get(pk=proposal.pk)
    assert restored.title == "Rain gardens on the school streets"
    assert restored.attachments.get().file.name == attachment.file.name
    assert User.objects.filter(email="kept@example.org").exists()
    assert not User.objects.filter(email="after-the-backup@example.org").exists()
    assert stored.read_bytes() == pdf


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore_site", str(tmp_path), "--noinput")
