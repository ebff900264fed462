"""``manage.py backup_site``: the database and the uploaded files, in one folder.

Writes ``<BACKUP_DIR>/<UTC timestamp>/`` holding

- ``database.dump``: ``pg_dump --format=custom`` of the configured PostgreSQL
  database (a consistent snapshot, taken while the site runs), or
  ``database.sqlite3`` (SQLite's online backup) for the embedded setup;
- ``media.tar.gz``: everything under ``MEDIA_ROOT`` (attachments), archived *after*
  the dump, so every file a row of the dump names is in it (files are only ever
  added or deleted, never rewritten);
- ``manifest.json``: when, which database engine and name, the applied
  migrations, and the size of each part.

``manage.py restore_site BACKUP`` puts it back. ``make backup`` / ``make restore``
call both; ``docs/operations.md`` says how often and how to test a restore.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

DUMP = "database.dump"
SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


def postgres_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: ``PG_BINDIR`` when set, else ``pg_config
    --bindir``, else the ``PATH``. The client must be as recent as the server."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]) / name)
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()) / name)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise CommandError(f"{name} not found: install the PostgreSQL client tools")


def postgres_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL client tools."""
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise CommandError(f"{Path(command[0]).name} failed: {detail}")


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a timestamped folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=os.environ.get("BACKUP_DIR") or "backups",
            help="where backups go (BACKUP_DIR, default backups/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = Path(options["dir"]).resolve() / stamp
        suffix = 1
        while target.exists():
            suffix += 1
            target = target.with_name(f"{stamp}-{suffix}")
        target.mkdir(parents=True)
        try:
            manifest = self._backup(target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(str(target))

    def _backup(self, target: Path) -> dict[str, Any]:
        db = connection.settings_dict
        migrations = sorted(
            f"{app}.{name}"
            for app, name in MigrationRecorder.Migration.objects.values_list(
                "app", "name"
            )
        )
        if connection.vendor == "postgresql":
            args, env = postgres_args(db)
            run_tool(
                [
                    postgres_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(target / DUMP),
                    *args,
                ],
                env,
            )
            database_file = DUMP
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(target / SQLITE) as copy:
                connection.connection.backup(copy)
            copy.close()
            database_file = SQLITE
        else:
            raise CommandError(f"no backup for the {connection.vendor} database")

        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(target / MEDIA, "w:gz") as tar:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(media_root)))
                        files += 1
        return {
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "engine": connection.vendor,
            "database_name": str(db["NAME"]),
            "database_file": database_file,
            "database_bytes": (target / database_file).stat().st_size,
            "media_file": MEDIA,
            "media_files": files,
            "migrations": migrations,
        }
