"""Projects: what a city's coordinators build from the best proposals, and how they
report on it.

Every function takes the acting user explicitly, asks
``projects.permissions_projects``, runs in one transaction and validates with
``full_clean()`` before writing. A refusal raises ``PermissionDenied`` or
``ValidationError`` (field errors where a field is at fault) and leaves the
database unchanged. Every change is written to the audit log; news reaches the
project's followers (and, at creation, the source proposals' audiences) through
``notify_on_commit``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders.models import District, NotificationKind, Organisation, User
from stakeholders.services import audit_record, notify_on_commit

from .. import caching
from .. import permissions_projects as perms
from ..markdown import render_markdown
from ..models import (
    MAX_AMOUNT,
    PROJECT_STATUS_FLOW,
    DeliveryModel,
    FinancingSource,
    FinancingStatus,
    Follow,
    ImpactIndicator,
    ImpactUnit,
    Match,
    MatchReview,
    Milestone,
    PartnerRole,
    PartnerState,
    Priority,
    Project,
    ProjectDelivery,
    ProjectImpact,
    ProjectPartner,
    ProjectRole,
    ProjectSource,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
    ProposalPartner,
    Sector,
)
from .matching import strong_score
from .proposals import _decimal, proposal_audience

MAX_SOURCES = 20
CENT = Decimal("0.01")

#: How a proposal's delivery model reads as a project's.
DELIVERY_FROM_PROPOSAL: dict[str, str] = {
    DeliveryModel.PUBLIC_PROCUREMENT: ProjectDelivery.PUBLIC_PROCUREMENT,
    DeliveryModel.PPP: ProjectDelivery.PPP,
    DeliveryModel.CONCESSION: ProjectDelivery.CONCESSION,
    DeliveryModel.PRIVATE_INVESTMENT: ProjectDelivery.PRIVATE,
    DeliveryModel.BOND: ProjectDelivery.PUBLIC_PROCUREMENT,
    DeliveryModel.GRANT: ProjectDelivery.GRANT,
    DeliveryModel.COOPERATIVE: ProjectDelivery.PRIVATE,
}

#: A proposal partner's role in the project it becomes part of.
ROLE_FROM_PARTNER: dict[str, str] = {
    PartnerRole.PARTNER: ProjectRole.PARTNER,
    PartnerRole.FINANCER: ProjectRole.FINANCER,
    PartnerRole.OPERATOR: ProjectRole.OPERATOR,
    PartnerRole.RESEARCH: ProjectRole.PARTNER,
}

#: The news of each status, one sentence each so that every language can say it
#: (a status code in a sentence would be shown as a code).
STATUS_NEWS: dict[str, str] = {
    ProjectStatus.PLANNED: gettext_noop("The project “%(title)s” is planned again."),
    ProjectStatus.PROCUREMENT: gettext_noop(
        "The project “%(title)s” is in procurement: the city is choosing who "
        "delivers it."
    ),
    ProjectStatus.IN_PROGRESS: gettext_noop("Work on the project “%(title)s” began."),
    ProjectStatus.COMPLETED: gettext_noop("The project “%(title)s” is completed."),
    ProjectStatus.CANCELLED: gettext_noop("The project “%(title)s” was cancelled."),
}

EDITABLE_FIELDS = (
    "title",
    "summary",
    "body",
    "delivery_model",
    "procurement_reference",
    "budget",
    "currency",
    "district",
)


# --- helpers ---------------------------------------------------------------------------


def _require_manager(actor: Any, project: Project) -> None:
    if not perms.can_manage_project(actor, project):
        raise PermissionDenied(
            _("Only a coordinator of this city can change its projects.")
        )


def _money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A sum of money given as text or a number: two decimals, within bounds."""
    number = _decimal(value, field)
    if number is None:
        raise ValidationError({field: _("Enter an amount.")})
    if number > MAX_AMOUNT:
        raise ValidationError({field: _("This amount is too large.")})
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if number < 0 or (positive and number <= 0):
        raise ValidationError({field: _("Enter an amount above zero.")})
    return number


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from exc


