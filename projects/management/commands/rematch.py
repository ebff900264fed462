"""``manage.py rematch --city SLUG``: re-score every proposal of a city, with a
terminal progress bar.

With a broker (``REDIS_URL``) the job runs on the workers of the "scoring" queue and
this command follows its ``done``/``total``; without one (or with
``--in-process``) it runs right here, batch after batch. A job already open for
the city is joined, never doubled.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import JobState, RematchJob
from projects.services import matching as services
from stakeholders.models import City

BAR_WIDTH = 40


def progress_line(job: RematchJob) -> str:
    filled = int(BAR_WIDTH * job.percent / 100)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"\r[{bar}] {job.percent:3d} %  {job.done}/{job.total}  {job.state}"


class Command(BaseCommand):
    help = "Re-score every proposal of a city against its priorities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="The city's slug.")
        parser.add_argument(
            "--reason", default="manage.py rematch", help="Shown with the job."
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Score here, batch after batch, instead of on the workers.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=3600,
            help="Give up following the job after this many seconds.",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Start (or join) the job and return at once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"No city with the slug “{options['city']}”.")
        in_process = options["in_process"] or not settings.REDIS_URL
        if in_process:
            job = self._run_here(city, options["reason"])
        else:
            started = services.city_rematch_start(
                actor=None, city=city, reason=options["reason"]
            )
            job = started.job
            if not started.created:
                self.stdout.write(f"Joined the open job {job.pk}.")
            if options["no_wait"]:
                self.stdout.write(f"Job {job.pk} started.")
                return
            job = self._follow(job.pk, options["timeout"])
        self.stdout.write("")
        if job.state == JobState.FAILED:
            raise CommandError(f"Job {job.pk} failed: {job.error}")
        self.stdout.write(
            self.style.SUCCESS(f"{city.name}: {job.total} proposals re-scored.")
        )

    def _run_here(self, city: City, reason: str) -> RematchJob:
        # Open the job without enqueueing it, then play the tasks' part here.
        started = services.city_rematch_start(
            actor=None, city=city, reason=reason, enqueue=False
        )
        job = started.job
        if not started.created:
            # A job is already open (on the workers): follow it rather than
            # scoring the city a second time.
            return self._follow(job.pk, 3600)
        batches = services.rematch_plan(job_id=job.pk)
        for ids in batches:
            services.rematch_batch(job_id=job.pk, proposal_ids=ids)
            job.refresh_from_db()
            self._draw(job)
        services.rematch_finish(job_id=job.pk)
        job.refresh_from_db()
        self._draw(job)
        return job

    def _follow(self, job_id: int, timeout: float) -> RematchJob:
        deadline = time.monotonic() + timeout
        while True:
            job = RematchJob.objects.get(pk=job_id)
            self._draw(job)
            if job.state in (JobState.DONE, JobState.FAILED):
                return job
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Job {job_id} still {job.state} after {timeout:.0f} s; is a "
                    "worker consuming the 'scoring' queue?"
                )
            time.sleep(0.5)

    def _draw(self, job: RematchJob) -> None:
        out = self.stdout
        out.write(progress_line(job), ending="")
        if hasattr(out, "flush"):
            out.flush()
        elif hasattr(sys.stdout, "flush"):
            sys.stdout.flush()
