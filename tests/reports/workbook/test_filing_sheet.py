"""The 备案 sheet (docs/workbook.md): rows filed (已报备) per organisation and year through
liaison.filing.services.file_lines, officers found or created, every row error in Chinese with nothing
written, twice is once, dry runs, and the export that imports back unchanged.

Every workbook here is a real .xlsx built with openpyxl; nothing of our own code is mocked.
"""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from liaison.filing import services as filings
from liaison.models import (
    Filing,
    FilingAction,
    FilingEntry,
    FilingRevision,
    FilingStatus,
    FilingStep,
    Year,
)
from orgs.models import Officer, OfficerPost, Tenure
from reports.workbook import exports as tables
from reports.workbook.imports import import_workbook
from tests.factories import OfficerFactory, ScientistFactory, UserFactory
from tests.liaison.plan.factories import make_year, org
from tests.reports.workbook.workbooks import ORG_HEADER, SCIENTIST_HEADER, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["年度", "组织", "联系人", "职务", "任职方式", "科技工作者", "工作单位"]
SOCIETY = "辽川市机械工程学会"


@pytest.fixture
def world():
    """A year, a society with its chair 孙明 (任职方式 not yet known), and scientists: 李工, 赵工 and two
    namesakes 王伟 (甲单位, 乙单位)."""
    year = make_year(2026)
    society = org(name=SOCIETY)
    chair = OfficerFactory(organization=society, name="孙明", post=OfficerPost.CHAIR, tenure="", order=1)
    people = {
        "李工": ScientistFactory(name="李工", employer="辽川大学"),
        "赵工": ScientistFactory(name="赵工", employer="辽川机床厂"),
        "王伟甲": ScientistFactory(name="王伟", employer="甲单位"),
        "王伟乙": ScientistFactory(name="王伟", employer="乙单位"),
    }
    return {"year": year, "society": society, "chair": chair, **people}


def sheet(*rows: list, header: list | None = None) -> bytes:
    return xlsx({"备案": [header or HEADER, *rows]})


GOOD_ROWS = [
    [2026, SOCIETY, "孙明", "主席", "兼职", "李工", ""],
    ["2026", " 辽川市机械工程学会 ", " 周新 ", "秘书长", "任职", "王伟", "乙单位"],
    ["2026年", SOCIETY, "周新", "秘书长", "", "赵工", None],
]


def lines(revision: FilingRevision) -> set[tuple]:
    return set(
        revision.entries.values_list("officer__name", "officer_name", "post", "tenure", "scientist__employer")
    )


def state() -> dict[str, list]:
    """Everything the sheet can write, with the versions a write would bump."""
    return {
        "filings": list(Filing.objects.order_by("id").values_list("id", "version", "in_force_id")),
        "revisions": list(FilingRevision.objects.order_by("id").values_list("id", "number", "status")),
        "entries": list(FilingEntry.objects.order_by("id").values_list("id", "officer_id", "scientist_id")),
        "steps": list(FilingStep.objects.order_by("id").values_list("id", "action")),
        "officers": list(Officer.objects.order_by("id").values_list("id", "name", "post", "tenure", "order")),
        "log": [LogEntry.objects.count()],
    }


# --- what good rows write -------------------------------------------------------------------------------