def _not_in_future(day: date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            {field: _("This date is in the future: report it once it has happened.")}
        )


def format_amount(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def financing_total(project: Project, *, excluding: int | None = None) -> Decimal:
    rows = FinancingSource.objects.filter(project_id=project.pk)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _check_within_budget(project: Project, total: Decimal, field: str) -> None:
    if total > project.budget:
        raise ValidationError(
            {
                field: _(
                    "The financing would add up to %(total)s, more than the "
                    "project's budget of %(budget)s (%(over)s too much). Lower the "
                    "amount or raise the budget first."
                )
                % {
                    "total": format_amount(total, project.currency),
                    "budget": format_amount(project.budget, project.currency),
                    "over": format_amount(total - project.budget, project.currency),
                }
            }
        )


def _follower_ids(project: Project) -> list[int]:
    return list(
        Follow.objects.filter(project_id=project.pk).values_list("user_id", flat=True)
    )


def _notify_followers(
    project: Project, *, actor: User, event_key: str, message: str, params: dict
) -> None:
    notify_on_commit(
        recipient_ids=_follower_ids(project),
        kind=NotificationKind.PROJECT,
        event_key=event_key,
        message=message,
        params={"title": project.title[:80], **params},
        url=project.get_absolute_url(),
        actor=actor,
    )


def _bump_sources(project: Project) -> None:
    """The source proposals' pages show the project ("became part of"): retire
    their cached copies when what they show of it changes."""
    for proposal_id in ProjectSource.objects.filter(project_id=project.pk).values_list(
        "proposal_id", flat=True
    ):
        caching.bump(proposal_id)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _audit(
    actor: User, action: str, target: Any, project: Project, **data: Any
) -> None:
    audit_record(
        actor=actor,
        action=f"project.{action}",
        target=target,
        city=project.city_id,
        data={"project": project.pk, **data},
    )


# --- creation ---------------------------------------------------------------------------


def _check_sources(proposals: Sequence[Proposal]) -> None:
    if not proposals:
        raise ValidationError(
            {"proposals": _("Choose at least one proposal to build the project from.")}
        )
    if len(proposals) > MAX_SOURCES:
        raise ValidationError(
            {
                "proposals": _("A project is built from at most %(n)d proposals.")
                % {"n": MAX_SOURCES}
            }
        )
    cities = {p.city_id for p in proposals}
    if len(cities) > 1:
        raise ValidationError(
            {
                "proposals": _(
                    "These proposals come from different cities; a project belongs "
                    "to one city and is built from that city's proposals only."
                )
            }
        )
    closed = [p for p in proposals if p.status not in perms.PROJECT_SOURCE_STATUSES]
    if closed:
        raise ValidationError(
            {
                "proposals": _(
                    "Only submitted, under review, shortlisted or accepted proposals "
                    "can become a project; not: %(titles)s."
                )
                % {
                    "titles": "; ".join(
                        f"“{p.title}” ({p.get_status_display()})" for p in closed
                    )
                }
            }
        )
    taken = list(
        ProjectSource.objects.filter(proposal__in=proposals)
        .select_related("proposal", "project")
        .order_by("pk")
    )
    if taken:
        raise ValidationError(
            {
                "proposals": _(
                    "A proposal joins one project only; already part of a project: "
                    "%(titles)s."
                )
                % {
                    "titles": "; ".join(
                        f"“{s.proposal.title}” → “{s.project.title}”" for s in taken
                    )
                }
            }
        )


def _addressed_priorities(proposals: Sequence[Proposal]) -> list[Priority]:
    """Priorities a coordinator confirmed for a source proposal, or that one
    matches strongly (unless a coordinator rejected that match)."""
    ids = (
        Match.objects.filter(proposal__in=proposals)
        .filter(Q(review=MatchReview.CONFIRMED) | Q(score__gte=strong_score()))
        .exclude(review=MatchReview.REJECTED)
        .values_list("priority_id", flat=True)
    )
    return list(Priority.objects.filter(pk__in=set(ids)))


def _carried_partners(
    project: Project, proposals: Sequence[Proposal]
) -> list[ProjectPartner]:
    """The lead organisations (lead) and the partners that accepted, in their
    role, each (organisation, role) once."""
    rows: dict[tuple[int, str], ProjectPartner] = {}
    for proposal in proposals:
        key = (proposal.lead_organisation_id, ProjectRole.LEAD)
        rows.setdefault(
            key,
            ProjectPartner(
                project=project,
                organisation_id=proposal.lead_organisation_id,
                role=ProjectRole.LEAD,
                contribution=_("Led the proposal “%(title)s”.")
                % {"title": proposal.title[:100]},
            ),
        )
    accepted = ProposalPartner.objects.filter(
        proposal__in=proposals, state=PartnerState.ACCEPTED
    ).order_by("pk")
    for partner in accepted:
        role = ROLE_FROM_PARTNER.get(partner.role, ProjectRole.PARTNER)
        rows.setdefault(
            (partner.organisation_id, role),
            ProjectPartner(
                project=project,
                organisation_id=partner.organisation_id,
                role=role,
                contribution=partner.contribution[:1000],
            ),
        )
    return list(rows.values())


def _summed_impacts(
    project: Project, proposals: Sequence[Proposal]
) -> list[ProjectImpact]:
    """Expected impacts of the proposals, summed per indicator and unit."""
    from ..models import ExpectedImpact

    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for impact in ExpectedImpact.objects.filter(proposal__in=proposals):
        totals[(impact.indicator, impact.unit)] += impact.amount
    return [
        ProjectImpact(
            project=project,
            indicator=indicator,
            unit=unit,
            expected=min(amount, MAX_AMOUNT),
        )
        for (indicator, unit), amount in sorted(totals.items())
    ]


def project_create(
    *,
    actor: User,
    proposals: Sequence[Proposal],
    title: str = "",
    summary: str = "",
    body: str = "",
    delivery_model: str = "",
    procurement_reference: str = "",
    budget: Any = None,
    currency: str = "",
    district: District | None = None,
) -> Project:
    """A coordinator of the city builds a project from one or more of its
    proposals (submitted, under review, shortlisted or accepted, none already in a
    project). Left empty, the title, summary, delivery model, budget (the sum of
    capital costs) and currency come from the proposals. Sectors, priorities
    confirmed or strongly matched, lead organisations and accepted partners, and
    expected impacts (summed per indicator and unit) are carried over. The source
    proposals link to the project; their authors and followers are told, and
    follow the project from then on."""
    proposals = list({p.pk: p for p in proposals}.values())
    if len({p.city_id for p in proposals}) > 1:
        _check_sources(proposals)  # says which cities, before who may act
    if proposals and not perms.can_create_project(actor, proposals[0].city_id):
        raise PermissionDenied(
            _("Only a coordinator of the proposals' city can create a project.")
        )
    _check_sources(proposals)
    first = proposals[0]
    currencies = {p.currency for p in proposals}
    chosen_currency = (currency or "").strip().upper() or first.currency
    if budget in (None, ""):
        if len(currencies) > 1:
            raise ValidationError(
                {
                    "budget": _(
                        "The proposals are costed in different currencies: give "
                        "the project's budget."
                    )
                }
            )
        budget_value = sum(
            (p.capital_cost or Decimal(0) for p in proposals), Decimal(0)
        )
        budget_value = min(budget_value, MAX_AMOUNT)
    else:
        budget_value = _money(budget, "budget")
    if district is not None and district.city_id != first.city_id:
        raise ValidationError({"district": _("This district is not in the city.")})
    with transaction.atomic():
        # Lock the proposals so two coordinators cannot put one in two projects.
        locked = list(
            Proposal.objects.select_for_update()
            .filter(pk__in=[p.pk for p in proposals])
            .order_by("pk")
        )
        _check_sources(locked)
        by_pk = {p.pk: p for p in locked}
        proposals = [by_pk[p.pk] for p in proposals]
        project = Project(
            city_id=first.city_id,
            title=(title or "").strip() or first.title,
            summary=(summary or "").strip() or first.summary,
            body=body or "",
            body_html=render_markdown(body or ""),
            delivery_model=delivery_model
            or DELIVERY_FROM_PROPOSAL.get(
                first.delivery_model, ProjectDelivery.PUBLIC_PROCUREMENT
            ),
            procurement_reference=(procurement_reference or "").strip(),
            budget=budget_value,
            currency=chosen_currency,
            district=district
            if district is not None
            else (first.district if len(proposals) == 1 else None),
            created_by=actor,
        )
        project.full_clean()
        project.save()
        project.sectors.set(Sector.objects.filter(proposals__in=proposals).distinct())
        project.priorities.set(_addressed_priorities(proposals))
        ProjectPartner.objects.bulk_create(_carried_partners(project, proposals))
        ProjectImpact.objects.bulk_create(_summed_impacts(project, proposals))
        try:
            with transaction.atomic():
                ProjectSource.objects.bulk_create(
                    [ProjectSource(project=project, proposal=p) for p in proposals]
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"proposals": _("One of these proposals joined a project meanwhile.")}
            ) from exc
        audience: set[int] = {actor.pk}
        for proposal in proposals:
            people = proposal_audience(proposal)
            audience.update(people)
            notify_on_commit(
                recipient_ids=people,
                kind=NotificationKind.PROJECT,
                event_key=f"project-created:{project.pk}:{proposal.pk}",
                message=gettext_noop(
                    "“%(proposal)s” became part of the project “%(title)s”."
                ),
                params={"proposal": proposal.title[:80], "title": project.title[:80]},
                url=project.get_absolute_url(),
                actor=actor,
            )
            caching.bump(proposal.pk)
        Follow.objects.bulk_create(
            [Follow(user_id=uid, project=project) for uid in sorted(audience)],
            ignore_conflicts=True,
        )
        project.follower_count = follower_count_refresh(project)
        _audit(
            actor,
            "create",
            project,
            project,
            proposals=[p.pk for p in proposals],
        )
    return project


