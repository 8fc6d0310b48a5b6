"""Every .xlsx the app writes, strictly checked (issue 19 §5): the zip structure (tests/xlsx_strict.py: local
headers agree with the central directory, ZIP64 only where needed, `unzip -t`, CRCs) and LibreOffice
headless reading each file to the same text as openpyxl does.

The files come from the pages that serve them, on the demo data (seed_demo, once for the module), as the
liaison office downloads them: 联系记录与诉求 (and the same export written by its job), 全部数据, the
registries, the year's plan, the import template, the network's reminder list, a duty report's workbook,
the duty reports' summary workbook, the party group's plan workbook, the personal-data view log, a team's
工作计划 and an award's 推荐名单.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Award
from liaison.models import ContactRecord, Demand, PlannedContact, Staff, Year
from reports.jobs import run as jobs
from reports.jobs.models import Job, JobKind, JobStatus
from reports.workbook.imports.format import DEMAND_HEADERS, RECORDS, headers, record_number
from tests.xlsx_strict import assert_strict, libreoffice_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(seeded_once, db) -> dict[str, bytes]:
    year = Year.objects.order_by("-year").first().year
    user = get_user_model().objects.get(username="liuxiaodong")  # the liaison office
    client = Client()
    client.force_login(user)
    lead = Staff.objects.filter(led_teams__year__year=year).order_by("pk").first()
    urls = {
        "records": reverse("reports:io_export_records", args=[year]),
        "all": reverse("reports:io_export_all", args=[year]),
        "demands": reverse("reports:io_export_demands", args=[year]),
        "filings": reverse("reports:io_export_filings", args=[year]),
        "orgs": reverse("reports:io_export_organizations"),
        "scientists": reverse("reports:io_export_scientists"),
        "staff": reverse("reports:io_export_staff"),
        "plan": reverse("reports:io_export_plan", args=[year]),
        "template": reverse("reports:io_template"),
        "reminders": reverse("reports:network_reminder_export", args=[year]),
        "duty": reverse("reports:duty_xlsx", args=[year, lead.pk]),
        "summary": reverse("reports:duty_summary_xlsx", args=[year]),
        "party": reverse("reports:plan_workbook", args=[year]),
        "privacylog": reverse("liaison:personal_data_log_export"),
        # a team's 工作计划 (issue 21 §3): the demo's first team with planned contacts
        "schedule": reverse(
            "liaison:team_plan_xlsx",
            args=[PlannedContact.objects.filter(team__year__year=year).order_by("team_id").first().team_id],
        ),
        # 推荐名单 of an award, every nomination of the demo's (issue 20 §2)
        "nominations": reverse("awards:award_export", args=[Award.objects.order_by("pk").first().pk])
        + "?scope=all",
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        out[name] = b"".join(response.streaming_content) if response.streaming else response.content
    # the large exports as the job page gives them (reports/workbook/jobs.py)
    for name, kind in [("records_job", JobKind.EXPORT_RECORDS), ("all_job", JobKind.EXPORT_ALL)]:
        job = Job.objects.create(kind=kind, created_by=user, params={"year": year})
        jobs.run_job(job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.message
        with job.result_file.open("rb") as handle:
            out[name] = handle.read()
    return out


def shown(cell) -> str:
    """A cell as a spreadsheet shows it, from what openpyxl reads: dates in the cell's format, TRUE/FALSE."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if "h" in cell.number_format else "%Y-%m-%d")
    return str(value)


def trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Without trailing empty cells and rows (a CSV has no width of its own)."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def test_every_export_is_a_strictly_valid_zip(files):
    assert len(files) == 18
    for name, data in files.items():
        try:
            assert_strict(data)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


@pytest.mark.libreoffice
def test_libreoffice_reads_every_export_as_openpyxl_does(files):
    """One LibreOffice run converts every file to CSV, sheet by sheet; each sheet's text is what openpyxl
    reads from the same file, and the record export holds the year's completed records and their demands
    under the spec's headers (docs/workbook.md)."""
    read = libreoffice_text(files)
    for name, data in files.items():
        book = load_workbook(io.BytesIO(data))
        assert sorted(read[name]) == sorted(book.sheetnames), name
        for sheet in book.worksheets:
            expected = trimmed([[shown(c) for c in row] for row in sheet.iter_rows()])
            assert trimmed(read[name][sheet.title]) == expected, (name, sheet.title)

    year = Year.objects.order_by("-year").first()
    records = ContactRecord.objects.completed().filter(team__year=year)
    for name in ("records", "records_job", "all", "all_job"):
        sheets = read[name]
        assert sheets["联系记录"][0] == headers(RECORDS)
        assert len(sheets["联系记录"]) == 1 + records.count()
        assert sheets["诉求"][0] == list(DEMAND_HEADERS)
        assert len(sheets["诉求"]) == 1 + Demand.objects.filter(record__in=records).count()
        first = records.order_by("date", "team__name", "id").select_related("team").first()
        assert sheets["联系记录"][1][:2] == [first.date.isoformat(), first.team.name]
        assert sheets["联系记录"][1][-1] == record_number(first.pk)
    assert {"组织", "科技工作者", "干部", "专班", "联系对象", "备案"} <= set(read["all"])