def test_rows_are_filed_for_the_organisation_and_year(world):
    by = UserFactory(username="office")
    # columns in another order, with one the format does not know (ignored)
    order = [6, 5, 0, 1, 2, 3, 4]
    header = [HEADER[i] for i in order] + ["备注"]
    rows = [[row[i] for i in order] + ["随便写点什么"] for row in GOOD_ROWS]
    result = import_workbook(sheet(*rows, header=header), by=by)

    assert result.ok, [str(p) for p in result.problems]
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 3, 0, 0)]
    assert dict(result.side_effects) == {"组织负责人": 1, "备案版本（已报备）": 1}

    # the existing chair is matched by name and post, and takes the 任职方式 given
    world["chair"].refresh_from_db()
    assert world["chair"].tenure == Tenure.CONCURRENT
    # 周新 is new: created with the post and 任职方式 of the first row naming him, after the chair
    zhou = Officer.objects.get(organization=world["society"], name="周新")
    assert (zhou.post, zhou.tenure, zhou.order) == (OfficerPost.SECRETARY_GENERAL, Tenure.APPOINTED, 2)
    assert Officer.objects.filter(organization=world["society"]).count() == 2

    filing = Filing.objects.get()
    assert (filing.organization, filing.year) == (world["society"], world["year"])
    revision = filing.in_force
    assert (revision.number, revision.status, revision.filed_by, revision.on_behalf) == (
        1,
        FilingStatus.FILED,
        by,
        False,
    )
    assert lines(revision) == {
        ("孙明", "孙明", OfficerPost.CHAIR, Tenure.CONCURRENT, "辽川大学"),
        ("周新", "周新", OfficerPost.SECRETARY_GENERAL, Tenure.APPOINTED, "乙单位"),
        ("周新", "周新", OfficerPost.SECRETARY_GENERAL, Tenure.APPOINTED, "辽川机床厂"),
    }
    assert list(filing.steps.values_list("revision_number", "action", "by")) == [
        (1, FilingAction.CREATE, by.pk),
        (1, FilingAction.IMPORT, by.pk),
    ]


def test_importing_the_same_workbook_twice_changes_nothing(world):
    assert import_workbook(sheet(*GOOD_ROWS)).ok
    before = state()

    again = import_workbook(sheet(*GOOD_ROWS))

    assert again.ok
    assert [(name, c.created, c.updated, c.unchanged) for name, c in again.sheets] == [("备案", 0, 0, 3)]
    assert dict(again.side_effects) == {}
    assert state() == before


def test_new_lines_are_filed_on_top_of_the_division_in_force(world):
    office = UserFactory(username="office")
    filing = filings.filing_for(world["society"], world["year"], office)
    draft = filings.open_draft(filing, office)
    filings.add_line(draft, filings.Line(world["chair"], world["李工"]))
    filings.confirm_revision(filings.file_revision(draft, office), office)

    result = import_workbook(sheet(GOOD_ROWS[0], GOOD_ROWS[2]), by=office)

    assert result.ok, [str(p) for p in result.problems]
    # the chair's line was in force already: the row only gave his 任职方式, an update
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 1, 1, 0)]
    filing.refresh_from_db()
    assert (filing.in_force.number, filing.in_force.status) == (2, FilingStatus.FILED)
    assert lines(filing.in_force) == {
        ("孙明", "孙明", OfficerPost.CHAIR, Tenure.CONCURRENT, "辽川大学"),
        ("周新", "周新", OfficerPost.SECRETARY_GENERAL, "", "辽川机床厂"),
    }
    # the confirmed revision is kept as it was
    first = filing.revisions.get(number=1)
    assert first.status == FilingStatus.CONFIRMED
    assert lines(first) == {("孙明", "孙明", OfficerPost.CHAIR, "", "辽川大学")}


def test_an_officer_listed_under_another_post_takes_the_rows_post(world):
    result = import_workbook(sheet([2026, SOCIETY, "孙明", "秘书长", "", "李工", ""]))

    assert result.ok, [str(p) for p in result.problems]
    world["chair"].refresh_from_db()
    assert world["chair"].post == OfficerPost.SECRETARY_GENERAL
    assert Officer.objects.filter(organization=world["society"]).count() == 1


def test_other_posts_of_the_officer_list_are_accepted(world):
    result = import_workbook(sheet([2026, SOCIETY, "钱副", "副秘书长", "挂职", "李工", ""]))

    assert result.ok, [str(p) for p in result.problems]
    officer = Officer.objects.get(name="钱副")
    assert (officer.post, officer.tenure) == (OfficerPost.DEPUTY_SECRETARY_GENERAL, Tenure.SECONDED)


