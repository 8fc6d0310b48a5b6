"""The set-wise path of the import (reports/workbook/imports/bulk.py, issue 19 §5): a workbook of 科技工作者 and
new 联系记录 is checked whole and written in bulk, and leaves exactly what the per-row path leaves — the
derived columns (pinyin, version, the festival of a greeting), the participants, the target rows with their
flags, the demand and its 登记 step, the stored figures' bumps — worked out by hand below. The same workbook
with a header-only 专班 sheet goes the per-row way (bulk.fits), so both paths are checked against the same
expectations."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from liaison.models import (
    ContactRecord,
    ContactTarget,
    Demand,
    DemandAction,
    DemandKind,
    DemandStatus,
    PlannedContact,
    Staff,
    Team,
    TeamFigures,
)
from liaison.plan import services as plans
from orgs.models import Organization
from reports.workbook.imports import bulk, import_workbook
from tests.factories import UserFactory
from tests.reports.workbook.workbooks import RECORD_HEADER, SCIENTIST_HEADER, TEAM_HEADER, full_workbook, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """The plan of full_workbook (orgs, scientists, staff, the two 2026 teams and their targets), no records;
    and a 2027 team of the same lead, whose figures carry the 2026 demands over."""
    sheets = full_workbook()
    del sheets["联系记录"]
    assert import_workbook(xlsx(sheets)).ok
    wang = Staff.objects.get(user__username="wangzhuxi")
    plans.team_save(team=Team(year=plans.year_create(year=2027), name="王主席专班", lead=wang), members=[])


def workbook(*, row_by_row: bool = False, bad: bool = False) -> bytes:
    sheets = {
        "科技工作者": [
            SCIENTIST_HEADER,
            [
                "陈明",
                "男",
                "1988-07-01",
                "辽川农科院",
                "",
                "",
                "研究员",
                "作物学",
                "青年科技人才",
                "",
                "",
                "",
            ],
            # the 王伟 of 辽川大学 (full_workbook): 职务 changes
            ["王伟", "男", "1970/3/5", "辽川大学", "", "院长", "教授", "物理学", "知名专家", "", "", ""],
        ],
        "联系记录": [
            RECORD_HEADER,
            [
                "2026-03-10",
                "王主席专班",
                "调查了解",
                "登门拜访",
                "清源县科协、陈明",  # an assigned organisation; a scientist this workbook creates
                "zhaoganshi、wangzhuxi",
                "是",
                "了解困难",
                "到县里走访。",
                "希望解决试验用地",
            ],
            # no 慰问时机 column: the occasion follows from the date (春节 2026 is 17 February)
            ["2026-02-10", "王主席专班", "看望慰问", "电话", "李娜", "wangzhuxi", "", "", "春节慰问。", ""],
        ],
    }
    if bad:
        sheets["联系记录"].append(
            ["2026-05-01", "没有这个专班", "调查了解", "", "", "", "", "", "走访。", ""]
        )
    if row_by_row:
        sheets["专班"] = [TEAM_HEADER]  # a sheet the set-wise path does not take, with no rows
    return xlsx(sheets)


def derived() -> dict:
    """What the import wrote, as plain values (names instead of ids)."""
    records = ContactRecord.objects.order_by("date")
    return {
        "scientists": list(
            Scientist.objects.filter(employer__in=["辽川农科院", "辽川大学"])
            .order_by("name", "employer")
            .values_list("name", "employer", "post", "category", "name_pinyin", "name_initials", "version")
        ),
        "records": [
            (
                r.date,
                r.team.name,
                r.team.year.year,
                r.method,
                r.occasion,
                r.festival_date,
                r.grassroots,
                r.topics,
                r.summary,
                r.status,
                r.author.user.username,
                sorted(p.user.username for p in r.participants.all()),
                r.version,
            )
            for r in records
        ],
        "targets": list(
            ContactTarget.objects.order_by("date", "id").values_list(
                "record__summary",
                "team__name",
                "date",
                "counts",
                "assigned",
                "organization__name",
                "scientist__name",
            )
        ),
        "demands": list(
            Demand.objects.values_list(
                "record__summary", "kind", "text", "status", "raised_by_scientist__name", "version"
            )
        ),
        "actions": list(
            DemandAction.objects.values_list("demand__text", "kind", "status_after", "date", "by__username")
        ),
    }


def figure_versions() -> dict[tuple[str, int], int]:
    return {
        (f.team.name, f.team.year.year): f.version for f in TeamFigures.objects.select_related("team__year")
    }


def expected(wang_version: int) -> dict:
    """What workbook() writes, worked out by hand (derived's shape)."""
    today = timezone.localdate()
    return {
        "scientists": [
            ("王伟", "辽川大学", "院长", TalentCategory.RENOWNED, "wangwei", "ww", wang_version + 1),
            ("陈明", "辽川农科院", "", TalentCategory.YOUNG, "chenming", "cm", 1),
        ],
        "records": [
            (
                datetime.date(2026, 2, 10),
                "王主席专班",
                2026,
                "greeting",
                "spring_festival",
                datetime.date(2026, 2, 17),
                False,
                [],
                "春节慰问。",
                "done",
                "wangzhuxi",
                ["wangzhuxi"],
                1,
            ),
            (
                datetime.date(2026, 3, 10),
                "王主席专班",
                2026,
                "survey",
                "",
                None,
                True,
                ["difficulties"],
                "到县里走访。",
                "done",
                "zhaoganshi",  # 记录人: the first participant
                ["wangzhuxi", "zhaoganshi"],
                1,
            ),
        ],
        "targets": [
            # 李娜 and 清源县科协 are 王主席专班's targets (full_workbook's 联系对象, in force from 1 January)
            ("春节慰问。", "王主席专班", datetime.date(2026, 2, 10), True, True, None, "李娜"),
            ("到县里走访。", "王主席专班", datetime.date(2026, 3, 10), True, True, "清源县科协", None),
            ("到县里走访。", "王主席专班", datetime.date(2026, 3, 10), True, False, None, "陈明"),
        ],
        # 了解困难 → 困难诉求; raised by the record's one scientist, the one this workbook created
        "demands": [
            ("到县里走访。", DemandKind.DIFFICULTY, "希望解决试验用地", DemandStatus.PENDING, "陈明", 1)
        ],
        "actions": [("希望解决试验用地", "register", DemandStatus.PENDING, today, "importer")],
    }


@pytest.mark.parametrize("row_by_row", [False, True], ids=["set-wise", "row by row"])
def test_both_paths_write_the_same_rows_and_derived_data(plan, row_by_row):
    user = UserFactory(username="importer")
    wang_version = Scientist.objects.get(name="王伟", employer="辽川大学").version
    figures = figure_versions()
    log = LogEntry.objects.count()

    # planned contacts (工作计划) the imported records complete, as record_save would: within 7 days after
    # the record's date, or any day before it
    team = Team.objects.get(name="王主席专班", year__year=2026)
    county = Organization.objects.get(name="清源县科协")
    li_na = Scientist.objects.get(name="李娜")
    items = {
        "李娜 02-15": PlannedContact.objects.create(
            team=team, date=datetime.date(2026, 2, 15), method="greeting", scientist=li_na
        ),
        "清源 03-01": PlannedContact.objects.create(
            team=team, date=datetime.date(2026, 3, 1), method="survey", organization=county
        ),
        "清源 03-20": PlannedContact.objects.create(
            team=team, date=datetime.date(2026, 3, 20), method="survey", organization=county
        ),
    }

    log = LogEntry.objects.count()

    result = import_workbook(workbook(row_by_row=row_by_row), by=user, filename="补录.xlsx")

    assert result.ok, [str(p) for p in result.problems]
    states = {
        name: (item.status, item.record.summary if item.record else None, item.version)
        for name, item in (
            (name, PlannedContact.objects.select_related("record").get(pk=item.pk))
            for name, item in items.items()
        )
    }
    assert states == {
        "李娜 02-15": ("done", "春节慰问。", 2),
        "清源 03-01": ("done", "到县里走访。", 2),
        "清源 03-20": ("planned", None, 1),
    }
    counts = {name: (c.created, c.updated, c.unchanged) for name, c in result.sheets}
    assert counts["科技工作者"] == (1, 1, 0)
    assert counts["联系记录"] == (2, 0, 0)
    assert derived() == expected(wang_version)
    # the stored figures: 王主席专班 of 2026 (its records) and of 2027 (the demand carries over) must be
    # recomputed; 刘部长专班 had nothing
    after = figure_versions()
    assert after[("王主席专班", 2026)] > figures[("王主席专班", 2026)]
    assert after[("王主席专班", 2027)] > figures[("王主席专班", 2027)]
    assert after[("刘部长专班", 2026)] == figures[("刘部长专班", 2026)]
    if not row_by_row:
        # one audit entry for the whole import, by the importing user, naming the file and the counts
        assert LogEntry.objects.count() == log + 1
        entry = LogEntry.objects.latest("id")
        assert entry.actor == user
        assert (
            entry.object_repr
            == "工作簿导入“补录.xlsx”：科技工作者新建 1 条、更新 1 条；联系记录新建 2 条、更新 0 条"
        )
        assert entry.additional_data["import"]["counts"] == {"科技工作者": [1, 1], "联系记录": [2, 0]}
    else:
        assert LogEntry.objects.count() > log + 1  # the per-row path logs every saved row


def snapshot() -> dict:
    return {**derived(), "figures": figure_versions(), "log": LogEntry.objects.count()}


def test_the_dry_run_writes_nothing_and_counts_what_the_import_would(plan):
    before = snapshot()
    seen: list[dict] = []

    dry = import_workbook(workbook(), dry_run=True, progress=seen.append)

    assert dry.ok
    assert snapshot() == before
    assert seen[-1]["written"] == 0
    assert seen[-1]["checked"] == seen[-1]["total"] == 4  # 2 scientists, 2 records
    real = import_workbook(workbook())
    assert [(n, c.created, c.updated, c.unchanged) for n, c in dry.sheets] == [
        (n, c.created, c.updated, c.unchanged) for n, c in real.sheets
    ]
    # and again: nothing new (the records are found identical, the scientists unchanged)
    again = import_workbook(workbook())
    assert [(n, c.created, c.updated, c.unchanged) for n, c in again.sheets] == [
        ("科技工作者", 0, 0, 2),
        ("联系记录", 0, 0, 2),
    ]


def test_one_bad_row_writes_nothing_and_is_reported(plan):
    before = snapshot()

    result = import_workbook(workbook(bad=True))

    assert snapshot() == before
    assert [(p.sheet, p.row, p.column, p.reason) for p in result.problems] == [
        (
            "联系记录",
            4,
            "专班名称",
            "2026 年度没有名为“没有这个专班”的专班：系统中和本文件的“专班”工作表中都没有。",
        )
    ]
    # the dry run says the same
    dry = import_workbook(workbook(bad=True), dry_run=True)
    assert dry.problems == result.problems


def test_a_key_saved_by_someone_else_between_the_check_and_the_write_writes_nothing(plan):
    """Another user saves 陈明 of 辽川农科院 after the rows were checked (the progress callback runs at that
    moment) and before they are written: the database refuses the second one and the import writes nothing."""
    records = ContactRecord.objects.count()

    def someone_else(counts: dict) -> None:
        checked_all = counts["total"] and counts["checked"] == counts["total"]
        if checked_all and not Scientist.objects.filter(name="陈明").exists():
            Scientist.objects.create(name="陈明", employer="辽川农科院", category=TalentCategory.OTHER)

    result = import_workbook(workbook(), progress=someone_else)

    assert not result.ok
    assert [str(p) for p in result.problems] == [f"工作簿：{bulk.WRITE_CONFLICT}"]
    assert ContactRecord.objects.count() == records
    assert list(Scientist.objects.filter(name="陈明").values_list("category", flat=True)) == [
        TalentCategory.OTHER
    ]
    assert (
        Scientist.objects.get(name="王伟", employer="辽川大学").post == "教授"
    )  # the update not written either
