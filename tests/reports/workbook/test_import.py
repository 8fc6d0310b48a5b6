"""The workbook import (docs/workbook.md): what it writes, all or nothing, twice is once, dry runs, messages.

Every workbook here is a real .xlsx built with openpyxl; nothing of our own code is mocked.
"""

from __future__ import annotations

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from common.phones import PHONE_ERROR
from experts.models import FourHeads, Scientist
from liaison.models import (
    Assignment,
    ContactRecord,
    Demand,
    DemandKind,
    Department,
    Position,
    Staff,
    Team,
    Year,
    YearStatus,
)
from liaison.plan import services as plans
from orgs.models import Organization, OrgKind
from reports.workbook.imports import import_workbook
from reports.workbook.imports.cells import DATE_ERROR
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, UserFactory
from tests.reports.workbook.workbooks import (
    ASSIGNMENT_HEADER,
    ORG_HEADER,
    RECORD_HEADER,
    SCIENTIST_HEADER,
    STAFF_HEADER,
    TEAM_HEADER,
    full_workbook,
    xlsx,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def snapshot() -> dict[str, list]:
    """Everything an import can write, as plain values (ids left out where they would differ)."""
    return {
        "orgs": list(
            Organization.objects.order_by("name").values_list(
                "name",
                "kind",
                "parent__name",
                "county__name",
                "address",
                "contact_person",
                "contact_phone",
                "notes",
            )
        ),
        "scientists": list(
            Scientist.objects.order_by("name", "employer").values_list(
                "name",
                "employer",
                "gender",
                "birth_date",
                "organization__name",
                "category",
                "mobile",
                "email",
            )
        ),
        "users": list(User.objects.order_by("username").values_list("username", "password")),
        "staff": list(
            Staff.objects.order_by("user__username").values_list(
                "user__username", "name", "department__name", "position", "title", "phone"
            )
        ),
        "departments": list(Department.objects.order_by("name").values_list("name", "order")),
        "years": list(Year.objects.values_list("year", "status")),
        "teams": list(Team.objects.order_by("name").values_list("year__year", "name", "kind", "lead__name")),
        "members": sorted(Team.members.through.objects.values_list("team__name", "staff__name")),
        "assignments": list(
            Assignment.objects.order_by("id").values_list(
                "team__name", "organization__name", "scientist__name", "category", "end_date"
            )
        ),
        "records": list(
            ContactRecord.objects.order_by("id").values_list(
                "team__name", "date", "method", "channel", "grassroots", "topics", "summary", "author__name"
            )
        ),
        "demands": list(
            Demand.objects.order_by("id").values_list("record__summary", "kind", "text", "status")
        ),
        "log": [LogEntry.objects.count()],
    }


# --- what a good workbook writes ------------------------------------------------------------------------


def test_a_full_workbook_writes_every_sheet_through_the_services():
    result = import_workbook(xlsx(full_workbook()))

    assert result.ok, [str(p) for p in result.problems]
    assert [(name, c.created, c.updated, c.unchanged) for name, c in result.sheets] == [
        ("组织", 4, 0, 0),
        ("科技工作者", 3, 0, 0),
        ("干部", 3, 0, 0),
        ("专班", 2, 0, 0),
        ("联系对象", 4, 0, 0),
        ("联系记录", 2, 0, 0),
    ]
    assert dict(result.side_effects) == {"部室": 1, "年度": 1}

    # 组织: a child row before its parent still imports; short labels and full-width brackets are read.
    town = Organization.objects.get(name="红旗镇科协")
    assert town.kind == OrgKind.TOWNSHIP
    assert town.parent.name == "清源县科协"
    assert town.county.name == "清源县科协"  # derived from the parent
    assert town.contact_phone == "024-23456789"
    assert (
        Organization.objects.get(name="清源县食用菌技术协会").county.name == "清源县科协"
    )  # "清源县" → 清源县科协
    assert Organization.objects.get(name="辽川市机械工程学会").kind == OrgKind.SOCIETY

    # 科技工作者: namesakes told apart by employer; dates as text; phones normalised.
    doctor = Scientist.objects.get(name="王伟", employer="清源县人民医院")
    assert doctor.birth_date == datetime.date(1985, 6, 1)
    assert doctor.organization.name == "清源县科协"
    professor = Scientist.objects.get(name="王伟", employer="辽川大学")
    assert professor.mobile == "13912345678"
    assert professor.birth_date == datetime.date(1970, 3, 5)

    # 干部: a new person gets an account that cannot log in; 部室 created; leaders need no 部室.
    liu = Staff.objects.get(user__username="liubuzhang")
    assert not liu.user.has_usable_password()
    assert liu.department.name == "科普部"
    assert liu.position == Position.DEPARTMENT_HEAD
    assert Staff.objects.get(user__username="wangzhuxi").department is None

    # 专班 and 联系对象 through liaison.plans: an unknown year is created with its quota rules.
    year = Year.objects.get(year=2026)
    assert year.quota_rules.exists()
    team = Team.objects.get(year=year, name="王主席专班")
    assert {m.user.username for m in team.members.all()} == {"liubuzhang", "zhaoganshi"}
    assert team.assignments.count() == 3
    assert team.assignments.get(scientist__name="李娜").category == "expert"
    assert not team.assignments.get(scientist__name="李娜").category_overridden
    assert team.assignments.get(organization__name="清源县科协").category == "district"

    # 联系记录 through liaison.contacts, with a demand for 反映问题.
    record = ContactRecord.objects.get(team=team)
    assert record.date == datetime.date(2026, 3, 5)
    assert record.grassroots
    assert record.topics == ["policy", "difficulties"]
    assert {t.target_name for t in record.targets.all()} == {"清源县科协", "王伟"}
    assert record.targets.get(scientist__isnull=False).scientist == professor
    assert record.targets.get(organization__isnull=False).assigned  # an assigned target that day
    assert record.author.user.username == "wangzhuxi"  # 记录人: the first participant
    assert {p.user.username for p in record.participants.all()} == {"wangzhuxi", "zhaoganshi"}
    demand = record.demands.get()
    assert demand.text == "希望支持建设科普馆"
    assert demand.kind == DemandKind.DIFFICULTY  # 联系内容 includes 了解困难
    assert demand.actions.filter(kind="register").exists()
    other = ContactRecord.objects.get(team__name="刘部长专班")
    assert not other.grassroots  # empty 下基层 is 否
    assert not other.demands.exists()


def test_importing_the_same_workbook_twice_changes_nothing():
    data = xlsx(full_workbook())
    assert import_workbook(data).ok
    before = snapshot()

    again = import_workbook(data)

    assert again.ok
    assert [(c.created, c.updated) for _name, c in again.sheets] == [(0, 0)] * 6
    assert [c.unchanged for _name, c in again.sheets] == [4, 3, 3, 2, 4, 2]
    assert snapshot() == before  # not even an audit-log entry: unchanged rows are not saved


def test_a_dry_run_writes_nothing_and_says_what_it_would_do():
    before = snapshot()

    result = import_workbook(xlsx(full_workbook()), dry_run=True)

    assert result.ok
    assert result.dry_run
    assert not result.written
    assert [c.created for _name, c in result.sheets] == [4, 3, 3, 2, 4, 2]
    assert snapshot() == before
    assert "未写入" in result.summary()


def test_a_dry_run_counts_updates():
    assert import_workbook(xlsx(full_workbook())).ok
    changed = full_workbook()
    changed["组织"][2][4] = "清源县人民路2号"  # 清源县科协 moved
    changed["科技工作者"][3][8] = "知名专家"  # 李娜 recategorised

    result = import_workbook(xlsx(changed), dry_run=True)

    counts = dict(result.sheets)
    assert (counts["组织"].updated, counts["组织"].unchanged) == (1, 3)
    assert (counts["科技工作者"].updated, counts["科技工作者"].unchanged) == (1, 2)
    assert Organization.objects.get(name="清源县科协").address == "清源县人民路1号"


def test_an_update_changes_only_what_differs():
    assert import_workbook(xlsx(full_workbook())).ok
    changed = full_workbook()
    changed["组织"][2][4] = "清源县人民路2号"
    changed["专班"][1][4] = "zhaoganshi"  # liubuzhang leaves the leader's team
    changed["联系对象"][4][5] = "企业(园区)科协"  # counted under another category

    result = import_workbook(xlsx(changed))

    assert result.ok
    counts = dict(result.sheets)
    assert (counts["组织"].updated, counts["专班"].updated, counts["联系对象"].updated) == (1, 1, 1)
    assert Organization.objects.get(name="清源县科协").address == "清源县人民路2号"
    team = Team.objects.get(name="王主席专班")
    assert [m.user.username for m in team.members.all()] == ["zhaoganshi"]
    moved = Assignment.objects.get(organization__name="辽川市机械工程学会")
    assert moved.category == "enterprise"
    assert moved.category_overridden


def test_a_sheet_without_an_optional_column_leaves_that_field_alone():
    """An export without 手机/邮箱 (made for someone who may not see them) imports without wiping them."""
    assert import_workbook(xlsx(full_workbook())).ok
    header = [h for h in SCIENTIST_HEADER if h not in ("手机", "邮箱")]
    rows = [["王伟", "男", "1970-03-05", "辽川大学", "", "教授", "教授", "物理学", "知名专家", ""]]

    result = import_workbook(xlsx({"科技工作者": [header, *rows]}))

    assert result.ok
    assert dict(result.sheets)["科技工作者"].unchanged == 1
    assert Scientist.objects.get(name="王伟", employer="辽川大学").mobile == "13912345678"


def test_columns_in_any_order_unknown_columns_ignored_spaces_trimmed():
    header = ["  类别 ", "备用列", "名称*", "地址"]
    rows = [["  区县（市）科协 ", "随便写", " 和平区科协  ", "  和平区中山路1号 "]]

    result = import_workbook(xlsx({"组织": [header, *rows], "说明": [["这张表不导入"]]}))

    assert result.ok, [str(p) for p in result.problems]
    org = Organization.objects.get(name="和平区科协")
    assert (org.kind, org.address) == (OrgKind.DISTRICT, "和平区中山路1号")
    assert result.ignored_sheets == ["说明"]


def test_real_excel_dates_numbers_and_yes_no_cells():
    StaffFactory(
        user=UserFactory(username="lead"), name="王领导", department=None, position=Position.LEADERSHIP
    )
    OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)
    plans.team_save(team=Team(year=plans.year_create(year=2026), lead=Staff.objects.get()), members=[])
    data = xlsx(
        {
            "科技工作者": [
                SCIENTIST_HEADER,
                [
                    "张三",
                    "男",
                    datetime.datetime(1968, 5, 30),  # noqa: DTZ001 (Excel dates have no zone)
                    "辽川大学",
                    "",
                    "",
                    "",
                    "",
                    "优秀专家",
                    13812345678,
                    "",
                    "",
                ],
            ],
            "联系记录": [
                RECORD_HEADER,
                [
                    datetime.date(2026, 5, 30),
                    "王领导专班",
                    "看望慰问",
                    "电话",
                    "张三",
                    "lead",
                    True,
                    "",
                    "节日问候",
                    "",
                ],
            ],
        }
    )
    data_with_occasion = xlsx(
        {
            "科技工作者": [
                SCIENTIST_HEADER,
                [
                    "张三",
                    "男",
                    datetime.datetime(1968, 5, 30),  # noqa: DTZ001 (Excel dates have no zone)
                    "辽川大学",
                    "",
                    "",
                    "",
                    "",
                    "优秀专家",
                    13812345678,
                    "",
                    "",
                ],
            ],
            "联系记录": [
                [*RECORD_HEADER, "慰问时机"],
                [
                    datetime.date(2026, 5, 30),
                    "王领导专班",
                    "看望慰问",
                    "电话",
                    "张三",
                    "lead",
                    True,
                    "",
                    "节日问候",
                    "",
                    "全国科技工作者日",
                ],
            ],
        }
    )

    missing = import_workbook(data)
    result = import_workbook(data_with_occasion)

    # Without a 慰问时机 column the occasion comes from the date (30 May: 全国科技工作者日), so the same row
    # with the column names the same record and adds nothing.
    assert missing.ok, [str(p) for p in missing.problems]
    assert ContactRecord.objects.get().occasion == "workers_day"
    assert result.ok, [str(p) for p in result.problems]
    scientist = Scientist.objects.get(name="张三")
    assert scientist.birth_date == datetime.date(1968, 5, 30)
    assert scientist.mobile == "13812345678"
    record = ContactRecord.objects.get()
    assert (record.date, record.occasion, record.grassroots) == (
        datetime.date(2026, 5, 30),
        "workers_day",
        True,
    )