# --- details and status ------------------------------------------------------------------


def project_update(
    *,
    actor: User,
    project: Project,
    priorities: Iterable[Priority] | None = None,
    sectors: Iterable[Sector] | None = None,
    **fields: Any,
) -> Project:
    """Change a project's details: title, summary, description, delivery model,
    procurement reference, budget (never below the financing already recorded),
    currency, district, priorities addressed and sectors."""
    _require_manager(actor, project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    with transaction.atomic():
        locked = _locked(project)
        changed = []
        for key, value in fields.items():
            if key == "budget":
                value = _money(value, "budget")
            elif key == "currency":
                value = (value or "").strip().upper()
            elif isinstance(value, str) and key != "body":
                value = value.strip()
            if getattr(locked, key) != value:
                changed.append(key)
            setattr(locked, key, value)
        if locked.district_id and locked.district.city_id != locked.city_id:
            raise ValidationError({"district": _("This district is not in the city.")})
        locked.body_html = render_markdown(locked.body)
        locked.full_clean()
        if "budget" in fields:
            total = financing_total(locked)
            if locked.budget < total:
                raise ValidationError(
                    {
                        "budget": _(
                            "The financing already adds up to %(total)s: the budget "
                            "cannot be lower. Remove or lower a source first."
                        )
                        % {"total": format_amount(total, locked.currency)}
                    }
                )
        locked.save()
        if priorities is not None:
            chosen = list(priorities)
            if any(p.city_id != locked.city_id for p in chosen):
                raise ValidationError(
                    {"priorities": _("Choose priorities of the project's city.")}
                )
            locked.priorities.set(chosen)
            changed.append("priorities")
        if sectors is not None:
            locked.sectors.set(list(sectors))
            changed.append("sectors")
        if "title" in changed:
            _bump_sources(locked)
        _audit(actor, "update", locked, locked, fields=sorted(changed))
    return locked


def project_set_status(
    *, actor: User, project: Project, to_status: str, on: Any = None
) -> Project:
    """Move a project along ``PROJECT_STATUS_FLOW``. Starting work records the
    start date, completing it the completion date (today, or ``on``: a past date
    when the news is reported late). Followers are told."""
    _require_manager(actor, project)
    if to_status not in ProjectStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    day = _date(on, "on") or timezone.localdate()
    _not_in_future(day, "on")
    with transaction.atomic():
        locked = _locked(project)
        old = locked.status
        if to_status not in PROJECT_STATUS_FLOW.get(old, set()):
            raise ValidationError(
                {
                    "status": _("A project that is %(from)s cannot become %(to)s.")
                    % {
                        "from": ProjectStatus(old).label,
                        "to": ProjectStatus(to_status).label,
                    }
                }
            )
        locked.status = to_status
        if to_status == ProjectStatus.IN_PROGRESS and locked.started_on is None:
            locked.started_on = day
        if to_status == ProjectStatus.COMPLETED:
            if locked.started_on and day < locked.started_on:
                raise ValidationError(
                    {
                        "on": _(
                            "The project cannot be completed before it started "
                            "(%(day)s)."
                        )
                        % {"day": locked.started_on.isoformat()}
                    }
                )
            locked.completed_on = day
        locked.full_clean()
        locked.save()
        _bump_sources(locked)
        _notify_followers(
            locked,
            actor=actor,
            event_key=f"project-status:{locked.pk}:{to_status}:{timezone.now().timestamp()}",
            message=STATUS_NEWS[to_status],
            params={},
        )
        audit_record(
            actor=actor,
            action="project.status",
            target=locked,
            city=locked.city_id,
            data={"project": locked.pk, "from": old, "to": to_status},
        )
    return locked


# --- partners ------------------------------------------------------------------------------


def project_partner_add(
    *,
    actor: User,
    project: Project,
    organisation: Organisation,
    role: str,
    contribution: str = "",
) -> ProjectPartner:
    _require_manager(actor, project)
    partner = ProjectPartner(
        project=project,
        organisation=organisation,
        role=role,
        contribution=(contribution or "").strip(),
    )
    partner.full_clean(validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "organisation": _("%(name)s is already a %(role)s of this project.")
                    % {
                        "name": organisation.name,
                        "role": str(ProjectRole(role).label).lower(),
                    }
                }
            ) from exc
        _audit(
            actor,
            "partner_add",
            partner,
            project,
            organisation=organisation.pk,
            role=role,
        )
    return partner


