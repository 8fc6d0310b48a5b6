"""A duty report as a Word document (.docx, python-docx): the kept text (述职正文), the self-assessment, the
figures as tables and the signature block, for people who finish their 述职 in Word or WPS.

A pure function of what reports/duty/services.py built, like the PDF and the workbook. Chinese text needs an
East Asian font named on each style (w:eastAsia): Word otherwise picks a Latin font's fallback. 仿宋 and 黑体
are on every Chinese Windows and in WPS; elsewhere the reader substitutes its own CJK font.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.duty.services import MONTHS, DutyReport

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"
BLACK = RGBColor(0, 0, 0)


def _font(style_or_run, name: str, size: float | None = None, *, bold: bool | None = None) -> None:
    """The font of a style or a run for every script (theme fonts cleared so that they do not win)."""
    element = style_or_run.element
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), name)
    style_or_run.font.color.rgb = BLACK
    if size is not None:
        style_or_run.font.size = Pt(size)
    if bold is not None:
        style_or_run.font.bold = bold


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.4)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, 12)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.3
    for level, size in ((1, 14), (2, 12)):
        heading = document.styles[f"Heading {level}"]
        _font(heading, HEADING_FONT, size, bold=level == 2)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(4)
    title = document.styles["Title"]
    _font(title, TITLE_FONT, 18, bold=True)
    # the default Title style draws a rule under itself; a report's title stands alone
    borders = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if borders is not None:
        title.element.pPr.remove(borders)
    return document


def _text_paragraph(document: Document, text: str) -> None:
    """A paragraph of the report's text, its first line indented by two characters."""
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = Pt(24)


def _table(document: Document, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = None
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()
    return table


def _targets(record) -> str:
    return "、".join(t.target_name for t in record.targets.all())


def duty_document(report: DutyReport) -> Document:
    staff = report.staff
    document = _document()
    properties = document.core_properties
    properties.title = f"{staff.name} {report.year.year} 年度述职报告"
    properties.author = staff.name

    document.add_paragraph(
        f"{report.year.year}年度联系科技工作者工作述职报告", style="Title"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = " · ".join(
        p for p in (staff.name, staff.department.name if staff.department_id else "", staff.title) if p
    )
    document.add_paragraph(subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("一、工作总结", level=1)
    for text in report.narrative_paragraphs:
        _text_paragraph(document, text)

    document.add_heading("二、自我评价与努力方向", level=1)
    for text in report.assessment_paragraphs or [""]:
        _text_paragraph(document, text)

    document.add_heading("三、主要数据", level=1)
    _text_paragraph(document, report.summary_sentence)
    _table(document, ["项目", "情况"], [list(row) for row in report.fact_rows], [5, 11])

    document.add_heading("四、所在专班与联系对象", level=1)
    if report.teams:
        _table(
            document,
            ["专班", "本人", "下基层 / 定额", "春节慰问", "科技工作者日慰问"],
            [
                [
                    f"{t.team.name}（{t.team.get_kind_display()}）",
                    t.role_label,
                    f"{t.review.data['grassroots_visits']['count']} / "
                    + (
                        "不作要求"
                        if t.review.data["grassroots_visits"]["min"] is None
                        else str(t.review.data["grassroots_visits"]["min"])
                    ),
                    t.greeting.spring_text,
                    t.greeting.workers_text,
                ]
                for t in report.teams
            ],
        )
        for t in report.teams:
            document.add_heading(f"{t.team.name} · 联系对象（按类别）", level=2)
            rows = [[c["label"], c["assigned"], c["contacted"], c["range"]] for c in t.review.category_rows]
            _table(
                document, ["联系类别", "联系对象", "已联系", "定额"], rows or [["本年度未设定额", "", "", ""]]
            )
    else:
        document.add_paragraph("本年度未参加专班。")

    document.add_heading("五、联系记录（按联系方式、按月）", level=1)
    months = [[row.label, *row.months, row.total] for row in report.methods]
    months.append(["合计", *report.month_totals, report.records])
    _table(document, ["联系方式", *(f"{m}月" for m in MONTHS), "合计"], months)

    document.add_heading("六、诉求办理", level=1)
    _table(
        document,
        [*(label for label, _ in report.demands.rows()), "合计"],
        [[*(n for _, n in report.demands.rows()), report.demands.raised]],
    )

    if report.led:
        document.add_heading("七、牵头专班达标情况", level=1)
        for t in report.led:
            data = t.review.data
            document.add_paragraph(f"{t.team.name}：{'达标' if data['compliant'] else '未达标'}")
            if data["overdue_targets"]:
                overdue = "、".join(data["overdue_targets"])
                document.add_paragraph(f"超过联系间隔未联系 {len(data['overdue_targets'])} 个：{overdue}")
            for shortfall in data["shortfalls"]:
                document.add_paragraph(shortfall, style="List Bullet")

    document.add_heading(f"{'八' if report.led else '七'}、述职重点", level=1)
    if report.highlighted:
        _table(
            document,
            ["日期", "专班", "联系方式", "联系对象", "情况摘要"],
            [
                [
                    f"{r.date:%Y-%m-%d}",
                    r.team.name,
                    r.get_method_display() + ("（下基层）" if r.grassroots else ""),
                    _targets(r),
                    r.summary,
                ]
                for r in report.highlighted
            ],
            [2.4, 2.8, 2.2, 3.6, 5.2],
        )
    else:
        document.add_paragraph("未选择述职重点记录。")

    document.add_paragraph()
    for line in report.signature_lines:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def duty_docx_bytes(report: DutyReport) -> bytes:
    buffer = io.BytesIO()
    duty_document(report).save(buffer)
    return buffer.getvalue()


def duty_docx_filename(report: DutyReport) -> str:
    return f"{report.staff.name}_{report.year.year}年度述职报告.docx"
