"""The sheets and columns of the office's workbook (docs/workbook.md): one definition for import and export.

The spec is a public interface: columns may be added, never renamed. The columns marked `extra` are our
additions; each is optional on import, so a workbook written to the spec alone imports unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings

from experts.models import FourHeads, Gender, TalentCategory
from liaison.models import (
    ContactCategory,
    ContactChannel,
    ContactMethod,
    DemandKind,
    Occasion,
    Position,
    QuotaCategory,
    TeamKind,
    Topic,
)
from orgs.models import OfficerPost, OrgKind, Tenure


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    extra: bool = False  # not in docs/workbook.md: our addition, always optional


def _c(name: str) -> Column:
    """Spec notation: "名称*" is a required column, "+四长" one of our optional additions ("+联系日期*": a
    required column of a sheet that is itself our addition)."""
    extra = name.startswith("+")
    name = name.removeprefix("+")
    if name.endswith("*"):
        return Column(name[:-1], required=True, extra=extra)
    return Column(name, extra=extra)


ORGS = "组织"
SCIENTISTS = "科技工作者"
STAFF = "干部"
TEAMS = "专班"
ASSIGNMENTS = "联系对象"
RECORDS = "联系记录"
CATEGORIES = "联系类别"
RULES = "联系定额"
VISITS_ITEM = "下基层"  # the 项目 of 联系定额 that sets the yearly minimum of grassroots visits
PERSON_VISITS_ITEM = "个人下基层"  # our addition: each member's own yearly minimum (docs/workbook.md)
DEMANDS = "诉求"  # our addition: the demands of a year with where each stands, tied to its record
FILINGS = "备案"  # a grassroots organisation's division of liaison (the third layer, 面)

SHEETS: dict[str, tuple[Column, ...]] = {
    ORGS: tuple(map(_c, ["名称*", "类别*", "上级组织", "所在区县", "地址", "联系人", "联系电话", "备注"])),
    SCIENTISTS: tuple(
        map(
            _c,
            [
                "姓名*",
                "性别",
                "出生日期",
                "工作单位*",
                "所属组织",
                "职务",
                "职称",
                "学科领域",
                "人才类别*",
                "手机",
                "邮箱",
                "备注",
                "+四长",
                "+农历生日",
            ],
        )
    ),
    STAFF: tuple(map(_c, ["姓名*", "用户名*", "部室*", "职务", "角色*", "手机", "+排序"])),
    TEAMS: tuple(map(_c, ["年度*", "专班名称*", "类型*", "负责人*", "成员"])),
    ASSIGNMENTS: tuple(
        map(_c, ["年度*", "专班名称*", "对象类型*", "对象名称*", "工作单位", "联系类别", "+说明"])
    ),
    RECORDS: tuple(
        map(
            _c,
            [
                "日期*",
                "专班名称*",
                "联系方式*",
                "联系形式",
                "联系对象",
                "参加人员",
                "下基层",
                "联系内容",
                "情况摘要",
                "反映问题",
                "慰问时机",
                "+地点",
                "+诉求类别",
                "记录编号",
            ],
        )
    ),
}
SHEETS[DEMANDS] = tuple(
    map(
        _c,
        [
            "+联系日期*",
            "+专班名称*",
            "+提出人",
            "+类别",
            "+内容*",
            "+状态",
            "+承办部室",
            "+承办人",
            "+办理时限",
            "+反馈意见",
            "+办结日期",
            "+回访日期",
            "+是否满意",
            "+承办人用户名",
            "+记录编号",
        ],
    )
)
SHEETS[CATEGORIES] = tuple(map(_c, ["名称*", "对象类型*", "计入"]))
SHEETS[RULES] = tuple(map(_c, ["年度*", "专班类型*", "项目*", "最少*", "最多", "联系间隔天数"]))
SHEETS[FILINGS] = tuple(
    map(_c, ["年度*", "组织*", "联系人*", "职务*", "任职方式", "科技工作者*", "工作单位"])
)
# The order sheets are applied in: the spec's, except that 联系类别 and 联系定额 (which refer to nothing but
# years) come before 专班 and 联系对象, so a 联系对象 row may name a category the same workbook adds
# (docs/workbook.md says it may; applied strictly last, it could not); and 备案 comes last, so that its
# 年度 may be one that the same workbook's 专班 or 联系定额 creates.
SHEET_ORDER = (ORGS, SCIENTISTS, STAFF, CATEGORIES, RULES, TEAMS, ASSIGNMENTS, RECORDS, DEMANDS, FILINGS)

DEMAND_HEADERS = tuple(c.name for c in SHEETS[DEMANDS])  # the export writes every column

# Scientists' contact details: personal data, written only for those who may see them (docs/design.md, Roles).
CONTACT_COLUMNS = ("手机", "邮箱")

TARGET_ORG = "组织"
TARGET_SCIENTIST = "科技工作者"
YES, NO = "是", "否"
LIST_JOINER = "、"


def headers(sheet: str, *, without: tuple[str, ...] = ()) -> list[str]:
    return [c.name for c in SHEETS[sheet] if c.name not in without]


# --- labels ---------------------------------------------------------------------------------------------

_WIDTH = str.maketrans({"（": "(", "）": ")", "\u3000": " "})
_PARENTHESISED = re.compile(r"\([^()]*\)")


def canon(text: str) -> str:
    """The form two spellings are compared in: trimmed, full-width parentheses made half-width."""
    return (text or "").translate(_WIDTH).strip()


def _lookup(choices, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Label → value, also under the label with its parenthesised part left out (区县(市)科协 → 区县科协)."""
    table: dict[str, str] = {}
    for value, label in choices:
        table[canon(label)] = value
        short = _PARENTHESISED.sub("", canon(label))
        table.setdefault(short, value)
    for alias, value in (aliases or {}).items():
        table.setdefault(canon(alias), value)
    return table


