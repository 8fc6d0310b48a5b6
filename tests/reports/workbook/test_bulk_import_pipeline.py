"""A real import on PostgreSQL outside a transaction — as a job or the command runs it — writes while it checks
(reports/workbook/imports/bulk.py, Pipeline: the checked records go in batches to a writer thread with its own
connection and transaction). These tests run it for real, in committed transactions (the writer's connection
cannot see a test's open transaction), and expect what the path without the thread leaves: the same rows and
derived data worked out by hand in test_bulk_import.py, nothing at all when a late row is wrong after batches
were already written, and the write conflict reported when someone saves the same key meanwhile."""

from __future__ import annotations

import threading

import pytest
from auditlog.models import LogEntry
from django.db import connection

from experts.models import Scientist, TalentCategory
from liaison.models import ContactRecord, ContactTarget, Demand
from reports.workbook.imports import bulk, import_workbook
from tests.factories import UserFactory
from tests.reports.workbook.test_bulk_import import derived, expected, figure_versions, plan, workbook
from tests.reports.workbook.workbooks import RECORD_HEADER, xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the writer thread is PostgreSQL's (SQLite writes after the check)",
    ),
]

__all__ = ["plan"]  # the fixture, from the module whose expectations these tests share


def writer_threads(monitor: list[str]) -> threading.Thread:
    """Record the names of the threads started while the import runs (the writer is "import-writer")."""
    started = threading.Thread.start

    def start(self):
        monitor.append(self.name)
        return started(self)

    return start


def test_the_writer_thread_writes_what_the_path_without_it_writes(plan, monkeypatch):
    names: list[str] = []
    monkeypatch.setattr(threading.Thread, "start", writer_threads(names))
    user = UserFactory(username="importer")
    wang_version = Scientist.objects.get(name="王伟", employer="辽川大学").version
    figures = figure_versions()
    log = LogEntry.objects.count()
    seen: list[dict] = []

    assert bulk.Pipeline.possible()
    result = import_workbook(workbook(), by=user, filename="补录.xlsx", progress=seen.append)

    assert result.ok, [str(p) for p in result.problems]
    assert "import-writer" in names
    assert derived() == expected(wang_version)
    after = figure_versions()
    assert after[("王主席专班", 2026)] > figures[("王主席专班", 2026)]
    assert after[("王主席专班", 2027)] > figures[("王主席专班", 2027)]
    assert after[("刘部长专班", 2026)] == figures[("刘部长专班", 2026)]
    assert LogEntry.objects.count() == log + 1
    assert (
        LogEntry.objects.latest("id").object_repr
        == "工作簿导入“补录.xlsx”：科技工作者新建 1 条、更新 1 条；联系记录新建 2 条、更新 0 条"
    )
    # the page's counts: 2 scientists and 2 records checked, then written
    assert seen[-1]["checked"] == seen[-1]["total"] == 4
    assert seen[-1]["written"] == 4


def many_records(count: int, *, bad_last: bool) -> bytes:
    """`count` new calls to 王主席专班's assigned organisation on distinct summaries, and when bad_last a last row
    whose 地点 is longer than its 100 characters — a fault only the model's own check finds, after the rows
    before it were checked and sent to the writer."""
    rows = [[*RECORD_HEADER, "地点"]]
    for n in range(count):
        rows.append(
            [
                "2026-03-10",
                "王主席专班",
                "调查了解",
                "电话",
                "清源县科协",
                "wangzhuxi",
                "",
                "",
                f"第 {n} 次电话回访。",
                "",
                "",
            ]
        )
    if bad_last:
        rows.append(
            [
                "2026-03-11",
                "王主席专班",
                "调查了解",
                "",
                "清源县科协",
                "wangzhuxi",
                "",
                "",
                "走访。",
                "",
                "县" * 101,
            ]
        )
    return xlsx({"联系记录": rows})


def test_a_wrong_last_row_writes_nothing_though_the_first_batches_were_sent(plan, monkeypatch):
    """2,500 good rows (with batches of 2,000, a full batch goes to the writer while the check goes on) and a
    bad last row: the writer rolls back what it wrote, nothing is left."""
    monkeypatch.setattr(bulk, "BATCH", 2000)
    sent: list[int] = []
    send = bulk.Pipeline.send

    def counting(self, action, *args):
        if action == "records":
            sent.append(len(args[0]))
        return send(self, action, *args)

    monkeypatch.setattr(bulk.Pipeline, "send", counting)
    records, targets, demands = (
        ContactRecord.objects.count(),
        ContactTarget.objects.count(),
        Demand.objects.count(),
    )

    result = import_workbook(many_records(2500, bad_last=True))

    assert [(p.row, p.column) for p in result.problems] == [(2502, "地点")]
    assert sent == [2000]  # the first batch went; the last 500 never did, once the bad row was found
    assert (ContactRecord.objects.count(), ContactTarget.objects.count(), Demand.objects.count()) == (
        records,
        targets,
        demands,
    )


def test_the_same_rows_without_the_bad_one_are_all_written(plan):
    records = ContactRecord.objects.count()

    result = import_workbook(many_records(2500, bad_last=False))

    assert result.ok, [str(p) for p in result.problems]
    assert ContactRecord.objects.count() == records + 2500
    assert (
        ContactTarget.objects.filter(
            record__summary__startswith="第 ", organization__name="清源县科协"
        ).count()
        == 2500
    )


def test_a_key_saved_by_someone_else_while_the_writer_works_writes_nothing(plan):
    """As on the path without the thread: another user saves 陈明 of 辽川农科院 once every row is checked; the
    writer's insert of the same key fails and everything it wrote is rolled back."""
    records = ContactRecord.objects.count()

    def someone_else(counts: dict) -> None:
        checked_all = counts["total"] and counts["checked"] == counts["total"]
        if checked_all and not Scientist.objects.filter(name="陈明").exists():
            Scientist.objects.create(name="陈明", employer="辽川农科院", category=TalentCategory.OTHER)

    result = import_workbook(workbook(), progress=someone_else)

    assert [str(p) for p in result.problems] == [f"工作簿：{bulk.WRITE_CONFLICT}"]
    assert ContactRecord.objects.count() == records
    assert list(Scientist.objects.filter(name="陈明").values_list("category", flat=True)) == [
        TalentCategory.OTHER
    ]
    assert Scientist.objects.get(name="王伟", employer="辽川大学").post == "教授"
