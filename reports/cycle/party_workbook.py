"""The workbook the party group (党组) approves: 附件1 (leader teams), 附件2 (department teams) and the changes
against last year, in the shape of seed 000's attachments, ready to print on A4 landscape.

`plan_sheets(year)` reads the data (a fixed number of queries); `render_workbook(sheets, stream)` is a pure
function of those rows. Only names and titles go in: no phone numbers or other personal contact details
(docs/design.md, Roles). Every text cell is written as a string, so text beginning with "=" never becomes a
formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.xlsx_writer import lines_needed, print_like_paper
from liaison.models import Assignment, QuotaCategory, Team, TeamKind, Year
from reports.cycle.comparison import Comparison, compare_years

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
BODY_SIZE = 10.5
LINE_POINTS = 14.5  # one wrapped line of 10.5 pt text
PEOPLE = "people"
HEADERS = {
    "number": "序号",
    "lead": "专班负责人",
    "members": "专班成员",
    QuotaCategory.DISTRICT: "区县(市)科协",
    QuotaCategory.VICE_CHAIR_UNIT: "兼职副主席单位",
    QuotaCategory.SOCIETY: "市级学会(协会、研究会)",
    QuotaCategory.ENTERPRISE: "企业(园区)科协",
    QuotaCategory.UNIVERSITY: "高校院所科协",
    PEOPLE: "联系专家/基层一线科技工作者",
    "notes": "备注",
}
WIDTHS = {
    "number": 5,
    "lead": 16,
    "members": 16,
    QuotaCategory.DISTRICT: 16,
    QuotaCategory.VICE_CHAIR_UNIT: 18,
    QuotaCategory.SOCIETY: 24,
    QuotaCategory.ENTERPRISE: 22,
    QuotaCategory.UNIVERSITY: 20,
    PEOPLE: 32,
    "notes": 14,
}
ORG_COLUMNS = {
    TeamKind.LEADER: [
        QuotaCategory.DISTRICT,
        QuotaCategory.VICE_CHAIR_UNIT,
        QuotaCategory.SOCIETY,
        QuotaCategory.ENTERPRISE,
        QuotaCategory.UNIVERSITY,
    ],
    TeamKind.DEPARTMENT: [
        QuotaCategory.DISTRICT,
        QuotaCategory.SOCIETY,
        QuotaCategory.ENTERPRISE,
        QuotaCategory.UNIVERSITY,
    ],
}
SHEET_TITLES = {
    TeamKind.LEADER: ("附件1", "市科协领导联系科技工作者分工"),
    TeamKind.DEPARTMENT: ("附件2", "市科协机关部室主要负责同志联系科技工作者分工"),
}
CHANGES_SHEET = "调整情况"
CHANGE_HEADERS = ["序号", "专班", "调整事项", "联系类别", "原联系对象", "新联系对象", "调整原因"]
CHANGE_WIDTHS = [5, 18, 16, 18, 28, 28, 40]
NAME_SEPARATOR = "、"


@dataclass
class Sheet:
    name: str
    label: str  # the attachment's label above the title, e.g. 附件1
    title: str
    headers: list[str]
    widths: list[float]
    rows: list[list[str | int]] = field(default_factory=list)
    empty_text: str = "（无）"


def workbook_filename(year: Year) -> str:
    return f"{year.year}年度联系科技工作者分工（报党组审定）.xlsx"


# --- data -----------------------------------------------------------------------------------------------


def _team_row(number: int, team: Team, org_columns: list[str]) -> list[str | int]:
    cells: dict[str, list[str]] = {c: [] for c in [*org_columns, PEOPLE]}
    elsewhere: list[str] = []
    for a in team.current:
        if a.scientist_id:
            cells[PEOPLE].append(a.target_name)
        elif a.category in cells:
            cells[a.category].append(a.target_name)
        else:  # an organisation outside this sheet's columns still belongs on the approved plan
            elsewhere.append(a.target_name)
    notes = [team.notes.strip()] if team.notes.strip() else []
    if elsewhere:
        notes.append("另联系：" + NAME_SEPARATOR.join(elsewhere))
    return [
        number,
        team.lead.display_title,
        NAME_SEPARATOR.join(m.name for m in team.members.all()),
        *(NAME_SEPARATOR.join(cells[c]) for c in org_columns),
        NAME_SEPARATOR.join(cells[PEOPLE]),
        "；".join(notes),
    ]


def _change_rows(comparison: Comparison) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for team in comparison.teams:
        reasons = "；".join(c.reason for c in team.team_reasons)
        if team.status == "new":
            rows.append(["", team.name, "新设专班", "", "", team.team.lead.display_title, reasons])
        elif team.status == "closed":
            rows.append(["", team.name, "撤销专班", "", team.source.lead.display_title, "", reasons])
        for text in team.team_changes:
            what, _, detail = text.partition("：")
            old, _, new = detail.partition(" → ")
            if what.startswith("负责人"):
                rows.append(["", team.name, "更换负责人", "", old, new, reasons])
            else:
                rows.append(
                    [
                        "",
                        team.name,
                        what,
                        "",
                        detail if "减少" in what else "",
                        detail if "增加" in what else "",
                        reasons,
                    ]
                )
        if team.status == "closed":
            continue  # its targets all go with it; the row above says why
        for change in team.target_changes:
            rows.append(
                [
                    "",
                    team.name,
                    change.kind_label + "联系对象",
                    change.category_label,
                    change.old,
                    change.new,
                    change.reason,
                ]
            )
    for number, row in enumerate(rows, start=1):
        row[0] = number
    return rows


def plan_sheets(year: Year) -> list[Sheet]:
    """The three sheets of a year's plan, from the targets in force at the year's end."""
    teams = list(
        Team.objects.filter(year=year)
        .for_year_list()
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.in_force_at_year_end()
                .select_related("organization", "scientist")
                .order_by("organization__name_pinyin", "scientist__name_pinyin", "id"),
                to_attr="current",
            )
        )
    )
    sheets = []
    for kind in (TeamKind.LEADER, TeamKind.DEPARTMENT):
        label, title = SHEET_TITLES[kind]
        columns = ["number", "lead", "members", *ORG_COLUMNS[kind], PEOPLE, "notes"]
        of_kind = [t for t in teams if t.kind == kind]
        sheets.append(
            Sheet(
                name=label,
                label=label,
                title=f"{year.year}年度{title}",
                headers=[HEADERS[c] for c in columns],
                widths=[WIDTHS[c] for c in columns],
                rows=[_team_row(i, team, ORG_COLUMNS[kind]) for i, team in enumerate(of_kind, start=1)],
                empty_text="本年度没有此类专班。",
            )
        )
    comparison = compare_years(year)
    if not comparison.available:  # a year without teams, or without last year's plan: nothing to compare
        title, empty = f"{year.year}年度联系对象调整情况", comparison.missing_text
    else:
        title = f"{year.year}年度联系对象调整情况（与{comparison.previous.year}年度对照）"
        empty = "与上年度相比没有调整。"
    sheets.append(
        Sheet(
            name=CHANGES_SHEET,
            label="附件3",
            title=title,
            headers=CHANGE_HEADERS,
            widths=CHANGE_WIDTHS,
            rows=_change_rows(comparison) if comparison.available else [],
            empty_text=empty,
        )
    )
    return sheets


# --- rendering ------------------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")


def _clean(value: str | int) -> str | int:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _put(ws: Worksheet, row: int, column: int, value: str | int):
    cell = ws.cell(row=row, column=column)
    cell.value = _clean(value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _lines(text: str, width: float) -> int:
    # 宋体/黑体 10.5 pt, bolder than the exports' text: a Chinese character counts two digits
    return lines_needed(text, width, wide=2.0)


def _render_sheet(ws: Worksheet, sheet: Sheet, written: Callable[[], None] | None = None) -> None:
    columns = len(sheet.headers)
    last = get_column_letter(columns)
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    label = _put(ws, 1, 1, sheet.label)
    label.font = Font(name=HEAD_FONT, size=12)
    label.alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(3, columns))
    title = _put(ws, 2, 1, sheet.title)
    title.font = Font(name=HEAD_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 36

    for index, header in enumerate(sheet.headers, start=1):
        cell = _put(ws, 3, index, header)
        cell.font = Font(name=HEAD_FONT, size=BODY_SIZE, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        cell.fill = HEADER_FILL
    ws.row_dimensions[3].height = (
        max(_lines(h, w) for h, w in zip(sheet.headers, sheet.widths, strict=True)) * LINE_POINTS + 8
    )

    rows = sheet.rows or [[sheet.empty_text] + [""] * (columns - 1)]
    for offset, values in enumerate(rows):
        row = 4 + offset
        for index, value in enumerate(values, start=1):
            cell = _put(ws, row, index, value)
            cell.font = Font(name=BODY_FONT, size=BODY_SIZE)
            cell.alignment = Alignment(
                horizontal="center" if index == 1 else "left", vertical="center", wrap_text=True
            )
            cell.border = BORDER
        if not sheet.rows:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
            ws.cell(row=row, column=1).alignment = Alignment(
                horizontal="center", vertical="center", wrap_text=True
            )
        lines = max(_lines(str(v), w) for v, w in zip(values, sheet.widths, strict=True)) if sheet.rows else 1
        ws.row_dimensions[row].height = lines * LINE_POINTS + 6
        if written is not None and sheet.rows:
            written()

    ws.freeze_panes = "A4"
    print_like_paper(ws, title_rows="3:3")
    ws.oddFooter.center.font = BODY_FONT


def render_workbook(
    sheets: list[Sheet], stream: BinaryIO, *, title: str = "", written: Callable[[], None] | None = None
) -> None:
    """Write the sheets as an .xlsx to a binary stream; written() is called after each data row (the job's
    progress, reports/cycle/jobs.py)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        _render_sheet(workbook.create_sheet(sheet.name), sheet, written)
    workbook.properties.title = title
    workbook.properties.creator = "市科协联系科技工作者工作平台"
    workbook.save(stream)


def plan_workbook_bytes(year: Year) -> bytes:
    stream = io.BytesIO()
    render_workbook(plan_sheets(year), stream, title=workbook_filename(year).removesuffix(".xlsx"))
    return stream.getvalue()
