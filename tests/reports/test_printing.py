"""Every workbook prints as an official paper would (issue 21 §5): each one, fetched from its page on the demo
data as the liaison office downloads it, is printed to PDF by LibreOffice headless (tests/xlsx_strict.py's
libreoffice_pdf) and read back with pdfinfo, pdftotext and pdftoppm.

- the party group's plan (附件1/附件2/附件3): A4 landscape, one page a sheet for the demo year, every page's
  footer "第 N 页，共 M 页" whole — inked in its lower half too (the footer that only half printed still
  read fine to pdftotext: the page clipped its glyphs);
- a person's duty-report workbook: three landscape pages (overview; teams and targets; months, demands
  and highlights), its labels whole, no table split between two pages;
- the summary of every duty report (48 people in the demo): landscape, the title on page 1, the header row
  on every page, each person's row once, with its figures on its line;
- the other workbooks a user prints (records, registries, the plan, reminders, nominations): landscape,
  the page footer on every page.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from awards.models import Award
from liaison.models import ContactRecord, Staff, Year
from reports.duty.services import duty_report, records_of, summary_rows
from reports.duty.xlsx import caption_of, duty_tables
from reports.workbook.imports.format import DEMAND_HEADERS, RECORDS, headers
from tests.xlsx_strict import Printed, ink_rows, libreoffice_pdf, word_boxes

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

A4_LANDSCAPE = (841.89, 595.30)
PERSON = "蔡红"  # demo/data.py: 人事部部长, leads her team and is a member of 赵文博专班
MARKED = "王建国"  # the same workbook for him with 12 of his records marked 述职重点: a longer last table
_printed: dict[
    str, Printed
] = {}  # one LibreOffice run for the module: the demo data is the same for each test


def landscape_a4(printed: Printed) -> bool:
    return abs(printed.width - A4_LANDSCAPE[0]) < 1 and abs(printed.height - A4_LANDSCAPE[1]) < 1


@pytest.fixture
def printed(seeded_once, db) -> dict[str, Printed]:
    if not _printed:
        _printed.update(_print_all())
    return _printed


def _print_all() -> dict[str, Printed]:
    year = Year.objects.order_by("-year").first().year
    client = Client()
    client.force_login(get_user_model().objects.get(username="liuxiaodong"))  # the liaison office
    person = Staff.objects.get(name=PERSON)
    urls = {
        "party": reverse("reports:plan_workbook", args=[year]),
        "duty": reverse("reports:duty_xlsx", args=[year, person.pk]),
        "summary": reverse("reports:duty_summary_xlsx", args=[year]),
        "records": reverse("reports:io_export_records", args=[year]),
        "orgs": reverse("reports:io_export_organizations"),
        "plan": reverse("reports:io_export_plan", args=[year]),
        "reminders": reverse("reports:network_reminder_export", args=[year]),
        "nominations": reverse("awards:award_export", args=[Award.objects.order_by("pk").first().pk])
        + "?scope=all",
    }
    files = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        files[name] = b"".join(response.streaming_content) if response.streaming else response.content
    with transaction.atomic():  # marked for this file only
        marked = Staff.objects.get(name=MARKED)
        ids = list(
            records_of(marked, Year.objects.get(year=year))
            .order_by("date", "pk")
            .values_list("pk", flat=True)
        )
        ContactRecord.objects.filter(pk__in=ids[:12]).update(highlighted=True)
        files["marked"] = client.get(reverse("reports:duty_xlsx", args=[year, marked.pk])).content
        transaction.set_rollback(True)
    return libreoffice_pdf(files)


def footer_of(printed: Printed, page: int) -> str:
    return re.sub(r"\s+", " ", printed.texts[page - 1].strip().splitlines()[-1].strip())


def test_the_party_workbook_prints_its_whole_footer(printed):
    party = printed["party"]
    assert landscape_a4(party)
    # the demo year's 8 leader teams, 15 department teams and its changes: one page a sheet
    assert party.pages == 3
    for page, label in enumerate(["附件1", "附件2", "附件3"], start=1):
        text = party.texts[page - 1]
        assert label in text
        assert footer_of(party, page) == f"第 {page} 页，共 3 页"
        # the footer's glyphs are inked in their lower half as in their upper half: nothing clipped
        words = [w for w in word_boxes(party.pdf, page) if w[0] == "第"]
        assert words, page
        _word, _x0, top, _x1, bottom = max(words, key=lambda w: w[2])  # the lowest "第": the footer's
        assert bottom < party.height - 10  # above the paper's edge
        ink = ink_rows(party.pdf, page, top, bottom)
        half = len(ink) // 2
        assert sum(ink[:half]) > 20
        assert sum(ink[half:]) > 20, f"page {page}: the footer's lower half is not printed"


def assert_tables_whole(printed: Printed, tables) -> dict[str, int]:
    """Each table's caption, header and last row (whole, on one line) on one page; {title: its page}."""
    pages_of = {}
    for number, table in enumerate(tables):
        caption = caption_of(number, table.title)
        (page,) = [i for i, text in enumerate(printed.texts, start=1) if caption in text]
        pages_of[table.title] = page
        text = printed.texts[page - 1]
        rows = list(table.rows)
        last = [str(v) for v in rows[-1] if v not in (None, "")] if rows else ["（无）"]
        assert table.headers[0] in text
        line = next(
            (x for x in text.splitlines() if x.split()[:1] == [last[0]] and x.rstrip().endswith(last[-1])),
            None,
        )
        assert line is not None, (table.title, last)
        assert footer_of(printed, page) == f"第 {page} 页，共 {printed.pages} 页"
    return pages_of