def project_partner_remove(*, actor: User, partner: ProjectPartner) -> None:
    project = partner.project
    _require_manager(actor, project)
    with transaction.atomic():
        _audit(
            actor,
            "partner_remove",
            partner,
            project,
            organisation=partner.organisation_id,
            role=partner.role,
        )
        partner.delete()


# --- financing -------------------------------------------------------------------------------


def financing_add(
    *,
    actor: User,
    project: Project,
    kind: str,
    amount: Any,
    status: str = FinancingStatus.PLANNED,
    organisation: Organisation | None = None,
    note: str = "",
) -> FinancingSource:
    """Add a source of money. The sources together may not exceed the budget."""
    _require_manager(actor, project)
    value = _money(amount, "amount", positive=True)
    with transaction.atomic():
        locked = _locked(project)
        source = FinancingSource(
            project=locked,
            kind=kind,
            amount=value,
            status=status or FinancingStatus.PLANNED,
            organisation=organisation,
            note=(note or "").strip(),
        )
        source.full_clean()
        _check_within_budget(locked, financing_total(locked) + value, "amount")
        source.save()
        _audit(
            actor,
            "financing_add",
            source,
            locked,
            kind=kind,
            amount=str(value),
        )
    return source


def financing_change(
    *,
    actor: User,
    source: FinancingSource,
    kind: str | None = None,
    amount: Any = None,
    status: str | None = None,
    organisation: Organisation | None | bool = False,
    note: str | None = None,
) -> FinancingSource:
    """Change a source (its amount, status, financer…); the sources together
    still may not exceed the budget. ``organisation=None`` clears the financer;
    leaving it out keeps it."""
    _require_manager(actor, source.project)
    with transaction.atomic():
        locked = _locked(source.project)
        row = FinancingSource.objects.select_for_update().get(pk=source.pk)
        if kind is not None:
            row.kind = kind
        if amount is not None:
            row.amount = _money(amount, "amount", positive=True)
        if status is not None:
            row.status = status
        if organisation is not False:
            row.organisation = organisation  # type: ignore[assignment]
        if note is not None:
            row.note = note.strip()
        row.full_clean()
        _check_within_budget(
            locked, financing_total(locked, excluding=row.pk) + row.amount, "amount"
        )
        row.save()
        _audit(
            actor,
            "financing_change",
            row,
            locked,
            kind=row.kind,
            amount=str(row.amount),
            status=row.status,
        )
    return row


