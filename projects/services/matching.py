"""Priorities, matches and re-score jobs: every write of the matching feature.

Services take keyword-only arguments and the acting user explicitly; ``actor=None``
means the system itself (a Celery task, a management command), for which the
permission checks do not apply. Views, API, tasks and commands call these and
nothing else writes.

Scoring stores, for each proposal, its best ``MATCHING_TOP_K`` priorities and every
priority it scores at least ``MATCHING_STORE_MIN_SCORE`` on (and every reviewed
pair), so the priority pages rank what matters without 50 rows per proposal. Rows
are upserted on (proposal, priority): a repeated or redelivered task writes the same
rows again and never touches the coordinators' review fields.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, NamedTuple, TypedDict

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders.models import City, NotificationKind, Organisation, User
from stakeholders.services import (
    _enqueue,
    audit_record,
    coordinators_of,
    notify_on_commit,
)

from .. import matching_adapter as adapter
from .. import permissions_matching as mperms
from ..matching import (
    ProposalInput,
    complement_organisations,
    complement_proposals,
)
from ..models import (
    JobState,
    Match,
    MatchReview,
    Priority,
    Proposal,
    RematchJob,
    Sector,
)

log = logging.getLogger(__name__)

MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 60
MAX_TARGETS = 10
MAX_TARGET_LENGTH = 120
OPEN_STATES = (JobState.QUEUED, JobState.RUNNING)
# Stored in the job row (shown on the page) in the site's default language.
FOLLOW_UP_REASON = gettext_noop("Priorities changed during the last re-score")


def _setting(name: str, default: Any) -> Any:
    """A knob of the matching feature: a Django setting if defined, else the
    environment variable of the same name, else the default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    return os.environ.get(name) or default


def strong_score() -> float:
    """Score from which a new match is announced to the coordinators."""
    return float(_setting("MATCHING_STRONG_SCORE", 0.75))


def _top_k() -> int:
    return int(_setting("MATCHING_TOP_K", 3))


def _store_min() -> float:
    return float(_setting("MATCHING_STORE_MIN_SCORE", 0.5))


def batch_size() -> int:
    return int(_setting("MATCHING_BATCH_SIZE", 1000))


def _stale_after() -> timedelta:
    return timedelta(minutes=int(_setting("MATCHING_JOB_STALE_MINUTES", 60)))


# --- Priorities ---------------------------------------------------------------------------


def _clean_list(
    values: Iterable[Any] | None, *, field: str, limit: int, length: int
) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("\n", ",").split(",")
    out: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise ValidationError({field: _("Give each entry as text.")})
        value = " ".join(raw.split())
        if not value:
            continue
        if len(value) > length:
            raise ValidationError(
                {
                    field: _("Keep each entry under %(n)d characters: “%(v)s…”.")
                    % {"n": length, "v": value[:30]}
                }
            )
        if "<" in value and ">" in value:
            raise ValidationError(
                {field: _("HTML is not allowed here: write plain text.")}
            )
        if value.lower() not in {v.lower() for v in out}:
            out.append(value)
    if len(out) > limit:
        raise ValidationError(
            {field: _("At most %(n)d entries, please.") % {"n": limit}}
        )
    return out


def _check_window(active_from: date | None, active_until: date | None) -> None:
    if active_from and active_until and active_until < active_from:
        raise ValidationError(
            {"active_until": _("The end of the active period is before its start.")}
        )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _rematch_after_commit(
    priority_city_id: int, actor: User | None, reason: str
) -> None:
    def start() -> None:
        city = City.objects.get(pk=priority_city_id)
        city_rematch_start(actor=None, city=city, reason=reason, requested_by=actor)

    transaction.on_commit(start)


def priority_create(
    *,
    actor: User | None,
    city: City,
    title: str,
    description: str = "",
    keywords: Iterable[str] | None = None,
    sectors: Sequence[Sector] = (),
    weight: int = 3,
    target_indicators: Iterable[str] | None = None,
    active_from: date | None = None,
    active_until: date | None = None,
) -> Priority:
    """A coordinator of ``city`` states a priority; the city is re-scored."""
    if actor is not None:
        _require(
            mperms.can_manage_priorities(actor, city),
            _("Only the city's coordinators can set its priorities."),
        )
    priority = Priority(
        city=city,
        title=" ".join((title or "").split()),
        description=(description or "").strip(),
        keywords=_clean_list(
            keywords, field="keywords", limit=MAX_KEYWORDS, length=MAX_KEYWORD_LENGTH
        ),
        weight=weight,
        target_indicators=_clean_list(
            target_indicators,
            field="target_indicators",
            limit=MAX_TARGETS,
            length=MAX_TARGET_LENGTH,
        ),
        active_from=active_from,
        active_until=active_until,
        owner=actor if actor and actor.pk else None,
    )
    _check_window(active_from, active_until)
    priority.full_clean()
    with transaction.atomic():
        priority.save()
        priority.sectors.set(list(sectors))
        audit_record(actor=actor, action="priority.create", target=priority, city=city)
        _rematch_after_commit(
            city.pk, actor, _("New priority “%(t)s”") % {"t": priority.title[:80]}
        )
    return priority


