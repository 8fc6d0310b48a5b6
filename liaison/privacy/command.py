"""`manage.py purge_access_log [--dry-run]`: delete the log of views of personal data older than the retention
period (DJANGO_PERSONAL_DATA_LOG_DAYS, default 180 days, never less: 等保 asks six months). Run it daily from the
scheduler (docs/deployment.md, "Personal-data view log")."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from liaison.models import PersonalDataView
from liaison.privacy.log import purge, retention_days


class Command(BaseCommand):
    help = "删除超过保留期限（DJANGO_PERSONAL_DATA_LOG_DAYS 天）的个人信息查看记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的条数，不删除")

    def handle(self, *args, dry_run: bool, **options) -> None:
        days = retention_days()
        now = timezone.now()
        cutoff = timezone.localtime(now - datetime.timedelta(days=days))
        if dry_run:
            n = PersonalDataView.objects.filter(at__lt=cutoff).count()
            verb = "将删除"
        else:
            with transaction.atomic():
                n = purge(now=now, days=days)
            verb = "已删除"
        self.stdout.write(f"{verb} {n} 条个人信息查看记录（{cutoff:%Y-%m-%d %H:%M} 之前，保留 {days} 天）。")
