"""The policy as data in the workbook (docs/workbook.md): 联系类别 and 联系定额, and workbooks written to the
published format alone — only its required columns, or every optional sheet and column — import; the review
of what they hold is worked out by hand."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from liaison.models import ContactCategory, QuotaRule, VisitQuota, Year, YearStatus
from liaison.plan import services as plans
from reports.workbook import exports
from reports.workbook.imports import import_workbook
from tests.reports.workbook.workbooks import full_workbook, read, xlsx

pytestmark = pytest.mark.django_db

RULES_HEADER = ["年度", "专班类型", "项目", "最少", "最多", "联系间隔天数"]
CATEGORY_HEADER = ["名称", "对象类型", "计入"]


def review(year: int) -> dict[str, dict]:
    out = io.StringIO()
    call_command("review", str(year), "--json", stdout=out)
    return {t["team"]: t for t in json.loads(out.getvalue())["teams"]}


def problems(result) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.reason) for p in result.problems]


MINIMAL = {
    "组织": [
        ["名称", "类别"],
        ["和平区科协", "区县科协"],
        ["辽川市化学学会", "市级学会"],
        ["城关镇科协", "乡镇科协"],
    ],
    "科技工作者": [
        ["姓名", "工作单位", "人才类别"],
        ["张院士", "辽川大学", "院士"],
        ["李工", "辽川化工厂", "基层一线科技工作者"],
    ],
    "干部": [
        ["姓名", "用户名", "部室", "角色"],
        ["王主席", "wangzhuxi", "办公室", "领导班子成员"],
        ["刘部长", "liubuzhang", "科普部", "部室负责人"],
    ],
    "联系类别": [["名称", "对象类型"], ["乡镇(街道)科协", "组织"]],
    "联系定额": [
        ["年度", "专班类型", "项目", "最少"],
        [2026, "领导专班", "区县科协", 1],
        [2026, "领导专班", "知名专家/高层次人才", 1],
        [2026, "领导专班", "下基层", 1],
        [2026, "部室专班", "乡镇(街道)科协", 1],
        [2026, "部室专班", "基层一线科技工作者", 1],
    ],
    "专班": [
        ["年度", "专班名称", "类型", "负责人"],
        [2026, "王主席专班", "领导专班", "wangzhuxi"],
        [2026, "刘部长专班", "部室专班", "liubuzhang"],
    ],
    "联系对象": [
        ["年度", "专班名称", "对象类型", "对象名称"],
        [2026, "王主席专班", "组织", "和平区科协"],
        [2026, "王主席专班", "科技工作者", "张院士"],
        [2026, "刘部长专班", "组织", "城关镇科协"],
        [2026, "刘部长专班", "科技工作者", "李工"],
    ],
    "联系记录": [["日期", "专班名称", "联系方式"], ["2026-03-05", "王主席专班", "调查了解"]],
}


def test_a_workbook_with_only_the_required_columns_imports():
    result = import_workbook(xlsx(MINIMAL))
    assert result.ok, problems(result)
    teams = review(2026)
    # 王主席专班: one district and one expert, named on no record; its one record is not a grassroots visit.
    assert teams["王主席专班"]["categories"] == {
        "district": {"assigned": 1, "contacted": 0, "min": 1, "max": None, "interval_days": None},
        "expert": {"assigned": 1, "contacted": 0, "min": 1, "max": None, "interval_days": None},
    }
    assert teams["王主席专班"]["grassroots_visits"] == {"count": 0, "min": 1}
    assert teams["王主席专班"]["shortfalls"] == ["2 个联系对象全年未联系", "下基层 0 次，少 1 次"]
    # 刘部长专班: the township counts under no category (the added one takes no kind and the row names none),
    # so 乡镇(街道)科协 is short; no 下基层 row for 部室专班: no visit minimum.
    assert teams["刘部长专班"]["categories"] == {
        "frontline": {"assigned": 1, "contacted": 0, "min": 1, "max": None, "interval_days": None},
        "乡镇(街道)科协": {"assigned": 0, "contacted": 0, "min": 1, "max": None, "interval_days": None},
    }
    assert teams["刘部长专班"]["grassroots_visits"] == {"count": 0, "min": None}
    assert teams["刘部长专班"]["uncontacted_targets"] == ["李工", "城关镇科协"]
    assert teams["刘部长专班"]["shortfalls"] == ["乡镇(街道)科协 少 1 个", "2 个联系对象全年未联系"]
    # the record without 联系对象, 参加人员 or 情况摘要 is the lead's, with a fixed summary
    assert import_workbook(xlsx(MINIMAL)).ok  # twice is once
    assert Year.objects.get(year=2026).teams.get(name="王主席专班").records.get().summary == (
        "调查了解（导入时未填写情况摘要）"
    )


def with_policy_sheets() -> dict[str, list[list]]:
    sheets = full_workbook()
    sheets["联系类别"] = [
        CATEGORY_HEADER,
        ["乡镇(街道)科协", "组织", "乡镇(街道)科协、村(社区)科协"],
        ["青年人才", "科技工作者", "青年科技人才"],
    ]
    sheets["联系定额"] = [
        RULES_HEADER,
        [2026, "领导专班", "区县(市)科协", 2, 3, None],
        [2026, "领导专班", "知名专家", 2, None, 60],
        [2026, "领导专班", "下基层", 10, None, None],
        [2026, "部室专班", "市级学会", 1, None, None],
        [2026, "部室专班", "乡镇(街道)科协", 1, 2, None],
        [2026, "部室专班", "下基层", 4, None, None],
    ]
    return sheets


def test_a_workbook_with_every_optional_sheet_and_column_imports_and_round_trips():
    result = import_workbook(xlsx(with_policy_sheets()))
    assert result.ok, problems(result)
    year = Year.objects.get(year=2026)
    assert {
        (r.team_kind, r.category, r.minimum, r.maximum, r.contact_interval_days)
        for r in year.quota_rules.all()
    } == {
        ("leader", "district", 2, 3, None),
        ("leader", "expert", 2, None, 60),
        ("department", "society", 1, None, None),
        ("department", "乡镇(街道)科协", 1, 2, None),
    }
    assert dict(VisitQuota.objects.filter(year=year).values_list("team_kind", "minimum")) == {
        "leader": 10,
        "department": 4,
    }
    assert ContactCategory.objects.get(name="乡镇(街道)科协").takes == ["township", "village"]
    # export everything and import it back: nothing changes
    buffer = io.BytesIO()
    exports.write_workbook(exports.everything(year), buffer)
    exported = read(buffer.getvalue())
    assert exported["联系类别"][1:] == [
        ("乡镇(街道)科协", "组织", "乡镇(街道)科协、村(社区)科协"),
        ("青年人才", "科技工作者", "青年科技人才"),
    ]
    assert ("2026", "部室专班", "下基层", 4, None, None) in [
        (str(r[0]), *r[1:]) for r in exported["联系定额"][1:]
    ]
    again = import_workbook(buffer.getvalue())
    assert again.ok, problems(again)
    assert [(n, c.created, c.updated) for n, c in again.sheets if c.created or c.updated] == []


def test_an_organisation_counts_under_the_added_category_that_takes_its_kind():
    sheets = with_policy_sheets()
    sheets["组织"].append(
        ["城关镇科协", "乡镇科协", "清源县科协", "", "", "", "", ""]
    )  # a township: under a county
    sheets["联系对象"].append([2026, "刘部长专班", "组织", "城关镇科协", "", ""])
    assert import_workbook(xlsx(sheets)).ok
    assignment = (
        Year.objects.get(year=2026)
        .teams.get(name="刘部长专班")
        .assignments.get(organization__name="城关镇科协")
    )
    assert (assignment.category, assignment.category_overridden) == ("乡镇(街道)科协", False)
    assert review(2026)["刘部长专班"]["categories"]["乡镇(街道)科协"] == {
        "assigned": 1,
        "contacted": 0,
        "min": 1,
        "max": 2,
        "interval_days": None,
    }


def test_jiangxian_and_zhushan_rules_entered_as_data():
    """绛县: 领导专班 ≥ 2 知名专家/高层次人才, a contact every 60 days. 竹山: ≥ 4 grassroots visits a year."""
    sheets = full_workbook()
    sheets["联系定额"] = [
        RULES_HEADER,
        [2026, "领导专班", "知名专家/高层次人才", 2, None, 60],
        [2026, "部室专班", "下基层", 4, None, None],
    ]
    assert import_workbook(xlsx(sheets)).ok
    year = Year.objects.get(year=2026)
    assert [
        (r.team_kind, r.category, r.minimum, r.contact_interval_days) for r in year.quota_rules.all()
    ] == [("leader", "expert", 2, 60)]
    assert dict(year.visit_quotas.values_list("team_kind", "minimum")) == {"department": 4}
    teams = review(2026)
    # full_workbook: 王主席专班 has two experts, 王伟 and 李娜 (an academician), and 清源县科协 (a county, no
    # longer a quota category: uncounted, still a target); its one record, on 5 March, names 清源县科协 and
    # 王伟. 李娜 is never contacted; 王伟 goes without a contact from 5 March to today (6 December 2026 or
    # later): both went more than 60 days without one.
    wang = teams["王主席专班"]
    assert wang["categories"] == {
        "expert": {"assigned": 2, "contacted": 1, "min": 2, "max": None, "interval_days": 60}
    }
    assert wang["uncontacted_targets"] == ["李娜"]
    assert wang["overdue_targets"] == ["李娜", "王伟"]  # pinyin: li, wang
    assert wang["grassroots_visits"]["min"] is None
    assert wang["shortfalls"] == ["1 个联系对象全年未联系", "2 个联系对象超过联系间隔未联系"]
    liu = teams["刘部长专班"]
    assert liu["categories"] == {}
    assert liu["grassroots_visits"] == {"count": 0, "min": 4}
    assert liu["shortfalls"] == ["下基层 0 次，少 4 次"]


def test_the_seven_built_in_categories_cannot_be_redefined_and_kinds_are_checked():
    sheets = {
        "联系类别": [
            CATEGORY_HEADER,
            ["区县科协", "组织", "乡镇科协"],
            ["知名专家/高层次人才", "科技工作者", ""],
            ["农技协", "单位", "农技协"],
            ["农技协会", "组织", "农民"],
        ]
    }
    result = import_workbook(xlsx(sheets))
    assert [(row, column) for _s, row, column, _r in problems(result)] == [
        (2, "名称"),
        (3, "名称"),
        (4, "对象类型"),
        (5, "计入"),
    ]
    assert "是内置的联系类别，不能重新定义" in result.problems[0].reason
    assert ContactCategory.objects.count() == 0


def test_bad_rules_are_row_errors_in_chinese():
    sheets = {
        "联系定额": [
            RULES_HEADER,
            [2027, "领导专班", "区县科协", 3, 2, None],
            [2027, "领导专班", "知名专家", 2, None, 0],
            [2027, "部室专班", "不存在的类别", 1, None, None],
            [2027, "特别专班", "市级学会", 1, None, None],
            [2027, "部室专班", "市级学会", -1, None, None],
        ]
    }
    result = import_workbook(xlsx(sheets))
    assert [(row, column) for _s, row, column, _r in problems(result)] == [
        (2, "最多"),
        (3, "联系间隔天数"),
        (4, "项目"),
        (5, "专班类型"),
        (6, "最少"),
    ]
    assert result.problems[0].reason == "最多（2）不能小于最少（3）。"
    assert result.problems[1].reason == "联系间隔天数须为正整数（不要求请留空）。"
    assert not Year.objects.filter(year=2027).exists()


def test_rules_of_an_approved_year_are_refused_unless_unchanged():
    year = plans.year_create(year=2027)
    Year.objects.filter(pk=year.pk).update(status=YearStatus.APPROVED)
    rows = [
        [2027, "领导专班", item, low, high, None]
        for item, low, high in [
            ("区县(市)科协", 2, 3),
            ("兼职副主席单位", 2, None),
            ("市级学会(协会、研究会)", 3, None),
            ("企业(园区)科协", 3, None),
            ("高校院所科协", 2, None),
            ("知名专家/高层次人才", 10, None),
            ("下基层", 10, None),
        ]
    ]
    same = import_workbook(
        xlsx({"联系定额": [RULES_HEADER, *rows]})
    )  # the policy's table, as the year has it
    assert same.ok, problems(same)
    rows[0][3] = 1
    changed = import_workbook(xlsx({"联系定额": [RULES_HEADER, *rows]}))
    assert [(p.row, p.column) for p in changed.problems] == [(2, "年度")]
    assert "2027 年度分工已审定，联系定额随分工一并报审，不能再修改。" in changed.problems[0].reason
    assert QuotaRule.objects.get(year=year, team_kind="leader", category="district").minimum == 2