def test_our_added_columns_are_read_when_present():
    OrganizationFactory(name="清源县科协", kind=OrgKind.DISTRICT)
    header = [*SCIENTIST_HEADER, "四长", "农历生日"]
    row = [
        "赵站长",
        "男",
        "1970-01-01",
        "清源县农技站",
        "清源县科协",
        "站长",
        "高级农艺师",
        "",
        "基层一线科技工作者",
        "",
        "",
        "",
        "农技站站长",
        "是",
    ]
    staff_header = [*STAFF_HEADER, "排序"]

    result = import_workbook(
        xlsx(
            {
                "科技工作者": [header, row],
                "干部": [staff_header, ["王领导", "wang", "", "主席", "领导班子成员", "", 1]],
            }
        )
    )

    assert result.ok, [str(p) for p in result.problems]
    scientist = Scientist.objects.get(name="赵站长")
    assert scientist.four_heads == FourHeads.AGRI_STATION
    assert scientist.birthday_lunar
    assert Staff.objects.get(user__username="wang").order == 1


def test_an_existing_account_without_a_staff_record_is_attached():
    user = UserFactory(username="Zhang")
    result = import_workbook(xlsx({"干部": [STAFF_HEADER, ["张三", "zhang", "办公室", "", "工作人员", ""]]}))
    assert result.ok
    assert Staff.objects.get().user == user
    assert user.has_usable_password()  # an account that could log in keeps its password


