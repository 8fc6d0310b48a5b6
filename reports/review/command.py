"""`manage.py review YEAR [--json]`: the year-end review of every team (docs/workbook.md)."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.compliance import categories
from liaison.models import Year
from reports.review.services import build_review

KIND_LABELS = {"leader": "领导专班", "department": "部室专班"}


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _range(figures: dict[str, Any]) -> str:
    low, high = figures["min"], figures["max"]
    if high is None:
        return f"≥ {low}"
    return str(low) if high == low else f"{low}–{high}"


def format_review(review: dict[str, Any], labels: dict[str, str]) -> str:
    """The review as text for people: a summary line, then one block per team."""
    teams = review["teams"]
    compliant = sum(1 for t in teams if t["compliant"])
    lines = [
        f"{review['year']} 年度考评：{len(teams)} 个专班，达标 {compliant} 个，未达标 {len(teams) - compliant} 个",
        "",
    ]
    for number, team in enumerate(teams, start=1):
        verdict = "达标" if team["compliant"] else "未达标"
        kind = KIND_LABELS.get(team["kind"], team["kind"])
        lines.append(f"{number}. {team['team']}（{kind}，负责人 {team['leader']}）：{verdict}")
        if team["categories"]:
            label_width = max(_width(labels.get(k, k)) for k in team["categories"]) + 2
            lines.append("   " + _pad("联系类别", label_width) + "对象  已联系  定额")
            for key, figures in team["categories"].items():
                lines.append(
                    "   "
                    + _pad(labels.get(key, key), label_width)
                    + _pad(str(figures["assigned"]), 4, right=True)
                    + _pad(str(figures["contacted"]), 8, right=True)
                    + "  "
                    + _range(figures)
                )
        visits = team["grassroots_visits"]
        minimum = "不作要求" if visits["min"] is None else f"最少 {visits['min']} 次"
        lines.append(f"   下基层 {visits['count']} 次（{minimum}）；待办诉求 {team['open_demands']} 件")
        if team["uncontacted_targets"]:
            lines.append("   全年未联系：" + "、".join(team["uncontacted_targets"]))
        for shortfall in team["shortfalls"]:
            lines.append(f"   × {shortfall}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    # A read-only report run by scripts (issue 19 §5: `review --json` < 1 s at N = 100,000): the system checks
    # import the URLconf and every view first, ~0.1–0.2 s of a run that is mostly Django starting;
    # `manage.py check` and every other command still run them.
    requires_system_checks: list[str] = []
    help = (
        "年度考评：逐个专班列出各联系类别的联系对象数、已联系数和定额，下基层次数，全年未联系的对象，"
        "待办诉求，是否达标及未达标原因。--json 输出 docs/workbook.md 规定的 JSON。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年度，如 2026")
        parser.add_argument("--json", action="store_true", help="输出 JSON（供其他程序读取）")

    def handle(self, *args, **options) -> None:
        year = Year.objects.filter(year=options["year"]).first()
        if year is None:
            raise CommandError(f"没有 {options['year']} 年度。")
        review = build_review(year)
        if options["json"]:
            self.stdout.write(json.dumps(review, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_review(review, dict(categories.choices())), ending="")