def test_a_later_sheet_may_name_what_earlier_sheets_of_the_workbook_create(world):
    workbook = {
        "组织": [ORG_HEADER, ["辽川市新材料学会", "市级学会", "", "", "", "", "", ""]],
        "科技工作者": [
            SCIENTIST_HEADER,
            ["孟新", "女", "", "辽川新材料研究院", "", "", "", "", "青年科技人才", "", "", ""],
        ],
        "联系定额": [["年度", "专班类型", "项目", "最少"], [2031, "领导专班", "下基层", 10]],
        "备案": [HEADER, [2031, "辽川市新材料学会", "冯会长", "主席", "", "孟新", ""]],
    }
    result = import_workbook(xlsx(workbook))

    assert result.ok, [str(p) for p in result.problems]
    filing = Filing.objects.get(year__year=2031)
    assert filing.organization.name == "辽川市新材料学会"
    assert lines(filing.in_force) == {("冯会长", "冯会长", OfficerPost.CHAIR, "", "辽川新材料研究院")}


def test_a_dry_run_reports_the_counts_and_writes_nothing(world):
    before = state()

    result = import_workbook(sheet(*GOOD_ROWS), dry_run=True)

    assert result.ok
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 3, 0, 0)]
    assert dict(result.side_effects) == {"组织负责人": 1, "备案版本（已报备）": 1}
    assert "检查通过，未写入" in result.summary()
    assert state() == before


# --- row errors: all or nothing -------------------------------------------------------------------------

POST_ERROR = "职务应为以下之一：主席 · 专职副主席 · 兼职副主席 · 秘书长 · 副秘书长 · 其他。"


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (
            [2026, "不存在的学会", "孙明", "主席", "", "李工", ""],
            "组织",
            "不存在的学会",
            "未知的组织“不存在的学会”：系统中和本文件的“组织”工作表中都没有。",
        ),
        (
            [2026, SOCIETY, "孙明", "主席", "", "钱无名", ""],
            "科技工作者",
            "钱无名",
            "未知的科技工作者“钱无名”：系统中和本文件的“科技工作者”工作表中都没有。",
        ),
        (
            [2026, SOCIETY, "孙明", "主席", "", "王伟", ""],
            "科技工作者",
            "王伟",
            "有 2 名科技工作者叫“王伟”（乙单位、甲单位），请在“工作单位”列写明工作单位。",
        ),
        (
            [2026, SOCIETY, "孙明", "主席", "", "王伟", "丙单位"],
            "科技工作者",
            "王伟",
            "未知的科技工作者“王伟”（工作单位“丙单位”）：系统中和本文件中都没有。",
        ),
        ([2026, SOCIETY, "孙明", "部长", "", "李工", ""], "职务", "部长", POST_ERROR),
        (
            [2026, SOCIETY, "孙明", "主席", "借调", "李工", ""],
            "任职方式",
            "借调",
            "任职方式应为以下之一：任职 · 兼职 · 挂职，或留空。",
        ),
        ([2026, SOCIETY, "", "主席", "", "李工", ""], "联系人", "", "必填，不能为空。"),
        ([2026, SOCIETY, "孙明", "", "", "李工", ""], "职务", "", "必填，不能为空。"),
        ([2026, SOCIETY, "孙明", "主席", "", "  ", ""], "科技工作者", "", "必填，不能为空。"),
        ([None, SOCIETY, "孙明", "主席", "", "李工", ""], "年度", "", "必填，不能为空。"),
        ([2026, "", "孙明", "主席", "", "李工", ""], "组织", "", "必填，不能为空。"),
        (
            [2031, SOCIETY, "孙明", "主席", "", "李工", ""],
            "年度",
            "2031",
            "系统中没有 2031 年度：请先建立该年度（或在本文件的“专班”“联系定额”工作表中写上它）。",
        ),
        (
            ["明年", SOCIETY, "孙明", "主席", "", "李工", ""],
            "年度",
            "明年",
            "年度应为 2000 到 2100 之间的四位数字，如 2026。",
        ),
    ],
)
def test_a_bad_row_is_reported_in_chinese_and_nothing_is_written(world, row, column, value, reason):
    before = state()

    result = import_workbook(sheet(GOOD_ROWS[1], row))  # a good row first: it is not written either

    assert [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems] == [
        ("备案", 3, column, value, reason)
    ]
    assert "未写入任何数据" in result.summary()
    assert state() == before