def financing_remove(*, actor: User, source: FinancingSource) -> None:
    project = source.project
    _require_manager(actor, project)
    with transaction.atomic():
        _audit(
            actor,
            "financing_remove",
            source,
            project,
            kind=source.kind,
            amount=str(source.amount),
        )
        source.delete()


# --- milestones ---------------------------------------------------------------------------------


def milestone_add(
    *, actor: User, project: Project, title: str, due_on: Any, done_on: Any = None
) -> Milestone:
    _require_manager(actor, project)
    milestone = Milestone(
        project=project,
        title=(title or "").strip(),
        due_on=_date(due_on, "due_on"),  # type: ignore[misc]
        done_on=_date(done_on, "done_on"),
    )
    if milestone.due_on is None:
        raise ValidationError({"due_on": _("Give the date it is due.")})
    _not_in_future(milestone.done_on, "done_on")
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        _audit(actor, "milestone_add", milestone, project, title=milestone.title)
    return milestone


def milestone_change(
    *,
    actor: User,
    milestone: Milestone,
    title: str | None = None,
    due_on: Any = None,
    done_on: Any = False,
) -> Milestone:
    """Change a milestone's title or due date, or its done date (``None`` marks
    it not done again; leaving it out keeps it)."""
    _require_manager(actor, milestone.project)
    with transaction.atomic():
        row = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if title is not None:
            row.title = title.strip()
        if due_on not in (None, ""):
            row.due_on = _date(due_on, "due_on")  # type: ignore[assignment]
        if done_on is not False:
            row.done_on = _date(done_on, "done_on")
            _not_in_future(row.done_on, "done_on")
        row.full_clean()
        row.save()
        _audit(actor, "milestone_change", row, milestone.project, title=row.title)
    return row