def test_identical_records_are_matched_on_all_their_columns():
    assert import_workbook(xlsx(full_workbook())).ok
    changed = full_workbook()
    changed["联系记录"][2][8] = "座谈会，另一次。"  # a different summary is a different record

    result = import_workbook(xlsx(changed))

    assert result.ok
    counts = dict(result.sheets)["联系记录"]
    assert (counts.created, counts.unchanged) == (1, 1)
    assert ContactRecord.objects.count() == 3


def test_demand_kind_follows_the_topics_or_the_column():
    assert import_workbook(xlsx(full_workbook())).ok
    rows = [
        [*RECORD_HEADER, "诉求类别"],
        [
            "2026-05-01",
            "王主席专班",
            "开展座谈",
            "",
            "李娜",
            "",
            "",
            "建言献策",
            "座谈一",
            "建议设立院士工作站",
            "",
        ],
        [
            "2026-05-02",
            "王主席专班",
            "开展座谈",
            "",
            "李娜",
            "",
            "",
            "科研合作",
            "座谈二",
            "希望对接企业",
            "",
        ],
        ["2026-05-03", "王主席专班", "开展座谈", "", "李娜", "", "", "", "座谈三", "反映住房问题", ""],
        [
            "2026-05-04",
            "王主席专班",
            "开展座谈",
            "",
            "李娜",
            "",
            "",
            "建言献策",
            "座谈四",
            "推荐参评奖项",
            "举荐表彰",
        ],
    ]

    assert import_workbook(xlsx({"联系记录": rows})).ok

    kinds = dict(Demand.objects.values_list("record__summary", "kind"))
    assert kinds["座谈一"] == DemandKind.SUGGESTION
    assert kinds["座谈二"] == DemandKind.COOPERATION
    assert kinds["座谈三"] == DemandKind.DIFFICULTY
    assert kinds["座谈四"] == DemandKind.COMMENDATION
    assert Demand.objects.get(record__summary="座谈一").raised_by_scientist.name == "李娜"
    # 参加人员 left empty: the team's lead went, and is the record's 记录人.
    assert ContactRecord.objects.get(summary="座谈一").author.user.username == "wangzhuxi"


