"""`manage.py refresh_figures [YEAR ...]`: recompute the stored figures of every team of those years (default:
every year). Pages recompute what changed by themselves (liaison/compliance/team_figures.py); this is for after a
database restore or rows written in bulk outside the app, and to pay the first computation ahead of time."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.compliance.team_figures import recompute
from liaison.models import Year


class Command(BaseCommand):
    help = "重新计算各专班的统计数据（默认全部年度）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="年度，如 2026")

    def handle(self, *args, years: list[int], **options) -> None:
        chosen = Year.objects.order_by("year")
        if years:
            chosen = chosen.filter(year__in=years)
            missing = sorted(set(years) - set(chosen.values_list("year", flat=True)))
            if missing:
                raise CommandError(f"没有年度：{'、'.join(map(str, missing))}")
        for year in chosen:
            started = time.perf_counter()
            n = recompute(year)
            self.stdout.write(
                f"{year.year} 年度：已重新计算 {n} 个专班（{time.perf_counter() - started:.1f} 秒）"
            )
