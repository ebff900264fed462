"""``manage.py import_indicators FILE --city SLUG [--user EMAIL]``: import a CSV file
of indicator observations here, in this process, with a terminal progress bar.

The same service as the upload page and the API: the file is stored as an import of
the city, every line is checked, then applied all at once. A rejected file prints
every bad line and exits with status 1; nothing is changed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import ImportState
from projects.services import indicators as services
from stakeholders.models import City, User

BAR_WIDTH = 40


def progress_line(done: int, total: int) -> str:
    percent = int(100 * done / total) if total else 0
    filled = int(BAR_WIDTH * percent / 100)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"\r[{bar}] {percent:3d} %  {done}/{total} rows"


class Command(BaseCommand):
    help = "Import a CSV file of indicator observations into a city."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (district,indicator,unit,…).")
        parser.add_argument("--city", required=True, help="The city's slug.")
        parser.add_argument(
            "--user", default="", help="E-mail of the person the import is from."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"No city with the slug “{options['city']}”.")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with the e-mail “{options['user']}”.")
        self.stdout.write(f"Checking {options['file']}…")
        try:
            imp = services.indicator_import_file(
                city=city,
                path=options["file"],
                uploaded_by=user,
                progress=self._draw,
            )
        except FileNotFoundError:
            raise CommandError(f"No file “{options['file']}”.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write("")
        if imp.state == ImportState.REJECTED:
            for error in imp.errors:
                self.stderr.write(f"line {error['line']}: {error['message']}")
            more = imp.error_count - len(imp.errors)
            if more > 0:
                self.stderr.write(f"… and {more} more bad lines.")
            raise CommandError(
                f"{imp.filename} rejected: {imp.error_count} bad lines; "
                "nothing was changed."
            )
        if imp.state != ImportState.DONE:
            raise CommandError(f"Import {imp.pk} {imp.state}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{city.name}: {imp.rows_total} rows imported — "
                f"{imp.created_count} new, {imp.updated_count} corrected, "
                f"{imp.unchanged_count} unchanged."
            )
        )

    def _draw(self, done: int, total: int) -> None:
        out = self.stdout
        out.write(progress_line(done, total), ending="")
        if hasattr(out, "flush"):
            out.flush()
        elif hasattr(sys.stdout, "flush"):
            sys.stdout.flush()