# --- all or nothing and every error class ---------------------------------------------------------------


def problems_of(sheets: dict[str, list[list]]) -> list[tuple]:
    before = snapshot()
    result = import_workbook(xlsx(sheets))
    assert snapshot() == before, "an invalid workbook must write nothing at all"
    assert not result.ok
    return [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]


def test_one_bad_row_writes_nothing_at_all():
    bad = full_workbook()
    bad["联系记录"][2][1] = "没有这个专班"

    assert problems_of(bad) == [
        (
            "联系记录",
            3,
            "专班名称",
            "没有这个专班",
            "2026 年度没有名为“没有这个专班”的专班：系统中和本文件的“专班”工作表中都没有。",
        )
    ]
    assert not Organization.objects.exists()


def test_missing_required_column():
    assert problems_of({"组织": [["名称", "地址"], ["和平区科协", ""]]}) == [
        ("组织", 1, "类别", "", "缺少必填列“类别”：第 1 行须是列名。")
    ]


def test_a_repeated_column():
    assert problems_of({"组织": [["名称", "类别", "名称"], ["和平区科协", "区县科协", "x"]]}) == [
        ("组织", 1, "名称", "", "列“名称”出现了不止一次，请删去多余的一列。")
    ]


def test_required_cell_empty():
    assert problems_of({"组织": [ORG_HEADER, ["", "区县科协", "", "", "", "", "", ""]]}) == [
        ("组织", 2, "名称", "", "必填，不能为空。")
    ]


