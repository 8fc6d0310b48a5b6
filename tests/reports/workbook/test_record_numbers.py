"""记录编号 (docs/workbook.md, 联系记录): a record corrected in the exported workbook and imported back is
updated, not added beside the original, and its demand is not opened a second time."""

from __future__ import annotations

import datetime
import io

import pytest

from liaison.models import ContactRecord, Demand, Year
from reports.workbook import exports
from reports.workbook.imports import import_workbook
from reports.workbook.imports.format import record_number, record_pk
from tests.reports.workbook.workbooks import full_workbook, read, xlsx

pytestmark = pytest.mark.django_db


def exported_records() -> list[list]:
    buffer = io.BytesIO()
    exports.write_workbook(exports.record_tables(Year.objects.get(year=2026)), buffer)
    return [list(row) for row in read(buffer.getvalue())["联系记录"]]


@pytest.fixture
def records():
    assert import_workbook(xlsx(full_workbook())).ok
    assert (ContactRecord.objects.count(), Demand.objects.count()) == (2, 1)
    return exported_records()


def test_the_number_is_ours_and_checked():
    number = record_number(42)
    assert number.startswith("JL42-")
    assert record_pk(number) == 42
    assert record_pk(number.lower()) == 42  # typed by hand
    assert record_pk(f" {number} ") == 42
    assert record_pk("JL43-" + number.split("-")[1]) is None  # another id with this check
    assert record_pk("42") is None
    assert record_pk("") is None


def test_a_corrected_workbook_updates_the_records_and_adds_nothing(records):
    header, visit, symposium = records
    col = {name: i for i, name in enumerate(header)}
    visit[col["情况摘要"]] = "走访县科协，了解基层科普阵地建设情况（已更正）。"
    visit[col["反映问题"]] = "希望支持建设县科普馆"
    symposium[col["日期"]] = datetime.date(2026, 4, 2)

    result = import_workbook(xlsx({"联系记录": [header, visit, symposium]}))

    assert result.ok, [str(p) for p in result.problems]
    counts = dict(result.sheets)["联系记录"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 2, 0)
    assert (ContactRecord.objects.count(), Demand.objects.count()) == (2, 1)
    visit_record = ContactRecord.objects.get(pk=record_pk(visit[col["记录编号"]]))
    assert visit_record.summary == "走访县科协，了解基层科普阵地建设情况（已更正）。"
    assert Demand.objects.get().text == "希望支持建设县科普馆"
    assert ContactRecord.objects.get(pk=record_pk(symposium[col["记录编号"]])).date == datetime.date(
        2026, 4, 2
    )
    # and the same workbook again changes nothing
    again = dict(import_workbook(xlsx({"联系记录": [header, visit, symposium]})).sheets)["联系记录"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_unedited_export_imports_as_unchanged(records):
    result = import_workbook(xlsx({"联系记录": records}))
    counts = dict(result.sheets)["联系记录"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)


def test_an_empty_demand_cell_leaves_the_demand_and_its_follow_up(records):
    header, visit, symposium = records
    col = {name: i for i, name in enumerate(header)}
    visit[col["反映问题"]] = ""
    result = import_workbook(xlsx({"联系记录": [header, visit]}))
    assert result.ok
    assert dict(result.sheets)["联系记录"].unchanged == 1
    assert Demand.objects.get().text == "希望支持建设科普馆"


def test_unknown_repeated_and_deleted_numbers_are_row_errors(records, settings):
    header, visit, symposium = records
    col = {name: i for i, name in enumerate(header)}
    unknown = list(symposium)
    unknown[col["记录编号"]] = record_number(999_999)
    result = import_workbook(xlsx({"联系记录": [header, visit, visit, unknown]}))
    assert [(p.row, p.column) for p in result.problems] == [(3, "记录编号"), (4, "记录编号")]
    assert "同一条联系记录" in result.problems[0].reason
    assert "不是本系统导出的联系记录编号" in result.problems[1].reason

    ContactRecord.objects.filter(pk=record_pk(visit[col["记录编号"]])).update(
        is_deleted=True, deleted_reason="重复"
    )
    deleted = import_workbook(xlsx({"联系记录": [header, visit]}))
    assert [(p.row, p.column, p.reason) for p in deleted.problems] == [
        (2, "记录编号", "这条联系记录已被删除，不能通过导入修改。")
    ]

    settings.SECRET_KEY = "another installation"
    other = import_workbook(xlsx({"联系记录": [header, symposium]}))
    assert [(p.row, p.column) for p in other.problems] == [(2, "记录编号")]
    assert ContactRecord.objects.count() == 2
