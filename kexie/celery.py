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


# Scheduled work (CELERY_BEAT_SCHEDULE in kexie/settings/base.py names these commands): one task that runs a
# management command of this list, so that a schedule runs exactly what an administrator would type.
SCHEDULED_COMMANDS = ("weekly_digest", "refresh_figures", "backup", "purge_access_log", "purge_jobs")


@app.task(name="kexie.run_command", ignore_result=True, acks_late=False)
def run_command(name: str) -> str:
    """Run one scheduled management command (acknowledged on receipt: a backup or a digest is not redone
    because a worker died half-way; the next run comes by the schedule)."""
    from django.core.management import call_command

    if name not in SCHEDULED_COMMANDS:
        raise ValueError(f"not a scheduled command: {name}")
    call_command(name)
    return name
