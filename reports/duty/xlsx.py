"""Duty reports as workbooks: one person's report (the page's sections as sheets) and the year's summary
for the evaluation (one row per person with the key figures).

Both are pure functions of what reports/duty/services.py built, and both print on A4 landscape (issue 21 §5,
docs/workbook.md "Printing"): the person's report is one sheet, its tables one under the other, none split
across pages (openpyxl, below); the summary streams through tables.write_workbook with a title row, boxed
cells and its header on every page. Text that looks like a formula stays text in both.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break

from common.xlsx_writer import MARGINS, Printing, column_letter, print_like_paper, row_height
from liaison.models import Year
from reports.duty.services import DutyReport, SummaryRow
from reports.workbook.exports import Table, write_workbook

NAME_SEPARATOR = "、"
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")


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


# --- one person's workbook, laid out to print -------------------------------------------------------------
#
# One sheet, the tables one under the other, on a grid of 14 columns (the widest table, 联系记录按月: the
# method, twelve months, the total); a table with fewer columns spans several grid columns per column. It
# prints on A4 landscape at (nearly) 100 %, so the rows' heights are known here, and a table that would not
# fit in what is left of a page starts on the next one: no table is split while it fits on a page. Three
# pages for a demo person of two teams (overview; teams and targets; months, demands and highlights) where
# the six sheets printed fourteen portrait pages.

GRID = [22, *([7.5] * 12), 8]  # A holds the labels: "在册科技工作者（人次）" whole
SPANS = {  # grid columns per table column, by the table's title
    "述职概况": [1, 13],
    "所在专班": [1, 1, 1, 1, 1, 1, 1, 1, 1, 5],
    "联系对象": [1, 4, 3, 3, 3],
    "诉求": [1, 2],
    "述职重点": [1, 2, 2, 3, 1, 5],
}
NUMERALS = "一二三四五六七八九十"
# A4 landscape, 8.27 in high, less the top and bottom margins: what the rows of one page may take (points)
PAGE_POINTS = (8.27 - MARGINS["top"] - MARGINS["bottom"]) * 72 - 6
TITLE_POINTS, CAPTION_POINTS, GAP_POINTS = 32, 22, 10
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def caption_of(index: int, title: str) -> str:
    """The caption above a table: 一、述职概况 for the first."""
    return f"{NUMERALS[index % len(NUMERALS)]}、{title}"


def spans_of(table: Table) -> list[int]:
    """The grid columns each of the table's columns takes; a table not in SPANS gets one each, its last
    column the rest of the row."""
    spans = SPANS.get(table.title)
    if spans is None or len(spans) != len(table.headers):
        count = min(len(table.headers), len(GRID))
        spans = [1] * count
        spans[-1] += len(GRID) - count
    return spans


def _put(ws, row: int, column: int, value: Any, span: int = 1):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
    if span > 1:
        ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
    return cell


def _height(values: list[Any], widths: list[float]) -> float:
    return row_height(["" if v is None else str(v) for v in values], widths)


def _table_row(ws, row: int, values: list[Any], spans: list[int], *, header: bool) -> None:
    """Write one boxed row, as high as its wrapped text."""
    column, widths = 1, []
    for value, span in zip(values, spans, strict=False):
        shown = "" if value is None else value
        cell = _put(ws, row, column, shown, span)
        cell.font = Font(bold=header)
        # a figure in a wide cell (述职概况's 内容) reads next to its label, not at the far right
        horizontal = "center" if header else "left" if span >= 4 else None
        cell.alignment = Alignment(
            horizontal=horizontal, vertical="center" if header else "top", wrap_text=True
        )
        if header:
            cell.fill = HEADER_FILL
        for c in range(column, column + span):
            ws.cell(row=row, column=c).border = BOX
        widths.append(sum(GRID[column - 1 : column - 1 + span]))
        column += span
    ws.row_dimensions[row].height = _height(values, widths)


def render_duty_sheet(ws, report: DutyReport, tables: list[Table]) -> None:
    for index, width in enumerate(GRID, start=1):
        ws.column_dimensions[column_letter(index)].width = width
    last = len(GRID)
    title = _put(ws, 1, 1, f"{report.staff.name} {report.year.year}年度联系科技工作者工作述职", last)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = TITLE_POINTS
    row, used = 2, TITLE_POINTS
    for number, table in enumerate(tables):
        spans = spans_of(table)
        body = list(table.rows)
        widths = [sum(GRID[sum(spans[:i]) : sum(spans[: i + 1])]) for i in range(len(spans))]
        heights = [_height(values, widths) for values in [table.headers, *body]]
        if not body:
            heights.append(_height(["（无）"], [sum(GRID)]))
        block = CAPTION_POINTS + sum(heights) + GAP_POINTS
        if used + block > PAGE_POINTS and used > 0:  # start the table on a new page: never split one
            ws.row_breaks.append(Break(id=row - 1))
            used = 0
        used = (used + block) % PAGE_POINTS if block > PAGE_POINTS else used + block
        caption = _put(ws, row, 1, caption_of(number, table.title), last)
        caption.font = Font(bold=True, size=12)
        caption.alignment = Alignment(vertical="center")
        ws.row_dimensions[row].height = CAPTION_POINTS
        row += 1
        _table_row(ws, row, table.headers, spans, header=True)
        row += 1
        for values in body or [["（无）"]]:  # the empty table's one row says so across its width
            _table_row(ws, row, list(values), spans if body else [sum(spans)], header=False)
            row += 1
        ws.row_dimensions[row].height = GAP_POINTS
        row += 1
    print_like_paper(ws, title_rows="")


def duty_workbook_bytes(report: DutyReport) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "述职报告"
    render_duty_sheet(ws, report, [Table(t.title, t.headers, list(t.rows)) for t in duty_tables(report)])
    workbook.properties.title = duty_workbook_filename(report).removesuffix(".xlsx")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def duty_workbook_filename(report: DutyReport) -> str:
    return f"{report.staff.name}_{report.year.year}年度述职报告.xlsx"


# header → column width: printed on A4 landscape, one person a row, the widths scaled down together to the
# page's width (common/xlsx_writer.py, about 80 %); headers wrap, the names and teams fit on a line or two
SUMMARY_COLUMNS = {
    "序号": 5,
    "姓名": 8,
    "部室": 12,
    "职务": 12,
    "牵头专班": 14,
    "参加专班": 18,
    "联系记录（条）": 7,
    "本人下基层（次）": 7,
    "专班下基层（次）": 7,
    "下基层定额": 7,
    "专班是否达标": 7,
    "未达标事项": 20,
    "在册科技工作者": 7,
    "春节已慰问": 7,
    "科技工作者日已慰问": 7,
    "诉求提出": 7,
    "诉求办结": 7,
    "诉求未结": 7,
    "述职重点（条）": 7,
    "举荐（人次）": 7,
    "举荐获奖（人次）": 7,
}
SUMMARY_HEADERS = list(SUMMARY_COLUMNS)


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

    return Table(
        f"{year.year}年度述职汇总",
        SUMMARY_HEADERS,
        lines(),
        widths=list(SUMMARY_COLUMNS.values()),
        printing=Printing(title=summary_workbook_filename(year).removesuffix(".xlsx"), boxed=True),
    )


def summary_workbook_bytes(rows: list[SummaryRow], year: Year) -> bytes:
    buffer = io.BytesIO()
    write_workbook([summary_table(rows, year)], buffer)
    return buffer.getvalue()


def summary_workbook_filename(year: Year) -> str:
    return f"{year.year}年度个人联系工作汇总（评先评优参考）.xlsx"
