"""The multi-step proposal form (create and edit).

Each step's checked answers are kept in the session, never in the database: the
services (``proposal_create`` / ``proposal_update``, then ``proposal_submit``) are
called once, on the review step, inside one transaction, so nothing half-written is
ever stored. A refusal from a service is shown on the step that holds the field at
fault, next to that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stakeholders.models import City, District, Organisation

from .forms import (
    BasicsForm,
    DescriptionForm,
    ImpactFormSet,
    MoneyForm,
    PlaceForm,
    ReviewForm,
)
from .markdown import render_markdown
from .models import (
    Currency,
    DeliveryModel,
    ImpactIndicator,
    ImpactUnit,
    Proposal,
    Sector,
)
from .services import proposals as services
from .similar import similar_proposals

SESSION_KEY = "proposal-wizard"
MAX_KEPT = 5  # unfinished forms kept per session (new + a few edits)


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    label: str


STEPS = [
    Step(1, "basics", gettext_lazy("Basics")),
    Step(2, "description", gettext_lazy("Description")),
    Step(3, "money", gettext_lazy("Delivery and money")),
    Step(4, "place", gettext_lazy("Place and impact")),
    Step(5, "review", gettext_lazy("Review")),
]
REVIEW = 5
STEP_OF_FIELD = {
    "city": 1,
    "lead_organisation": 1,
    "title": 1,
    "summary": 1,
    "sectors": 1,
    "body": 2,
    "delivery_model": 3,
    "currency": 3,
    "capital_cost": 3,
    "operating_cost": 3,
    "city_contribution": 3,
    "district": 4,
    "latitude": 4,
    "longitude": 4,
    "impacts": 4,
}
MONEY_FIELDS = ("capital_cost", "operating_cost", "city_contribution")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _initial_from(proposal: Proposal) -> dict[str, Any]:
    return {
        "city": proposal.city.slug,
        "lead_organisation": proposal.lead_organisation_id,
        "title": proposal.title,
        "summary": proposal.summary,
        "sectors": [s.slug for s in proposal.sectors.all()],
        "body": proposal.body,
        "delivery_model": proposal.delivery_model,
        "currency": proposal.currency,
        **{name: _text(getattr(proposal, name)) for name in MONEY_FIELDS},
        "district": proposal.district_id,
        "latitude": _text(proposal.latitude),
        "longitude": _text(proposal.longitude),
        "impacts": [
            {
                "indicator": i.indicator,
                "amount": str(i.amount),
                "unit": i.unit,
                "year": i.year,
            }
            for i in proposal.impacts.all()
        ],
    }


def _attach_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Show errors found after the step was left (by a service) on an unbound
    form that still displays the kept answers."""
    form.errors  # noqa: B018 - builds the error dict
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


