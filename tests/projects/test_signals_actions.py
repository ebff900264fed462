"""Acting on a signal: raise or lower the linked priority's weight, or create a
priority (each re-scores the city through the re-score job), dismiss with a
reason; coordinators only, once, audited; refused input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import Priority, RematchJob, Signal, SignalState
from projects.services.signals import (
    signal_accept,
    signal_defaults,
    signal_dismiss,
    signals_detect_city,
)
from stakeholders.models import AuditEvent
from tests.demand.factories import make_indicator, series_values
from tests.factories import CityFactory, DistrictFactory, UserFactory, make_coordinator
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    city = CityFactory()
    north = DistrictFactory(city=city, name="North")
    indicator = make_indicator(city, district=north, values=series_values(jump=0.2))
    priority = PriorityFactory(city=city, title="Move people differently", weight=3)
    indicator.priorities.add(priority)
    signals_detect_city(city=city)
    return {
        "city": city,
        "indicator": indicator,
        "priority": priority,
        "signal": Signal.objects.get(),
        "coordinator": make_coordinator(city),
    }


def test_raise_weight_goes_up_one_step_and_starts_the_rescore(
    setup, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signal = signal_accept(
            actor=setup["coordinator"],
            signal=setup["signal"],
            action="raise_weight",
            note="Commuters in North need it.",
        )
    assert signal.state == SignalState.ACCEPTED and signal.action == "raise_weight"
    assert signal.priority == setup["priority"]
    assert signal.decided_by == setup["coordinator"] and signal.decided_at
    assert Priority.objects.get(pk=setup["priority"].pk).weight == 4
    assert RematchJob.objects.filter(city=setup["city"]).exists()
    event = AuditEvent.objects.get(action="signal.accept")
    assert event.data["weight_before"] == 3 and event.data["weight"] == 4
    assert event.reason == "Commuters in North need it."
    assert AuditEvent.objects.filter(action="priority.update").exists()


def test_lower_weight_to_a_chosen_value(setup) -> None:
    signal_accept(
        actor=setup["coordinator"],
        signal=setup["signal"],
        action="lower_weight",
        priority=setup["priority"].pk,
        weight=1,
    )
    assert Priority.objects.get(pk=setup["priority"].pk).weight == 1


@pytest.mark.parametrize(
    ("action", "weight", "field"),
    [
        ("raise_weight", 2, "weight"),  # not a raise
        ("lower_weight", 4, "weight"),  # not a lowering
        ("raise_weight", 6, "weight"),  # out of bounds
        ("raise_weight", 0, "weight"),
        ("shout", None, "action"),
    ],
)
def test_refused_weights_change_nothing(setup, action, weight, field) -> None:
    with pytest.raises(ValidationError) as caught:
        signal_accept(
            actor=setup["coordinator"],
            signal=setup["signal"],
            action=action,
            weight=weight,
        )
    assert field in caught.value.message_dict
    assert Priority.objects.get(pk=setup["priority"].pk).weight == 3
    assert Signal.objects.get().state == SignalState.OPEN
    assert not RematchJob.objects.exists()


def test_weight_already_at_the_top_cannot_be_raised(setup) -> None:
    Priority.objects.filter(pk=setup["priority"].pk).update(weight=5)
    with pytest.raises(ValidationError, match="highest"):
        signal_accept(
            actor=setup["coordinator"], signal=setup["signal"], action="raise_weight"
        )


def test_only_a_linked_priority_can_be_reweighted(setup) -> None:
    other = PriorityFactory(city=setup["city"], title="Unrelated")
    with pytest.raises(ValidationError) as caught:
        signal_accept(
            actor=setup["coordinator"],
            signal=setup["signal"],
            action="raise_weight",
            priority=other.pk,
        )
    assert "priority" in caught.value.message_dict


def test_several_linked_priorities_need_a_choice(setup) -> None:
    setup["indicator"].priorities.add(PriorityFactory(city=setup["city"], title="B"))
    with pytest.raises(ValidationError) as caught:
        signal_accept(
            actor=setup["coordinator"], signal=setup["signal"], action="raise_weight"
        )
    assert "priority" in caught.value.message_dict


def test_new_priority_is_prefilled_from_the_signal_and_linked(
    setup, django_capture_on_commit_callbacks
) -> None:
    defaults = signal_defaults(setup["signal"])
    with django_capture_on_commit_callbacks(execute=True):
        signal = signal_accept(
            actor=setup["coordinator"], signal=setup["signal"], action="new_priority"
        )
    created = signal.priority
    assert created.title == defaults["title"] and "North" in created.title
    assert "Average commute in North district is up" in created.description
    assert created.weight == 3 and created.city == setup["city"]
    assert setup["indicator"].priorities.filter(pk=created.pk).exists()
    assert RematchJob.objects.filter(city=setup["city"]).exists()


def test_new_priority_with_its_own_title_and_weight(setup) -> None:
    signal = signal_accept(
        actor=setup["coordinator"],
        signal=setup["signal"],
        action="new_priority",
        title="  Reopen the Northgate bridge  ",
        weight=5,
    )
    assert signal.priority.title == "Reopen the Northgate bridge"
    assert signal.priority.weight == 5


def test_html_in_a_new_priority_is_refused(setup) -> None:
    with pytest.raises(ValidationError):
        signal_accept(
            actor=setup["coordinator"],
            signal=setup["signal"],
            action="new_priority",
            title="<script>x</script>",
        )
    assert Priority.objects.count() == 1


def test_dismiss_needs_a_reason(setup) -> None:
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            signal_dismiss(
                actor=setup["coordinator"], signal=setup["signal"], reason=reason
            )
        assert "reason" in caught.value.message_dict
    assert Signal.objects.get().state == SignalState.OPEN
    signal = signal_dismiss(
        actor=setup["coordinator"], signal=setup["signal"], reason="Road works, over."
    )
    assert signal.state == SignalState.DISMISSED
    assert signal.decision_reason == "Road works, over."
    assert AuditEvent.objects.get(action="signal.dismiss").reason == "Road works, over."


def test_a_decided_signal_cannot_be_decided_again(setup) -> None:
    signal_dismiss(actor=setup["coordinator"], signal=setup["signal"], reason="No")
    with pytest.raises(ValidationError, match="already dismissed"):
        signal_accept(
            actor=setup["coordinator"], signal=setup["signal"], action="raise_weight"
        )
    with pytest.raises(ValidationError, match="already"):
        signal_dismiss(
            actor=setup["coordinator"], signal=setup["signal"], reason="Again"
        )


@pytest.mark.parametrize("who", ["resident", "coordinator_without_2fa", "elsewhere"])
def test_only_the_city_coordinators_act(setup, who) -> None:
    actor = {
        "resident": lambda: UserFactory(),
        "coordinator_without_2fa": lambda: make_coordinator(
            setup["city"], two_factor=False
        ),
        "elsewhere": lambda: make_coordinator(CityFactory()),
    }[who]()
    with pytest.raises(PermissionDenied):
        signal_accept(actor=actor, signal=setup["signal"], action="raise_weight")
    with pytest.raises(PermissionDenied):
        signal_dismiss(actor=actor, signal=setup["signal"], reason="No")
    assert Signal.objects.get().state == SignalState.OPEN
    assert Priority.objects.get(pk=setup["priority"].pk).weight == 3
