"""`manage.py import_workbook FILE [--dry-run]`: the office's workbook of docs/workbook.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.workbook.imports import WorkbookRefused, import_workbook


class Command(BaseCommand):
    help = (
        "导入组织联络部的工作簿（.xlsx，格式见 docs/workbook.md）：全部无误才写入，否则一条不写并列出每个问题"
        "（工作表、行、列、值、原因）；同一文件重复导入不会重复创建。--dry-run 只检查并报告将新建、更新多少条。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="工作簿文件路径（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入任何数据")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            result = import_workbook(path, dry_run=options["dry_run"])
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{path}") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"这是一个目录，不是文件：{path}") from exc
        except WorkbookRefused as refused:
            raise CommandError(refused.message) from refused
        for problem in result.problems:
            self.stderr.write(str(problem))
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")
        if result.problems:
            raise CommandError(result.summary())
        for name, counts in result.sheets:
            self.stdout.write(
                f"{name}：新建 {counts.created}，更新 {counts.updated}，不变 {counts.unchanged}"
            )
        for name, created in result.side_effects:
            if created:
                self.stdout.write(f"新建{name} {created} 个")
        if result.ignored_sheets:
            self.stdout.write("已忽略的工作表：" + "、".join(result.ignored_sheets))
        self.stdout.write(result.summary())
