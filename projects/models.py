from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """The fixed taxonomy of sectors, seeded by a data migration.

    Names are translated through the catalogue (``SECTOR_NAMES``) rather than stored
    per language, so a new language needs no data change.
    """

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return str(SECTOR_NAMES.get(self.slug, self.slug))


SECTOR_NAMES = {
    "energy": _("Energy"),
    "water": _("Water"),
    "mobility": _("Mobility"),
    "housing": _("Housing"),
    "buildings": _("Buildings & construction"),
    "waste": _("Waste & circular economy"),
    "health": _("Health"),
    "digital": _("Digital & data"),
    "finance": _("Finance"),
    "public_space": _("Public space & nature"),
    "food": _("Food"),
    "education": _("Education"),
    "safety": _("Safety"),
}
SECTOR_SLUGS = list(SECTOR_NAMES)
