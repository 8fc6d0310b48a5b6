"""`manage.py backup` and `manage.py restore` (issue 17 §5): the whole system, database and uploaded files, out
to one archive and back into an empty database, with the same rows, the same file bytes and the stored
figures recomputed. Runs on SQLite and on PostgreSQL (pg_dump must see committed rows: transactional tests).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from experts.models import Scientist
from liaison.compliance import team_figures
from liaison.models import Attachment, ContactRecord, TeamFigures, Year
from liaison.plan import services as plans
from ops.backup.database import BackupError, pg_tool
from tests.factories import PASSWORD, ScientistFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_team, make_year, org
from tests.ops.conftest import default_database

# pg_dump reads committed rows only, and the backup takes its own snapshot transaction.
committed = pytest.mark.django_db(transaction=True)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n" + "会议纪要".encode() * 100


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def work(media, liaison_officer):
    """A year, a team with three targets, one grassroots visit naming two of them with two attachments, one
    open demand, and a scientist outside the plan."""
    year = make_year(today().year)
    team = make_team(year, liaison_officer)
    society = org(name="辽川市机械工程学会")
    zhang, li = ScientistFactory(name="张海峰"), ScientistFactory(name="李秀英")
    ScientistFactory(name="单志强")  # registered, not a target
    for target in {"organization": society}, {"scientist": zhang}, {"scientist": li}:
        plans.assignment_add(team=team, by=liaison_officer.user, **target)
    record = log(team, liaison_officer, [society, zhang], day=today(), summary="走访学会了解学术年会筹备情况")
    raise_demand(record, liaison_officer.user, text="年会场地紧张")
    for name, content, kind in [("现场.png", PNG, "image/png"), ("纪要.pdf", PDF, "application/pdf")]:
        Attachment.objects.create(
            record=record,
            file=SimpleUploadedFile(name, content),
            original_name=name,
            content_type=kind,
            size=len(content),
        )
    return team


def _backup(tmp_path: Path, *args: str) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), *args, stdout=out)
    archives = sorted((tmp_path / "backups").glob("kexie-backup-*.tar.gz"))
    assert f"已备份到 {archives[-1]}" in out.getvalue()
    return archives[-1]


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with change(manifest, members) applied (both editable), manifest first."""
    members = _members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    change(manifest, members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in [("manifest.json", json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def _snapshot() -> dict:
    """What a restore must give back, read from whichever database is the default."""
    return {
        "scientists": list(Scientist.objects.order_by("pk").values_list("pk", "name", "name_pinyin")),
        "records": list(ContactRecord.objects.order_by("pk").values_list("pk", "date", "summary", "team_id")),
        "attachments": [
            (a.pk, a.file.name, a.original_name, a.file.read()) for a in Attachment.objects.all()
        ],
    }


FIGURE_FIELDS = ["assigned", "uncontacted", "visits", "open_demands", "compliant", "shortfalls", "counts"]


@committed
def test_restore_into_an_empty_database_gives_the_same_rows_files_and_figures(
    work, media, tmp_path, settings, empty_database, client
):
    before = _snapshot()
    # nobody has read the figures since the writes: the archive carries stale rows
    assert TeamFigures.objects.get(team=work).is_current is False
    archive = _backup(tmp_path)

    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    out = io.StringIO()
    cache.set("shared-targets:1:0", 99)  # a count kept for another database's year 1 at plan version 0
    with default_database(empty_database):
        assert connection.introspection.table_names() == []
        call_command("restore", str(archive), "--yes", stdout=out)
        assert _snapshot() == before
        assert cache.get("shared-targets:1:0") is None
        assert (tmp_path / "restored-media" / before["attachments"][0][1]).read_bytes() == PNG

        # the figures were recomputed: current, and what a hand count gives (3 targets, 2 named on the one
        # grassroots visit, the demand still open) ...
        year = Year.objects.get(year=today().year)
        stored = TeamFigures.objects.get(team_id=work.pk)
        assert stored.is_current
        assert (stored.assigned, stored.uncontacted, stored.visits, stored.open_demands) == (3, 1, 1, 1)
        assert "1 个联系对象全年未联系" in stored.shortfalls
        # ... and what computing them again from the restored rows gives
        kept = {field: getattr(stored, field) for field in FIGURE_FIELDS}
        team_figures.recompute(year)
        again = TeamFigures.objects.get(team_id=work.pk)
        assert {field: getattr(again, field) for field in FIGURE_FIELDS} == kept

        # people log in to the restored system and see the record and its photo
        assert client.login(username="lianluo", password=PASSWORD)
        record = ContactRecord.objects.get()
        assert "走访学会了解学术年会筹备情况" in client.get(record.get_absolute_url()).content.decode()
        photo = Attachment.objects.get(original_name="现场.png")
        assert b"".join(client.get(reverse("liaison:attachment", args=[photo.pk])).streaming_content) == PNG

    text = out.getvalue()
    assert "上传文件：写入 2 个，0 个已存在且内容相同" in text
    assert f"{today().year} 年度：已重新计算 1 个专班的统计。" in text
    assert "科技工作者（experts.scientist）\t3\t3" in text
    assert "联系记录（liaison.contactrecord）\t1\t1" in text
    assert "张表的行数与备份时一致" in text


@committed
def test_the_manifest_names_the_code_the_rows_and_every_file(work, media, tmp_path):
    archive = _backup(tmp_path)
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert list(members)[0] == "manifest.json"
    assert manifest["database"]["vendor"] == connection.vendor
    db_file = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert manifest["database"]["sha256"] == hashlib.sha256(members[db_file]).hexdigest()
    latest_liaison = sorted(p.stem for p in Path("liaison/migrations").glob("0*.py"))[-1]
    assert manifest["migrations"]["liaison"] == latest_liaison
    counts = manifest["counts"]
    assert (counts["experts.scientist"], counts["liaison.assignment"], counts["liaison.contactrecord"]) == (
        3,
        3,
        1,
    )
    assert (counts["liaison.attachment"], counts["liaison.demand"], counts["liaison.team"]) == (2, 1, 1)
    files = {entry["name"]: entry for entry in manifest["media"]}
    photo = Attachment.objects.get(original_name="现场.png").file.name
    assert files[photo] == {"name": photo, "size": len(PNG), "sha256": hashlib.sha256(PNG).hexdigest()}
    assert members[f"media/{photo}"] == PNG
    assert len(files) == 2


@committed
def test_the_archive_is_private_and_keep_deletes_only_older_archives(work, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"kexie-backup-2025010{day}-020000.tar.gz" for day in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"old")
    (folder / "notes.txt").write_text("运维记录")
    out = io.StringIO()
    call_command("backup", "--output", str(folder), "--keep", "2", stdout=out)
    remaining = sorted(p.name for p in folder.iterdir())
    newest = remaining[-2]
    assert remaining == [old[2].name, newest, "notes.txt"]
    assert stat.S_IMODE((folder / newest).stat().st_mode) == 0o600
    assert "删除了较早的备份：kexie-backup-20250101-020000.tar.gz、kexie-backup-20250102-020000.tar.gz" in (
        out.getvalue()
    )


def test_backups_are_never_written_where_files_are_served_or_uploaded(settings, media, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "static")
    for folder in (tmp_path / "static" / "backups", media / "backups", media):
        with pytest.raises(CommandError, match="不能在 (STATIC|MEDIA)_ROOT"):
            call_command("backup", "--output", str(folder))
    assert not (tmp_path / "static").exists()


@committed
def test_restore_refuses_a_database_that_is_not_empty(work, media, tmp_path):
    archive = _backup(tmp_path)
    with pytest.raises(CommandError, match="不是空的.*新建一个空数据库.*--force"):
        call_command("restore", str(archive), "--yes")
    assert ContactRecord.objects.count() == 1


@committed
def test_restore_checks_the_whole_archive_before_writing_anything(
    work, media, tmp_path, settings, empty_database
):
    archive = _backup(tmp_path)
    photo = Attachment.objects.get(original_name="现场.png").file.name

    def tamper(manifest, members):
        members[f"media/{photo}"] = PNG[:-1] + b"!"

    damaged = _rewrite(archive, tmp_path / "damaged.tar.gz", tamper)

    def newer(manifest, members):
        manifest["migrations"]["liaison"] = "9999_from_the_future"

    future = _rewrite(archive, tmp_path / "future.tar.gz", newer)

    def other_vendor(manifest, members):
        manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    foreign = _rewrite(archive, tmp_path / "foreign.tar.gz", other_vendor)
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"hello")

    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    with default_database(empty_database):
        with pytest.raises(CommandError, match=f"备份文件已损坏：media/{photo} 的校验值"):
            call_command("restore", str(damaged), "--yes")
        with pytest.raises(CommandError, match="备份来自更新版本的程序.*liaison.9999_from_the_future"):
            call_command("restore", str(future), "--yes")
        with pytest.raises(CommandError, match="数据库的备份，当前配置的是"):
            call_command("restore", str(foreign), "--yes")
        with pytest.raises(CommandError, match="无法读取或已损坏|不是本系统的备份文件|已损坏或不完整"):
            call_command("restore", str(tmp_path / "not-a-backup.tar.gz"), "--yes")
        with pytest.raises(CommandError, match="找不到备份文件"):
            call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
        assert connection.introspection.table_names() == []
    assert not (tmp_path / "restored-media").exists()


@committed
def test_restore_keeps_identical_files_and_refuses_different_ones_without_force(
    work, media, tmp_path, settings, empty_database
):
    archive = _backup(tmp_path)
    photo = Attachment.objects.get(original_name="现场.png").file.name
    restored = tmp_path / "restored-media"
    (restored / photo).parent.mkdir(parents=True)
    (restored / photo).write_bytes(b"another photo")
    settings.MEDIA_ROOT = str(restored)
    with default_database(empty_database):
        with pytest.raises(CommandError, match="1 个同名但内容不同的文件"):
            call_command("restore", str(archive), "--yes")
        assert connection.introspection.table_names() == []
        out = io.StringIO()
        call_command("restore", str(archive), "--yes", "--force", stdout=out)
    assert (restored / photo).read_bytes() == PNG
    assert "上传文件：写入 2 个" in out.getvalue()


def test_a_missing_pg_dump_is_named_with_what_to_install(settings, tmp_path):
    settings.BACKUP_PG_BIN_DIR = str(tmp_path)
    with pytest.raises(BackupError, match="找不到 pg_dump.*postgresql-client-15.*DJANGO_PG_BIN_DIR"):
        pg_tool("pg_dump")


@committed
def test_restore_asks_before_writing(work, tmp_path, monkeypatch):
    archive = _backup(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消，未做任何改动"):
        call_command("restore", str(archive))


def test_the_archive_name_is_the_local_time():
    from ops.backup.services import archive_name

    moment = datetime.datetime(2026, 3, 1, 16, 30, 5, tzinfo=datetime.UTC)
    assert archive_name(moment) == "kexie-backup-20260302-003005.tar.gz"  # Asia/Shanghai, UTC+8
