"""The workbook the party group approves: 附件1, 附件2 and the changes against last year, read back with
openpyxl: titles, headers, merged cells, values for known data, print settings, no personal details."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Team
from liaison.plan import services as plans
from orgs.models import OrgKind
from reports.cycle import adjustments
from reports.cycle.party_workbook import plan_workbook_bytes, workbook_filename
from tests.factories import OrganizationFactory, ScientistFactory
from tests.reports.cycle.factories import NEXT, THIS, make_cycle

pytestmark = pytest.mark.django_db

LEADER_HEADERS = [
    "序号",
    "专班负责人",
    "专班成员",
    "区县(市)科协",
    "兼职副主席单位",
    "市级学会(协会、研究会)",
    "企业(园区)科协",
    "高校院所科协",
    "联系专家/基层一线科技工作者",
    "备注",
]
DEPARTMENT_HEADERS = [h for h in LEADER_HEADERS if h != "兼职副主席单位"]


@pytest.fixture
def year(leader, dept_staff, liaison_officer):
    cycle = make_cycle(lead=leader, member=dept_staff)
    cycle.zhang.mobile = "13912345678"
    cycle.zhang.email = "zhang@example.cn"
    cycle.zhang.save()
    cycle.heping.contact_phone = "024-23456789"
    cycle.heping.save()
    opened = adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
    wang = Team.objects.get(year=opened, lead=leader)
    adjustments.target_remove(
        assignment=wang.assignments.get(organization=cycle.medical),
        by=liaison_officer.user,
        reason="学会换届暂停",
    )
    adjustments.target_add(
        team=wang,
        by=liaison_officer.user,
        reason="新增兼职副主席单位",
        organization=OrganizationFactory(kind=OrgKind.VICE_CHAIR_UNIT, name="辽川电力公司"),
    )
    adjustments.target_replace(
        assignment=wang.assignments.get(scientist=cycle.zhang),
        by=liaison_officer.user,
        reason="张院士调往外省",
        scientist=ScientistFactory(name="钱院士", category="academician", mobile="13800001111"),
    )
    adjustments.team_update(
        team=wang,
        by=liaison_officer.user,
        reason="备注",
        lead=leader,
        members=[dept_staff],
        name=wang.name,
        notes="=1+1 不是公式",
    )
    li = Team.objects.get(year=opened, lead=cycle.li.lead)
    adjustments.target_add(
        team=li,
        by=liaison_officer.user,
        reason="部室联系农技协",
        organization=OrganizationFactory(kind=OrgKind.AGRI_TECH, name="新民农技协"),
    )
    return opened


@pytest.fixture
def book(year):
    return load_workbook(io.BytesIO(plan_workbook_bytes(year)))


def values(ws, row: int) -> list:
    """A row's values; an empty cell reads back as None, written as ""."""
    return ["" if (v := ws.cell(row=row, column=c).value) is None else v for c in range(1, ws.max_column + 1)]


def test_three_sheets_with_titles_and_merged_title_rows(book):
    assert book.sheetnames == ["附件1", "附件2", "调整情况"]
    leaders, departments, changes = book["附件1"], book["附件2"], book["调整情况"]
    assert leaders["A1"].value == "附件1"
    assert leaders["A2"].value == f"{NEXT}年度市科协领导联系科技工作者分工"
    assert departments["A2"].value == f"{NEXT}年度市科协机关部室主要负责同志联系科技工作者分工"
    assert changes["A2"].value == f"{NEXT}年度联系对象调整情况（与{THIS}年度对照）"
    assert "A2:J2" in {str(r) for r in leaders.merged_cells.ranges}
    assert "A2:I2" in {str(r) for r in departments.merged_cells.ranges}
    assert "A2:G2" in {str(r) for r in changes.merged_cells.ranges}


def test_headers(book):
    assert values(book["附件1"], 3) == LEADER_HEADERS
    assert values(book["附件2"], 3) == DEPARTMENT_HEADERS
    assert values(book["调整情况"], 3) == [
        "序号",
        "专班",
        "调整事项",
        "联系类别",
        "原联系对象",
        "新联系对象",
        "调整原因",
    ]


def test_rows_hold_the_targets_in_force_at_year_end(book):
    assert values(book["附件1"], 4) == [
        1,
        "王领导（副主席）",
        "陈干部",
        "和平区科协",
        "辽川电力公司",
        "",
        "",
        "",
        "钱院士",
        "=1+1 不是公式",
    ]
    row = values(book["附件2"], 4)
    assert row[:4] == [1, "李部长", "", "铁西区科协"]
    assert row[-1] == "另联系：新民农技协"  # no column for it on the sheet, still on the plan


def test_text_beginning_with_equals_stays_text(book):
    note = book["附件1"]["J4"]
    assert note.value == "=1+1 不是公式"
    assert note.data_type == "s"


