from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Proposals and projects")

    def ready(self) -> None:
        from . import caching

        caching.connect()
