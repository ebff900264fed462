"""Project pages: the public list and detail, and the coordinator's pages to build
a project from proposals and manage it (details, status, partners, financing,
milestones, impacts, updates).

Views read through ``selectors_projects``, write through ``services.projects``,
ask ``permissions_projects``, and only translate between HTTP and those. Every
action is a plain POST form that redirects back to the management page; a refusal
shows that page again with the message next to the field, status 400, nothing
saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stakeholders import permissions as sp
from stakeholders.forms import apply_validation_error
from stakeholders.models import City

from . import permissions_projects as perms
from . import selectors_projects as selectors
from .forms_projects import (
    FinancingChangeForm,
    FinancingForm,
    ImpactForm,
    ImpactReportForm,
    MilestoneDoneForm,
    MilestoneForm,
    PartnerForm,
    ProjectCreateForm,
    ProjectEditForm,
    ProjectFilterForm,
    StatusForm,
    UpdateForm,
)
from .models import (
    FinancingSource,
    FinancingStatus,
    Milestone,
    Project,
    ProjectImpact,
    ProjectPartner,
    Proposal,
)
from .services import projects as services
from .views_conversation import project_follow_context, thread_context

PAGE_SIZE = 12


def _project_or_404(pk: int) -> Project:
    try:
        return selectors.project_detail(pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404(_("No such project.")) from exc


def _managed_or_403(request: HttpRequest, pk: int) -> Project:
    project = _project_or_404(pk)
    if not perms.can_manage_project(request.user, project):
        raise PermissionDenied(
            _(
                "Only a coordinator of this city (with two-factor authentication) "
                "can manage its projects."
            )
        )
    return project


# --- public pages ------------------------------------------------------------------------------


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """Every city's projects, filtered by city, status, delivery model and sector,
    twelve a page: four queries whatever the page's length (the count, the rows
    with their city, their sectors, and the filter's choices)."""
    form = ProjectFilterForm(request.GET or None)
    filters = selectors.ProjectFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProjectFilters(
            city=data["city"],
            status=data["status"],
            delivery_model=data["delivery"],
            sector=data["sector"],
        )
    paginator = Paginator(selectors.project_list(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(vars(filters).values())
    return render(
        request,
        "projects/project_list.html",
        {
            "filters": form,
            "page_obj": page,
            "filtered": filtered,
            "can_create": sp.is_any_coordinator(request.user),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def detail_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """Everything the detail page shows, in a fixed number of queries."""
    return {
        "project": project,
        "mix": selectors.financing_mix(project),
        "timeline": selectors.milestone_timeline(project),
        "partner_groups": selectors.partners_by_role(project),
        "financing": list(project.financing.all()),
        "updates": list(project.updates.all()),
        "impacts": list(project.impacts.all()),
        "sources": list(project.sources.all()),
        "can_manage": perms.can_manage_project(request.user, project),
        "conversation": thread_context(request, project=project),
        "follow": project_follow_context(request, project),
    }


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    return render(
        request, "projects/project_detail.html", detail_context(request, project)
    )


# --- creating and editing ------------------------------------------------------------------------


def _creation_city(request: HttpRequest) -> tuple[City | None, Proposal | None]:
    """The city the project is for: the proposal's it starts from
    (``?proposal=``), ``?city=slug``, or the only city the coordinator
    coordinates."""
    proposal = None
    raw = request.GET.get("proposal", "")
    if raw.isdigit():
        proposal = (
            Proposal.objects.visible_to(request.user)
            .select_related("city")
            .filter(pk=int(raw))
            .first()
        )
        if proposal is not None:
            return proposal.city, proposal
    slug = request.GET.get("city", "")
    if slug:
        return get_object_or_404(City, slug=slug), None
    cities = sp.coordinated_city_ids(request.user)
    if len(cities) == 1:
        return City.objects.get(pk=next(iter(cities))), None
    return None, None


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    city, proposal = _creation_city(request)
    if city is None:
        if not sp.is_any_coordinator(request.user):
            raise PermissionDenied(_("Only a city's coordinators can create projects."))
        cities = (
            City.objects.order_by("name")
            if sp.staff_power(request.user)
            else City.objects.filter(
                pk__in=sp.coordinated_city_ids(request.user)
            ).order_by("name")
        )
        return render(request, "projects/project_city_choice.html", {"cities": cities})
    if not perms.can_create_project(request.user, city):
        raise PermissionDenied(
            _("Only a coordinator of %(city)s can create its projects.")
            % {"city": city.name}
        )
    initial = {"proposals": [proposal.pk]} if proposal is not None else {}
    form = ProjectCreateForm(
        request.POST or None, city_id=city.pk, user=request.user, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.project_create(
                    actor=request.user,  # type: ignore[arg-type]
                    proposals=list(data["proposals"]),
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    delivery_model=data["delivery_model"],
                    procurement_reference=data["procurement_reference"],
                    budget=data["budget"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Project created. The authors and followers of its "
                        "proposals are told."
                    ),
                )
                return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "city": city, "creating": True},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    initial = {
        "title": project.title,
        "summary": project.summary,
        "body": project.body,
        "delivery_model": project.delivery_model,
        "procurement_reference": project.procurement_reference,
        "budget": project.budget,
        "priorities": [p.pk for p in project.priorities.all()],
    }
    form = ProjectEditForm(
        request.POST or None, city_id=project.city_id, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            priorities = data.pop("priorities")
            try:
                services.project_update(
                    actor=request.user,  # type: ignore[arg-type]
                    project=project,
                    priorities=priorities,
                    **data,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Project saved."))
                return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "city": project.city, "creating": False},
        status=status,
    )


# --- management page and its actions ------------------------------------------------------------------


def _manage_forms(project: Project) -> dict[str, Any]:
    return {
        "status_form": StatusForm(current=project.status, prefix="status"),
        "partner_form": PartnerForm(prefix="partner"),
        "financing_form": FinancingForm(prefix="financing"),
        "milestone_form": MilestoneForm(prefix="milestone"),
        "impact_form": ImpactForm(prefix="impact"),
        "update_form": UpdateForm(prefix="update"),
    }


def _manage_response(
    request: HttpRequest,
    project: Project,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "project": project,
        "mix": selectors.financing_mix(project),
        "timeline": selectors.milestone_timeline(project),
        "partner_groups": selectors.partners_by_role(project),
        "financing": list(project.financing.all()),
        "impacts": list(project.impacts.all()),
        "financing_statuses": FinancingStatus.choices,
        **_manage_forms(project),
        **(bound or {}),
    }
    return render(request, "projects/project_manage.html", context, status=status)


@login_required
@require_GET
def project_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_response(request, _managed_or_403(request, pk))


def _back_to(project: Project, anchor: str) -> HttpResponse:
    """Back to the project's management page, at the section just changed."""
    return redirect(f"{reverse('project-manage', kwargs={'pk': project.pk})}#{anchor}")


def _act(
    request: HttpRequest,
    project: Project,
    *,
    form: Any,
    name: str,
    action: Callable[[dict[str, Any]], Any],
    done: str,
    anchor: str,
) -> HttpResponse:
    """Validate the form, call the service, and either go back to the page with a
    message or show it again with the refusal next to the field (400)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return _back_to(project, anchor)
    return _manage_response(request, project, bound={name: form}, status=400)


@login_required
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = StatusForm(request.POST, current=project.status, prefix="status")
    return _act(
        request,
        project,
        form=form,
        name="status_form",
        action=lambda d: services.project_set_status(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            to_status=d["status"],
            on=d["on"],
        ),
        done=_("Status changed; followers are told."),
        anchor="status",
    )


@login_required
@require_POST
def project_partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = PartnerForm(request.POST, prefix="partner")
    return _act(
        request,
        project,
        form=form,
        name="partner_form",
        action=lambda d: services.project_partner_add(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            organisation=d["organisation"],
            role=d["role"],
            contribution=d["contribution"],
        ),
        done=_("Partner added."),
        anchor="partners",
    )


@login_required
@require_POST
def project_partner_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    partner = get_object_or_404(ProjectPartner, pk=item, project=project)
    services.project_partner_remove(actor=request.user, partner=partner)  # type: ignore[arg-type]
    messages.success(request, _("Partner removed."))
    return _back_to(project, "partners")


@login_required
@require_POST
def project_financing_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = FinancingForm(request.POST, prefix="financing")
    return _act(
        request,
        project,
        form=form,
        name="financing_form",
        action=lambda d: services.financing_add(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            kind=d["kind"],
            amount=d["amount"],
            status=d["status"],
            organisation=d["organisation"],
            note=d["note"],
        ),
        done=_("Financing source added."),
        anchor="financing",
    )


@login_required
@require_POST
def project_financing_change(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    source = get_object_or_404(FinancingSource, pk=item, project=project)
    form = FinancingChangeForm(request.POST, prefix=f"source-{source.pk}")
    if not form.is_valid():
        messages.error(request, _("Give an amount and a status."))
        return _manage_response(request, project, status=400)
    try:
        services.financing_change(
            actor=request.user,  # type: ignore[arg-type]
            source=source,
            amount=form.cleaned_data["amount"],
            status=form.cleaned_data["status"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _manage_response(request, _project_or_404(pk), status=400)
    messages.success(request, _("Financing source saved."))
    return _back_to(project, "financing")


@login_required
@require_POST
def project_financing_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    source = get_object_or_404(FinancingSource, pk=item, project=project)
    services.financing_remove(actor=request.user, source=source)  # type: ignore[arg-type]
    messages.success(request, _("Financing source removed."))
    return _back_to(project, "financing")


@login_required
@require_POST
def project_milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = MilestoneForm(request.POST, prefix="milestone")
    return _act(
        request,
        project,
        form=form,
        name="milestone_form",
        action=lambda d: services.milestone_add(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            title=d["title"],
            due_on=d["due_on"],
        ),
        done=_("Milestone added."),
        anchor="milestones",
    )


@login_required
@require_POST
def project_milestone_done(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    milestone = get_object_or_404(Milestone, pk=item, project=project)
    form = MilestoneDoneForm(request.POST, prefix=f"milestone-{milestone.pk}")
    error = ""
    if form.is_valid():
        try:
            services.milestone_mark_done(
                actor=request.user,  # type: ignore[arg-type]
                milestone=milestone,
                done_on=form.cleaned_data["done_on"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Enter a date as YYYY-MM-DD.")
    if error:
        messages.error(request, error)
        return _manage_response(request, project, status=400)
    messages.success(request, _("Milestone marked done; followers are told."))
    return _back_to(project, "milestones")


@login_required
@require_POST
def project_milestone_change(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """A milestone's new title or due date (plans change)."""
    project = _managed_or_403(request, pk)
    milestone = get_object_or_404(Milestone, pk=item, project=project)
    form = MilestoneForm(request.POST, prefix=f"change-{milestone.pk}")
    errors: list[str] = []
    if form.is_valid():
        try:
            services.milestone_change(
                actor=request.user,  # type: ignore[arg-type]
                milestone=milestone,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            errors = list(exc.messages)
    else:
        errors = [
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
        ]
    if errors:
        for message in errors:
            messages.error(request, message)
        return _manage_response(request, project, status=400)
    messages.success(request, _("Milestone saved."))
    return _back_to(project, "milestones")


@login_required
@require_POST
def project_milestone_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    milestone = get_object_or_404(Milestone, pk=item, project=project)
    services.milestone_remove(actor=request.user, milestone=milestone)  # type: ignore[arg-type]
    messages.success(request, _("Milestone removed."))
    return _back_to(project, "milestones")


@login_required
@require_POST
def project_impact_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = ImpactForm(request.POST, prefix="impact")
    return _act(
        request,
        project,
        form=form,
        name="impact_form",
        action=lambda d: services.impact_add(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            indicator=d["indicator"],
            unit=d["unit"],
            expected=d["expected"],
        ),
        done=_("Impact added."),
        anchor="impacts",
    )


@login_required
@require_POST
def project_impact_report(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    impact = get_object_or_404(ProjectImpact, pk=item, project=project)
    form = ImpactReportForm(request.POST, prefix=f"impact-{impact.pk}")
    errors: list[str] = []
    if form.is_valid():
        try:
            services.impact_report(
                actor=request.user,  # type: ignore[arg-type]
                impact=impact,
                measured=form.cleaned_data["measured"],
                measured_on=form.cleaned_data["measured_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors = list(exc.messages)
    else:
        errors = [
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
        ]
    if errors:
        for message in errors:
            messages.error(request, message)
        return _manage_response(request, project, status=400)
    messages.success(request, _("Measured impact reported; followers are told."))
    return _back_to(project, "impacts")


@login_required
@require_POST
def project_update_publish(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_or_403(request, pk)
    form = UpdateForm(request.POST, prefix="update")
    return _act(
        request,
        project,
        form=form,
        name="update_form",
        action=lambda d: services.project_update_publish(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            title=d["title"],
            body=d["body"],
        ),
        done=_("Update published; followers are told."),
        anchor="updates",
    )
