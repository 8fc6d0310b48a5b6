"""诉求 imports (our addition to the format): an exported workbook imported back keeps every demand's
follow-up, and a demand's state changed in the workbook is brought into the system once."""

from __future__ import annotations

import datetime
import io

import pytest

from liaison.models import ContactRecord, Demand, DemandAction, DemandStatus, Year
from reports.workbook import exports
from reports.workbook.imports import import_workbook
from tests.reports.workbook.workbooks import full_workbook, read, xlsx

pytestmark = pytest.mark.django_db


def exported() -> dict[str, list[list]]:
    buffer = io.BytesIO()
    exports.write_workbook(exports.record_tables(Year.objects.get(year=2026)), buffer)
    return {name: [list(row) for row in rows] for name, rows in read(buffer.getvalue()).items()}


@pytest.fixture
def demand():
    assert import_workbook(xlsx(full_workbook())).ok
    return Demand.objects.get()  # 希望支持建设科普馆, raised on 王主席专班's visit of 2026-03-05


def test_a_demand_closed_in_the_workbook_is_closed_once(demand):
    sheets = exported()
    header, row = sheets["诉求"]
    col = {name: i for i, name in enumerate(header)}
    assert row[col["状态"]] == "待办"
    row[col["状态"]] = "已办结"
    row[col["反馈意见"]] = "已协调县里安排场地"
    row[col["办结日期"]] = datetime.date(2026, 4, 1)
    row[col["承办人用户名"]] = "liubuzhang"
    result = import_workbook(xlsx({"诉求": [header, row]}))
    assert result.ok, [str(p) for p in result.problems]
    assert dict(result.sheets)["诉求"].updated == 1
    demand.refresh_from_db()
    assert (demand.status, demand.reply, demand.closed_at, demand.handler.user.username) == (
        DemandStatus.DONE,
        "已协调县里安排场地",
        datetime.date(2026, 4, 1),
        "liubuzhang",
    )
    note = DemandAction.objects.filter(demand=demand).latest("id")
    assert note.get_kind_display() == "备注"
    assert "状态" in note.text
    again = import_workbook(xlsx({"诉求": [header, row]}))
    assert dict(again.sheets)["诉求"].unchanged == 1
    assert Demand.objects.count() == 1


def test_closing_without_a_reply_is_refused(demand):
    header, row = exported()["诉求"]
    col = {name: i for i, name in enumerate(header)}
    row[col["状态"]] = "已办结"
    result = import_workbook(xlsx({"诉求": [header, row]}))
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "反馈意见", "已办结的诉求须有反馈意见。")
    ]
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PENDING


def test_a_row_must_name_a_demand_of_its_record(demand):
    header, row = exported()["诉求"]
    col = {name: i for i, name in enumerate(header)}
    row[col["内容"]] = "没有登记过的诉求"
    row[col["记录编号"]] = ""
    result = import_workbook(xlsx({"诉求": [header, row]}))
    assert [(p.row, p.column) for p in result.problems] == [(2, "内容")]
    assert "找不到这条诉求" in result.problems[0].reason


def test_a_record_with_two_demands_gets_both_back_from_the_workbook(demand):
    """Two demands of one record are exported as two lines of 反映问题 and two 诉求 rows; into an empty year
    they come back as two demands, each in its own state."""
    from liaison.contacts import services as contacts

    second = Demand(record=demand.record, kind="suggestion", text="建议增设流动科技馆")
    contacts.demand_create(demand=second, by=None)
    contacts.demand_act(demand=second, kind="reply", by=None, text="已转科普部研究", status=DemandStatus.DONE)
    sheets = exported()
    record_header, *record_rows = sheets["联系记录"]
    (visit,) = [r for r in record_rows if r[record_header.index("专班名称")] == "王主席专班"]
    assert visit[record_header.index("反映问题")] == "希望支持建设科普馆\n建议增设流动科技馆"
    # the same workbook into a database without these records (their numbers cleared, as between installations)
    for name in ("联系记录", "诉求"):
        header = sheets[name][0]
        for row in sheets[name][1:]:
            row[header.index("记录编号")] = ""
    ContactRecord.objects.filter(pk=demand.record_id).update(
        date=datetime.date(2026, 3, 6), is_deleted=True, deleted_reason="测试：换库"
    )
    result = import_workbook(xlsx(sheets))
    assert result.ok, [str(p) for p in result.problems]
    record = ContactRecord.objects.get(is_deleted=False, team__name="王主席专班")
    states = sorted((d.text, d.get_status_display(), d.reply) for d in record.demands.all())
    assert states == [("希望支持建设科普馆", "待办", ""), ("建议增设流动科技馆", "已办结", "已转科普部研究")]