class ProposalWizard:
    def __init__(self, request: HttpRequest, *, proposal: Proposal | None) -> None:
        self.request = request
        self.proposal = proposal
        self.key = str(proposal.pk) if proposal else "new"
        self.state = self._load()

    # --- state kept in the session ---

    def _stamp(self) -> str:
        return self.proposal.updated_at.isoformat() if self.proposal else ""

    def _fresh_state(self) -> dict[str, Any]:
        if self.proposal is None:
            return {"data": {}, "done": [], "stamp": ""}
        return {
            "data": _initial_from(self.proposal),
            "done": [1, 2, 3, 4],
            "stamp": self._stamp(),
        }

    def _load(self) -> dict[str, Any]:
        state = self.request.session.get(SESSION_KEY, {}).get(self.key)
        opening = self.request.method == "GET" and "step" not in self.request.GET
        restart = self.request.method == "GET" and "restart" in self.request.GET
        # Opening the form again after someone saved the proposal starts from what
        # is stored now; an edit in progress is kept, and saving it is refused
        # (``finish``) rather than overwriting their change unseen.
        stale = state is not None and state.get("stamp", "") != self._stamp()
        if state is None or restart or (stale and opening):
            state = self._fresh_state()
        return state

    def _save(self) -> None:
        store = dict(self.request.session.get(SESSION_KEY, {}))
        store.pop(self.key, None)
        store[self.key] = self.state
        while len(store) > MAX_KEPT:
            store.pop(next(iter(store)))
        self.request.session[SESSION_KEY] = store

    def _clear(self) -> None:
        store = dict(self.request.session.get(SESSION_KEY, {}))
        store.pop(self.key, None)
        self.request.session[SESSION_KEY] = store

    @property
    def data(self) -> dict[str, Any]:
        return self.state["data"]

    def _first_incomplete(self) -> int:
        done = set(self.state["done"])
        return next((s.number for s in STEPS[:-1] if s.number not in done), REVIEW)

    # --- URLs ---

    def base_url(self) -> str:
        if self.proposal is None:
            return reverse("proposal-create")
        return reverse("proposal-edit", kwargs={"pk": self.proposal.pk})

    def step_url(self, number: int) -> str:
        return f"{self.base_url()}?step={number}"

    # --- forms ---

    def city(self) -> City | None:
        if self.proposal is not None:
            return self.proposal.city
        slug = self.data.get("city")
        return City.objects.filter(slug=slug).first() if slug else None

    def forms_for(self, step: int, data: Any = None) -> dict[str, Any]:
        initial = self.data
        if step == 1:
            form = BasicsForm(data, user=self.request.user, initial=initial)
            if self.proposal is not None:
                lead = form.fields["lead_organisation"]
                lead.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                    pk=self.proposal.lead_organisation_id
                )
                for name in ("city", "lead_organisation"):
                    form.fields[name].disabled = True
                    form.fields[name].help_text = _("Fixed once the proposal exists.")
            return {"form": form}
        if step == 2:
            return {"form": DescriptionForm(data, initial=initial)}
        if step == 3:
            return {"form": MoneyForm(data, initial=initial)}
        if step == 4:
            return {
                "form": PlaceForm(data, city=self.city(), initial=initial),
                "impacts": ImpactFormSet(
                    data, initial=initial.get("impacts") or [], prefix="impacts"
                ),
            }
        return {
            "form": ReviewForm(data, note_required=self.needs_note()),
        }

    def needs_note(self) -> bool:
        return self.proposal is not None and not self.proposal.is_draft

    def _store(self, step: int, bound: dict[str, Any]) -> None:
        cleaned = bound["form"].cleaned_data
        if step == 1:
            city = cleaned["city"]
            if self.data.get("city") not in (None, city.slug):
                # Another city: its districts differ, so ask for the place again.
                self.data["district"] = None
                self.state["done"] = [n for n in self.state["done"] if n != 4]
            self.data.update(
                {
                    "city": city.slug,
                    "lead_organisation": cleaned["lead_organisation"].pk,
                    "title": cleaned["title"],
                    "summary": cleaned["summary"],
                    "sectors": [s.slug for s in cleaned["sectors"]],
                }
            )
        elif step == 2:
            self.data["body"] = cleaned["body"]
        elif step == 3:
            self.data.update(
                {
                    "delivery_model": cleaned["delivery_model"],
                    "currency": cleaned["currency"],
                    **{name: _text(cleaned.get(name)) for name in MONEY_FIELDS},
                }
            )
        elif step == 4:
            district = cleaned.get("district")
            self.data.update(
                {
                    "district": district.pk if district else None,
                    "latitude": _text(cleaned.get("latitude")),
                    "longitude": _text(cleaned.get("longitude")),
                    "impacts": bound["impacts"].impacts(),
                }
            )
        if step not in self.state["done"]:
            self.state["done"].append(step)
        self._save()

    # --- requests ---

    def requested_step(self) -> int:
        raw = self.request.GET.get("step", "1")
        step = int(raw) if raw.isdigit() else 1
        return max(1, min(step, REVIEW, self._first_incomplete()))

    def dispatch(self) -> HttpResponse:
        step = self.requested_step()
        if self.request.method == "POST":
            return self.post(step)
        if self.request.method != "GET":
            return HttpResponse(status=405)
        if "restart" in self.request.GET:
            self._save()
            return redirect(self.step_url(1))
        return self.render(step, self.forms_for(step))

    def post(self, step: int) -> HttpResponse:
        action = self.request.POST.get("action", "next")
        if action == "discard":
            self._clear()
            messages.info(self.request, _("The unsaved changes are discarded."))
            if self.proposal is not None:
                return redirect(self.proposal)
            return redirect("proposal-mine")
        if step == REVIEW:
            return self.finish(action)
        bound = self.forms_for(step, self.request.POST)
        valid = all(f.is_valid() for f in bound.values())
        if action == "back":
            if valid:
                self._store(step, bound)
            return redirect(self.step_url(max(1, step - 1)))
        if not valid:
            return self.render(step, bound, status=400)
        self._store(step, bound)
        if action == "preview" and step == 2:
            preview = render_markdown(bound["form"].cleaned_data["body"])
            return self.render(step, bound, preview=preview)
        return redirect(self.step_url(step + 1))

    def _service_arguments(self) -> dict[str, Any]:
        data = self.data
        district = None
        if data.get("district"):
            district = District.objects.filter(pk=data["district"]).first()
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data.get("body", ""),
            "delivery_model": data["delivery_model"],
            "currency": data.get("currency") or Currency.EUR,
            **{name: data.get(name) or None for name in MONEY_FIELDS},
            "district": district,
            "latitude": data.get("latitude") or None,
            "longitude": data.get("longitude") or None,
        }

    def finish(self, action: str) -> HttpResponse:
        review = self.forms_for(REVIEW, self.request.POST)
        if not review["form"].is_valid():
            return self.render(REVIEW, review, status=400)
        if self.proposal is not None and self.state.get("stamp") != self._stamp():
            review["form"].add_error(
                None,
                _(
                    "Someone saved this proposal while you were editing it. Your "
                    "changes are kept below: check them against the proposal, then "
                    "save again."
                ),
            )
            self.state["stamp"] = self._stamp()
            self._save()
            return self.render(REVIEW, review, status=409)
        submit = action == "submit"
        try:
            with transaction.atomic():
                sectors = services.sectors_from_slugs(self.data.get("sectors", []))
                arguments = self._service_arguments()
                impacts = self.data.get("impacts", [])
                if self.proposal is None:
                    proposal = services.proposal_create(
                        actor=self.request.user,  # type: ignore[arg-type]
                        city=City.objects.get(slug=self.data["city"]),
                        lead_organisation=Organisation.objects.get(
                            pk=self.data["lead_organisation"]
                        ),
                        sectors=sectors,
                        impacts=impacts,
                        **arguments,
                    )
                else:
                    proposal = services.proposal_update(
                        actor=self.request.user,  # type: ignore[arg-type]
                        proposal=self.proposal,
                        sectors=sectors,
                        impacts=impacts,
                        note=review["form"].cleaned_data["note"],
                        **arguments,
                    )
                if submit and proposal.is_draft:
                    proposal = services.proposal_submit(
                        actor=self.request.user,  # type: ignore[arg-type]
                        proposal=proposal,
                    )
        except (City.DoesNotExist, Organisation.DoesNotExist, KeyError):
            self.state["done"] = []
            self._save()
            messages.error(
                self.request, _("Some answers are missing; check each step.")
            )
            return redirect(self.step_url(1))
        except ValidationError as exc:
            return self.show_service_errors(exc)
        except PermissionDenied:
            raise
        self._clear()
        if submit:
            messages.success(
                self.request,
                _("Submitted. The city's coordinators and the public can now read it."),
            )
        elif self.proposal is None:
            messages.success(
                self.request,
                _("Saved as a draft. Only your organisation's members can see it."),
            )
        else:
            messages.success(self.request, _("Your changes are saved."))
        return redirect(proposal)

    def show_service_errors(self, exc: ValidationError) -> HttpResponse:
        if not hasattr(exc, "error_dict"):
            review = self.forms_for(REVIEW, self.request.POST)
            review["form"].is_valid()
            review["form"].add_error(None, exc.messages)
            return self.render(REVIEW, review, status=400)
        errors = exc.message_dict
        step = min(STEP_OF_FIELD.get(f, REVIEW) for f in errors)
        bound = self.forms_for(step)
        extra: dict[str, Any] = {}
        if step == REVIEW:
            bound = self.forms_for(REVIEW, self.request.POST)
            bound["form"].is_valid()
            for messages_ in errors.values():
                bound["form"].add_error(None, messages_)
        else:
            field_errors = {
                f: m for f, m in errors.items() if STEP_OF_FIELD.get(f) == step
            }
            extra["impact_errors"] = field_errors.pop("impacts", [])
            _attach_errors(bound["form"], field_errors)
        return self.render(step, bound, status=400, **extra)

    # --- rendering ---

    def _error_items(
        self, bound: dict[str, Any], impact_errors: list[str]
    ) -> list[dict[str, str]]:
        items: list[dict[str, str]] = []
        form = bound["form"]
        for error in form.non_field_errors():
            items.append({"href": "", "text": str(error)})
        for field in form:
            for error in field.errors:
                items.append(
                    {
                        "href": f"#{field.id_for_label or field.auto_id}",
                        "text": f"{field.label}: {error}",
                    }
                )
        formset = bound.get("impacts")
        if formset is not None and formset.is_bound:
            for error in formset.non_form_errors():
                items.append({"href": "#impacts", "text": str(error)})
            for index, row in enumerate(formset.forms, start=1):
                for field in row:
                    for error in field.errors:
                        items.append(
                            {
                                "href": f"#{field.id_for_label}",
                                "text": _("Impact %(n)d, %(field)s: %(error)s")
                                % {"n": index, "field": field.label, "error": error},
                            }
                        )
                for error in row.non_field_errors():
                    items.append(
                        {
                            "href": "#impacts",
                            "text": _("Impact %(n)d: %(error)s")
                            % {"n": index, "error": error},
                        }
                    )
        for error in impact_errors:
            items.append({"href": "#impacts", "text": error})
        return items

    def _steps(self, current: int) -> list[dict[str, Any]]:
        reachable = self._first_incomplete()
        done = set(self.state["done"])
        return [
            {
                "number": s.number,
                "label": s.label,
                "url": self.step_url(s.number),
                "current": s.number == current,
                "done": s.number in done,
                "reachable": s.number <= reachable,
            }
            for s in STEPS
        ]

    def _similar(self, step: int) -> list[Any] | None:
        if step not in (1, REVIEW):
            return None
        city = self.city()
        title = self.data.get("title", "")
        if step == 1 and self.request.method == "POST":
            title = self.request.POST.get("title", title)
            posted = self.request.POST.get("city")
            if posted and self.proposal is None:
                city = City.objects.filter(slug=posted).first() or city
        if city is None or not title:
            return []
        return similar_proposals(
            city_id=city.pk,
            title=title[:140],
            summary=self.data.get("summary", "")[:500],
            exclude=self.proposal.pk if self.proposal else None,
        )

    def _review(self) -> dict[str, Any]:
        data = self.data
        city = self.city()
        lead = Organisation.objects.filter(pk=data.get("lead_organisation")).first()
        district = (
            District.objects.filter(pk=data["district"]).first()
            if data.get("district")
            else None
        )
        sectors = list(Sector.objects.filter(slug__in=data.get("sectors", [])))
        return {
            "city": city,
            "lead": lead,
            "district": district,
            "sectors": sectors,
            "delivery_model": DeliveryModel(data["delivery_model"]).label
            if data.get("delivery_model") in DeliveryModel.values
            else "",
            "body_html": render_markdown(data.get("body", "")),
            "impacts": [
                {
                    "indicator": ImpactIndicator(i["indicator"]).label,
                    "amount": i["amount"],
                    "unit": ImpactUnit(i["unit"]).label,
                    "year": i["year"],
                }
                for i in data.get("impacts", [])
                if i.get("indicator") in ImpactIndicator.values
                and i.get("unit") in ImpactUnit.values
            ],
            "data": data,
        }

    def render(
        self,
        step: int,
        bound: dict[str, Any],
        *,
        status: int = 200,
        preview: str | None = None,
        impact_errors: list[str] | None = None,
    ) -> HttpResponse:
        impact_errors = impact_errors or []
        context = {
            "step": STEPS[step - 1],
            "steps": self._steps(step),
            "step_count": len(STEPS),
            "action_url": self.step_url(step),
            "proposal": self.proposal,
            "is_edit": self.proposal is not None,
            "needs_note": self.needs_note(),
            "error_items": self._error_items(bound, impact_errors),
            "impact_errors": impact_errors,
            "preview": preview,
            "similar": self._similar(step),
            "city": self.city(),
            **bound,
        }
        if step == REVIEW:
            context["review"] = self._review()
        template = f"projects/proposal_form_{STEPS[step - 1].slug}.html"
        return render(self.request, template, context, status=status)