def test_the_same_line_twice_is_reported(world):
    result = import_workbook(sheet(GOOD_ROWS[0], [2026, SOCIETY, "孙明", "主席", "任职", "李工", "辽川大学"]))

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "科技工作者", "与第 2 行重复：同一联系分工只能出现一次。")
    ]


def test_one_officer_with_two_posts_or_two_tenures_in_one_file_is_reported(world):
    result = import_workbook(
        sheet(
            [2026, SOCIETY, "周新", "秘书长", "任职", "李工", ""],
            [2026, SOCIETY, "周新", "主席", "", "赵工", ""],
            [2026, SOCIETY, "周新", "秘书长", "挂职", "赵工", ""],
        )
    )

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "职务", "与第 2 行矛盾：那一行中“周新”的职务是“秘书长”；同一位负责人在一个组织只有一个职务。"),
        (4, "任职方式", "与第 2 行矛盾：那一行中“周新”的任职方式是“任职”。"),
    ]
    assert not Officer.objects.filter(name="周新").exists()


def test_namesake_officers_need_the_post_of_one_of_them(world):
    OfficerFactory(organization=world["society"], name="孙明", post=OfficerPost.SECRETARY_GENERAL)

    result = import_workbook(sheet([2026, SOCIETY, "孙明", "其他", "", "李工", ""]))

    assert [(p.column, p.reason) for p in result.problems] == [
        (
            "职务",
            f"“{SOCIETY}”有 2 位负责人叫“孙明”（主席、秘书长），没有一位是这一职务：请写明其中一位的职务。",
        )
    ]


def test_a_sheet_without_a_required_column_is_refused(world):
    header = [h for h in HEADER if h != "科技工作者"]
    result = import_workbook(sheet([2026, SOCIETY, "孙明", "主席", "", ""], header=header))

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (1, "科技工作者", "缺少必填列“科技工作者”：第 1 行须是列名。")
    ]


# --- export: one row per line in force, and back -------------------------------------------------------


def export(year: Year) -> list[tuple]:
    buffer = io.BytesIO()
    tables.write_workbook([tables.filing_table(year)], buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["备案"]
    return list(workbook["备案"].values)


def test_the_export_lists_the_lines_in_force_and_imports_back_unchanged(world):
    office = UserFactory(username="office")
    year, society, chair = world["year"], world["society"], world["chair"]
    chair.tenure = Tenure.APPOINTED
    chair.save()
    secretary = OfficerFactory(organization=society, name="周新", post=OfficerPost.SECRETARY_GENERAL, order=2)
    # the society: confirmed, then revised and filed again (revision 2 in force)
    filing = filings.filing_for(society, year, office)
    draft = filings.open_draft(filing, office)
    filings.add_line(draft, filings.Line(chair, world["李工"]))
    filings.confirm_revision(filings.file_revision(draft, office), office)
    draft = filings.open_draft(filing, office)
    filings.add_line(draft, filings.Line(secretary, world["王伟乙"]))
    proposal = filings.propose_scientist(society, office, name="韩新", employer="辽川农科院")
    filings.add_line(draft, filings.Line(secretary, proposal=proposal))  # pending: no registry name yet
    filings.file_revision(draft, office)
    # a university association: filed, with a line sent back in a later draft (not in force)
    university = org(kind="university", name="辽川大学科协")
    dean = OfficerFactory(organization=university, name="吴院长", post=OfficerPost.FULLTIME_VICE_CHAIR)
    filings.file_lines(university, year, [filings.Line(dean, world["赵工"])], office)
    revision = filings.file_lines(university, year, [filings.Line(dean, world["王伟甲"])], office)
    filings.send_back(revision, office, "王伟不在本单位，请核实")
    # a draft only: nothing in force, nothing exported
    village = org(kind="village", name="石岭村科协")
    draft = filings.open_draft(filings.filing_for(village, year, office), office)
    filings.add_line(draft, filings.Line(OfficerFactory(organization=village, name="钱书记"), world["李工"]))

    rows = export(year)

    assert rows == [
        tuple(HEADER),
        (2026, "辽川大学科协", "吴院长", "专职副主席", None, "赵工", "辽川机床厂"),
        (2026, SOCIETY, "孙明", "主席", "任职", "李工", "辽川大学"),
        (2026, SOCIETY, "周新", "秘书长", None, "王伟", "乙单位"),
    ]

    before = state()
    buffer = io.BytesIO()
    tables.write_workbook([tables.filing_table(year)], buffer)
    result = import_workbook(buffer.getvalue(), by=office)
    assert result.ok, [str(p) for p in result.problems]
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 0, 0, 3)]
    assert state() == before


