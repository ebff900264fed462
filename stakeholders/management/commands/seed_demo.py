"""Idempotent demo data: run it as often as you like, it converges on the same set.

Each local app contributes a ``demo.seed(stdout)`` function, run in the order of
INSTALLED_APPS, so later features extend the demo without touching this command.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo city, accounts, organisations and content."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not str(config.path).startswith(str(settings.BASE_DIR)):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