_EDITABLE = (
    "title",
    "description",
    "keywords",
    "weight",
    "target_indicators",
    "active_from",
    "active_until",
)


def priority_update(
    *,
    actor: User | None,
    priority: Priority,
    sectors: Sequence[Sector] | None = None,
    **changes: Any,
) -> Priority:
    """Edit or reweight a priority (only the given fields change); any change
    re-scores the city."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(unknown)}
        )
    if actor is not None:
        _require(
            mperms.can_edit_priority(actor, priority),
            _("Only the coordinators of %(city)s can change its priorities.")
            % {"city": priority.city.name},
        )
    with transaction.atomic():
        locked = Priority.objects.select_for_update().get(pk=priority.pk)
        before = {f: getattr(locked, f) for f in _EDITABLE}
        before_sectors = sorted(locked.sectors.values_list("slug", flat=True))
        for name, value in changes.items():
            if name == "title":
                value = " ".join((value or "").split())
            elif name == "description":
                value = (value or "").strip()
            elif name == "keywords":
                value = _clean_list(
                    value, field=name, limit=MAX_KEYWORDS, length=MAX_KEYWORD_LENGTH
                )
            elif name == "target_indicators":
                value = _clean_list(
                    value, field=name, limit=MAX_TARGETS, length=MAX_TARGET_LENGTH
                )
            setattr(locked, name, value)
        _check_window(locked.active_from, locked.active_until)
        locked.full_clean()
        after_sectors = (
            sorted(s.slug for s in sectors) if sectors is not None else before_sectors
        )
        changed = [f for f in _EDITABLE if getattr(locked, f) != before[f]]
        if after_sectors != before_sectors:
            changed.append("sectors")
        if not changed:
            return locked
        locked.save()
        if sectors is not None:
            locked.sectors.set(list(sectors))
        audit_record(
            actor=actor,
            action="priority.update",
            target=locked,
            city=locked.city_id,
            data={"changed": changed},
        )
        reason = (
            _("Priority “%(t)s” reweighted")
            if changed == ["weight"]
            else _("Priority “%(t)s” changed")
        ) % {"t": locked.title[:80]}
        _rematch_after_commit(locked.city_id, actor, reason)
    return locked


def priority_delete(*, actor: User | None, priority: Priority) -> None:
    if actor is not None:
        _require(
            mperms.can_edit_priority(actor, priority),
            _("Only the coordinators of %(city)s can change its priorities.")
            % {"city": priority.city.name},
        )
    with transaction.atomic():
        city_id = priority.city_id
        audit_record(
            actor=actor,
            action="priority.delete",
            target=priority,
            city=city_id,
            data={"title": priority.title},
        )
        title = priority.title
        priority.delete()
        _rematch_after_commit(
            city_id, actor, _("Priority “%(t)s” removed") % {"t": title[:80]}
        )


# --- Reviews (coordinators teach the engine) -------------------------------------------------


def match_review(*, actor: User, match: Match, decision: str, note: str = "") -> Match:
    """Confirm or reject a match (``decision`` ``""`` clears the review).

    The review is feedback for the engine: from the next scoring on, the
    priority is refined with the confirmed and rejected proposals.
    """
    if decision not in MatchReview.values:
        raise ValidationError(
            {"decision": _("Choose “confirmed”, “rejected” or nothing.")}
        )
    _require(
        mperms.can_review_match(actor, match),
        _("Only the coordinators of the priority's city can review its matches."),
    )
    with transaction.atomic():
        locked = Match.objects.select_for_update().get(pk=match.pk)
        if locked.review == decision:
            return locked
        locked.review = decision
        locked.reviewed_by = actor if decision else None
        locked.reviewed_at = timezone.now() if decision else None
        locked.full_clean()
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action=f"match.{decision or 'unreviewed'}",
            target=locked,
            city=match.priority.city_id,
            reason=note.strip()[:500],
            data={"proposal": locked.proposal_id, "priority": locked.priority_id},
        )
        schedule_scoring(locked.proposal_id)
    return locked


def schedule_scoring(proposal_id: int) -> None:
    """Score the proposal once the surrounding transaction commits (in-process
    when the broker is down: nothing is lost, the sweep also catches up)."""
    from ..tasks import score_proposal

    transaction.on_commit(
        lambda: _enqueue(score_proposal, {"proposal_id": int(proposal_id)})
    )


# --- Scoring ------------------------------------------------------------------------------------


def _selected(row: np.ndarray, reviewed: set[int], ids: Sequence[int]) -> list[int]:
    """Column indexes to store for one proposal."""
    k = min(_top_k(), row.size)
    order = np.argsort(-row, kind="stable")
    keep = set(order[:k].tolist()) | set(np.flatnonzero(row >= _store_min()).tolist())
    keep |= {j for j, pid in enumerate(ids) if pid in reviewed}
    return sorted(keep)


def _reviewed_pairs(proposal_ids: Sequence[int]) -> dict[tuple[int, int], bool]:
    """(proposal, priority) -> confirmed? for the reviewed pairs."""
    return {
        (proposal_id, priority_id): review == MatchReview.CONFIRMED
        for proposal_id, priority_id, review in Match.objects.filter(
            proposal_id__in=list(proposal_ids)
        )
        .exclude(review=MatchReview.NONE)
        .values_list("proposal_id", "priority_id", "review")
    }


def _upsert(rows: list[Match]) -> None:
    if rows:
        Match.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["proposal", "priority"],
            update_fields=[
                "score",
                "components",
                "reasons",
                "engine_version",
                "computed_at",
            ],
        )


def _existing(proposal_ids: Sequence[int]) -> list[tuple[int, int, int, str]]:
    """``(pk, proposal, priority, review)`` of the stored rows of these proposals."""
    return list(
        Match.objects.filter(proposal_id__in=list(proposal_ids)).values_list(
            "pk", "proposal_id", "priority_id", "review"
        )
    )


def _drop_unselected(
    proposal_ids: Sequence[int],
    priority_ids: Sequence[int],
    kept: set[tuple[int, int]],
    existing: Sequence[tuple[int, int, int, str]] | None = None,
) -> None:
    """Unreviewed rows of these proposals that fell out of the selection go, so a
    re-score leaves exactly what a first scoring would have stored. ``existing``
    (read earlier in the same transaction) saves reading the rows again."""
    scored = set(priority_ids)
    if existing is None:
        existing = _existing(proposal_ids)
    stale = [
        pk
        for pk, proposal_id, priority_id, review in existing
        if review == MatchReview.NONE
        and priority_id in scored
        and (proposal_id, priority_id) not in kept
    ]
    if stale:
        Match.objects.filter(pk__in=stale, review=MatchReview.NONE).delete()


def _store(
    fitted: adapter.CityEngine,
    inputs: Sequence[ProposalInput],
    *,
    explain: bool,
) -> list[Match]:
    """Score ``inputs`` with the fitted engine and upsert the selected pairs."""
    if not inputs or not fitted.priorities:
        return []
    priority_ids = fitted.priority_ids
    matrix = fitted.engine.score_matrix(list(inputs))
    ids = [int(p.id) for p in inputs]
    existing = _existing(ids)
    reviewed_as = {
        (proposal_id, priority_id): review == MatchReview.CONFIRMED
        for _pk, proposal_id, priority_id, review in existing
        if review != MatchReview.NONE
    }
    reviewed: dict[int, set[int]] = {}
    for proposal_id, priority_id in reviewed_as:
        reviewed.setdefault(proposal_id, set()).add(priority_id)
    pairs = [
        (int(proposal.id), priority_ids[j], float(matrix.scores[i, j]))
        for i, proposal in enumerate(inputs)
        for j in _selected(
            matrix.scores[i], reviewed.get(int(proposal.id), set()), priority_ids
        )
    ]
    return _write_pairs(
        fitted if explain else None,
        {int(p.id): p for p in inputs} if explain else {},
        ids,
        priority_ids,
        pairs,
        reviewed_as,
        fitted.version,
        existing,
    )


def _write_pairs(
    fitted: adapter.CityEngine | None,
    inputs: dict[int, ProposalInput],
    proposal_ids: Sequence[int],
    priority_ids: Sequence[int],
    pairs: Iterable[tuple[int, int, float]],
    reviewed_as: dict[tuple[int, int], bool],
    version: str,
    existing: Sequence[tuple[int, int, int, str]] | None = None,
) -> list[Match]:
    """Upsert the selected ``(proposal, priority, score)`` pairs of these
    proposals and drop their unreviewed rows that are no longer selected.

    With ``fitted`` each row gets its components and reasons (the proposal must
    be in ``inputs``); without, rows are stored bare and explained when shown.
    """
    now = timezone.now()
    version = version[:40]
    rows: list[Match] = []
    kept: set[tuple[int, int]] = set()
    for proposal_id, priority_id, score in pairs:
        components: dict[str, Any] = {}
        reasons: list[str] = []
        proposal = inputs.get(proposal_id)
        if (
            fitted is not None
            and proposal is not None
            and priority_id in fitted.priority_inputs
        ):
            decision = reviewed_as.get((proposal_id, priority_id))
            found = fitted.explain(proposal, priority_id, decision)
            components, reasons = found["components"], found["reasons"]
        rows.append(
            Match(
                proposal_id=proposal_id,
                priority_id=priority_id,
                score=round(min(1.0, max(0.0, float(score))), 6),
                components=components,
                reasons=reasons,
                engine_version=version,
                computed_at=now,
            )
        )
        kept.add((proposal_id, priority_id))
    _upsert(rows)
    _drop_unselected(proposal_ids, priority_ids, kept, existing)
    return rows


def _write_bare(
    proposal_ids: Sequence[int],
    priority_ids: Sequence[int],
    columns: tuple[list[int], list[int], list[float]],
    version: str,
) -> None:
    """``_write_pairs`` without explanations (a large re-score), in one statement
    on PostgreSQL; the pairs come as columns (proposal ids, priority ids, scores).

    ``bulk_create`` builds a model instance and binds ten parameters per row:
    for the 300,000 rows of a 100,000-proposal city that was most of the
    re-score's write time. Here the server unnests three arrays into the same
    rows, under the same conflict rule and updating the same columns as
    ``_upsert``; other databases take the ORM path.
    """
    proposals, priorities, scores = columns
    if connection.vendor != "postgresql":
        pairs = zip(proposals, priorities, scores, strict=True)
        _write_pairs(None, {}, proposal_ids, priority_ids, pairs, {}, version)
        return
    if proposals:
        opts = Match._meta
        qn = connection.ops.quote_name

        def col(name: str) -> str:
            return qn(opts.get_field(name).column)

        updated = ("score", "components", "reasons", "engine_version", "computed_at")
        key = f"{col('proposal')}, {col('priority')}"
        columns = ", ".join(col(f) for f in (*updated, "review"))
        assign = ", ".join(f"{col(f)} = EXCLUDED.{col(f)}" for f in updated)
        # Identifiers come from the model's metadata; every value is a parameter.
        sql = (
            f"INSERT INTO {qn(opts.db_table)} ({key}, {columns}) "  # noqa: S608
            "SELECT t.p, t.r, t.s, '{}'::jsonb, '[]'::jsonb, %s, %s, %s "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::float8[]) AS t(p, r, s) "
            f"ON CONFLICT ({key}) DO UPDATE SET {assign}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    version[:40],
                    timezone.now(),
                    MatchReview.NONE,
                    [int(p) for p in proposals],
                    [int(r) for r in priorities],
                    [round(min(1.0, max(0.0, float(s))), 6) for s in scores],
                ],
            )
    _drop_unselected(
        proposal_ids, priority_ids, set(zip(proposals, priorities, strict=True))
    )


def _notify_strong(
    proposal: Proposal, rows: Sequence[Match], titles: dict[int, str]
) -> None:
    threshold = strong_score()
    strong = [r for r in rows if r.score >= threshold]
    if not strong:
        return
    coordinators = coordinators_of([proposal.city_id])
    for row in strong:
        notify_on_commit(
            recipient_ids=coordinators,
            kind=NotificationKind.MATCH,
            # One announcement per pair, ever: a re-score or a redelivered task
            # finds the key already used and notifies nobody twice.
            event_key=f"match-strong:{proposal.pk}:{row.priority_id}",
            message=gettext_noop(
                "“%(proposal)s” is a strong match (%(score)s %%) for the priority "
                "“%(priority)s”."
            ),
            params={
                "proposal": proposal.title[:80],
                "priority": titles.get(row.priority_id, "")[:80],
                "score": str(round(row.score * 100)),
            },
            url=f"/priorities/{row.priority_id}/",
        )


def proposal_score(*, proposal_id: int, notify: bool = True) -> list[Match]:
    """Score one proposal against its city's active priorities and store it.

    Called by the ``score_proposal`` task on submission, on each revision and by
    the sweep. A proposal that is no longer scored (a draft, withdrawn or
    rejected) keeps its reviewed matches and loses the others. Strong new matches
    are announced to the city's coordinators once.
    """
    proposal = Proposal.objects.filter(pk=proposal_id).select_related("city").first()
    if proposal is None:
        return []
    if proposal.status not in adapter.SCORED_STATUSES:
        with transaction.atomic():
            Match.objects.filter(
                proposal_id=proposal.pk, review=MatchReview.NONE
            ).delete()
            Proposal.objects.filter(pk=proposal.pk).update(scored_at=timezone.now())
        return []
    fitted = adapter.city_engine(proposal.city_id)
    inputs = adapter.proposal_inputs([proposal.pk])
    with transaction.atomic():
        rows = _store(fitted, inputs, explain=True)
        Proposal.objects.filter(pk=proposal.pk).update(scored_at=timezone.now())
        if notify:
            titles = {p.pk: p.title for p in fitted.priorities}
            _notify_strong(proposal, rows, titles)
    return rows


# --- City re-score jobs ----------------------------------------------------------------------


class RematchStart(NamedTuple):
    job: RematchJob
    #: False when an open job of the city was joined instead.
    created: bool


def _is_stale(job: RematchJob) -> bool:
    since = job.started_at or job.created_at
    return since < timezone.now() - _stale_after()


def _fail(job_id: int, error: str) -> None:
    RematchJob.objects.filter(pk=job_id, state__in=OPEN_STATES).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def city_rematch_start(
    *,
    actor: User | None,
    city: City,
    reason: str = "",
    requested_by: User | None = None,
    enqueue: bool = True,
) -> RematchStart:
    """Start re-scoring every proposal of the city, or join the job already open.

    At most one open job per city (a partial unique constraint): a second request
    while one runs gets that job back, so the work is never doubled. A job left
    open far longer than any re-score takes (a lost chord) is closed as failed
    first. The job is enqueued once the surrounding transaction commits (unless
    ``enqueue`` is False: the caller then runs the batches itself).
    """
    if actor is not None:
        _require(
            mperms.can_start_rematch(actor, city),
            _("Only the city's coordinators can re-score its proposals."),
        )
    requester = actor or requested_by
    for _attempt in range(3):
        with transaction.atomic():
            open_job = (
                RematchJob.objects.select_for_update()
                .filter(city=city, state__in=OPEN_STATES)
                .first()
            )
            if open_job is not None and not _is_stale(open_job):
                return RematchStart(open_job, False)
            if open_job is not None:
                _fail(open_job.pk, "abandoned: no progress for too long")
            try:
                with transaction.atomic():
                    job = RematchJob.objects.create(
                        city=city,
                        reason=(reason or "").strip()[:200],
                        requested_by=requester if requester and requester.pk else None,
                    )
            except IntegrityError:
                # Another request opened one between our read and our insert.
                continue
            audit_record(
                actor=requester,
                action="rematch.start",
                target=job,
                city=city,
                reason=job.reason,
            )
            if enqueue:
                transaction.on_commit(partial(_enqueue_rematch, job.pk))
            return RematchStart(job, True)
    job = RematchJob.objects.get(city=city, state__in=OPEN_STATES)
    return RematchStart(job, False)


def _enqueue_rematch(job_id: int) -> None:
    from ..tasks import rematch_city

    _enqueue(rematch_city, {"job_id": job_id})


def _claim(job_id: int) -> tuple[RematchJob, list[int]] | None:
    """Mark the job running; returns it with the ids of the city's corpus."""
    job = RematchJob.objects.filter(pk=job_id).first()
    if job is None or job.state not in OPEN_STATES:
        return None
    ids = adapter.city_corpus_ids(job.city_id)
    RematchJob.objects.filter(pk=job_id, state__in=OPEN_STATES).update(
        state=JobState.RUNNING,
        started_at=job.started_at or timezone.now(),
        total=len(ids),
        done=0,
    )
    job.total = len(ids)
    return job, ids


