"""The Celery application (docs/jobs.md): settings from Django's, the CELERY_ ones (kexie/settings/base.py).

Used only when DJANGO_CELERY_BROKER_URL names a broker; the worker and the scheduler run as
`celery -A kexie worker` and `celery -A kexie beat` (docs/deployment.md has their systemd units).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.prod")

app = Celery("kexie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["reports.jobs"])
