"""`manage.py purge_jobs`: jobs that ended more than JOBS_KEEP_DAYS ago go, with their files; newer ones and
running ones stay."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from reports.jobs.models import Job, JobKind, JobStatus

pytestmark = pytest.mark.django_db


def job(user, *, days_ago: int, status: str = JobStatus.DONE, with_file: bool = True) -> Job:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    made = Job.objects.create(
        kind=JobKind.EXPORT_ALL,
        created_by=user,
        status=status,
        created_at=at,
        finished_at=at if status in (JobStatus.DONE, JobStatus.FAILED) else None,
    )
    if with_file:
        made.result_file.save("全部数据.xlsx", ContentFile(b"PK"), save=True)
    return made


def test_old_jobs_go_with_their_files(liaison_officer, settings):
    user = liaison_officer.user
    settings.JOBS_KEEP_DAYS = 7
    old = job(user, days_ago=8)
    old_failed = job(user, days_ago=30, status=JobStatus.FAILED, with_file=False)
    stuck = job(user, days_ago=9, status=JobStatus.RUNNING, with_file=False)
    recent = job(user, days_ago=6)
    running = job(user, days_ago=1, status=JobStatus.RUNNING, with_file=False)
    old_path, recent_path = old.result_file.name, recent.result_file.name
    assert default_storage.exists(old_path)

    out = io.StringIO()
    call_command("purge_jobs", stdout=out)

    assert "已删除 3 个后台任务及其文件" in out.getvalue()
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not default_storage.exists(old_path)
    assert default_storage.exists(recent_path)
    assert not Job.objects.filter(pk__in=[old_failed.pk, stuck.pk]).exists()


def test_days_on_the_command_line(liaison_officer):
    recent = job(liaison_officer.user, days_ago=2)
    call_command("purge_jobs", "--days", "1", stdout=io.StringIO())
    assert not Job.objects.filter(pk=recent.pk).exists()
