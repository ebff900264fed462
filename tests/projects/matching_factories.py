"""Factories and helpers for the matching tests."""

from __future__ import annotations

from typing import Any

import factory

from projects.models import Priority
from tests.factories import CityFactory, sector
from tests.projects.factories import ProposalFactory


class PriorityFactory(factory.django.DjangoModelFactory):
    """A priority; ``sectors=[...]`` (slugs or rows) sets the sectors."""

    class Meta:
        model = Priority
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    title = "Cut emissions from homes"
    description = (
        "Retrofit and insulate social housing; replace gas boilers with heat pumps; "
        "rooftop solar panels with power sold back to the grid."
    )
    keywords = factory.LazyFunction(lambda: ["heat pump", "retrofit", "solar"])
    weight = 3
    target_indicators = factory.LazyFunction(lambda: ["co2_avoided"])

    @factory.post_generation
    def sectors(
        obj: Priority,  # noqa: N805
        create: bool,
        extracted: list[Any] | None,
        **kwargs: Any,
    ) -> None:
        if create:
            chosen = extracted if extracted is not None else ["energy", "housing"]
            obj.sectors.set([sector(s) if isinstance(s, str) else s for s in chosen])


MOBILITY = {
    "title": "Move people differently",
    "description": (
        "Off-peak transit, part-time teleworking, car sharing and cycle lanes so "
        "fewer people drive alone at rush hour."
    ),
    "keywords": ["car sharing", "cycle lane", "teleworking"],
    "target_indicators": ["car_trips_avoided"],
}


def city_with_priorities(**city: Any) -> tuple[Any, Priority, Priority]:
    """A city with an energy/housing and a mobility priority."""
    place = CityFactory(**city)
    energy = PriorityFactory(city=place)
    mobility = PriorityFactory(city=place, sectors=["mobility", "health"], **MOBILITY)
    return place, energy, mobility


def mobility_proposal(city: Any, n: int = 0, **kw: Any) -> Any:
    defaults = {
        "title": f"Car sharing and cycle lanes for commuters {n}",
        "summary": "Shared cars at stations and protected cycle lanes to the centre.",
        "body": "Off-peak transit passes and teleworking days cut rush-hour trips.",
        "sectors": ["mobility", "health"],
    }
    defaults.update(kw)
    return ProposalFactory(city=city, **defaults)


def energy_proposal(city: Any, n: int = 0, **kw: Any) -> Any:
    defaults = {
        "title": f"Heat pumps and retrofit for social housing {n}",
        "summary": "Insulate flats and replace gas boilers with heat pumps.",
        "body": "Rooftop solar panels on the same roofs sell power back to the grid.",
        "sectors": ["energy", "housing"],
    }
    defaults.update(kw)
    return ProposalFactory(city=city, **defaults)
