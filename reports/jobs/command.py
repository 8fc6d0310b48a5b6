"""`manage.py purge_jobs [--days N]`: delete the jobs that ended more than N days ago, with their files."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from .purge import purge


class Command(BaseCommand):
    help = "删除超过保存期限的后台任务及其文件（默认 JOBS_KEEP_DAYS 天，7 天）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="保留最近多少天的任务")

    def handle(self, *args, days: int | None = None, **options) -> None:
        n = purge(days=days)
        self.stdout.write(f"已删除 {n} 个后台任务及其文件。")