FIGURES = ["述职概况", "所在专班", "联系对象", "联系记录按月", "诉求", "述职重点"]  # the tables of figures


def test_a_duty_workbook_prints_its_figures_on_three_landscape_pages_with_its_tables_whole(printed):
    duty = printed["duty"]
    assert landscape_a4(duty)
    assert f"{PERSON} 2026年度联系科技工作者工作述职" in re.sub(r" {2,}", " ", duty.texts[0])
    assert "在册科技工作者（人次）" in duty.texts[0]  # the label whole, on one line
    report = duty_report(Staff.objects.get(name=PERSON), Year.objects.order_by("-year").first())
    pages_of = assert_tables_whole(duty, duty_tables(report))
    # page 1 the title and 述职概况 (17 rows); page 2 所在专班 (2 teams) and 联系对象 (11 categories);
    # page 3 联系记录按月, 诉求 and 述职重点 (none marked in the demo)
    assert {title: pages_of[title] for title in FIGURES} == {
        "述职概况": 1,
        "所在专班": 2,
        "联系对象": 2,
        "联系记录按月": 3,
        "诉求": 3,
        "述职重点": 3,
    }
    assert duty.pages == max(pages_of.values())  # nothing printed after the last table


def test_a_table_that_does_not_fit_the_rest_of_a_page_starts_the_next(printed):
    """12 highlights, two or three lines each, do not fit below 联系记录按月 and 诉求: 述职重点 begins page 4,
    its caption the page's first line."""
    marked = printed["marked"]
    year = Year.objects.order_by("-year").first()
    person = Staff.objects.get(name=MARKED)
    ids = list(records_of(person, year).order_by("date", "pk").values_list("pk", flat=True))
    ContactRecord.objects.filter(pk__in=ids[:12]).update(highlighted=True)
    pages_of = assert_tables_whole(marked, duty_tables(duty_report(person, year)))
    assert pages_of["诉求"] == 3
    assert pages_of["述职重点"] == 4
    assert marked.texts[3].strip().splitlines()[0].strip() == "六、述职重点"
    assert marked.pages == max(pages_of.values())


def test_the_summary_prints_one_person_a_row_with_its_header_on_every_page(printed):
    summary = printed["summary"]
    assert landscape_a4(summary)
    rows = summary_rows(Year.objects.order_by("-year").first())
    assert len(rows) == 48
    assert summary.pages == 2  # 48 people: was 12 portrait pages, columns spread over several
    assert "2026年度个人联系工作汇总（评先评优参考）" in summary.texts[0]
    for page, text in enumerate(summary.texts, start=1):
        head = " ".join(text.split("\n", 6)[:6])
        for header in ("序号", "姓名", "部室", "职务", "牵头专班", "参加专班", "未达标事项"):
            assert header in head, (page, header)
        assert footer_of(summary, page) == f"第 {page} 页，共 2 页"
    for number, row in enumerate(rows, start=1):
        lines = [
            (page, line)
            for page, text in enumerate(summary.texts, start=1)
            for line in text.splitlines()
            if line.split()[:2] == [str(number), row.staff.name]
        ]
        assert len(lines) == 1, (number, row.staff.name, lines)
        (_page, line) = lines[0]
        figures = [
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
        assert line.split()[-9:] == [str(f) for f in figures], line


@pytest.mark.parametrize("name", ["records", "orgs", "plan", "reminders", "nominations"])
def test_other_workbooks_print_landscape_with_a_page_footer(printed, name):
    book = printed[name]
    assert landscape_a4(book)
    for page in range(1, book.pages + 1):
        assert footer_of(book, page) == f"第 {page} 页，共 {book.pages} 页", (name, page)


def test_the_header_row_repeats_on_every_page_of_a_long_export(printed):
    """联系记录 then 诉求: too wide to fit one page's width at a readable size, the columns run onto further
    pages, and every page begins with the header row (of the columns it holds)."""
    records = printed["records"]
    assert records.pages > 2
    names = {h.rstrip("*") for h in [*headers(RECORDS), *DEMAND_HEADERS]}
    for page, text in enumerate(records.texts, start=1):
        first = next(line for line in text.splitlines() if line.strip()).split()
        assert first[0] in names, (page, first)
    firsts = [next(line for line in text.splitlines() if line.strip()).split()[0] for text in records.texts]
    assert firsts.count(headers(RECORDS)[0].rstrip("*")) > 1  # the first columns' header on several pages
