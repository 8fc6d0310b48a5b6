"""Duty report files: the PDF (its text through pdftotext, A4, the CJK font embedded, page 1 rasterised
with pdftoppm and not blank) and both workbooks read back with openpyxl. Figures are those worked out by
hand in tests/reports/duty/test_duty.py.

poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm) is installed by `scripts/setup.sh --test`.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time

import pytest
from openpyxl import load_workbook

from liaison.models import ContactRecord
from reports.duty.pdf import duty_pdf_bytes
from reports.duty.services import duty_report, summary_rows
from reports.duty.xlsx import duty_workbook_bytes, summary_workbook_bytes
from tests.reports.duty.test_duty import HIGHLIGHT_SUMMARY, ZHANG_SENTENCE, build_duty_data

pytestmark = pytest.mark.django_db


def poppler(tool: str, *args: str, pdf: bytes) -> bytes:
    """Run a poppler tool on the PDF given on stdin ("-" in args); its stdout."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils (scripts/setup.sh --test)")
    return subprocess.run([tool, *args], input=pdf, capture_output=True, check=True).stdout


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with all white space removed (lines wrap wherever the layout breaks them)."""
    return re.sub(r"\s+", "", poppler("pdftotext", "-enc", "UTF-8", "-", "-", pdf=pdf).decode("utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def zhang_pdf(django_db_setup, django_db_blocker) -> bytes:
    """One PDF for the module's checks (WeasyPrint takes a fraction of a second per page, not nothing)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            data = build_duty_data()
            pdf = duty_pdf_bytes(duty_report(data.zhang, data.year))
            transaction.set_rollback(True)
    return pdf


def test_pdf_text_holds_the_name_and_the_known_figures(zhang_pdf):
    text = pdf_text(zhang_pdf)
    for needle in (
        "张主席",
        "2025年度联系科技工作者工作述职报告",
        ZHANG_SENTENCE,
        "2/3（67%）",  # 春节 greeting coverage
        "1/3（33%）",  # 科技工作者日
        "下基层2次，少1次",
        HIGHLIGHT_SUMMARY,
        "赵院士、钱教授、孙研究员",
    ):
        assert squeeze(needle) in text, needle


def test_pdf_pages_carry_the_header_and_page_numbers(zhang_pdf):
    pages = int(re.search(rb"Pages:\s+(\d+)", poppler("pdfinfo", "-", pdf=zhang_pdf)).group(1))
    text = pdf_text(zhang_pdf)
    for page in range(1, pages + 1):
        assert f"第{page}页/共{pages}页" in text
    assert text.count("张主席（副主席）2025年度述职") == pages  # the running header, on every page


