"""Backups of the whole system and their restore (issue 17 §5; docs/deployment.md, "Backups and restore").

One archive, `kexie-backup-YYYYmmdd-HHMMSS.tar.gz` (mode 0600: it holds personal data), holds
- `manifest.json`, the first member: when, which code (version, latest migration per app), the database
  vendor, every table's row count, and the size and sha256 of the database file and of every uploaded file;
- `database.pgdump` (pg_dump's custom format) or `database.sqlite3`;
- `media/<name>`: every file of the default storage (MEDIA_ROOT), read through Django's storage API.

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported snapshot handed to pg_dump;
SQLite: counted in the copy). The files are read after the dump: Django saves a file before the row that
names it, so every file a dumped row names is in the archive, and a file uploaded meanwhile is merely extra.

A restore checks everything before it writes anything: the archive is whole (every sha256), the code knows
the archive's migrations, the database is empty, no uploaded file would be overwritten. Then it loads the
database, the files, runs `migrate` (the archive may be older than the code), recomputes the stored figures
with the function `manage.py refresh_figures` uses, and compares every table's rows with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import posixpath
import re
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from liaison.compliance.team_figures import recompute
from liaison.models import Year
from ops.backup import database
from ops.backup.database import DATABASE_FILES, BackupError

ARCHIVE_NAME = re.compile(r"^kexie-backup-\d{8}-\d{6}\.tar\.gz$")
MANIFEST = "manifest.json"
MEDIA = "media/"
FORMAT = 1
CHUNK = 1024 * 1024
VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Rows a restore recomputes rather than only copies (liaison/compliance: the stored figures).
DERIVED = ("liaison.teamfigures", "liaison.yearfigures")
# The tables the commands name in their summary, in this order.
KEY_TABLES = (
    "orgs.organization",
    "experts.scientist",
    "liaison.staff",
    "liaison.year",
    "liaison.team",
    "liaison.assignment",
    "liaison.contactrecord",
    "liaison.attachment",
    "liaison.demand",
    "auth.user",
)


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    removed: list[Path] = field(default_factory=list)  # older archives deleted by --keep
    vanished: list[str] = field(default_factory=list)  # files deleted between listing and reading


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    files_written: int
    files_kept: int  # already in MEDIA_ROOT with the same content
    migrations_applied: int
    teams_recomputed: dict[int, int]  # {year: teams}

    @property
    def differences(self) -> list[tuple[str, int | None, int | None]]:
        """(table, rows in the archive, rows now) of every table that differs, the stored figures aside."""
        before = self.manifest["counts"]
        return [
            (label, before.get(label), self.counts.get(label))
            for label in sorted(set(before) | set(self.counts))
            if label not in DERIVED and before.get(label) != self.counts.get(label)
        ]


def table_label(label: str) -> str:
    """A table's name for people: 联系记录 (liaison.contactrecord)."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return label
    return f"{model._meta.verbose_name_plural}（{label}）"


def archive_name(moment: datetime.datetime) -> str:
    return f"kexie-backup-{timezone.localtime(moment):%Y%m%d-%H%M%S}.tar.gz"


def app_version() -> str:
    try:
        return importlib.metadata.version("kexie-liaison")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _facts(
    connection: BaseDatabaseWrapper, cursor, tables: set[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """({table label: rows}, {app: latest applied migration}) read through `cursor`, which may belong to
    another connection of the same vendor (the SQLite copy)."""
    quote = connection.ops.quote_name
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in tables:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(meta.db_table)}")  # noqa: S608 (a model's own table)
        counts[meta.label_lower] = cursor.fetchone()[0]
    latest: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(counts.items())), dict(sorted(latest.items()))


