"""What the projects app holds about a person, for the data export; registered in
settings.PRIVACY_EXPORTERS so stakeholders need not import this app."""

from __future__ import annotations

from typing import Any

from .models import Proposal


def export(user: Any) -> dict[str, Any]:
    proposals = Proposal.objects.filter(author=user).select_related(
        "city", "lead_organisation"
    )
    return {
        "proposals": [
            {
                "id": p.pk,
                "city": p.city.slug,
                "title": p.title,
                "summary": p.summary,
                "body": p.body,
                "status": p.status,
                "lead_organisation": p.lead_organisation.name,
                "created_at": p.created_at.isoformat(),
                "submitted_at": p.submitted_at.isoformat() if p.submitted_at else None,
            }
            for p in proposals
        ]
    }