def test_the_sheet_of_changes_says_what_changed_and_why(book):
    ws = book["调整情况"]
    rows = [values(ws, r) for r in range(4, ws.max_row + 1)]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert ["王领导专班", "替换联系对象", "知名专家/高层次人才", "张院士", "钱院士", "张院士调往外省"] in [
        r[1:] for r in rows
    ]
    assert ["王领导专班", "移除联系对象", "市级学会(协会、研究会)", "辽川市医学会", "", "学会换届暂停"] in [
        r[1:] for r in rows
    ]
    assert ["王领导专班", "新增联系对象", "兼职副主席单位", "", "辽川电力公司", "新增兼职副主席单位"] in [
        r[1:] for r in rows
    ]
    assert any(r[1:3] == ["王领导专班", "减少成员"] and r[4] == "离职干部" for r in rows)
    assert any(r[1:3] == ["李部长专班", "新增联系对象"] for r in rows)


def test_print_settings_fit_a4_landscape_with_repeated_headers(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert int(ws.page_setup.fitToWidth) == 1
        assert int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows.replace("$", "") == "3:3"


def test_every_table_cell_has_borders_wrapping_and_a_chinese_font(book):
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                if type(cell).__name__ == "MergedCell":
                    continue
                assert cell.border.left.style == "thin", cell.coordinate
                assert cell.border.bottom.style == "thin", cell.coordinate
                assert cell.alignment.wrap_text, cell.coordinate
                assert cell.font.name in ("宋体", "黑体"), cell.coordinate
        assert ws["A2"].font.name == "黑体"


def test_no_phone_numbers_or_other_contact_details(book):
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    for secret in ("13912345678", "13800001111", "zhang@example.cn", "024-23456789", "23456789"):
        assert secret not in text


def test_a_year_without_teams_or_history_still_gives_a_readable_workbook(db):
    book = load_workbook(io.BytesIO(plan_workbook_bytes(plans.year_create(year=THIS + 5))))
    assert book["附件1"]["A4"].value == "本年度没有此类专班。"
    assert book["调整情况"]["A4"].value == f"{THIS + 5} 年度还没有专班，暂无与上年度的对照。"


class TestDownload:
    @pytest.mark.parametrize("client_name", ["liaison_client", "leader_client"])
    def test_liaison_office_and_leadership_download_it(self, request, client_name, year):
        response = request.getfixturevalue(client_name).get(reverse("reports:plan_workbook", args=[NEXT]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        disposition = unquote(response["Content-Disposition"])
        assert disposition.startswith("attachment")
        assert workbook_filename(year) in disposition
        assert workbook_filename(year) == f"{NEXT}年度联系科技工作者分工（报党组审定）.xlsx"
        assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "附件1"

    @pytest.mark.parametrize("client_name", ["staff_client", "outsider_client"])
    def test_others_are_refused(self, request, client_name, year):
        assert (
            request.getfixturevalue(client_name)
            .get(reverse("reports:plan_workbook", args=[NEXT]))
            .status_code
            == 403
        )

    def test_unknown_year_is_404(self, liaison_client, db):
        assert liaison_client.get(reverse("reports:plan_workbook", args=[1999])).status_code == 404


# --- the same workbook as a job (reports/cycle/jobs.py), for a large year -----------------------------------


def test_the_job_writes_the_same_workbook_as_the_download(leader_client, year):
    from reports.jobs.models import Job, JobKind, JobStatus
    from tests.reports.workbook.workbooks import read

    response = leader_client.post(reverse("reports:plan_workbook_job", args=[NEXT]))

    job = Job.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.kind, job.status) == (JobKind.PLAN_WORKBOOK, JobStatus.DONE), job.message
    response = leader_client.get(f"/reports/jobs/{job.pk}/file")
    assert unquote(response["Content-Disposition"]).endswith(workbook_filename(year))
    from_job = read(b"".join(response.streaming_content))
    assert from_job == read(plan_workbook_bytes(year))
    # the data rows under the three header rows: 附件1 王领导's team, 附件2 李部长's, and the changes sheet's
    book = load_workbook(io.BytesIO(plan_workbook_bytes(year)))
    data_rows = sum(ws.max_row - 3 for ws in book.worksheets)
    assert job.counts == {"written": data_rows, "total": data_rows}
    assert values(book["附件1"], 4)[1] == "王领导（副主席）"  # one team on each attachment (above)
    assert values(book["附件2"], 4)[1] == "李部长"
    page = leader_client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert f"共写入 {data_rows} 行" in page
    assert reverse("reports:approval", args=[NEXT]) in page  # the way back to where it was started
    approval_page = leader_client.get(reverse("reports:approval", args=[NEXT])).content.decode()
    assert f'action="{reverse("reports:plan_workbook_job", args=[NEXT])}"' in approval_page


def test_the_job_is_refused_to_those_the_download_is_refused_to(staff_client, outsider_client, year):
    from reports.jobs.models import Job

    for client in (staff_client, outsider_client):
        assert client.get(reverse("reports:plan_workbook", args=[NEXT])).status_code == 403
        assert client.post(reverse("reports:plan_workbook_job", args=[NEXT])).status_code == 403
    assert not Job.objects.exists()
