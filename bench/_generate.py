"""Deterministic generator of realistic synthetic civic proposals and priorities.

Used by the speed benchmarks: texts are assembled from a vocabulary of city
terms per sector so that term statistics (vocabulary size, document length,
shared phrases) look like a real city's proposals.
"""

from __future__ import annotations

import random

from projects.matching import ImpactInput, PriorityInput, ProposalInput

SECTOR_TERMS: dict[str, list[str]] = {
    "energy": [
        "heat pump",
        "retrofit",
        "district heating",
        "solar panels",
        "insulation",
        "energy poverty",
        "smart meter",
        "battery storage",
        "energy community",
        "gas boiler replacement",
        "thermal renovation",
        "rooftop photovoltaics",
    ],
    "water": [
        "rain garden",
        "storm water",
        "green roof",
        "water reuse",
        "leak detection",
        "permeable paving",
        "flood protection",
        "drinking water fountain",
        "river restoration",
        "sewer overflow",
    ],
    "mobility": [
        "cycle lane",
        "car sharing",
        "bus priority",
        "school street",
        "bike parking",
        "electric bus",
        "low emission zone",
        "cargo bike",
        "tram extension",
        "pedestrian crossing",
        "charging station",
        "park and ride",
    ],
    "housing": [
        "social housing",
        "affordable rent",
        "tenant association",
        "vacant homes",
        "housing cooperative",
        "co-living",
        "homelessness shelter",
        "rent subsidy",
    ],
    "buildings": [
        "school building",
        "public library",
        "facade renovation",
        "timber frame",
        "building passport",
        "accessibility ramp",
        "ventilation upgrade",
    ],
    "waste": [
        "composting",
        "repair cafe",
        "deposit return",
        "zero waste shop",
        "bulky waste collection",
        "textile recycling",
        "food waste bins",
    ],
    "health": [
        "health centre",
        "mental health",
        "heat wave plan",
        "air quality sensors",
        "elderly care",
        "sports facilities",
        "noise reduction",
    ],
    "digital": [
        "open data",
        "digital inclusion",
        "public wifi",
        "citizen app",
        "sensor network",
        "digital twin",
        "online participation",
    ],
    "finance": [
        "green bond",
        "participatory budget",
        "revolving fund",
        "crowdfunding",
        "energy performance contract",
        "microcredit",
        "impact investment",
    ],
    "public_space": [
        "street trees",
        "pocket park",
        "playground",
        "market square",
        "benches",
        "urban greening",
        "community garden",
        "public toilets",
    ],
    "food": [
        "urban farm",
        "school canteen",
        "food bank",
        "short supply chain",
        "local market",
        "community kitchen",
    ],
    "education": [
        "vocational training",
        "adult education",
        "school garden",
        "apprenticeship",
        "climate education",
        "after school club",
    ],
    "safety": [
        "street lighting",
        "traffic calming",
        "safe junction",
        "speed limit",
        "neighbourhood watch",
        "emergency plan",
    ],
}

FILLER = [
    "the project will deliver {a} together with {b} in the {d} district",
    "residents and local partners co-design {a} and monitor results every year",
    "we propose to scale {b} after a pilot phase with the municipality",
    "the plan combines {a}, {b} and {c} to reduce costs and emissions",
    "a local association will maintain {c} and train volunteers",
    "",
]

DISTRICTS = [
    "Nord",
    "Sud",
    "Centre",
    "Gare",
    "Port",
    "Riverside",
    "Hillside",
    "Old Town",
]
INDICATORS = [
    ("co2_t_per_year", "t/yr"),
    ("kwh_saved_per_year", "kWh/yr"),
    ("households_reached", "households"),
    ("cycle_trips_per_day", "trips/day"),
    ("m3_water_retained", "m3"),
    ("jobs_created", "jobs"),
]


def _terms(rng: random.Random, sector: str, k: int) -> list[str]:
    pool = SECTOR_TERMS[sector]
    return rng.sample(pool, min(k, len(pool)))


def make_priorities(n: int, seed: int = 0) -> list[PriorityInput]:
    rng = random.Random(seed)
    sectors = sorted(SECTOR_TERMS)
    out: list[PriorityInput] = []
    for i in range(n):
        main, other = rng.sample(sectors, 2)
        terms = _terms(rng, main, 4) + _terms(rng, other, 2)
        title = f"{terms[0].capitalize()} and {terms[4]}"
        description = (
            "; ".join(f"Support {t} across the city" for t in terms[1:])
            + ". Priority for vulnerable neighbourhoods."
        )
        indicator = rng.choice(INDICATORS)[0]
        out.append(
            PriorityInput(
                id=i + 1,
                title=title,
                description=description,
                keywords=tuple(terms[:3]),
                sectors=(main, other),
                weight=rng.randint(1, 5),
                target_indicators=(indicator,),
            )
        )
    return out


def make_proposals(n: int, seed: int = 0) -> list[ProposalInput]:
    rng = random.Random(seed + 1)
    sectors = sorted(SECTOR_TERMS)
    out: list[ProposalInput] = []
    for i in range(n):
        own = rng.sample(sectors, rng.choice((1, 2, 2, 3)))
        terms: list[str] = []
        for s in own:
            terms.extend(_terms(rng, s, 3))
        rng.shuffle(terms)
        a, b, c = (terms * 3)[:3]
        district = rng.choice(DISTRICTS)
        sentences = rng.sample(FILLER, 3)
        body = ". ".join(
            s.strip().format(a=a, b=b, c=c, d=district) for s in sentences if s.strip()
        )
        indicator, unit = rng.choice(INDICATORS)
        out.append(
            ProposalInput(
                id=i + 1,
                title=f"{a.capitalize()} with {b} in {district}",
                summary=f"A {own[0].replace('_', ' ')} project: {a}, {b} and {c}.",
                body=body,
                sectors=tuple(own),
                impacts=(ImpactInput(indicator, float(rng.randint(5, 500)), unit),),
                partner_sectors=tuple(rng.sample(sectors, rng.choice((0, 1, 2)))),
                district=district,
            )
        )
    return out