def _dump_with_facts(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    if connection.vendor == "sqlite":
        database.dump(connection, target)
        copy = sqlite3.connect(target)
        try:
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return _facts(connection, copy.cursor(), tables)
        finally:
            copy.close()
    if connection.in_atomic_block:
        raise BackupError("备份须在事务之外运行。 / A backup must run outside a transaction.")
    # One snapshot for pg_dump and for the counts: rows written meanwhile are in neither.
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        database.dump(connection, target, snapshot=snapshot)
        return _facts(connection, cursor, set(connection.introspection.table_names(cursor)))


def media_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked depth first, in a stable order."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # no MEDIA_ROOT yet: nothing uploaded
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for folder in sorted(folders):
        yield from media_files(storage, posixpath.join(path, folder) if path else folder)


class _Hashing:
    """A reader that hashes and counts what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.hash, self.size = raw, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.hash.update(data)
        self.size += len(data)
        return data


def _digest(raw: IO[bytes]) -> tuple[str, int]:
    reader = _Hashing(raw)
    while reader.read(CHUNK):
        pass
    return reader.hash.hexdigest(), reader.size


def _add(tar: tarfile.TarFile, name: str, raw: IO[bytes], size: int, sha256: str, moment: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, moment, 0o600
    reader = _Hashing(raw)
    try:
        tar.addfile(info, reader)
    except OSError as error:  # shorter than listed
        raise BackupError(
            f"文件在备份过程中被改动：{name}，请重新备份。 / {name} changed during the backup."
        ) from error
    if reader.hash.hexdigest() != sha256 or reader.size != size:
        raise BackupError(f"文件在备份过程中被改动：{name}，请重新备份。 / {name} changed during the backup.")


def prune(output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in the folder (their names sort by time); 0 keeps all.
    Only files named like our archives are touched."""
    if keep <= 0:
        return []
    archives = sorted(p for p in output_dir.iterdir() if p.is_file() and ARCHIVE_NAME.match(p.name))
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def _check_output_dir(output_dir: Path) -> None:
    """Archives hold every person's data: never where the web server serves files (STATIC_ROOT), nor in the
    uploads, which the next backup would copy again."""
    where = output_dir.resolve()
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        root = Path(getattr(settings, setting)).resolve()
        if where == root or root in where.parents:
            raise BackupError(
                f"备份目录 {output_dir} 不能在 {setting}（{root}）之内：请另选目录。"
                f" / The backup folder must not be inside {setting}."
            )


def create_backup(*, output_dir: Path, keep: int, moment: datetime.datetime | None = None) -> BackupResult:
    """Write one archive of the database and every uploaded file into output_dir, then apply --keep."""
    connection = connections[DEFAULT_DB_ALIAS]
    database.vendor_supported(connection)
    moment = moment or timezone.now()
    output_dir = Path(output_dir)
    _check_output_dir(output_dir)
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"无法创建备份目录 {output_dir}：{error.strerror}。 / Cannot create {output_dir}."
        ) from error
    path = output_dir / archive_name(moment)
    if path.exists():
        raise BackupError(f"已有同名备份 {path.name}，请稍后再试。 / {path.name} already exists.")
    storage = default_storage
    with tempfile.TemporaryDirectory(prefix="kexie-backup-") as work:
        db_file = Path(work) / DATABASE_FILES[connection.vendor]
        counts, migrations = _dump_with_facts(connection, db_file)
        with db_file.open("rb") as raw:
            db_sha, db_size = _digest(raw)
        entries, vanished = [], []
        for name in media_files(storage):
            try:
                with storage.open(name, "rb") as raw:
                    sha, size = _digest(raw)
            except FileNotFoundError:
                vanished.append(name)
                continue
            entries.append({"name": name, "size": size, "sha256": sha})
        manifest = {
            "format": FORMAT,
            "created": timezone.localtime(moment).isoformat(),
            "app": {"name": "kexie-liaison", "version": app_version()},
            "database": {
                "vendor": connection.vendor,
                "file": db_file.name,
                "size": db_size,
                "sha256": db_sha,
            },
            "migrations": migrations,
            "counts": counts,
            "media": entries,
        }
        part = output_dir / f".{path.name}.part"
        stamp = moment.timestamp()
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
                text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                _add(tar, MANIFEST, io.BytesIO(text), len(text), hashlib.sha256(text).hexdigest(), stamp)
                with db_file.open("rb") as raw:
                    _add(tar, db_file.name, raw, db_size, db_sha, stamp)
                for entry in entries:
                    with storage.open(entry["name"], "rb") as raw:
                        _add(tar, MEDIA + entry["name"], raw, entry["size"], entry["sha256"], stamp)
            os.chmod(part, 0o600)
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return BackupResult(path=path, manifest=manifest, removed=prune(output_dir, keep), vanished=vanished)


# --- restore ---------------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError("这不是本系统的备份文件（缺少 manifest.json）。 / Not a backup of this system.")
    try:
        manifest = json.load(tar.extractfile(first))
    except ValueError as error:
        raise BackupError("备份清单 manifest.json 无法读取。 / manifest.json is not valid JSON.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"备份格式 {manifest.get('format')} 不是本程序能读的格式 {FORMAT}。"
            f" / Archive format {manifest.get('format')} is not {FORMAT}."
        )
    return manifest


