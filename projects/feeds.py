"""Atom feeds of proposals."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stakeholders.models import City

from .models import Proposal

FEED_SIZE = 50


class ProposalFeed(Feed):
    """The newest public proposals of a city, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> City:  # type: ignore[override]
        return get_object_or_404(City, slug=slug)

    def title(self, obj: City) -> str:
        return _("Proposals in %(city)s · Crosswalk") % {"city": obj.name}

    def subtitle(self, obj: City) -> str:
        return _("The newest cross-sector proposals for %(city)s.") % {"city": obj.name}

    def link(self, obj: City) -> str:
        return reverse("proposal-list") + f"?city={obj.slug}"

    def items(self, obj: City) -> Any:
        return (
            Proposal.objects.public()
            .filter(city=obj)
            .select_related("lead_organisation")
            .prefetch_related("sectors")
            .order_by("-submitted_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: Proposal) -> str:
        return item.title

    def item_description(self, item: Proposal) -> str:
        return item.summary

    def item_link(self, item: Proposal) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Proposal) -> Any:
        return item.submitted_at or item.created_at

    def item_updateddate(self, item: Proposal) -> Any:
        return item.updated_at

    def item_author_name(self, item: Proposal) -> str:
        return item.lead_organisation.name

    def item_categories(self, item: Proposal) -> list[str]:
        return [s.name for s in item.sectors.all()]
