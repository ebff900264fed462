"""Bulk seeding for the benchmarks: thousands of realistic proposals in seconds.

Rows go in with bulk_create (the services are for people, one at a time); derived
fields are computed the same way the services compute them.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

WORDS = {
    "energy": [
        "rooftop solar",
        "heat pump",
        "district heating",
        "battery storage",
        "smart meter",
    ],
    "water": ["rain garden", "leak detection", "grey water reuse", "storm-water basin"],
    "mobility": [
        "cycle lane",
        "car sharing",
        "cargo bike",
        "off-peak transit",
        "bus priority",
    ],
    "housing": ["social housing", "retrofit", "affordable homes", "tenant cooperative"],
    "buildings": [
        "timber extension",
        "insulation",
        "modular construction",
        "facade renovation",
    ],
    "waste": ["compost", "material reuse", "repair café", "sorting station"],
    "health": ["air quality", "preventive care", "active travel", "heat stress"],
    "digital": ["open data", "sensor network", "booking app", "dashboard"],
    "finance": ["green bond", "community investment", "energy savings contract"],
    "public_space": ["tree canopy", "pocket park", "school street", "shade"],
    "food": ["community garden", "urban farm", "food bank logistics"],
    "education": ["vocational training", "school programme", "apprenticeships"],
    "safety": ["street lighting", "safe crossings", "flood warning"],
}


def seed_proposals(n: int, *, seed: int = 0, city_slug: str = "riverbend") -> int:
    """Add ``n`` submitted proposals to the city; returns how many exist after."""
    from projects.markdown import render_markdown
    from projects.models import DeliveryModel, Proposal, ProposalStatus, Sector
    from stakeholders.models import City, Organisation, User

    rng = random.Random(seed)
    city = City.objects.get(slug=city_slug)
    orgs = list(Organisation.objects.all())
    author = User.objects.filter(memberships__isnull=False).first()
    sectors = {s.slug: s for s in Sector.objects.all()}
    districts = list(city.districts.all())
    statuses = [ProposalStatus.SUBMITTED] * 6 + [
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    ]
    now = timezone.now()
    rows, chosen = [], []
    for i in range(n):
        picked = rng.sample(list(WORDS), rng.choice([2, 2, 3, 4]))
        terms = [rng.choice(WORDS[s]) for s in picked]
        title = f"{terms[0].capitalize()} with {terms[1]} in the {rng.choice(districts).name} district #{i}"
        summary = f"Combines {', '.join(terms)} so residents benefit from {picked[0]} and {picked[1]} at once."
        body = (
            f"## What\n\nWe propose {terms[0]} together with {terms[1]}.\n\n"
            f"- Partners from {' and '.join(picked)}\n- Pilot first, then scale\n\n"
            f"Expected benefits: lower emissions, jobs, and better {terms[-1]}."
        )
        when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        rows.append(
            Proposal(
                city=city,
                title=title[:140],
                summary=summary[:500],
                body=body,
                body_html=render_markdown(body),
                lead_organisation=rng.choice(orgs),
                author=author,
                delivery_model=rng.choice(DeliveryModel.values),
                capital_cost=Decimal(rng.randint(50, 20000) * 1000),
                operating_cost=Decimal(rng.randint(0, 500) * 1000),
                currency="CAD",
                city_contribution=Decimal(rng.randint(0, 50) * 1000),
                district=rng.choice(districts),
                status=rng.choice(statuses),
                submitted_at=when,
                sector_count=len(picked),
                resident_support_count=rng.randint(0, 300),
                organisation_support_count=rng.randint(0, 12),
                comment_count=rng.randint(0, 40),
            )
        )
        chosen.append(picked)
    with transaction.atomic():
        created = Proposal.objects.bulk_create(rows, batch_size=1000)
        through = Proposal.sectors.through
        through.objects.bulk_create(
            [
                through(proposal_id=p.pk, sector_id=sectors[s].pk)
                for p, picked in zip(created, chosen, strict=True)
                for s in picked
            ],
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE projects_proposal SET search_vector = "
                "setweight(to_tsvector('simple', title), 'A') || "
                "setweight(to_tsvector('simple', summary), 'B') || "
                "setweight(to_tsvector('simple', body), 'C') WHERE search_vector IS NULL"
            )
            cursor.execute("VACUUM ANALYZE projects_proposal")
    return Proposal.objects.filter(city=city).count()


COMMENT_TEXTS = [
    "Would this also work for the **older buildings** near the river?",
    "We tried something similar in our street: the key was talking to tenants first.",
    "How will the operating costs be covered after year three?",
    "Strong support from our residents' association.\n\n- less noise\n- more shade",
    "Could the pilot start in the *school street* instead?",
    "The utility should publish the meter data as open data.",
    "Who maintains it once the works are done?",
    "Great idea, but please keep the cycle lane separate from the bus stop.",
]


def seed_comments(n: int, *, seed: int = 0, city_slug: str = "riverbend") -> int:
    """Add ``n`` comments (about one in five a reply) spread over the city's public
    proposals, by its residents; sets each proposal's ``comment_count`` and each
    comment's ``reply_count`` to the real numbers. Returns the comments of the
    city after."""
    from django.db.models import Count

    from projects.markdown import render_markdown
    from projects.models import Comment, Proposal
    from stakeholders.models import City, User

    rng = random.Random(seed)
    city = City.objects.get(slug=city_slug)
    proposal_ids = list(
        Proposal.objects.public().filter(city=city).values_list("pk", flat=True)
    )
    authors = list(
        User.objects.filter(is_active=True, memberships__isnull=True).values_list(
            "pk", flat=True
        )
    )
    rendered = [(text, render_markdown(text)) for text in COMMENT_TEXTS]
    now = timezone.now()
    with transaction.atomic():
        tops: list[Comment] = []
        for _i in range(n - n // 5):
            body, html = rng.choice(rendered)
            tops.append(
                Comment(
                    proposal_id=rng.choice(proposal_ids),
                    author_id=rng.choice(authors),
                    body=body,
                    body_html=html,
                    created_at=now - timedelta(minutes=rng.randint(60, 60 * 24 * 300)),
                    upvotes=rng.randint(0, 5),
                )
            )
        tops = Comment.objects.bulk_create(tops, batch_size=5000)
        replies = []
        for parent in rng.sample(tops, n // 5):
            body, html = rng.choice(rendered)
            replies.append(
                Comment(
                    proposal_id=parent.proposal_id,
                    parent_id=parent.pk,
                    depth=2,
                    author_id=rng.choice(authors),
                    body=body,
                    body_html=html,
                    created_at=parent.created_at
                    + timedelta(minutes=rng.randint(1, 50)),
                )
            )
        Comment.objects.bulk_create(replies, batch_size=5000)
        counts = dict(
            Comment.objects.filter(proposal__city=city)
            .values_list("proposal_id")
            .annotate(n=Count("pk"))
            .values_list("proposal_id", "n")
        )
        per_count: dict[int, list[int]] = {}
        for pid in Proposal.objects.filter(city=city).values_list("pk", flat=True):
            per_count.setdefault(counts.get(pid, 0), []).append(pid)
        for count, ids in per_count.items():
            Proposal.objects.filter(pk__in=ids).update(comment_count=count)
        replied = dict(
            Comment.objects.filter(parent__isnull=False, proposal__city=city)
            .values_list("parent_id")
            .annotate(n=Count("pk"))
            .values_list("parent_id", "n")
        )
        per_replies: dict[int, list[int]] = {}
        for pid, count in replied.items():
            per_replies.setdefault(count, []).append(pid)
        for count, ids in per_replies.items():
            Comment.objects.filter(pk__in=ids).update(reply_count=count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE projects_comment")
            cursor.execute("VACUUM ANALYZE projects_proposal")
    return Comment.objects.filter(proposal__city=city).count()