def rematch_plan(*, job_id: int) -> list[list[int]]:
    """Claim the job and split the city's scored proposals into batches that
    score themselves (``rematch_batch`` without ``pairs``): the in-process path
    of ``manage.py rematch`` and the demo, where one engine serves every batch.

    A redelivered ``rematch_city`` finds the job running and plans again: the
    batches upsert the same rows, so repeating them is harmless.
    """
    claimed = _claim(job_id)
    if claimed is None:
        return []
    size = max(1, batch_size())
    ids = claimed[1]
    return [ids[lo : lo + size] for lo in range(0, len(ids), size)]


class ScoredBatch(TypedDict):
    """One batch of a scored plan, JSON-ready for a task message."""

    proposal_ids: list[int]
    #: The pairs to store as three columns: proposal ids, priority ids, scores.
    pairs: list[list[Any]]
    version: str


def rematch_plan_scored(*, job_id: int) -> list[ScoredBatch]:
    """Claim the job, fit the city's engine once, score every proposal, and split
    the pairs to store into batches that the workers only write.

    The engine learns from the whole city (IDF, per-priority statistics,
    self-training) and its fit already scores the whole corpus, so fitting it in
    each worker would repeat the costliest step once per process (minutes for
    100,000 proposals). Here it runs once; a batch carries the few selected pairs
    of its proposals (a light message) and writing them is what runs in parallel.
    A redelivered plan scores again and its batches rewrite the same rows.
    """
    claimed = _claim(job_id)
    if claimed is None:
        return []
    job, _ids = claimed
    fitted = adapter.city_engine(job.city_id, refresh=True)
    engine = fitted.engine
    corpus_ids = [int(p.id) for p in engine.corpus]
    if len(corpus_ids) != job.total:
        # Proposals submitted or withdrawn between the claim and the fit.
        RematchJob.objects.filter(pk=job_id).update(total=len(corpus_ids))
    size = max(1, batch_size())
    batches = [corpus_ids[lo : lo + size] for lo in range(0, len(corpus_ids), size)]
    if not fitted.priorities or not corpus_ids:
        return [
            ScoredBatch(proposal_ids=ids, pairs=[[], [], []], version=fitted.version)
            for ids in batches
        ]
    scores = engine.score_matrix().scores
    keep = _selection_mask(scores, fitted.priority_ids, engine.feedback, corpus_ids)
    rows, cols = np.nonzero(keep)  # row-major: grouped by proposal, in order
    pair_scores = np.round(scores[rows, cols].astype(np.float64), 6)
    proposal_col = np.asarray(corpus_ids, dtype=np.int64)[rows]
    priority_col = np.asarray(fitted.priority_ids, dtype=np.int64)[cols]
    bounds = np.searchsorted(rows, np.arange(0, len(corpus_ids) + size, size))
    out: list[ScoredBatch] = []
    for b, ids in enumerate(batches):
        lo, hi = int(bounds[b]), int(bounds[b + 1])
        out.append(
            ScoredBatch(
                proposal_ids=ids,
                pairs=[
                    proposal_col[lo:hi].tolist(),
                    priority_col[lo:hi].tolist(),
                    pair_scores[lo:hi].tolist(),
                ],
                version=fitted.version,
            )
        )
    return out