def test_bad_category():
    assert problems_of({"组织": [ORG_HEADER, ["某某协会", "协会", "", "", "", "", "", ""]]}) == [
        (
            "组织",
            2,
            "类别",
            "协会",
            "类别应为以下之一：区县(市)科协 · 兼职副主席单位 · 市级学会(协会、研究会) · 企业(园区)科协 · "
            "高校院所科协 · 农技协 · 乡镇(街道)科协 · 村(社区)科协 · 其他（括号部分可省略，如“区县科协”）。",
        )
    ]


def test_unknown_parent_organisation():
    assert problems_of(
        {"组织": [ORG_HEADER, ["红旗镇科协", "乡镇科协", "清源县科协", "", "", "", "", ""]]}
    ) == [
        (
            "组织",
            2,
            "上级组织",
            "清源县科协",
            "未知的组织“清源县科协”：系统中和本文件的“组织”工作表中都没有。",
        )
    ]


def test_a_hierarchy_rule_of_the_model_is_reported_on_its_column():
    OrganizationFactory(name="机械学会", kind=OrgKind.SOCIETY)
    assert problems_of(
        {"组织": [ORG_HEADER, ["红旗镇科协", "乡镇科协", "机械学会", "", "", "", "", ""]]}
    ) == [("组织", 2, "上级组织", "机械学会", "乡镇(街道)科协的上级组织必须是区县(市)科协。")]


def test_a_ring_of_parents():
    rows = [
        ORG_HEADER,
        ["甲科协", "其他", "乙科协", "", "", "", "", ""],
        ["乙科协", "其他", "甲科协", "", "", "", "", ""],
    ]
    reason = "上级组织形成循环（甲的上级是乙，乙的上级又是甲），请检查。"
    assert problems_of({"组织": rows}) == [
        ("组织", 2, "上级组织", "乙科协", reason),
        ("组织", 3, "上级组织", "甲科协", reason),
    ]


def test_bad_phone():
    assert problems_of({"组织": [ORG_HEADER, ["和平区科协", "区县科协", "", "", "", "", "12345", ""]]}) == [
        ("组织", 2, "联系电话", "12345", PHONE_ERROR)
    ]


def test_bad_date_and_a_day_that_does_not_exist():
    rows = [
        SCIENTIST_HEADER,
        ["张三", "", "三月五日", "辽川大学", "", "", "", "", "其他", "", "", ""],
        ["李四", "", "2026-02-30", "辽川大学", "", "", "", "", "其他", "", "", ""],
    ]
    assert problems_of({"科技工作者": rows}) == [
        ("科技工作者", 2, "出生日期", "三月五日", DATE_ERROR),
        ("科技工作者", 3, "出生日期", "2026-02-30", "没有这一天：2026年2月30日。"),
    ]


def test_every_bad_cell_of_a_row_is_reported():
    rows = [
        SCIENTIST_HEADER,
        ["张三", "未知", "昨天", "辽川大学", "没有的组织", "", "", "", "大师", "123", "not-an-email", ""],
    ]
    found = {(column, reason) for _s, _r, column, _v, reason in problems_of({"科技工作者": rows})}
    assert {column for column, _reason in found} == {
        "性别",
        "出生日期",
        "所属组织",
        "人才类别",
        "手机",
        "邮箱",
    }
    assert ("性别", "性别应为“男”或“女”，不详请留空。") in found
    assert ("邮箱", "邮箱格式不正确，应形如 name@example.com。") in found


