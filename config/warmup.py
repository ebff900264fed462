"""Get a web process ready before it takes its first request.

Left alone, Django does its one-off work on the first requests a process serves:
importing every view through the URLconf, compiling each template the first time
it is rendered, reading the translation catalogues. Measured on the seeded load
database, the first request of a fresh process took 1.5 s against 10 ms for the
second; under gunicorn every worker (and every worker restarted after
``--max-requests``) made its first dozen visitors wait for it. ``warm()`` does
that work when the WSGI application is loaded (``config/wsgi.py``), before
gunicorn lets the worker accept connections. It touches neither the database nor
the cache, and a template that does not compile is logged, not fatal: the page
that uses it fails as it would have anyway.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)


def warm() -> float:
    """Import the URLconf, compile our templates and load the catalogues;
    returns the seconds it took."""
    from importlib import import_module

    from django.conf import settings
    from django.core.cache import caches
    from django.template import TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    started = time.monotonic()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view)
    caches["default"]  # noqa: B018 (imports the backend; connects on first use)
    import_module(settings.SESSION_ENGINE)
    engine = engines["django"]
    for folder in engine.dirs:
        root = Path(folder)
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            name = path.relative_to(root).as_posix()
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                log.exception("Template %s does not compile", name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Proposals")
            resolver.reverse_dict  # noqa: B018 (the URL names, per language)
    return time.monotonic() - started
