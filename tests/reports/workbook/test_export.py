"""Excel exports /reports/io/export/…: who may download what, formula-safe text, hidden contact columns,
bounded queries. The round trip through an empty database is in test_export_roundtrip.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from experts.models import Scientist
from orgs.models import Organization
from reports.workbook.imports import import_workbook
from tests.reports.workbook.workbooks import (
    ORG_HEADER,
    RECORD_HEADER,
    SCIENTIST_HEADER,
    full_workbook,
    read,
    xlsx,
)

pytestmark = pytest.mark.django_db

REGISTRIES = [
    "/reports/io/export/organizations.xlsx",
    "/reports/io/export/scientists.xlsx",
    "/reports/io/export/staff.xlsx",
    "/reports/io/export/2026/plan.xlsx",
    "/reports/io/import/template.xlsx",
]
WORK = [
    "/reports/io/export/2026/records.xlsx",
    "/reports/io/export/2026/demands.xlsx",
    "/reports/io/export/2026/filings.xlsx",
    "/reports/io/export/2026/all.xlsx",
]


@pytest.fixture
def imported():
    result = import_workbook(xlsx(full_workbook()))
    assert result.ok, [str(p) for p in result.problems]


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


# --- who may download what ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, imported):
    for url in ["/reports/io/export/", *REGISTRIES, *WORK]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/")


def test_an_account_without_a_staff_record_gets_nothing(outsider_client, imported):
    for url in ["/reports/io/export/", *REGISTRIES, *WORK]:
        assert outsider_client.get(url).status_code == 403, url


def test_department_staff_export_registries_and_the_plan_but_not_records(staff_client, imported):
    for url in REGISTRIES:
        body(staff_client.get(url))
    for url in WORK:
        assert staff_client.get(url).status_code == 403, url
    page = staff_client.get("/reports/io/export/").content.decode()
    assert "其他人显示为 138****5678 的形式" in page
    assert "/reports/io/export/2026/records/job" not in page
    assert "/reports/io/import/" not in page.split("数据导出", 2)[-1].split("</h1>")[1].split("</div>")[0]


@pytest.mark.parametrize("persona", ["leader_client", "liaison_client", "admin_client_"])
def test_leadership_liaison_office_and_admin_export_everything(request, persona, imported):
    client = request.getfixturevalue(persona)
    for url in REGISTRIES + WORK:
        body(client.get(url))
    page = client.get("/reports/io/export/").content.decode()
    assert 'action="/reports/io/export/2026/all/job"' in page
    assert 'action="/reports/io/export/2026/records/job"' in page


def test_an_unknown_year_is_404_and_post_is_405(liaison_client, imported):
    assert liaison_client.get("/reports/io/export/1999/plan.xlsx").status_code == 404
    assert liaison_client.get("/reports/io/export/1999/all.xlsx").status_code == 404
    assert liaison_client.post("/reports/io/export/organizations.xlsx").status_code == 405


def test_the_file_is_named_in_chinese_with_the_date(liaison_client, imported):
    response = liaison_client.get("/reports/io/export/2026/plan.xlsx")
    assert "filename*=utf-8''2026" in response["Content-Disposition"]
    sheets = read(body(response))
    assert list(sheets) == ["联系类别", "联系定额", "专班", "联系对象"]


# --- contents -------------------------------------------------------------------------------------------


def test_contact_details_in_full_only_for_those_who_may_see_them(staff_client, leader_client, imported):
    masked = read(body(staff_client.get("/reports/io/export/scientists.xlsx")))["科技工作者"]
    shown = read(body(leader_client.get("/reports/io/export/scientists.xlsx")))["科技工作者"]
    assert {"手机", "邮箱"} <= set(masked[0])
    assert not any("13912345678" in str(v) for row in masked for v in row)
    assert any(v == "139****5678" for row in masked for v in row)
    assert any(v == "13912345678" for row in shown for v in row)


def test_an_export_with_masked_contacts_imports_back_without_wiping_them(staff_client, imported):
    data = body(staff_client.get("/reports/io/export/scientists.xlsx"))
    result = import_workbook(data)
    assert result.ok
    assert dict(result.sheets)["科技工作者"].unchanged == 3
    assert Scientist.objects.get(name="王伟", employer="辽川大学").mobile == "13912345678"


def test_formula_looking_text_is_written_as_text_and_imports_back_unchanged(liaison_client):
    dangerous = ['=HYPERLINK("http://x","点我")', "+8613812345678", "-待核实", "@SUM(A1:A9)", "=1+1"]
    rows = [ORG_HEADER] + [[f"组织{i}", "其他", "", "", "", "", "", text] for i, text in enumerate(dangerous)]
    rows.append(["=组织名", "其他", "", "", "@地址", "-某人", "", ""])
    assert import_workbook(xlsx({"组织": rows})).ok

    data = body(liaison_client.get("/reports/io/export/organizations.xlsx"))

    import io

    sheet = load_workbook(io.BytesIO(data))["组织"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in [*dangerous, "=组织名", "@地址", "-某人"]:
        cell = cells[text]
        assert cell.data_type == "s", text  # a string, never a formula
        assert cell.quotePrefix, text  # Excel keeps it text when the cell is edited
    assert cells["组织0"].quotePrefix is False
    # Read back by the import: nothing changes.
    again = import_workbook(data)
    assert again.ok
    assert dict(again.sheets)["组织"].unchanged == 6
    assert set(Organization.objects.values_list("notes", flat=True)) >= set(dangerous)


def test_records_list_namesakes_with_their_employer_and_demands(liaison_client, imported):
    sheets = read(body(liaison_client.get("/reports/io/export/2026/records.xlsx")))
    header, *rows = sheets["联系记录"]
    assert list(header[: len(RECORD_HEADER)]) == RECORD_HEADER
    first = dict(zip(header, rows[0], strict=True))
    assert first["联系对象"] == "清源县科协、王伟(辽川大学)"
    assert first["参加人员"] == "wangzhuxi、zhaoganshi"
    assert first["下基层"] == "是"
    assert first["联系内容"] == "宣传政策、了解困难"
    assert first["反映问题"] == "希望支持建设科普馆"
    assert first["诉求类别"] == "困难诉求"
    demand_header, demand = sheets["诉求"]
    assert dict(zip(demand_header, demand, strict=True))["内容"] == "希望支持建设科普馆"
    assert dict(zip(demand_header, demand, strict=True))["状态"] == "待办"


def test_the_plan_export_imports_back_unchanged(liaison_client, imported):
    data = body(liaison_client.get("/reports/io/export/2026/plan.xlsx"))
    result = import_workbook(data)
    assert result.ok
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [
        ("联系类别", 0, 0, 0),  # no category added: the header alone
        ("联系定额", 0, 0, 13),  # the policy's table: 6 leader and 5 department categories, 下基层 twice
        ("专班", 0, 0, 2),
        ("联系对象", 0, 0, 4),
    ]


# --- bounded queries ------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        body(client.get(url))
    return len(context.captured_queries)


def more_rows(n: int) -> None:
    orgs = [ORG_HEADER] + [[f"新学会{i}", "市级学会", "", "", "", "", "", ""] for i in range(n)]
    people = [SCIENTIST_HEADER] + [
        [f"专家{i}", "", "", "辽川大学", f"新学会{i}", "", "", "", "知名专家", "", "", ""] for i in range(n)
    ]
    records = [RECORD_HEADER] + [
        [
            "2026-06-01",
            "王主席专班",
            "开展座谈",
            "",
            f"新学会{i}、专家{i}",
            "zhaoganshi",
            "",
            "",
            f"座谈{i}",
            f"问题{i}",
        ]
        for i in range(n)
    ]
    assert import_workbook(xlsx({"组织": orgs, "科技工作者": people, "联系记录": records})).ok


@pytest.mark.parametrize("url", [*REGISTRIES, *WORK])
def test_query_count_does_not_grow_with_the_rows(liaison_client, imported, url):
    few = queries(liaison_client, url)
    more_rows(20)
    assert queries(liaison_client, url) == few