def test_namesake_ambiguity_in_records():
    ScientistFactory(name="王伟", employer="辽川大学")
    ScientistFactory(name="王伟", employer="辽川理工大学")
    lead = StaffFactory(
        user=UserFactory(username="lead"), name="王领导", department=None, position=Position.LEADERSHIP
    )
    plans.team_save(team=Team(year=plans.year_create(year=2026), lead=lead), members=[])
    row = ["2026-03-05", "王领导专班", "调查了解", "", "王伟", "lead", "", "", "走访。", ""]

    assert problems_of({"联系记录": [RECORD_HEADER, row]}) == [
        (
            "联系记录",
            2,
            "联系对象",
            "王伟",
            "有 2 名科技工作者叫“王伟”（辽川大学、辽川理工大学），请写成 王伟(工作单位)。",
        )
    ]
    # Written with the employer (full-width brackets too) it imports.
    row[4] = "王伟（辽川理工大学）"
    result = import_workbook(xlsx({"联系记录": [RECORD_HEADER, row]}))
    assert result.ok
    assert ContactRecord.objects.get().targets.get().scientist.employer == "辽川理工大学"


def test_namesake_ambiguity_in_assignments_asks_for_the_employer_column():
    ScientistFactory(name="王伟", employer="辽川大学")
    ScientistFactory(name="王伟", employer="辽川理工大学")
    lead = StaffFactory(
        user=UserFactory(username="lead"), name="王领导", department=None, position=Position.LEADERSHIP
    )
    plans.team_save(team=Team(year=plans.year_create(year=2026), lead=lead), members=[])

    assert problems_of(
        {"联系对象": [ASSIGNMENT_HEADER, [2026, "王领导专班", "科技工作者", "王伟", "", ""]]}
    ) == [
        (
            "联系对象",
            2,
            "对象名称",
            "王伟",
            "有 2 名科技工作者叫“王伟”（辽川大学、辽川理工大学），请在“工作单位”列写明工作单位。",
        )
    ]


def test_unknown_username():
    assert problems_of({"专班": [TEAM_HEADER, [2026, "某专班", "领导专班", "nobody", ""]]}) == [
        ("专班", 2, "负责人", "nobody", "未知的用户名“nobody”：系统中和本文件的“干部”工作表中都没有。")
    ]


def test_unknown_members_and_participants_are_named():
    StaffFactory(
        user=UserFactory(username="lead"), name="王领导", department=None, position=Position.LEADERSHIP
    )
    assert problems_of({"专班": [TEAM_HEADER, [2026, "王领导专班", "领导专班", "lead", "a、lead、b"]]}) == [
        ("专班", 2, "成员", "a、lead、b", "未知的用户名“a”、“b”：系统中和本文件的“干部”工作表中都没有。")
    ]


def test_unknown_team():
    OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)
    assert problems_of(
        {"联系对象": [ASSIGNMENT_HEADER, [2026, "没有的专班", "组织", "和平区科协", "", ""]]}
    ) == [
        (
            "联系对象",
            2,
            "专班名称",
            "没有的专班",
            "2026 年度没有名为“没有的专班”的专班：系统中和本文件的“专班”工作表中都没有。",
        )
    ]


def test_a_team_kind_that_does_not_match_its_lead():
    StaffFactory(
        user=UserFactory(username="lead"), name="王领导", department=None, position=Position.LEADERSHIP
    )
    StaffFactory(user=UserFactory(username="clerk"), name="赵干事")
    rows = [TEAM_HEADER, [2026, "甲专班", "部室专班", "lead", ""], [2026, "乙专班", "部室专班", "clerk", ""]]
    assert problems_of({"专班": rows}) == [
        ("专班", 2, "类型", "部室专班", "负责人“王领导”是领导班子成员，牵头的应是领导专班。"),
        (
            "专班",
            3,
            "负责人",
            "clerk",
            "“赵干事”是工作人员，不能牵头专班：负责人须是领导班子成员或部室负责人。",
        ),
    ]