ORG_KINDS = _lookup(OrgKind.choices)
TALENTS = _lookup(TalentCategory.choices)
GENDERS = _lookup(Gender.choices)
FOUR_HEADS = _lookup(FourHeads.choices)
POSITIONS = _lookup(Position.choices)
TEAM_KINDS = _lookup(TeamKind.choices)
QUOTA_CATEGORIES = _lookup(
    QuotaCategory.choices, {"知名专家": QuotaCategory.EXPERT, "高层次人才": QuotaCategory.EXPERT}
)
METHODS = _lookup(ContactMethod.choices)
CHANNELS = _lookup(ContactChannel.choices)
TOPICS = _lookup(Topic.choices)
OCCASIONS = _lookup(Occasion.choices)
DEMAND_KINDS = _lookup(DemandKind.choices)
# 备案: the spec lists 主席 · 专职副主席 · 兼职副主席 · 秘书长 · 其他; the officers' other posts (副秘书长) are
# accepted too, as the officer list holds them.
OFFICER_POSTS = _lookup(OfficerPost.choices)
TENURES = _lookup(Tenure.choices)
TARGET_KINDS = {TARGET_ORG: TARGET_ORG, TARGET_SCIENTIST: TARGET_SCIENTIST}


def quota_categories() -> dict[str, str]:
    """Label → key of every quota category: the built-in ones (full and short labels) and the names of those
    the city added (read when a sheet starts, so an earlier sheet's additions count)."""
    table = dict(QUOTA_CATEGORIES)
    for name in ContactCategory.objects.values_list("name", flat=True):
        table.setdefault(canon(name), name)
    return table


def allowed(choices) -> str:
    """The labels a cell may hold, for an error message: "男 · 女"."""
    return " · ".join(str(label) for _value, label in choices)


# --- 记录编号: the identity an export gives a record -------------------------------------------------------

_RECORD_NUMBER = re.compile(r"^JL(\d{1,18})-([0-9A-F]{8})$")


def _record_check(pk: int) -> str:
    key = hashlib.sha256(f"record-number:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(pk).encode(), hashlib.sha256).hexdigest()[:8].upper()


def record_number(pk: int) -> str:
    """JL<id>-<check>: the record's id with a check made from this installation's secret key, so that a
    number from another installation (or a typo) is never taken for one of our records."""
    return f"JL{pk}-{_record_check(pk)}"


def record_pk(number: object) -> int | None:
    """The record id a 记录编号 names, or None when it is not one this installation gave."""
    match = _RECORD_NUMBER.match(canon(str(number)).upper())
    if match is None or not hmac.compare_digest(match.group(2), _record_check(int(match.group(1)))):
        return None
    return int(match.group(1))
