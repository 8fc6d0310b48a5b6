"""Duty reports as workbooks: one person's report (the page's sections as sheets) and the year's summary
for the evaluation (one row per person with the key figures).

Both are pure functions of what reports/duty/services.py built; cells are written by tables.write_workbook, which
keeps text that looks like a formula as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from liaison.models import Year
from reports.duty.services import DutyReport, SummaryRow
from reports.workbook.exports import Table, write_workbook

NAME_SEPARATOR = "、"


def _targets(record) -> str:
    return NAME_SEPARATOR.join(t.target_name for t in record.targets.all())


def duty_tables(report: DutyReport) -> list[Table]:
    staff, greeting = report.staff, report.greeting
    overview = [
        ["姓名", staff.name],
        ["部室", staff.department.name if staff.department_id else ""],
        ["职务", staff.title],
        ["年度", report.year.year],
        ["所在专班", NAME_SEPARATOR.join(f"{t.team.name}（{t.role_label}）" for t in report.teams)],
        ["联系记录（条）", report.records],
        ["本人下基层（次）", report.grassroots],
        [
            "每人下基层定额（次）",
            report.grassroots_minimum if report.grassroots_minimum is not None else "不作要求",
        ],
        ["诉求提出（件）", report.demands.raised],
        ["诉求已办结（件）", report.demands.done],
        ["诉求未办结（件）", report.demands.open],
        ["在册科技工作者（人次）", greeting.scientists],
        ["春节已慰问", greeting.spring_festival],
        ["全国科技工作者日已慰问", greeting.workers_day],
        ["举荐科技工作者（人次）", report.nominations],
        ["举荐获奖（人次）", report.nominations_awarded],
        ["述职重点（条）", len(report.highlighted)],
    ]
    teams = []
    categories = []
    for part in report.teams:
        data = part.review.data
        visits = data["grassroots_visits"]
        teams.append(
            [
                part.team.name,
                part.team.get_kind_display(),
                part.role_label,
                visits["count"],
                visits["min"],
                part.greeting.scientists,
                part.greeting.spring_festival,
                part.greeting.workers_day,
                "达标" if data["compliant"] else "未达标",
                "；".join(data["shortfalls"]),
            ]
        )
        for row in part.review.category_rows:
            categories.append([part.team.name, row["label"], row["assigned"], row["contacted"], row["range"]])
    months = [[row.label, *row.months, row.total] for row in report.methods]
    months.append(["合计", *report.month_totals, report.records])
    highlights = [
        [r.date, r.team.name, r.get_method_display(), _targets(r), "是" if r.grassroots else "否", r.summary]
        for r in report.highlighted
    ]
    return [
        Table("述职概况", ["项目", "内容"], overview),
        Table(
            "所在专班",
            [
                "专班",
                "专班类型",
                "本人",
                "下基层（次）",
                "下基层定额",
                "在册科技工作者",
                "春节已慰问",
                "科技工作者日已慰问",
                "是否达标",
                "未达标事项",
            ],
            teams,
        ),
        Table("联系对象", ["专班", "联系类别", "联系对象", "已联系", "定额"], categories),
        Table("联系记录按月", ["联系方式", *(f"{m}月" for m in range(1, 13)), "合计"], months),
        Table("诉求", ["状态", "件数"], [list(row) for row in report.demands.rows()]),
        Table("述职重点", ["日期", "专班", "联系方式", "联系对象", "下基层", "情况摘要"], highlights),
        Table("述职正文", ["部分", "内容"], narrative_rows(report)),
    ]


def narrative_rows(report: DutyReport) -> list[list[str]]:
    """The report's text a paragraph a row (the kept text, else the draft), then the signature block."""
    rows = [["工作总结", text] for text in report.narrative_paragraphs]
    rows += [["自我评价与努力方向", text] for text in report.assessment_paragraphs]
    rows += [["签署", line] for line in report.signature_lines]
    return rows


def duty_workbook_bytes(report: DutyReport) -> bytes:
    buffer = io.BytesIO()
    write_workbook(duty_tables(report), buffer)
    return buffer.getvalue()


def duty_workbook_filename(report: DutyReport) -> str:
    return f"{report.staff.name}_{report.year.year}年度述职报告.xlsx"


SUMMARY_HEADERS = [
    "序号",
    "姓名",
    "部室",
    "职务",
    "牵头专班",
    "参加专班",
    "联系记录（条）",
    "本人下基层（次）",
    "专班下基层（次）",
    "下基层定额",
    "专班是否达标",
    "未达标事项",
    "在册科技工作者",
    "春节已慰问",
    "科技工作者日已慰问",
    "诉求提出",
    "诉求办结",
    "诉求未结",
    "述职重点（条）",
    "举荐（人次）",
    "举荐获奖（人次）",
]


def summary_table(rows: list[SummaryRow], year: Year) -> Table:
    def lines() -> Iterator[list[Any]]:
        for number, row in enumerate(rows, start=1):
            led = row.led.data if row.led is not None else None
            yield [
                number,
                row.staff.name,
                row.staff.department.name if row.staff.department_id else "",
                row.staff.title,
                row.led.team.name if row.led is not None else "",
                NAME_SEPARATOR.join(t.name for t in row.member_of),
                row.records,
                row.grassroots,
                led["grassroots_visits"]["count"] if led else None,
                led["grassroots_visits"]["min"] if led else None,
                row.compliance_text,
                "；".join(row.shortfalls),
                row.greeting.scientists,
                row.greeting.spring_festival,
                row.greeting.workers_day,
                row.demands_raised,
                row.demands_done,
                row.demands_open,
                row.highlighted,
                row.nominations,
                row.nominations_awarded,
            ]

    return Table(f"{year.year}年度述职汇总", SUMMARY_HEADERS, lines())


def summary_workbook_bytes(rows: list[SummaryRow], year: Year) -> bytes:
    buffer = io.BytesIO()
    write_workbook([summary_table(rows, year)], buffer)
    return buffer.getvalue()


def summary_workbook_filename(year: Year) -> str:
    return f"{year.year}年度个人联系工作汇总（评先评优参考）.xlsx"