def _selection_mask(
    scores: np.ndarray,
    priority_ids: Sequence[int],
    feedback: Iterable[Any],
    proposal_ids: Sequence[int],
) -> np.ndarray:
    """``_selected`` for a whole matrix at once: top-k, above the floor, and
    every reviewed pair."""
    n, n_p = scores.shape
    keep = scores >= _store_min()
    k = min(_top_k(), n_p)
    if k > 0 and n:
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        keep[np.arange(n)[:, None], top] = True
    row_of = {pid: i for i, pid in enumerate(proposal_ids)}
    col_of = {pid: j for j, pid in enumerate(priority_ids)}
    for fb in feedback:
        i, j = row_of.get(int(fb.proposal_id)), col_of.get(int(fb.priority_id))
        if i is not None and j is not None:
            keep[i, j] = True
    return keep


def rematch_batch(
    *,
    job_id: int,
    proposal_ids: Sequence[int],
    pairs: Sequence[Sequence[Any]] | None = None,
    version: str = "",
) -> int:
    """Store one batch of a city re-score; returns how many proposals it covered.

    With ``pairs`` (from ``rematch_plan_scored``: the columns proposal ids,
    priority ids, scores) the batch writes them; without,
    it scores its proposals with the process's fitted engine. Pairs of a priority
    deleted or closed since the plan are skipped. The batch's matches and the
    job's progress are written in one transaction; ``done`` is capped at
    ``total`` so a redelivered batch cannot push the bar past 100 %.
    """
    job = RematchJob.objects.filter(pk=job_id).first()
    if job is None or job.state != JobState.RUNNING:
        return 0
    ids = [int(i) for i in proposal_ids]
    explain = job.total <= int(_setting("MATCHING_EXPLAIN_BULK_LIMIT", 2000))
    if pairs is None:
        fitted = adapter.city_engine(job.city_id)
        with transaction.atomic():
            _store(fitted, fitted.inputs_for(ids), explain=explain)
            _batch_done(job_id, ids)
        return len(ids)
    fitted_or_none = adapter.city_engine(job.city_id) if explain else None
    if fitted_or_none is not None:
        active = fitted_or_none.priority_ids
        inputs = {int(p.id): p for p in fitted_or_none.inputs_for(ids)}
        reviewed_as = _reviewed_pairs(ids)
    else:
        active = list(
            Priority.objects.active()
            .filter(city_id=job.city_id)
            .values_list("pk", flat=True)
        )
        inputs, reviewed_as = {}, {}
    live = set(active)
    proposals, priorities, scores = (list(c) for c in pairs)
    if not live.issuperset(priorities):
        kept = [i for i, pr in enumerate(priorities) if pr in live]
        proposals = [proposals[i] for i in kept]
        priorities = [priorities[i] for i in kept]
        scores = [scores[i] for i in kept]
    with transaction.atomic():
        if fitted_or_none is None:
            _write_bare(ids, active, (proposals, priorities, scores), version)
        else:
            wanted = zip(proposals, priorities, scores, strict=True)
            _write_pairs(
                fitted_or_none, inputs, ids, active, wanted, reviewed_as, version
            )
        _batch_done(job_id, ids)
    return len(ids)


