"""`manage.py network YEAR [--json]`: the year's 点、线、面 network of every active scientist (docs/workbook.md,
"The liaison network, for machines")."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.models import Year
from reports.network.links import build_network

# How many unlinked scientists the text summary names before it only counts them.
NAMED_UNLINKED = 50


def format_network(network: dict[str, Any]) -> str:
    """The network as text for people: a summary line, each linked scientist's links, the unlinked."""
    linked, unlinked = network["scientists"], network["unlinked"]
    total = len(linked) + len(unlinked)
    lines = [
        f"{network['year']} 年度联系网络（点、线、面）：在册科技工作者 {total} 人，"
        f"有联系 {len(linked)} 人，无任何联系 {len(unlinked)} 人",
        "",
    ]
    for number, s in enumerate(linked, start=1):
        parts = []
        if s["points"]:
            parts.append("点 " + "、".join(s["points"]))
        if s["lines"]:
            parts.append("线 " + "、".join(s["lines"]))
        if s["surfaces"]:
            parts.append(
                "面 " + "、".join(f"{f['organization']}{f['post']}{f['officer']}" for f in s["surfaces"])
            )
        lines.append(f"{number}. {s['name']}（{s['employer']}）：" + "；".join(parts))
    if unlinked:
        lines += ["", f"无任何联系（{len(unlinked)} 人）："]
        lines += [f"  {s['name']}（{s['employer']}）" for s in unlinked[:NAMED_UNLINKED]]
        if len(unlinked) > NAMED_UNLINKED:
            lines.append(f"  …… 另有 {len(unlinked) - NAMED_UNLINKED} 人，完整名单请用 --json 输出")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    help = (
        "联系网络（点、线、面）：每位在册科技工作者在该年度由哪些领导专班（点）、部室专班（线）和基层组织负责人"
        "（面，已报备或已确认的备案）联系，以及无任何联系的科技工作者。--json 输出 docs/workbook.md 规定的 JSON。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年度，如 2026")
        parser.add_argument("--json", action="store_true", help="输出 JSON（供其他程序读取）")

    def handle(self, *args, **options) -> None:
        year = Year.objects.filter(year=options["year"]).first()
        if year is None:
            raise CommandError(f"没有 {options['year']} 年度。")
        network = build_network(year)
        if options["json"]:
            self.stdout.write(json.dumps(network, ensure_ascii=False, indent=2))
            return
        self.stdout.write(format_network(network), ending="")
