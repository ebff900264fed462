"""Celery application.

With ``REDIS_URL`` unset the settings switch Celery to eager mode, so the same code
paths run in-process (the embedded default); with it set, tasks travel through Redis
to real workers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("crosswalk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