def _open(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。 / {archive} not found.")
    try:
        return tarfile.open(archive, mode="r|gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            f"备份文件 {archive.name} 无法读取或已损坏。 / {archive.name} is unreadable."
        ) from error


def _check_code_knows(migrations: dict[str, str]) -> None:
    """Refuse an archive made by newer code: migrate cannot go backwards to this code's schema."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, name in migrations.items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            f"备份来自更新版本的程序（数据库迁移 {'、'.join(unknown)} 本程序没有）：请先升级程序再恢复。"
            f" / The archive comes from newer code (unknown migrations: {', '.join(unknown)})."
        )


def _check_empty(connection: BaseDatabaseWrapper, force: bool) -> None:
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"目标数据库 {connection.settings_dict['NAME']} 不是空的（已有 {len(tables)} 张表）：恢复只写入空数据库。"
            "请新建一个空数据库并让 DATABASE_URL 指向它；确要覆盖其中的数据，加 --force。"
            f" / The target database is not empty ({len(tables)} tables): restore into an empty database,"
            " or pass --force to overwrite it."
        )


def _extract(tar: tarfile.TarFile, manifest: dict, work: Path) -> dict[str, Path]:
    """Copy every member after the manifest into `work`, checking each against the manifest's size and
    sha256: {member name: staged file}. Staged files are numbered, never named by the archive."""
    expected = {manifest["database"]["file"]: manifest["database"]}
    expected.update({MEDIA + entry["name"]: entry for entry in manifest["media"]})
    staged: dict[str, Path] = {}
    try:
        while (member := tar.next()) is not None:  # the manifest was read already
            entry = expected.get(member.name)
            if entry is None or not member.isfile() or member.name in staged:
                raise BackupError(
                    f"备份文件中有清单之外的内容：{member.name}。 / {member.name} is not in the manifest."
                )
            target = work / f"{len(staged):06d}"
            with target.open("wb") as out:
                reader = _Hashing(tar.extractfile(member))
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
            if reader.hash.hexdigest() != entry["sha256"] or reader.size != entry["size"]:
                raise BackupError(
                    f"备份文件已损坏：{member.name} 的校验值（sha256）与清单不符。"
                    f" / {member.name} does not match its sha256 in the manifest."
                )
            staged[member.name] = target
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"备份文件已损坏或不完整：{error}。 / The archive is damaged.") from error
    missing = sorted(set(expected) - set(staged))
    if missing:
        raise BackupError(
            f"备份文件不完整，缺少 {len(missing)} 个文件（如 {missing[0]}）。 / The archive lacks {missing[0]}."
        )
    return staged


def _media_plan(storage: Storage, entries: list[dict], force: bool) -> set[str]:
    """Names of the files already in storage with the archive's content (left as they are). A file of the
    same name with other content is refused unless force, which replaces it."""
    same, conflicts = set(), []
    for entry in entries:
        if not storage.exists(entry["name"]):
            continue
        with storage.open(entry["name"], "rb") as raw:
            if _digest(raw)[0] == entry["sha256"]:
                same.add(entry["name"])
            else:
                conflicts.append(entry["name"])
    if conflicts and not force:
        raise BackupError(
            f"上传文件目录中已有 {len(conflicts)} 个同名但内容不同的文件（如 {conflicts[0]}）：恢复不覆盖它们。"
            "请使用空的 MEDIA_ROOT；确要覆盖，加 --force。"
            f" / {len(conflicts)} files in MEDIA_ROOT differ from the archive (e.g. {conflicts[0]})."
        )
    return same


def restore_backup(*, archive: Path, force: bool = False) -> RestoreResult:
    """Restore the archive into the configured database (which must be empty unless force) and storage."""
    connection = connections[DEFAULT_DB_ALIAS]
    database.vendor_supported(connection)
    storage = default_storage
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="kexie-restore-") as work:
        with _open(archive) as tar:
            manifest = read_manifest(tar)
            vendor = manifest["database"]["vendor"]
            if vendor != connection.vendor:
                raise BackupError(
                    f"这是 {VENDORS.get(vendor, vendor)} 数据库的备份，当前配置的是 "
                    f"{VENDORS.get(connection.vendor, connection.vendor)}：请让 DATABASE_URL 指向同类数据库。"
                    f" / A {vendor} archive cannot be restored into {connection.vendor}."
                )
            _check_code_knows(manifest["migrations"])
            _check_empty(connection, force)
            staged = _extract(tar, manifest, Path(work))
        same = _media_plan(storage, manifest["media"], force)

        database.restore(connection, staged[manifest["database"]["file"]], clean=force)
        written = 0
        for entry in manifest["media"]:
            name = entry["name"]
            if name in same:
                continue
            if storage.exists(name):  # force: replace
                storage.delete(name)
            with staged[MEDIA + name].open("rb") as raw:
                saved = storage.save(name, File(raw, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"文件 {name} 被存为 {saved}。 / {name} was stored as {saved}.")
            written += 1

    # Values cached under keys of the data (the plan's version, stamps of figures) may name another database's
    # state that the restored one happens to share (the same year id and plan version): start the cache empty.
    # Sessions stay valid: with the shared cache they are also in the (restored) database.
    cache.clear()
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    call_command("migrate", interactive=False, verbosity=0)
    recomputed = {year.year: recompute(year) for year in Year.objects.order_by("year")}
    with connection.cursor() as cursor:
        counts, _ = _facts(connection, cursor, set(connection.introspection.table_names(cursor)))
    return RestoreResult(
        manifest=manifest,
        counts=counts,
        files_written=written,
        files_kept=len(same),
        migrations_applied=pending,
        teams_recomputed=recomputed,
    )
