"""``manage.py restore_site BACKUP``: put back a folder written by ``backup_site``.

The database is restored in one transaction (``pg_restore --clean --if-exists
--single-transaction``: every table of the backup is dropped and re-created with
its rows, or nothing changes if anything fails), then ``MEDIA_ROOT`` is replaced by
the files of the backup (unpacked beside it first, then swapped in). Finally the
shared cache of public pages is retired, so no page rendered from the data before
the restore is served.

Stop the web processes and the workers first: ``pg_restore`` waits for their locks.
Asks for confirmation unless ``--noinput``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from .backup_site import MANIFEST, postgres_args, postgres_tool, run_tool


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup_site folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="a folder written by backup_site")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["backup"]).resolve()
        if not (folder / MANIFEST).is_file():
            raise CommandError(f"{folder} holds no {MANIFEST}: not a backup folder")
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest["engine"] != connection.vendor:
            raise CommandError(
                f"the backup is of a {manifest['engine']} database, "
                f"this site runs on {connection.vendor}"
            )
        name = connection.settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                f"Replace the database {name} and {settings.MEDIA_ROOT} with the "
                f"backup of {manifest['created_at']}? Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        self._restore_database(folder / manifest["database_file"])
        self._restore_media(folder / manifest["media_file"])
        from projects import caching

        caching.bump()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['media_files']} uploaded files)."
            )
        )

    def _restore_database(self, dump: Path) -> None:
        # Our own idle connection must not hold anything pg_restore needs.
        connection.close()
        if connection.vendor == "postgresql":
            args, env = postgres_args(connection.settings_dict)
            run_tool(
                [
                    postgres_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(dump),
                ],
                env,
            )
        else:
            source = sqlite3.connect(dump)
            target = sqlite3.connect(connection.settings_dict["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()

    def _restore_media(self, archive: Path) -> None:
        media_root = Path(settings.MEDIA_ROOT)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # "data" refuses absolute paths, ".." and links leaving the folder.
                tar.extractall(staging, filter="data")
            old = None
            if media_root.exists():
                old = media_root.with_name(f"{staging.name}-old")
                media_root.rename(old)
            staging.rename(media_root)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
