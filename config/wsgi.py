import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Ready before the first request (see config/warmup.py); not while developing,
# where the autoreloader restarts the process at each change.
from django.conf import settings  # noqa: E402

from config.warmup import warm  # noqa: E402

if not settings.DEBUG:
    warm()