def _batch_done(job_id: int, ids: Sequence[int]) -> None:
    Proposal.objects.filter(pk__in=ids).update(scored_at=timezone.now())
    RematchJob.objects.filter(pk=job_id).update(
        done=Least(F("done") + len(ids), F("total"))
    )


def rematch_finish(*, job_id: int) -> RematchJob | None:
    """Close the job; announce it to the coordinators; start a follow-up job when
    a priority changed while this one ran (its batches may have used the old
    text)."""
    job = RematchJob.objects.filter(pk=job_id).select_related("city").first()
    if job is None:
        return None
    if job.state in OPEN_STATES:
        _refresh_statistics(job.total)
    with transaction.atomic():
        closed = RematchJob.objects.filter(pk=job_id, state__in=OPEN_STATES).update(
            state=JobState.DONE, done=F("total"), finished_at=timezone.now()
        )
        job.refresh_from_db()
        if not closed:
            return job
        strong = Match.objects.filter(
            priority__city_id=job.city_id, score__gte=strong_score()
        ).count()
        notify_on_commit(
            recipient_ids=coordinators_of([job.city_id]),
            kind=NotificationKind.MATCH,
            event_key=f"rematch-done:{job.pk}",
            message=gettext_noop(
                "%(city)s re-scored: %(total)s proposals, %(strong)s strong matches."
            ),
            params={
                "city": job.city.name,
                "total": str(job.total),
                "strong": str(strong),
            },
            url=f"/cities/{job.city.slug}/priorities/",
        )
        # One follow-up at most: a chain would never end if clocks disagreed.
        changed = (
            job.started_at is not None
            and job.reason != FOLLOW_UP_REASON
            and Priority.objects.filter(
                city_id=job.city_id, updated_at__gt=job.started_at
            ).exists()
        )
        if changed:
            city = job.city
            transaction.on_commit(
                lambda: city_rematch_start(
                    actor=None,
                    city=city,
                    reason=FOLLOW_UP_REASON,
                )
            )
    return job


