"""Pages of the indicator CSV import: the coordinators' upload page (the format,
an example, the city's recent imports), the list of a city's imports and the state
of one import (progress, counts, or the table of every bad line).

Views ask ``services.indicators.can_import`` and write through
``services.indicators``; a person who is not a coordinator of the city gets 403.
A running import's page refreshes itself (a meta refresh: no script needed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from stakeholders.models import City

from . import selectors_indicators as selectors
from .forms_indicators import IndicatorImportForm
from .models import KIND_UNITS, ImportState, IndicatorKind
from .services import indicators as services

REFRESH_SECONDS = 3
EXAMPLE = """district,indicator,unit,period,value
north,commute_minutes,min,2025-01,31.5
north,commute_minutes,min,2025-02,32.1
,energy_mwh,MWh,2025-Q1,18250
all,bus_ridership,trips,2024,1204000"""


def _coordinated_city(request: HttpRequest, slug: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not services.can_import(request.user, city):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s can import its indicators.")
            % {"city": city.name}
        )
    return city


def _charts_url(city: City) -> str:
    return reverse("indicator-list", kwargs={"slug": city.slug})


def _kinds() -> list[tuple[str, str, str]]:
    return [
        (code, str(IndicatorKind(code).label), unit)
        for code, unit in KIND_UNITS.items()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest, slug: str) -> HttpResponse:
    city = _coordinated_city(request, slug)
    too_big = request.method == "POST" and services.upload_too_large(
        request.META.get("CONTENT_LENGTH")
    )
    # A body over the limit is refused before it is read: it never reaches disk.
    form = IndicatorImportForm(
        None if too_big else (request.POST or None),
        None if too_big else (request.FILES or None),
    )
    if request.method == "POST" and not too_big and form.is_valid():
        try:
            imp = services.indicator_import_create(
                actor=request.user,  # type: ignore[arg-type]
                city=city,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _(
                    "“%(file)s” is being checked; nothing changes unless every line is right."
                )
                % {"file": imp.filename},
            )
            return redirect("indicator-import-detail", slug=city.slug, pk=imp.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/indicator_import.html",
        {
            "city": city,
            "form": form,
            "refusal": too_big,
            "imports": selectors.recent_imports(city),
            "kinds": _kinds(),
            "example": EXAMPLE,
            "limit_mb": services.max_import_bytes() // (1024 * 1024),
            "max_errors": services.MAX_ERRORS,
            "charts_url": _charts_url(city),
        },
        status=status,
    )


@login_required
@require_GET
def indicator_import_list(request: HttpRequest, slug: str) -> HttpResponse:
    city = _coordinated_city(request, slug)
    return render(
        request,
        "projects/indicator_import_list.html",
        {"city": city, "imports": selectors.recent_imports(city, limit=50)},
    )


@login_required
@require_GET
def indicator_import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city = _coordinated_city(request, slug)
    imp = selectors.import_of_city(city, pk)
    if imp is None:
        raise Http404(_("No such import."))
    running = imp.state in (ImportState.QUEUED, ImportState.RUNNING)
    return render(
        request,
        "projects/indicator_import_detail.html",
        {
            "city": city,
            "imp": imp,
            "running": running,
            "refresh": REFRESH_SECONDS if running else None,
            "more_errors": max(0, imp.error_count - len(imp.errors)),
            "charts_url": _charts_url(city),
        },
    )
