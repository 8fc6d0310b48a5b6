"""Uploaded files go through Django's storage API only (issue 19 §4), so they can live on shared storage (S3,
NFS behind a storage class): every path that writes or reads an upload — contact-record attachments, the
approval scan, the jobs' input and result files and their purge, the backup and the restore — runs here
with a storage that is not a file system, Django's InMemoryStorage, and the media folder is never created.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison.models import Attachment
from reports.cycle import approval
from reports.jobs.models import Job, JobStatus
from reports.jobs.purge import purge
from tests.factories import PASSWORD
from tests.ops.conftest import default_database
from tests.ops.test_backup import PDF, PNG, committed, work  # noqa: F401 (work: the fixture)
from tests.reports.cycle.factories import THIS, make_cycle
from tests.reports.jobs.helpers import IMPORT_URL, orgs_sheet, upload
from tests.reports.workbook.workbooks import full_workbook, read, xlsx

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploads in memory; MEDIA_ROOT names a folder that must never appear."""
    settings.STORAGES = IN_MEMORY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.mark.django_db
def test_attachments_are_stored_and_served_through_the_storage(media, work, liaison_client):  # noqa: F811
    photo = Attachment.objects.get(original_name="现场.png")
    assert default_storage.exists(photo.file.name)
    assert isinstance(photo.file.storage._wrapped, InMemoryStorage)
    response = liaison_client.get(reverse("liaison:attachment", args=[photo.pk]))
    assert b"".join(response.streaming_content) == PNG
    assert not media.exists()


@pytest.mark.django_db
def test_the_approval_scan_is_stored_and_served_through_the_storage(
    media, leader, dept_staff, liaison_officer, leader_client
):
    cycle = make_cycle(lead=leader, member=dept_staff)
    approval.plan_submit(year=cycle.year, by=liaison_officer.user)
    approval.plan_approve(
        year=cycle.year,
        by=liaison_officer.user,
        approved_on=timezone.localdate(),
        document_number="沈科协〔2026〕37号",
        scanned_file=SimpleUploadedFile("纪要.pdf", PDF),
    )
    response = leader_client.get(reverse("reports:approval_scan", args=[THIS]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert not media.exists()


@pytest.mark.django_db
def test_the_jobs_files_are_written_read_and_purged_through_the_storage(media, liaison_client):
    from reports.workbook.imports import import_workbook

    liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(5)))})
    imported = Job.objects.get()
    assert imported.status == JobStatus.DONE, imported.message
    assert not imported.input_file  # read from the storage, then deleted from it (personal data)
    assert default_storage.listdir(f"jobs/{imported.pk}") == ([], [])

    assert import_workbook(xlsx(full_workbook())).ok
    liaison_client.post("/reports/io/export/2026/records/job")
    export = Job.objects.latest("pk")
    assert export.status == JobStatus.DONE, export.message
    assert default_storage.exists(export.result_file.name)
    response = liaison_client.get(f"/reports/jobs/{export.pk}/file")
    assert len(read(b"".join(response.streaming_content))["联系记录"]) == 3

    assert purge(now=timezone.now() + timezone.timedelta(days=30)) == 2
    assert not default_storage.exists(export.result_file.name)
    assert not media.exists()


@committed
def test_backup_and_restore_read_and_write_the_uploads_through_the_storage(
    media,
    work,  # noqa: F811
    tmp_path,
    settings,
    empty_database,
    client,  # noqa: F811
):
    names = {a.original_name: a.file.name for a in Attachment.objects.all()}
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("kexie-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members["manifest.json"])
    assert sorted(entry["name"] for entry in manifest["media"]) == sorted(names.values())
    assert members[f"media/{names['现场.png']}"] == PNG
    assert members[f"media/{names['纪要.pdf']}"] == PDF

    settings.STORAGES = {**IN_MEMORY}  # a new, empty storage: another server's, say
    assert not default_storage.exists(names["现场.png"])
    with default_database(empty_database):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
        assert default_storage.open(names["纪要.pdf"]).read() == PDF
        assert client.login(username="lianluo", password=PASSWORD)
        photo = Attachment.objects.get(original_name="现场.png")
        assert b"".join(client.get(reverse("liaison:attachment", args=[photo.pk])).streaming_content) == PNG
    assert not media.exists()