def test_pdf_is_a4_with_the_cjk_font_embedded(zhang_pdf):
    info = poppler("pdfinfo", "-", pdf=zhang_pdf).decode()
    assert "(A4)" in info
    fonts = poppler("pdffonts", "-", pdf=zhang_pdf).decode().splitlines()[2:]
    cjk = [line for line in fonts if "Noto-Sans-CJK-SC" in line]
    assert cjk, fonts
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in cjk)  # embedded, subset, unicode


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary PGM (P5, 8-bit), as pdftoppm -gray writes it."""
    match = re.match(rb"P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match, data[:40]
    width, height, maximum = (int(g) for g in match.groups())
    assert maximum == 255
    pixels = data[match.end() :]
    assert len(pixels) == width * height
    return width, height, pixels


def test_page_one_renders_ink_not_a_blank_page(zhang_pdf):
    """Rasterise page 1 and look for text: enough dark pixels overall, and the title line inked where it
    stands (a missing font gives blank space or a row of identical boxes; the font check above rules
    out the boxes, this rules out an empty render)."""
    pgm = poppler("pdftoppm", "-gray", "-r", "50", "-f", "1", "-l", "1", "-", pdf=zhang_pdf)
    width, height, pixels = read_pgm(pgm)
    assert abs(width - 413) <= 1  # A4 at 50 dpi
    assert abs(height - 585) <= 1
    dark = sum(1 for p in pixels if p < 128)
    assert 0.01 < dark / len(pixels) < 0.3
    # The title: the upper part of the page, below the 24 mm top margin, holds its ink.
    top = pixels[width * int(height * 0.09) : width * int(height * 0.16)]
    assert sum(1 for p in top if p < 128) > 300


def test_pdf_is_fast_with_the_harfbuzz_subsetter(zhang_pdf, db):
    """Without libharfbuzz-subset0 a Chinese page takes 11–12 s (docs/design.md); with it well under a second."""
    data = build_duty_data()
    report = duty_report(data.zhang, data.year)
    started = time.monotonic()
    duty_pdf_bytes(report)
    assert time.monotonic() - started < 5


# --- workbooks ------------------------------------------------------------------------------------------


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    """A table's rows, header first: a sheet's (below its title row, if any), or one of the tables of a
    person's duty workbook, found by its caption ("二、所在专班"), each value from the first cell of its
    merged span."""
    workbook = load_workbook(io.BytesIO(content))
    if title in workbook.sheetnames:
        rows = [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
        merged = workbook[title].merged_cells.ranges
        title_row = any(r.min_row == r.max_row == 1 and r.max_col > 1 for r in merged)
        return rows[1:] if title_row else rows
    (sheet,) = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].endswith(f"、{title}"))
    header = rows[start + 1]
    columns = [i for i, value in enumerate(header) if value is not None]
    table = []
    for row in rows[start + 1 :]:
        if all(value is None for value in row):
            break
        table.append(tuple(row[i] for i in columns))
    return table


def test_person_workbook_reads_back(db):
    data = build_duty_data()
    content = duty_workbook_bytes(duty_report(data.zhang, data.year))
    overview = dict(sheet_rows(content, "述职概况")[1:])
    assert overview["姓名"] == "张主席"
    assert overview["年度"] == 2025
    assert overview["联系记录（条）"] == 5
    assert overview["本人下基层（次）"] == 1
    assert overview["诉求提出（件）"] == 3
    assert overview["诉求已办结（件）"] == 1
    assert overview["诉求未办结（件）"] == 2
    assert overview["在册科技工作者（人次）"] == 3
    assert overview["春节已慰问"] == 2
    assert overview["全国科技工作者日已慰问"] == 1
    teams = sheet_rows(content, "所在专班")
    assert teams[1] == ("张主席专班", "领导专班", "牵头", 2, 3, 3, 2, 1, "未达标", "下基层 2 次，少 1 次")
    months = {row[0]: row[1:] for row in sheet_rows(content, "联系记录按月")[1:]}
    assert months["看望慰问"] == (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2)
    assert months["合计"] == (1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 5)
    categories = sheet_rows(content, "联系对象")[1:]
    assert ("张主席专班", "区县(市)科协", 2, 2, "1–2") in categories
    demands = dict(sheet_rows(content, "诉求")[1:])
    assert demands == {"待办": 1, "已交办": 0, "办理中": 1, "已办结": 1, "无法办理": 0}
    highlights = sheet_rows(content, "述职重点")[1:]
    assert [row[5] for row in highlights] == [HIGHLIGHT_SUMMARY]


def test_summary_workbook_has_one_row_per_person(db):
    data = build_duty_data()
    data.li.title = "=HYPERLINK(1)"  # user text is never written as a formula
    data.li.save()
    content = summary_workbook_bytes(summary_rows(data.year), data.year)
    rows = sheet_rows(content, "2025年度述职汇总")
    header = rows[0]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_name) == ["张主席", "陈部长", "李干事"]
    zhang = by_name["张主席"]
    assert zhang["牵头专班"] == "张主席专班"
    assert (zhang["联系记录（条）"], zhang["本人下基层（次）"]) == (5, 1)
    assert (zhang["专班下基层（次）"], zhang["下基层定额"], zhang["专班是否达标"]) == (2, 3, "未达标")
    assert (zhang["诉求提出"], zhang["诉求办结"], zhang["诉求未结"], zhang["述职重点（条）"]) == (3, 1, 2, 1)
    assert (zhang["在册科技工作者"], zhang["春节已慰问"], zhang["科技工作者日已慰问"]) == (3, 2, 1)
    li = by_name["李干事"]
    assert li["参加专班"] == "张主席专班、陈部长专班"
    assert li["牵头专班"] in ("", None)
    assert li["职务"] == "=HYPERLINK(1)"
    workbook = load_workbook(io.BytesIO(content))
    cell = next(c for c in workbook.active["D"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_marking_shows_in_the_next_pdf(db):
    data = build_duty_data()
    ContactRecord.objects.filter(pk=data.records["r9"].pk).update(highlighted=True)
    text = pdf_text(duty_pdf_bytes(duty_report(data.zhang, data.year)))
    assert "述职重点2条" in text
    assert "刘技师" in text
