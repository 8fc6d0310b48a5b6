"""`manage.py seed_demo`: load the fictional 辽川市科协 demo data (demo/seed.py, demo/data.py): the
registries through the workbook importer from fixtures/demo_workbook.xlsx. Safe to run again."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import format_summary
from demo.scale import ScaleError, format_scale_summary, seed_scale
from demo.seed import seed_demo
from liaison.compliance.team_figures import recompute
from liaison.models import Year


class Command(BaseCommand):
    help = (
        "载入演示数据（虚构的辽川市科协）：部室、干部及登录账号、基层组织、科技工作者（经工作簿导入，"
        "fixtures/demo_workbook.xlsx）、本年度专班与联系对象、联系记录与诉求、基层账号与联系分工备案；"
        "可重复运行，不会重复创建。演示账号密码公开，因此非调试环境须加 --force。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG 关闭的环境中也载入（会创建密码公开的 admin 等演示账号，切勿用于生产库）。",
        )
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="改为生成基准测试数据（demo/scale.py）：N 名科技工作者、约 10·N 条联系记录，专班、组织按比例；"
            "只能用于空数据库，登录账号均无可用密码。",
        )

    def handle(self, *args, **options) -> None:
        if options["scale"] is not None:
            # No published passwords here; what protects a real database is the refusal of a non-empty one.
            try:
                result = seed_scale(options["scale"], stdout=self.stdout)
            except ScaleError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(format_scale_summary(result))
            # Rows written by COPY send no signals: compute every team's stored figures now, not on the first
            # dashboard (liaison/compliance/team_figures.py).
            for year in Year.objects.order_by("year"):
                started = time.perf_counter()
                n = recompute(year)
                self.stdout.write(
                    f"{year.year} 年度统计：{n} 个专班（{time.perf_counter() - started:.1f} 秒）"
                )
            return
        # The demo accounts have a published password (admin/kexie2026): never on a production database by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "当前不是调试环境（DEBUG 关闭）：演示数据含密码公开的账号，如确需载入请加 --force。"
            )
        result = seed_demo(stdout=self.stdout)
        self.stdout.write(format_summary(result))
