"""`manage.py seed_demo`: load the fictional 辽川市科协 demo data (see liaison/demo.py). Safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from liaison.demo import format_summary, seed_demo


class Command(BaseCommand):
    help = "载入演示数据（虚构的辽川市科协）：部室、干部及登录账号、基层组织、科技工作者；可重复运行，不会重复创建。"

    def handle(self, *args, **options) -> None:
        result = seed_demo(stdout=self.stdout)
        self.stdout.write(format_summary(result))
