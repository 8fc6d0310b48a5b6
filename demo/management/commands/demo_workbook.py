"""`manage.py demo_workbook [--output FILE]`: write the demo's registries as an import workbook."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.seed import DEMO_WORKBOOK, write_demo_workbook


class Command(BaseCommand):
    help = (
        "把演示数据（demo/data.py）中的组织、科技工作者、干部写成导入工作簿，默认写到 "
        "fixtures/demo_workbook.xlsx（seed_demo 经导入功能载入它）。演示数据改动后运行一次并提交该文件。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(DEMO_WORKBOOK), help="输出文件路径（.xlsx）")

    def handle(self, *args, **options) -> None:
        write_demo_workbook(options["output"])
        self.stdout.write(f"已写入 {options['output']}")