def milestone_mark_done(
    *, actor: User, milestone: Milestone, done_on: Any = None
) -> Milestone:
    """Mark a milestone done, today or on a past date; never before it was
    created, never in the future. Followers are told."""
    _require_manager(actor, milestone.project)
    day = _date(done_on, "done_on") or timezone.localdate()
    _not_in_future(day, "done_on")
    with transaction.atomic():
        row = Milestone.objects.select_for_update().get(pk=milestone.pk)
        row.done_on = day
        row.full_clean()
        row.save(update_fields=["done_on"])
        project = milestone.project
        _notify_followers(
            project,
            actor=actor,
            event_key=f"project-milestone:{row.pk}:{day.isoformat()}",
            message=gettext_noop("“%(title)s”: milestone reached, “%(milestone)s”."),
            params={"milestone": row.title[:80]},
        )
        _audit(actor, "milestone_done", row, project, done_on=day.isoformat())
    return row


def milestone_remove(*, actor: User, milestone: Milestone) -> None:
    _require_manager(actor, milestone.project)
    with transaction.atomic():
        _audit(
            actor,
            "milestone_remove",
            milestone,
            milestone.project,
            title=milestone.title,
        )
        milestone.delete()


# --- impacts -----------------------------------------------------------------------------------


def impact_add(
    *,
    actor: User,
    project: Project,
    indicator: str,
    unit: str,
    expected: Any,
) -> ProjectImpact:
    """Add an impact the project promises (those of the proposals are carried
    over at creation)."""
    from ..models import IMPACT_UNITS

    _require_manager(actor, project)
    impact = ProjectImpact(
        project=project,
        indicator=indicator,
        unit=unit,
        expected=_money(expected, "expected"),
    )
    impact.full_clean(validate_constraints=False)
    allowed = IMPACT_UNITS.get(indicator)
    if allowed is not None and unit not in allowed:
        raise ValidationError(
            {
                "unit": _("%(unit)s is not a unit of %(indicator)s.")
                % {
                    "unit": ImpactUnit(unit).label,
                    "indicator": ImpactIndicator(indicator).label,
                }
            }
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                impact.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"indicator": _("This impact is already listed: report on it instead.")}
            ) from exc
        _audit(actor, "impact_add", impact, project, indicator=indicator)
    return impact


