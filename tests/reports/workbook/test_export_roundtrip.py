"""The round trip: the demo (plus awkward cases) exported in full, imported into an empty database, exported
again: the same cells, sheet by sheet. A 记录编号 names a record of the installation that exported it, so
for another (here: empty) database the column is cleared first, as docs/workbook.md tells users to."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from demo.seed import seed_demo
from experts.models import Scientist
from liaison.models import ContactRecord, Year
from orgs.models import Organization
from reports.workbook import exports as tables
from reports.workbook.imports import import_workbook
from tests.reports.workbook.workbooks import ORG_HEADER, RECORD_HEADER, SCIENTIST_HEADER, read, xlsx

pytestmark = pytest.mark.django_db

IMPORT_SHEETS = [
    "组织",
    "科技工作者",
    "干部",
    "联系类别",
    "联系定额",
    "专班",
    "联系对象",
    "联系记录",
    "诉求",
    "备案",
]


def without_record_numbers(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    cleared = dict(sheets)
    for name in ("联系记录", "诉求"):
        header, *rows = sheets[name]
        i = header.index("记录编号")
        cleared[name] = [[*row[:i], *row[i + 1 :]] for row in (header, *rows)]
    return cleared


def export_all(year: int) -> bytes:
    buffer = io.BytesIO()
    tables.write_workbook(tables.everything(Year.objects.get(year=year)), buffer)
    return buffer.getvalue()


def awkward_cases(year: int) -> None:
    """What the demo lacks: formula-looking text, namesakes in a record, control characters."""
    team = ContactRecord.objects.filter(team__year__year=year).select_related("team").first().team
    day = f"{year}-01-02"
    sheets = {
        "组织": [ORG_HEADER, ["=危险的名字", "其他", "", "", "@地址", "-联系人", "", "+备注\n第二行"]],
        "科技工作者": [
            SCIENTIST_HEADER,
            ["同名人", "男", "", "甲单位", "", "", "", "", "其他", "", "", "=1+1"],
            ["同名人", "女", "", "乙单位", "", "", "", "", "知名专家", "", "", ""],
        ],
        "联系记录": [
            [*RECORD_HEADER, "地点", "诉求类别"],
            [
                day,
                team.name,
                "调查了解",
                "电话",
                "同名人(甲单位)、同名人(乙单位)、=危险的名字",
                team.lead.user.username,
                "否",
                "科研合作",
                "=摘要",
                "@诉求",
                "会议室",
                "项目合作",
            ],
        ],
    }
    result = import_workbook(xlsx(sheets))
    assert result.ok, [str(p) for p in result.problems]
    category = {
        "联系类别": [["名称", "对象类型", "计入"], ["乡镇(街道)科协", "组织", "乡镇(街道)科协、村(社区)科协"]]
    }
    assert import_workbook(xlsx(category)).ok


def test_export_everything_import_into_an_empty_database_export_again():
    year = timezone.localdate().year
    seed_demo()
    awkward_cases(year)
    first = export_all(year)

    connection.check_constraints()  # PostgreSQL: fire the deferred checks, or TRUNCATE refuses to run
    call_command("flush", interactive=False, verbosity=0)
    assert not Organization.objects.exists()
    assert not Scientist.objects.exists()

    numbered = import_workbook(first)
    # not numbers of this database: every record and demand row says so
    assert {(p.sheet, p.column) for p in numbered.problems} == {
        ("联系记录", "记录编号"),
        ("诉求", "记录编号"),
    }
    result = import_workbook(xlsx(without_record_numbers(read(first))))
    assert result.ok, [str(p) for p in result.problems[:10]]
    # every row new, except the demands, registered by 联系记录 and then brought to their state by 诉求
    assert [
        (n, c.updated, c.unchanged) for n, c in result.sheets if (c.updated or c.unchanged) and n != "诉求"
    ] == []
    second = export_all(year)

    before, after = without_record_numbers(read(first)), without_record_numbers(read(second))
    assert list(before) == IMPORT_SHEETS
    for sheet in IMPORT_SHEETS:
        assert len(before[sheet]) > 1, sheet
        assert after[sheet] == before[sheet], sheet

    # The demands come back where they stood: the 诉求 sheet carries their follow-up.
    assert after["诉求"] == before["诉求"]
    assert {row[5] for row in after["诉求"][1:]} != {"待办"}  # the demo's demands are not all pending

    # And the second export imports into the same database as nothing new.
    again = import_workbook(second)
    assert again.ok
    assert all(c.created == 0 and c.updated == 0 for _name, c in again.sheets)
