"""`manage.py weekly_digest [--dry-run] [--date YYYY-MM-DD]`: the weekly email digest (run by a scheduler)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.digest.services import DigestInterrupted, send_weekly_digest


class Command(BaseCommand):
    help = "发送联系工作周报：每位专班负责人一封（本专班情况），组织联络部每人一封（全部专班汇总）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不发送")
        parser.add_argument("--date", help="按哪一天统计（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from error
        try:
            result = send_weekly_digest(today=today, dry_run=options["dry_run"])
        except DigestInterrupted as stopped:
            raise CommandError(
                f"邮件服务器出错：已发送 {stopped.sent} 封，其余 {stopped.total - stopped.sent} 封未发送。"
            ) from stopped
        verb = "将发送" if options["dry_run"] else "已发送"
        self.stdout.write(f"{verb} {len(result.sent)} 封周报；{len(result.skipped)} 人没有邮箱未发送。")
        if result.skipped:
            self.stdout.write("没有邮箱：" + "、".join(result.skipped))
