"""Demand-signal pages: a city's indicators as small-multiple charts (public), the
signal inbox and one signal with its accept and dismiss forms (the city's
coordinators).

Views read through ``selectors_signals`` and write through ``services.signals``;
both forms post without JavaScript and come back with their errors (status 400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stakeholders.models import City

from . import selectors_signals as selectors
from .forms_signals import InboxFilterForm, SignalAcceptForm, SignalDismissForm
from .models import Signal, SignalAction, SignalState
from .services import signals as services

PAGE_SIZE = 20
ALL = "all"


def _city(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


@require_GET
def indicator_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the city's series, one kind at a time (or all), one small chart per
    district and one for the whole city, with detected shifts marked."""
    city = _city(slug)
    kinds, districts = selectors.indicator_filters(city)
    codes = [code for code, _label, _open in kinds]
    kind = request.GET.get("kind", "")
    if kind != ALL and kind not in codes:
        with_open = [code for code, _label, count in kinds if count]
        kind = (with_open or codes or [""])[0]
    district_id: int | None = None
    raw = request.GET.get("district", "")
    if raw.isdigit() and any(d.pk == int(raw) for d in districts):
        district_id = int(raw)
    groups = (
        selectors.indicator_groups(
            city, kind="" if kind == ALL else kind, district=district_id
        )
        if codes
        else []
    )
    return render(
        request,
        "projects/indicator_list.html",
        {
            "city": city,
            "kinds": kinds,
            "districts": districts,
            "kind": kind,
            "district_id": district_id,
            "groups": groups,
            "can_act": services.can_act_on_signals(request.user, city),
        },
    )


@login_required
@require_GET
def signal_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    if not services.can_act_on_signals(request.user, city):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s read its signal inbox.")
            % {"city": city.name}
        )
    filters = InboxFilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    page_obj = Paginator(
        selectors.signals_inbox(city, state=state), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = selectors.annotate(list(page_obj.object_list))
    return render(
        request,
        "projects/signal_inbox.html",
        {
            "city": city,
            "filters": filters,
            "page_obj": page_obj,
            "rows": rows,
            "SignalState": SignalState,
        },
    )


def _signal_for(request: HttpRequest, pk: int) -> Signal:
    try:
        signal = selectors.signal_detail(pk)
    except Signal.DoesNotExist as exc:
        raise Http404(_("No such signal.")) from exc
    if not services.can_act_on_signals(request.user, signal.city_id):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s see its signals.")
            % {"city": signal.city.name}
        )
    return signal


def _detail(
    request: HttpRequest,
    signal: Signal,
    *,
    accept_form: SignalAcceptForm | None = None,
    dismiss_form: SignalDismissForm | None = None,
    status: int = 200,
) -> HttpResponse:
    linked = list(signal.indicator.priorities.order_by("-weight", "title", "pk"))
    values = selectors.series_values([signal.indicator_id]).get(signal.indicator_id, [])
    selectors.annotate([signal])
    defaults = services.signal_defaults(signal)
    if accept_form is None:
        accept_form = SignalAcceptForm(signal=signal, linked=linked)
        accept_form.fields["title"].widget.attrs["placeholder"] = defaults["title"]
    context: dict[str, Any] = {
        "signal": signal,
        "city": signal.city,
        "chart": selectors.series_chart(
            signal.indicator, values, [signal], small=False
        ),
        "linked": linked,
        "defaults": defaults,
        "accept_form": accept_form,
        "dismiss_form": dismiss_form or SignalDismissForm(),
        "is_open": signal.state == SignalState.OPEN,
        "details": signal.details or {},
        "confidence": round(signal.confidence * 100),
        "size": round(signal.size * 100),
    }
    return render(request, "projects/signal_detail.html", context, status=status)


@login_required
@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _signal_for(request, pk))


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def signal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for(request, pk)
    linked = list(signal.indicator.priorities.order_by("-weight", "title", "pk"))
    form = SignalAcceptForm(request.POST, signal=signal, linked=linked)
    if form.is_valid():
        try:
            accepted = services.signal_accept(
                actor=request.user,  # type: ignore[arg-type]
                signal=signal,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if accepted.action == SignalAction.NEW_PRIORITY:
                text = _("Priority “%(title)s” created from the signal.")
            else:
                text = _("Weight of “%(title)s” changed to %(weight)d.")
            messages.success(
                request,
                (
                    text
                    % {
                        "title": accepted.priority.title,
                        "weight": accepted.priority.weight,
                    }
                )
                + " "
                + _("Every proposal of %(city)s is being re-scored.")
                % {"city": signal.city.name},
            )
            return redirect("priority-detail", pk=accepted.priority_id)
    return _detail(request, signal, accept_form=form, status=400)


@login_required
@require_POST
def signal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for(request, pk)
    form = SignalDismissForm(request.POST)
    if form.is_valid():
        try:
            services.signal_dismiss(
                actor=request.user,  # type: ignore[arg-type]
                signal=signal,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Signal dismissed."))
            return redirect("signal-inbox", slug=signal.city.slug)
    return _detail(request, signal, dismiss_form=form, status=400)