def test_duplicate_keys_within_a_file():
    sheets = {
        "组织": [
            ORG_HEADER,
            ["和平区科协", "区县科协", "", "", "", "", "", ""],
            ["和平区科协", "区县科协", "", "", "", "", "", ""],
        ],
        "干部": [
            STAFF_HEADER,
            ["张三", "zhang", "办公室", "", "工作人员", ""],
            ["张三", "ZHANG", "办公室", "", "工作人员", ""],
        ],
    }
    assert problems_of(sheets) == [
        ("组织", 3, "名称", "和平区科协", "与第 2 行重复：同一名称的组织只能出现一次。"),
        ("干部", 3, "用户名", "ZHANG", "与第 2 行重复：同一用户名只能出现一次。"),
    ]


def test_duplicate_records_within_a_file():
    sheets = full_workbook()
    sheets["联系记录"].append(list(sheets["联系记录"][2]))
    assert problems_of(sheets) == [
        ("联系记录", 4, "日期", "2026/4/1", "与第 3 行完全相同：同一条联系记录只能出现一次。")
    ]


def test_a_reference_to_a_bad_row_says_where_that_row_is():
    sheets = {
        "组织": [ORG_HEADER, ["清源县科协", "县科协", "", "", "", "", "", ""]],
        "科技工作者": [
            SCIENTIST_HEADER,
            ["张三", "", "", "清源县医院", "清源县科协", "", "", "", "其他", "", "", ""],
        ],
    }
    found = problems_of(sheets)
    assert found[1] == (
        "科技工作者",
        2,
        "所属组织",
        "清源县科协",
        "组织“清源县科协”在“组织”工作表第 2 行，该行有误未能导入。",
    )


def test_leaders_alone_may_leave_the_department_empty():
    rows = [STAFF_HEADER, ["张三", "zhang", "", "", "工作人员", ""]]
    assert problems_of({"干部": rows}) == [
        ("干部", 2, "部室", "", "必填，不能为空。（只有领导班子成员可以不填部室）")
    ]


def test_a_bad_username():
    assert problems_of({"干部": [STAFF_HEADER, ["张三", "zhang san", "办公室", "", "工作人员", ""]]}) == [
        ("干部", 2, "用户名", "zhang san", "用户名只能包含字母、数字和 @ . + - _，不超过 150 个字符。")
    ]


def test_record_rules_of_the_service_come_back_on_their_columns():
    assert import_workbook(xlsx(full_workbook())).ok
    tomorrow = timezone.localdate() + datetime.timedelta(days=400)
    rows = [
        RECORD_HEADER,
        [tomorrow.isoformat(), "王主席专班", "调查了解", "", "李娜", "", "", "", "未来的记录", ""],
        ["2026-05-01", "王主席专班", "调查了解", "", "", "", "", "", "", ""],
        ["2026-05-01", "王主席专班", "走访", "", "李娜", "", "也许", "闲聊", "x", ""],
    ]
    found = problems_of({"联系记录": rows})
    columns = [(row, column) for _s, row, column, _v, _r in found]
    assert (2, "专班名称") in columns  # a date next year: no team of that name in that year
    assert (3, "联系对象") not in columns  # optional in the published format
    assert (3, "情况摘要") not in columns  # optional in the published format
    assert {(4, "联系方式"), (4, "下基层"), (4, "联系内容")} <= set(columns)


def test_a_record_dated_in_the_future_is_refused_by_the_service(settings):
    assert import_workbook(xlsx(full_workbook())).ok
    # The service refuses completed records dated after today; this year has days after today unless it is
    # 31 December, so choose a year far ahead and make its team first.
    lead = Staff.objects.get(user__username="wangzhuxi")
    plans.team_save(team=Team(year=plans.year_create(year=2099), lead=lead, name="未来专班"), members=[])
    rows = [RECORD_HEADER, ["2099-06-01", "未来专班", "调查了解", "", "李娜", "", "", "", "x", ""]]
    assert problems_of({"联系记录": rows}) == [
        ("联系记录", 2, "日期", "2099-06-01", "完成的联系记录日期不能晚于今天。")
    ]


