"""Demo priorities for Riverbend, in the words smart-city programmes use, then every
demo proposal scored against them in-process.

Call ``seed_priorities(stdout)`` at the end of ``projects.demo.seed`` (``seed_demo``
runs only each app's ``demo`` module). Idempotent: a priority is identified by its
city and title and brought back in line with the data if it drifted; scoring
upserts, so running it again rewrites the same matches.
"""

from __future__ import annotations

from typing import Any

from stakeholders.models import City, CityRole, CityRoleKind, VerificationState

from .models import Priority, Sector
from .services import matching as services

CITY_SLUG = "riverbend"

PRIORITIES: list[dict[str, Any]] = [
    {
        "title": "Cut emissions",
        "weight": 5,
        "description": (
            "Halve the greenhouse gas emissions of buildings and transport. Replace "
            "gas boilers with heat pumps and district heating; renovate and insulate "
            "homes; electrify buses, delivery and shared vehicles."
        ),
        "keywords": ["emissions", "CO2", "heat pump", "renovation", "electric"],
        "sectors": ["energy", "buildings", "mobility"],
        "targets": ["CO2 avoided: −40 % by 2030"],
    },
    {
        "title": "Reduce pollution",
        "weight": 4,
        "description": (
            "Cleaner air, water and soil: fewer combustion engines in the centre, "
            "less noise near schools, storm water kept out of the river, less waste "
            "burnt or buried."
        ),
        "keywords": ["air quality", "noise", "storm water", "waste"],
        "sectors": ["mobility", "water", "waste", "health"],
        "targets": [
            "NO2 below 20 µg/m³ near every school",
            "Waste diverted from landfill: half by 2030",
        ],
    },
    {
        "title": "Create jobs",
        "weight": 4,
        "description": (
            "Local, lasting jobs in renovation, repair, energy and care; "
            "apprenticeships for young people; work for new entrants and startups "
            "that cross the borders of energy, housing and mobility."
        ),
        "keywords": ["jobs", "apprenticeships", "training", "local business"],
        "sectors": ["education", "buildings", "finance"],
        "targets": ["1,000 local jobs created by 2028"],
    },
    {
        "title": "Protect health",
        "weight": 4,
        "description": (
            "Healthier daily lives: preventive self-care, active travel, shade and "
            "cool places in heat waves, healthy food in schools."
        ),
        "keywords": ["health", "prevention", "active travel", "heat wave"],
        "sectors": ["health", "public_space", "food"],
        "targets": ["20,000 residents served by preventive care"],
    },
    {
        "title": "Build resilience",
        "weight": 3,
        "description": (
            "A city that withstands floods, heat and outages: permeable ground, "
            "rain gardens, local energy storage, emergency plans residents know."
        ),
        "keywords": ["flood", "heat", "storage", "emergency"],
        "sectors": ["water", "energy", "safety", "public_space"],
        "targets": ["Green or permeable area: +50 ha"],
    },
    {
        "title": "Use much less energy and water",
        "weight": 5,
        "description": (
            "Much lower energy and water use in homes, offices and public "
            "buildings: insulation, smart meters, leak detection, water reuse, "
            "rooftop solar panels with power sold back to the grid."
        ),
        "keywords": ["energy savings", "water savings", "smart meter", "solar"],
        "sectors": ["energy", "water", "buildings"],
        "targets": ["Energy saved: −30 % by 2030", "Water saved: −20 % by 2030"],
    },
    {
        "title": "Modular, adaptable infrastructure",
        "weight": 3,
        "description": (
            "Infrastructure that is modular, scales as the city grows and is easy "
            "to replace, adapt or upgrade when needs or regulations change."
        ),
        "keywords": ["modular", "scalable", "adaptable", "upgrade"],
        "sectors": ["buildings", "digital", "energy"],
        "targets": [],
    },
    {
        "title": "Get the most from existing infrastructure",
        "weight": 3,
        "description": (
            "Use what already runs before building more: sensors and open data to "
            "fill off-peak capacity, shared use of buildings, car parks and roofs, "
            "maintenance before replacement."
        ),
        "keywords": ["existing infrastructure", "sharing", "open data", "off-peak"],
        "sectors": ["digital", "mobility", "buildings"],
        "targets": [],
    },
    {
        "title": "Move people differently",
        "weight": 4,
        "description": (
            "Fewer solo car trips at rush hour: transit at off-peak hours, changed "
            "commuting routes, part-time teleworking, sharing personal vehicles, "
            "renting instead of owning, safe cycling and walking."
        ),
        "keywords": ["off-peak", "teleworking", "car sharing", "cycling"],
        "sectors": ["mobility", "digital", "health"],
        "targets": ["Commute time −10 min", "Car trips avoided: a million a year"],
    },
]


def _owner(city: City) -> Any:
    role = (
        CityRole.objects.filter(
            city=city,
            role=CityRoleKind.COORDINATOR,
            state=VerificationState.VERIFIED,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role else None


def seed_priorities(stdout: Any) -> None:
    """Create or refresh Riverbend's priorities, then score every proposal."""
    city = City.objects.filter(slug=CITY_SLUG).first()
    if city is None:
        stdout.write("  no Riverbend city: demo priorities skipped")
        return
    sectors = {s.slug: s for s in Sector.objects.all()}
    owner = _owner(city)
    created = 0
    for spec in PRIORITIES:
        priority = Priority.objects.filter(city=city, title=spec["title"]).first()
        if priority is None:
            priority = Priority(city=city, title=spec["title"], owner=owner)
            created += 1
        priority.description = spec["description"]
        priority.keywords = list(spec["keywords"])
        priority.weight = spec["weight"]
        priority.target_indicators = list(spec["targets"])
        priority.full_clean()
        priority.save()
        priority.sectors.set([sectors[s] for s in spec["sectors"] if s in sectors])
    # Scored here, batch after batch, whatever the broker: the demo is ready when
    # the command returns.
    started = services.city_rematch_start(
        actor=None, city=city, reason="seed_demo", enqueue=False
    )
    job = started.job
    if started.created:
        for ids in services.rematch_plan(job_id=job.pk):
            services.rematch_batch(job_id=job.pk, proposal_ids=ids)
        services.rematch_finish(job_id=job.pk)
        job.refresh_from_db()
    stdout.write(
        f"  {len(PRIORITIES)} priorities ({created} new); {job.total} proposals scored"
    )