def impact_report(
    *,
    actor: User,
    impact: ProjectImpact,
    measured: Any,
    measured_on: Any,
    note: str,
) -> ProjectImpact:
    """Report what an impact measured: the value, the date of the measure (not in
    the future) and how it was measured."""
    project = impact.project
    _require_manager(actor, project)
    value = _money(measured, "measured")
    day = _date(measured_on, "measured_on")
    if day is None:
        raise ValidationError({"measured_on": _("Give the date of the measure.")})
    _not_in_future(day, "measured_on")
    how = (note or "").strip()
    if not how:
        raise ValidationError(
            {"note": _("Say how it was measured (meter readings, a survey…).")}
        )
    with transaction.atomic():
        row = ProjectImpact.objects.select_for_update().get(pk=impact.pk)
        row.measured = value
        row.measured_on = day
        row.note = how
        row.full_clean()
        row.save()
        _notify_followers(
            project,
            actor=actor,
            event_key=f"project-impact:{row.pk}:{day.isoformat()}:{value}",
            message=gettext_noop("“%(title)s” reported a measured impact."),
            params={},
        )
        _audit(
            actor,
            "impact_report",
            row,
            project,
            indicator=row.indicator,
            measured=str(value),
            measured_on=day.isoformat(),
        )
    return row


# --- updates --------------------------------------------------------------------------------


def project_update_publish(
    *, actor: User, project: Project, title: str, body: str
) -> ProjectUpdate:
    """Publish a progress report (Markdown, sanitised). Followers are told."""
    _require_manager(actor, project)
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write what happened.")})
    update = ProjectUpdate(
        project=project,
        author=actor,
        title=(title or "").strip(),
        body=text,
        body_html=render_markdown(text),
    )
    update.full_clean()
    with transaction.atomic():
        update.save()
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
        _notify_followers(
            project,
            actor=actor,
            event_key=f"project-update:{update.pk}",
            message=gettext_noop("News of the project “%(title)s”: %(update)s"),
            params={"update": update.title[:80]},
        )
        _audit(actor, "update_publish", update, project, title=update.title)
    return update


# --- follows (counter kept here and by the conversation services) ---------------------------


def follower_count_refresh(project: Project) -> int:
    count = Follow.objects.filter(project_id=project.pk).count()
    Project.objects.filter(pk=project.pk).update(follower_count=count)
    return count