def test_an_approved_year_needs_a_reason_to_add_targets():
    assert import_workbook(xlsx(full_workbook())).ok
    Year.objects.filter(year=2026).update(status=YearStatus.APPROVED)
    OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)
    row = [2026, "王主席专班", "组织", "和平区科协", "", ""]

    assert problems_of({"联系对象": [ASSIGNMENT_HEADER, row]}) == [
        (
            "联系对象",
            2,
            "说明",
            "",
            "本年度分工已审定，调整联系对象须填写调整原因。请在“说明”列填写调整原因。",
        )
    ]
    result = import_workbook(xlsx({"联系对象": [[*ASSIGNMENT_HEADER, "说明"], [*row, "年中增补"]]}))
    assert result.ok
    assert Assignment.objects.get(organization__name="和平区科协").note == "年中增补"
    # The unchanged rest of the plan re-imports on the approved year without any reason.
    assert import_workbook(xlsx(full_workbook())).ok


def test_no_known_sheet_is_refused():
    from reports.workbook.imports import WorkbookRefused

    with pytest.raises(WorkbookRefused) as refused:
        import_workbook(xlsx({"Sheet1": [["名称"], ["x"]]}))
    assert (
        refused.value.message
        == "工作簿中没有可导入的工作表。工作表须命名为：组织、科技工作者、干部、联系类别、联系定额、专班、联系对象、联系记录、"
        "诉求、备案（可只含其中几个）。"
    )


# --- the command ----------------------------------------------------------------------------------------


def test_the_command_imports_and_reports(tmp_path):
    path = tmp_path / "工作簿.xlsx"
    path.write_bytes(xlsx(full_workbook()))
    out = io.StringIO()

    call_command("import_workbook", str(path), "--dry-run", stdout=out)
    assert "组织：新建 4，更新 0，不变 0" in out.getvalue()
    assert "未写入" in out.getvalue()
    assert not Organization.objects.exists()

    call_command("import_workbook", str(path), stdout=out)
    assert Organization.objects.count() == 4
    assert "导入完成" in out.getvalue()


def test_the_command_lists_every_problem_and_fails(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        xlsx(
            {
                "组织": [
                    ORG_HEADER,
                    ["甲", "乱写", "", "", "", "", "", ""],
                    ["乙", "其他", "", "", "", "", "x", ""],
                ]
            }
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    assert "发现 2 个问题，未写入任何数据。" in str(failed.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("组织 第 2 行 “类别”列（B）：值“乱写”：类别应为以下之一")
    assert lines[1] == f"组织 第 3 行 “联系电话”列（G）：值“x”：{PHONE_ERROR}"


def test_the_command_refuses_a_missing_or_bad_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_workbook", str(tmp_path / "none.xlsx"))
    path = tmp_path / "notes.xlsx"
    path.write_text("只是文本", encoding="utf-8")
    with pytest.raises(CommandError, match="文件不是 Excel 工作簿"):
        call_command("import_workbook", str(path))


def test_a_live_formula_cell_is_read_as_its_computed_value():
    """data_only: a formula counts as what Excel last computed; a file saved without values reads empty."""
    data = xlsx(
        {"组织": [ORG_HEADER, ['="和平区"&"科协"', "区县科协", "", "", "", "", "", ""]]}, formulas=True
    )
    result = import_workbook(data)
    assert [(p.column, p.reason) for p in result.problems] == [("名称", "必填，不能为空。")]


def test_a_submitted_plan_is_locked():
    assert import_workbook(xlsx(full_workbook())).ok
    Year.objects.filter(year=2026).update(status=YearStatus.SUBMITTED)
    OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)
    rows = [[*ASSIGNMENT_HEADER, "说明"], [2026, "王主席专班", "组织", "和平区科协", "", "", "增补"]]

    assert problems_of({"联系对象": rows}) == [("联系对象", 2, "年度", "2026", plans.LOCKED_MESSAGE)]
    assert import_workbook(xlsx(full_workbook())).ok  # nothing changes, so nothing is refused


def test_a_record_without_a_summary_imports_once_with_a_fixed_text():
    """情况摘要 is optional in the published format: the row imports with a fixed text, and importing the
    same workbook again adds nothing."""
    assert import_workbook(xlsx(full_workbook())).ok
    before = ContactRecord.objects.count()
    rows = [RECORD_HEADER, ["2026-05-01", "王主席专班", "调查了解", "", "李娜", "", "", "", "", ""]]
    assert import_workbook(xlsx({"联系记录": rows})).ok
    assert import_workbook(xlsx({"联系记录": rows})).ok
    assert ContactRecord.objects.count() == before + 1
    assert ContactRecord.objects.latest("pk").summary == "调查了解（导入时未填写情况摘要）"
