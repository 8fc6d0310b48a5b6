"""The scheduled work, declared once in CELERY_BEAT_SCHEDULE: every entry runs a management command that
exists, through the one task kexie.run_command, which runs nothing else; a run through a real worker on Redis
does what the command does."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.utils import timezone

from kexie.celery import SCHEDULED_COMMANDS, run_command
from liaison.models import PersonalDataView
from tests.reports.jobs.helpers import real_worker, wait_until
from tests.services import redis_url


def test_every_scheduled_entry_runs_a_known_command():
    commands = get_commands()
    names = []
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] == "kexie.run_command"
        (name,) = entry["args"]
        assert name in SCHEDULED_COMMANDS
        assert name in commands
        names.append(name)
    assert sorted(names) == sorted(
        ["weekly_digest", "backup", "purge_access_log", "purge_jobs", "refresh_figures"]
    )
    digest = settings.CELERY_BEAT_SCHEDULE["weekly-digest"]["schedule"]
    assert digest.day_of_week == {1}  # Monday
    assert digest.hour == {8}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_the_task_runs_no_other_command():
    with pytest.raises(ValueError, match="not a scheduled command"):
        run_command("flush")


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_command_runs_on_a_real_worker(liaison_officer):
    old = PersonalDataView.objects.create(
        user=liaison_officer.user, username="lianluo", user_label="刘联络", what="test"
    )
    PersonalDataView.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_LOG_DAYS + 1)
    )
    recent = PersonalDataView.objects.create(
        user=liaison_officer.user, username="lianluo", user_label="刘联络", what="test"
    )
    with real_worker(redis_url("broker")):
        run_command.delay("purge_access_log")
        wait_until(lambda: not PersonalDataView.objects.filter(pk=old.pk).exists())
    assert list(PersonalDataView.objects.values_list("pk", flat=True)) == [recent.pk]