def _refresh_statistics(rows_rescored: int) -> None:
    """After a large re-score, let PostgreSQL re-read the matches table.

    A re-score of a large city writes hundreds of thousands of rows at once; until
    autovacuum analyses the table, the planner's stale estimates turn the indexed
    reads of scoring one new proposal into slow plans (measured after a 100,000-
    proposal re-score: 68-96 ms per new proposal before, 22-35 ms after).
    """
    if connection.vendor != "postgresql":
        return
    if rows_rescored < int(_setting("MATCHING_ANALYZE_FROM", 5000)):
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Match._meta.db_table)}")


def rematch_fail(*, job_id: int, error: str) -> None:
    _fail(job_id, error)


# --- Sweep --------------------------------------------------------------------------------------


def sweep_unscored(*, limit: int = 500) -> list[int]:
    """Proposals that need a score: never scored (the broker was down when they
    were submitted) or edited since. Also closes abandoned re-score jobs, so a
    lost chord never blocks a city's next re-score."""
    for job in RematchJob.objects.filter(state__in=OPEN_STATES):
        if _is_stale(job):
            log.warning("closing abandoned re-score job %s", job.pk)
            _fail(job.pk, "abandoned: no progress for too long")
    return list(
        Proposal.objects.filter(status__in=adapter.SWEPT_STATUSES)
        .filter(Q(scored_at__isnull=True) | Q(scored_at__lt=F("updated_at")))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


# --- Complements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Complement:
    """An organisation or a proposal that would complete ``proposal``."""

    target: Organisation | Proposal
    score: float
    reason: str


@dataclass(frozen=True)
class Complements:
    organisations: list[Complement]
    proposals: list[Complement]


def proposal_complements(
    *, user: Any, proposal: Proposal, limit: int = 5
) -> Complements:
    """Partners and proposals that would complete ``proposal``, with the reason.

    Shown to the proposal's authors and to its city's coordinators. Reads only the
    stored matches (never refits the engine): the proposal's best priorities
    come from its own matches, the other proposals' best priority from theirs.
    A bounded number of queries whatever the size of the city.
    """
    if not mperms.can_see_complements(user, proposal):
        raise PermissionDenied(
            _("Only the proposal's authors and the city's coordinators see this.")
        )
    own_input = adapter.proposal_inputs([proposal.pk])
    if not own_input:
        return Complements([], [])
    me = own_input[0]
    best = list(
        Match.objects.filter(proposal=proposal)
        .exclude(review=MatchReview.REJECTED)
        .order_by("-score", "priority_id")
        .values_list("priority_id", flat=True)[:3]
    )
    priorities = adapter.priority_inputs(
        Priority.objects.filter(pk__in=best).order_by("pk")
    )
    priorities.sort(key=lambda p: best.index(int(p.id)))
    organisations = [
        o
        for o in adapter.organisation_inputs(proposal.city_id)
        if not _already_in(proposal, int(o.id))
    ]
    org_hits = complement_organisations(me, priorities, organisations, limit=limit)

    candidate_ids = list(
        Proposal.objects.filter(
            city_id=proposal.city_id, status__in=adapter.SWEPT_STATUSES
        )
        .exclude(pk=proposal.pk)
        .order_by("-submitted_at", "-pk")
        .values_list("pk", flat=True)[: int(_setting("MATCHING_COMPLEMENT_POOL", 300))]
    )
    candidates = adapter.proposal_inputs(candidate_ids)
    best_of: dict[Any, Any] = {}
    for proposal_id, priority_id in (
        Match.objects.filter(proposal_id__in=[*candidate_ids, proposal.pk])
        .order_by("proposal_id", "-score", "priority_id")
        .values_list("proposal_id", "priority_id")
    ):
        best_of.setdefault(proposal_id, priority_id)
    proposal_hits = complement_proposals(
        me, candidates, best_priority=best_of, limit=limit
    )
    orgs = Organisation.objects.in_bulk([int(i) for i, _s, _r in org_hits])
    props = Proposal.objects.select_related("lead_organisation").in_bulk(
        [int(i) for i, _s, _r in proposal_hits]
    )
    priority_titles = dict(
        Priority.objects.filter(pk__in=set(best_of.values())).values_list("pk", "title")
    )
    return Complements(
        organisations=[
            Complement(orgs[int(i)], s, r) for i, s, r in org_hits if int(i) in orgs
        ],
        proposals=[
            Complement(props[int(i)], s, _name_priority(r, priority_titles))
            for i, s, r in proposal_hits
            if int(i) in props
        ],
    )


def _already_in(proposal: Proposal, organisation_id: int) -> bool:
    if organisation_id == proposal.lead_organisation_id:
        return True
    return organisation_id in _partner_ids(proposal)


def _partner_ids(proposal: Proposal) -> set[int]:
    cached = getattr(proposal, "_cw_partner_org_ids", None)
    if cached is None:
        cached = set(proposal.partners.values_list("organisation_id", flat=True))
        proposal._cw_partner_org_ids = cached  # type: ignore[attr-defined]
    return cached


def _name_priority(reason: str, titles: dict[int, str]) -> str:
    """The engine names priorities by id ("same best priority (12)"); people read
    titles."""
    for pk, title in titles.items():
        reason = reason.replace(
            f"same best priority ({pk})", f"same best priority: “{title}”"
        )
    return reason
