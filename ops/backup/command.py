"""`manage.py backup [--output DIR] [--keep N]` and `manage.py restore ARCHIVE [--yes] [--force]`: the whole
system, database and uploaded files, in one archive (ops/backup/services.py; docs/deployment.md, "Backups and
restore"). Errors end the command with a Chinese and English message and exit status 1."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from ops.backup.services import (
    DERIVED,
    KEY_TABLES,
    VENDORS,
    BackupError,
    create_backup,
    restore_backup,
    table_label,
)


def _failed(error: Exception) -> CommandError:
    """A clear one-paragraph message for what stops a backup or restore (never a traceback)."""
    if isinstance(error, BackupError):
        return CommandError(str(error))
    if isinstance(error, DatabaseError):
        return CommandError(f"数据库出错 / Database error: {error}".strip())
    return CommandError(f"文件读写失败 / File error: {error}")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


class BackupCommand(BaseCommand):
    help = (
        "备份整个系统（数据库和全部上传文件）为一个 kexie-backup-年月日-时分秒.tar.gz 文件（权限 0600），"
        "并只保留最新的 N 个备份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help=f"备份目录（默认 DJANGO_BACKUP_DIR：{settings.BACKUP_DIR}）"
        )
        parser.add_argument(
            "--keep",
            type=int,
            help=f"保留最新的几个备份，更早的删除；0 表示全部保留（默认 DJANGO_BACKUP_KEEP：{settings.BACKUP_KEEP}）",
        )

    def handle(self, *args, output: Path | None, keep: int | None, **options) -> None:
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 0:
            raise CommandError("--keep 不能为负数。 / --keep must be 0 or more.")
        try:
            result = create_backup(output_dir=output or Path(settings.BACKUP_DIR), keep=keep)
        except (BackupError, DatabaseError, OSError) as error:
            raise _failed(error) from error
        manifest = result.manifest
        counts = manifest["counts"]
        rows = "，".join(
            f"{table_label(label).split('（')[0]} {counts[label]}" for label in KEY_TABLES if label in counts
        )
        self.stdout.write(
            f"已备份到 {result.path}（{_size(result.path.stat().st_size)}）："
            f"{VENDORS[manifest['database']['vendor']]} 数据库，{rows}；上传文件 {len(manifest['media'])} 个。"
        )
        if result.vanished:
            self.stdout.write(f"备份时已被删除、未备份的文件：{'、'.join(result.vanished)}")
        if result.removed:
            self.stdout.write(
                f"按保留 {keep} 个的规定删除了较早的备份：{'、'.join(p.name for p in result.removed)}"
            )


class RestoreCommand(BaseCommand):
    help = (
        "从 backup 生成的备份文件恢复整个系统：写入当前配置的空数据库和上传文件目录，执行数据库迁移，"
        "重新计算各专班统计，并与备份时的各表行数核对。恢复前请停止应用服务。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="备份文件（kexie-backup-….tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再询问确认（用于脚本）")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库不是空的、或上传目录有同名不同内容的文件时，也覆盖（默认拒绝）",
        )

    def handle(self, *args, archive: Path, yes: bool, force: bool, **options) -> None:
        target = connection.settings_dict["NAME"]
        if not yes:
            try:
                answer = input(
                    f"将把 {archive} 恢复到数据库 {target} 和上传目录 {settings.MEDIA_ROOT}。输入 yes 继续："
                )
            except EOFError:  # no terminal: a script must say --yes
                answer = ""
            if answer.strip().lower() not in ("yes", "y"):
                raise CommandError("已取消，未做任何改动（脚本中请加 --yes）。 / Cancelled, nothing changed.")
        try:
            result = restore_backup(archive=archive, force=force)
        except (BackupError, DatabaseError, OSError) as error:
            raise _failed(error) from error
        manifest = result.manifest
        self.stdout.write(
            f"已恢复 {archive.name}（{manifest['created']} 备份，程序版本 {manifest['app']['version']}）到数据库 {target}。"
        )
        self.stdout.write(
            f"上传文件：写入 {result.files_written} 个，{result.files_kept} 个已存在且内容相同；全部通过 sha256 校验。"
        )
        self.stdout.write(
            f"数据库迁移：执行了 {result.migrations_applied} 个。"
            if result.migrations_applied
            else "数据库迁移：已是最新。"
        )
        for year, teams in result.teams_recomputed.items():
            self.stdout.write(f"{year} 年度：已重新计算 {teams} 个专班的统计。")
        before = manifest["counts"]
        self.stdout.write("表\t备份时\t恢复后")
        for label in KEY_TABLES:
            if label in before or label in result.counts:
                self.stdout.write(
                    f"{table_label(label)}\t{before.get(label, '—')}\t{result.counts.get(label, '—')}"
                )
        for label in DERIVED:
            if before.get(label) != result.counts.get(label):
                self.stdout.write(
                    f"{table_label(label)}：{before.get(label, 0)} → {result.counts.get(label, 0)}（重新计算所得）"
                )
        differences = result.differences
        if differences:
            for label, was, now in differences:
                self.stderr.write(f"行数不一致：{table_label(label)} 备份时 {was}，恢复后 {now}")
            raise CommandError(
                f"{len(differences)} 张表的行数与备份时不一致（见上）。 / {len(differences)} tables differ from the archive."
            )
        self.stdout.write(f"全部 {len(before)} 张表的行数与备份时一致。")