def test_the_export_writes_officers_as_the_list_holds_them_now(world):
    """An officer renamed or given another post after filing is exported as they are now, so that the file
    imports back as the same officer; one removed from the list as the line was filed."""
    office = UserFactory(username="office")
    year, society, chair = world["year"], world["society"], world["chair"]
    gone = OfficerFactory(organization=society, name="郑离", post=OfficerPost.OTHER)
    filings.file_lines(
        society, year, [filings.Line(chair, world["李工"]), filings.Line(gone, world["赵工"])], office
    )
    chair.post, chair.tenure = OfficerPost.PARTTIME_VICE_CHAIR, Tenure.SECONDED
    chair.save()
    gone.delete()

    rows = export(year)

    assert rows[1:] == [
        (2026, SOCIETY, "孙明", "兼职副主席", "挂职", "李工", "辽川大学"),
        (2026, SOCIETY, "郑离", "其他", None, "赵工", "辽川机床厂"),
    ]
    before = state()
    buffer = io.BytesIO()
    tables.write_workbook([tables.filing_table(year)], buffer)
    result = import_workbook(buffer.getvalue())
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 0, 0, 2)]
    assert state() == before


def test_a_proposal_resolved_to_a_scientist_is_that_scientists_line(world):
    """file_lines matches a line as add_line does: an officer → scientist line that came from a proposal
    since confirmed is the same line, so importing it files nothing new."""
    office = UserFactory(username="office")
    year, society, chair = world["year"], world["society"], world["chair"]
    proposal = filings.propose_scientist(society, office, name="韩新", employer="辽川农科院")
    filings.file_lines(society, year, [filings.Line(chair, proposal=proposal)], office)
    filings.confirm_proposal(proposal, office)
    before = state()

    result = import_workbook(sheet([2026, SOCIETY, "孙明", "主席", "", "韩新", "辽川农科院"]))

    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [("备案", 0, 0, 1)]
    assert state() == before


def test_the_office_downloads_the_sheet_with_a_bounded_number_of_queries(world, liaison_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = UserFactory(username="office")
    filings.file_lines(world["society"], world["year"], [filings.Line(world["chair"], world["李工"])], office)

    def download() -> tuple[int, list[tuple]]:
        with CaptureQueriesContext(connection) as queries:
            response = liaison_client.get("/reports/io/export/2026/filings.xlsx")
            data = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert "filename*=utf-8''2026" in response["Content-Disposition"]
        return len(queries), list(load_workbook(io.BytesIO(data))["备案"].values)

    few, rows = download()
    assert rows == [tuple(HEADER), (2026, SOCIETY, "孙明", "主席", None, "李工", "辽川大学")]
    for i in range(20):
        society = org(name=f"第{i}研究会")
        officer = OfficerFactory(organization=society, name=f"会长{i}")
        filings.file_lines(society, world["year"], [filings.Line(officer, world["赵工"])], office)
    many, rows = download()
    assert len(rows) == 22
    assert many == few
