"""Benchmark data at scale: `manage.py seed_demo --scale N` (docs/design.md, "What every part must reach").

N scientists, about 10·N contact records dated from 1 January of the current year up to today, and the
rest in proportion: a team (专班) per ~50 scientists (N = 100,000 → 2,000 teams, 30 % of them leader
teams), a department per department team (its head leads it, three staff are its members), organisations
of every kind (N = 100,000 → about 3,000), ~25 assignments per team meeting the quota categories, about
two targets and two participants per record, demands on ~3 % of the records with their logs.

Deterministic: every choice comes from random generators with fixed seeds, so the same N on the same day
gives the same rows (dates run up to "today", so another day gives other dates).

Fast: the per-row services (liaison/plan/services.py, liaison/contacts/services.py) are bypassed, but the rows are exactly
the ones they would write — in particular each ContactTarget carries its record's team and date,
counts = completed and not deleted, and assigned = an assignment of the team for that target was in force
on that date (`Assignment.objects.in_force_on`), as `contacts.sync_targets` computes it. Pinyin keys are
computed once per distinct name. Rows are written in batches of 5,000 with explicit primary keys: with
`bulk_create` (SQLite, and PostgreSQL with method="orm"), or with PostgreSQL's COPY (psycopg 3) by
default on PostgreSQL. The year and its quota rules come from `plans.year_create`. Generated login
accounts have unusable passwords (nobody can log in as them; the benchmark uses `force_login`).

Only for an empty database: it refuses (ScaleError, in Chinese) when any registry, plan or record row
exists, because it chooses primary keys itself and is not meant to be mixed with real or demo data.
Audit-log entries are not written (bulk writes send no signals).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from common import occasions
from common.pinyin import pinyin_keys
from experts.models import FourHeads, Gender, Scientist, TalentCategory
from liaison.compliance import categories
from liaison.models import (
    FILING_KINDS,
    Assignment,
    ContactChannel,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandAction,
    Department,
    EndReason,
    Filing,
    FilingAction,
    FilingEntry,
    FilingRevision,
    FilingStatus,
    FilingStep,
    Occasion,
    Position,
    RecordStatus,
    Staff,
    Team,
    TeamKind,
    Year,
    YearStatus,
)
from liaison.plan import services as plans
from orgs.models import Officer, OfficerPost, Organization, OrgKind, Tenure

SEED = "kexie-scale"
BATCH_SIZE = 5000
SCIENTISTS_PER_TEAM = 50
RECORDS_PER_SCIENTIST = 10
LEADER_TEAM_SHARE = 0.3

# Organisations per 100,000 scientists, and the least of each kind (quota pools must not be empty).
ORG_SHARES: list[tuple[str, int, int]] = [
    (OrgKind.DISTRICT, 100, 3),
    (OrgKind.TOWNSHIP, 400, 4),
    (OrgKind.VILLAGE, 1200, 4),
    (OrgKind.VICE_CHAIR_UNIT, 100, 2),
    (OrgKind.SOCIETY, 400, 4),
    (OrgKind.ENTERPRISE, 500, 4),
    (OrgKind.UNIVERSITY, 250, 3),
    (OrgKind.AGRI_TECH, 100, 1),
    (OrgKind.OTHER, 50, 1),
]

# Targets per team by quota category: above every minimum of fixtures/seed_quota_rules.json (25 each).
LEADER_NEEDS = {
    "district": 2,
    "vice_chair_unit": 2,
    "society": 4,
    "enterprise": 3,
    "university": 2,
    "expert": 12,
}
DEPARTMENT_NEEDS = {"district": 2, "society": 3, "enterprise": 3, "university": 2, "frontline": 15}
CATEGORY_KIND = {
    "district": OrgKind.DISTRICT,
    "vice_chair_unit": OrgKind.VICE_CHAIR_UNIT,
    "society": OrgKind.SOCIETY,
    "enterprise": OrgKind.ENTERPRISE,
    "university": OrgKind.UNIVERSITY,
}

CATEGORY_WEIGHTS: list[tuple[str, float]] = [
    (TalentCategory.ACADEMICIAN, 0.2),
    (TalentCategory.RENOWNED, 3),
    (TalentCategory.HIGH_LEVEL, 5),
    (TalentCategory.LEADING, 7),
    (TalentCategory.OUTSTANDING, 10),
    (TalentCategory.YOUNG, 15),
    (TalentCategory.FRONTLINE, 55),
    (TalentCategory.OTHER, 4.8),
]
EXPERT_TALENTS = {str(t) for t in categories.EXPERT_TALENTS}

PLACE_CHARS = (
    "东西南北安宁平和兴隆丰泰康顺永清云青山河湖江海川岭石松桃柳杨梅花龙凤金宝华新长乐昌盛明光德福林泉"
)
SURNAMES = (
    "王" * 12
    + "李" * 12
    + "张" * 11
    + "刘" * 9
    + "陈" * 8
    + "杨" * 6
    + "赵" * 5
    + "黄周吴" * 4
    + "徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方"
    + "石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文单曾"
)
MALE_CHARS = (
    "建国志强伟军明华立新文海涛斌勇峰鹏宇浩晨博翔昊俊杰振东刚鑫磊春林松永德成光辉忠兵庆学宏坤凯旭彬锋韬毅远哲"
)
FEMALE_CHARS = "红丽芳敏静燕娟霞玲梅婷雪琳颖慧莉萍艳华秀晶悦欣怡佳雯楠薇岚洁蕾璐倩瑶思曼"
MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "189")

DEPARTMENT_BASES = [
    "办公室",
    "学会学术部",
    "科普部",
    "企业工作部",
    "调研宣传部",
    "人事部",
    "财务部",
    "科技咨询中心",
    "机关党委",
    "信息中心",
    "学会服务中心",
]
LEADER_TITLES = ["党组成员、副主席", "副主席", "党组成员、秘书长", "兼职副主席"]
STAFF_TITLES = ["一级主任科员", "二级主任科员", "一级科员", "二级科员"]
DISCIPLINES = [
    "机械工程",
    "材料科学与工程",
    "计算机科学与技术",
    "电气工程",
    "控制科学与工程",
    "化学工程",
    "生物学",
    "临床医学",
    "药学",
    "作物学",
    "园艺学",
    "环境工程",
    "土木工程",
    "信息与通信工程",
    "农业技术推广",
    "全科医学",
    "科学教育",
    "畜牧兽医",
]
SOCIETY_FIELDS = [d.removesuffix("工程") for d in DISCIPLINES]
UNIVERSITY_SUFFIXES = ["大学", "理工大学", "农业大学", "医科大学", "科学研究院", "职业技术学院"]
VICE_CHAIR_SUFFIXES = ["电力公司", "人民医院", "气象局", "钢铁集团"]
ENTERPRISE_SUFFIXES = ["机械集团", "化工集团", "制药有限公司", "电子有限公司", "新能源科技有限公司"]
AGRI_CROPS = ["食用菌", "果树", "养蜂", "水稻", "中药材"]
GRASSROOTS_UNITS = ["卫生院", "中心小学", "农业技术推广站", "中学"]
FOUR_HEADS_UNITS = {
    "卫生院": FourHeads.HOSPITAL,
    "中心小学": FourHeads.SCHOOL,
    "农业技术推广站": FourHeads.AGRI_STATION,
}
POSTS = {
    "expert": [
        ("教授", "教授"),
        ("研究员", "研究员"),
        ("总工程师", "正高级工程师"),
        ("主任医师", "主任医师"),
    ],
    "young": [("副教授", "副教授"), ("助理研究员", "助理研究员"), ("工程师", "工程师")],
    "frontline": [("农技员", "农艺师"), ("全科医生", "主治医师"), ("科学教师", "高级教师"), ("技师", "技师")],
}
SUMMARIES = {
    "survey": "到{t}调研，了解科研项目进展和实际困难，听取对科协工作的意见。",
    "symposium": "召开科技工作者座谈会，{t}等参加，围绕产业发展建言献策。",
    "greeting": "{o}慰问{t}。",
    "event": "邀请{t}参加市科协学术年会。",
    "friendship": "与{t}谈心交流，了解工作生活情况。",
}
METHOD_WEIGHTS = [("survey", 30), ("symposium", 25), ("greeting", 15), ("event", 15), ("friendship", 15)]
CHANNELS = {"survey": "visit", "symposium": "meeting", "event": "meeting", "friendship": "online"}
TOPICS = ["policy", "difficulties", "advice", "cooperation", "commendation"]
OTHER_OCCASIONS = ["birthday", "illness", "achievement", "other_holiday"]
OCCASION_LABELS = {
    "spring_festival": "春节",
    "workers_day": "全国科技工作者日",
    "birthday": "生日",
    "illness": "患病",
    "achievement": "重大成就",
    "other_holiday": "节日",
}
DEMAND_TEXTS = [
    ("difficulty", "实验用房紧张，希望协调解决"),
    ("suggestion", "建议加强科技成果转化平台建设"),
    ("cooperation", "希望对接本地企业开展技术合作"),
    ("commendation", "推荐本单位青年骨干参评青年科技奖"),
]
SHARE_OFF_TEAM_TARGETS = 0.12  # targets named on a record that are not the team's own
SHARE_DEMANDS = 0.03
SHARE_DRAFTS = 0.01
SHARE_DELETED = 0.005

# The third layer (备案): the organisations of the filing kinds that filed this year, and how their filings
# stand; each officer keeps in touch with one to three scientists (of the organisation where it has its own).
SHARE_FILING = 0.6
FILING_STATES = [("confirmed", 55), ("filed", 30), ("draft", 15)]
REVISED_EVERY = 20  # one filing in 20 was revised after confirmation: two revisions
OFFICER_POSTS = [
    (OfficerPost.CHAIR, Tenure.CONCURRENT),
    (OfficerPost.SECRETARY_GENERAL, Tenure.APPOINTED),
    (OfficerPost.PARTTIME_VICE_CHAIR, Tenure.SECONDED),
]


class ScaleError(Exception):
    """The generator refuses (message in Chinese, for the command to print)."""


# --------------------------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    scientists: int
    teams: int
    leader_teams: int
    department_teams: int
    records: int
    orgs: dict[str, int]

    @classmethod
    def for_scale(cls, n: int) -> Sizes:
        teams = max(4, round(n / SCIENTISTS_PER_TEAM))
        leader_teams = max(1, round(teams * LEADER_TEAM_SHARE))
        orgs = {kind: max(least, round(per * n / 100_000)) for kind, per, least in ORG_SHARES}
        return cls(n, teams, leader_teams, teams - leader_teams, RECORDS_PER_SCIENTIST * n, orgs)


def non_empty_tables() -> list[str]:
    """Labels of the registry/plan/record tables that already hold rows."""
    checked = [get_user_model(), Department, Staff, Organization, Scientist, Year, Team, ContactRecord]
    return [str(m._meta.verbose_name) for m in checked if m.objects.exists()]


# --------------------------------------------------------------------------------------------------------
# Writing: explicit primary keys, bulk_create or COPY, in batches
# --------------------------------------------------------------------------------------------------------


class Writer:
    """Writes tuples of column values, in the order of `fields` (attribute names such as "team_id")."""

    def __init__(self, *, use_copy: bool, stdout: TextIO | None) -> None:
        self.use_copy = use_copy
        self.stdout = stdout
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def write(self, model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            if self.use_copy:
                self._copy(model, fields, batch)
            else:
                model.objects.bulk_create(
                    [model(**dict(zip(fields, row, strict=True))) for row in batch], batch_size=BATCH_SIZE
                )
        label = model._meta.db_table
        self.rows[label] += len(rows)
        self.seconds[label] += time.perf_counter() - started

    def _copy(self, model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
        opts = model._meta
        columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in fields)
        table = connection.ops.quote_name(opts.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


@contextmanager
def _indexes_built_after(model_list: Iterable[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL, empty tables, inside the caller's transaction: drop the foreign keys and the secondary
    indexes of the tables about to be loaded, and afterwards create them again from their own definitions,
    as pg_restore does. One index build and one validating join per constraint instead of a B-tree insert
    per row and index and a queued trigger per row and foreign key (which made COMMIT alone take minutes).
    Primary keys and constraint-backed unique indexes stay."""
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY oid",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) "
            "ORDER BY i.indexrelid",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


def _first_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


# --------------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------------


class Names:
    """Person and place names, unique where the schema wants them, with pinyin keys computed once each."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pinyin: dict[tuple[str, bool], tuple[str, str]] = {}
        places = [a + b for a in PLACE_CHARS for b in PLACE_CHARS if a != b]
        rng.shuffle(places)
        self._places = iter(places)
        self._long_places = (a + b + c for a in PLACE_CHARS for b in PLACE_CHARS for c in PLACE_CHARS)

    def pinyin(self, text: str, *, person: bool) -> tuple[str, str]:
        key = (text, person)
        keys = self._pinyin.get(key)
        if keys is None:
            keys = self._pinyin[key] = pinyin_keys(text, person=person)
        return keys

    def place(self) -> str:
        """A place name no other organisation has used (two characters, then three)."""
        return next(self._places, None) or next(self._long_places)

    def person(self, gender: str) -> str:
        rng = self.rng
        chars = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
        given = rng.choice(chars)
        if rng.random() < 0.75:
            given += rng.choice(chars)
        return rng.choice(SURNAMES) + given

    def gender(self, female_share: float = 0.35) -> str:
        return Gender.FEMALE if self.rng.random() < female_share else Gender.MALE


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _landline(rng: random.Random) -> str:
    return f"024-{rng.choice('2368')}{rng.randrange(10**7):07d}"


# --------------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------------


@dataclass
class TeamPlan:
    id: int
    kind: str
    lead: int  # staff id
    people: list[int]  # staff ids: lead first, then members
    users: dict[int, int]  # staff id → user id
    targets: list[tuple[str, int, str]] = field(default_factory=list)  # (o|s, id, category) in force
    spans: dict[tuple[str, int], list[tuple[datetime.date, datetime.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    silent: set[tuple[str, int]] = field(default_factory=set)
    switch: datetime.date | None = None  # the day an assignment ended (a retirement), if one did
    _own: dict[tuple[bool, bool], list[tuple[str, int]]] = field(default_factory=dict)

    def settle(self, retired: tuple[str, int] | None, successor: tuple[str, int] | None) -> None:
        """The targets a record may name: not the silent ones; the retiree before the switch, the successor
        from it on."""
        after = [(k, t) for k, t, _c in self.targets if (k, t) not in self.silent]
        before = [key for key in after if key != successor] + ([retired] if retired else [])
        for is_after, keys in ((False, before), (True, after)):
            self._own[(is_after, False)] = keys
            self._own[(is_after, True)] = [key for key in keys if key[0] == "s"]

    def own(self, day: datetime.date, *, people_only: bool) -> list[tuple[str, int]]:
        # an assignment that ends on a day is no longer in force that day (Assignment.in_force_on)
        return self._own[(self.switch is None or day >= self.switch, people_only)]

    def assigned(self, key: tuple[str, int], day: datetime.date) -> bool:
        """As Assignment.objects.in_force_on(day): started on or before the day, not ended by then."""
        return any(start <= day and (end is None or end > day) for start, end in self.spans.get(key, ()))


class ScaleGenerator:
    def __init__(self, n: int, *, today: datetime.date, writer: Writer, stdout: TextIO | None) -> None:
        self.n = n
        self.sizes = Sizes.for_scale(n)
        self.today = today
        self.year = today.year
        self.writer = writer
        self.stdout = stdout
        self.now = timezone.now()
        self.names = Names(random.Random(f"{SEED}:names:{n}"))
        self.org_names: dict[int, str] = {}
        self.org_names_taken: set[str] = set()
        self.staff_names: dict[int, str] = {}
        self.orgs_by_kind: dict[str, list[int]] = defaultdict(list)
        self.scientist_names: dict[int, str] = {}
        self.scientists_of_org: dict[int, list[int]] = defaultdict(list)  # active ones, by organisation
        self.experts: list[int] = []
        self.frontline: list[int] = []

    def rng(self, *key: object) -> random.Random:
        return random.Random(":".join([SEED, str(self.n), *map(str, key)]))

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text + "\n")
            self.stdout.flush()

    def run(self) -> dict[str, Any]:
        the_year = plans.year_create(year=self.year)
        Year.objects.filter(pk=the_year.pk).update(status=YearStatus.APPROVED)
        self.year_id = the_year.pk
        self.organizations()
        self.scientists()
        self.people_and_teams()
        self.assignments()
        self.records()
        self.filings()
        return {"year": self.year, "sizes": self.sizes}

    # --- organisations ------------------------------------------------------------------------------------

    def organizations(self) -> None:
        rng = self.rng("orgs")
        names = self.names
        rows: list[tuple] = []
        next_id = _first_id(Organization)
        counts = self.sizes.orgs

        def add(kind: str, name: str, parent: int | None, county: int | None) -> int:
            nonlocal next_id
            if name in self.org_names_taken:
                raise ScaleError(f"生成的组织名称重复：{name}")
            self.org_names_taken.add(name)
            org_id = next_id
            next_id += 1
            pinyin, initials = names.pinyin(name, person=False)
            contact = names.person(names.gender(0.5))
            rows.append(
                (
                    org_id,
                    name,
                    kind,
                    parent,
                    county,
                    f"{name.removesuffix('科协')}{rng.choice(['中山路', '人民路', '科技路'])}{rng.randint(1, 300)}号",
                    contact,
                    _landline(rng),
                    "",  # contact_email: none in the benchmark data
                    "",
                    True,
                    pinyin,
                    initials,
                    self.now,
                    self.now,
                )
            )
            self.org_names[org_id] = name
            self.orgs_by_kind[kind].append(org_id)
            return org_id

        districts = [
            add(OrgKind.DISTRICT, f"{names.place()}{'区' if i % 3 else '县'}科协", None, None)
            for i in range(counts[OrgKind.DISTRICT])
        ]
        townships = [
            (add(OrgKind.TOWNSHIP, f"{names.place()}{'镇' if i % 2 else '街道'}科协", d, d), d)
            for i in range(counts[OrgKind.TOWNSHIP])
            for d in [districts[i % len(districts)]]
        ]
        for i in range(counts[OrgKind.VILLAGE]):
            township, county = townships[i % len(townships)]
            add(OrgKind.VILLAGE, f"{names.place()}{'村' if i % 3 else '社区'}科协", township, county)
        simple = [
            (OrgKind.VICE_CHAIR_UNIT, lambda i: f"{names.place()}{VICE_CHAIR_SUFFIXES[i % 4]}科协", False),
            (
                OrgKind.SOCIETY,
                lambda i: f"{names.place()}市{SOCIETY_FIELDS[i % len(SOCIETY_FIELDS)]}学会",
                False,
            ),
            (OrgKind.ENTERPRISE, lambda i: f"{names.place()}{ENTERPRISE_SUFFIXES[i % 5]}科协", True),
            (OrgKind.UNIVERSITY, lambda i: f"{names.place()}{UNIVERSITY_SUFFIXES[i % 6]}科协", False),
            (OrgKind.AGRI_TECH, lambda i: f"{names.place()}{AGRI_CROPS[i % 5]}技术协会", True),
            (OrgKind.OTHER, lambda i: f"{names.place()}科学技术馆科协", False),
        ]
        for kind, make, located in simple:
            for i in range(counts[kind]):
                add(kind, make(i), None, districts[i % len(districts)] if located else None)
        fields = [
            "id",
            "name",
            "kind",
            "parent_id",
            "county_id",
            "address",
            "contact_person",
            "contact_phone",
            "contact_email",
            "notes",
            "is_active",
            "name_pinyin",
            "name_initials",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Organization, fields, rows)
        self.say(f"基层组织 {len(rows)} 个")

    # --- scientists ---------------------------------------------------------------------------------------

    def _employer_pools(self) -> dict[str, list[tuple[int, str]]]:
        """(organisation id, employer name) by the kind of employer a category works at."""
        by_kind = {
            kind: [(org_id, self.org_names[org_id]) for org_id in ids]
            for kind, ids in self.orgs_by_kind.items()
        }

        def units(kind: str) -> list[tuple[int, str]]:
            return [(org_id, name.removesuffix("科协")) for org_id, name in by_kind.get(kind, [])]

        grassroots = [
            (org_id, f"{name.removesuffix('科协')}{GRASSROOTS_UNITS[i % 4]}")
            for i, (org_id, name) in enumerate(
                by_kind[OrgKind.TOWNSHIP] + by_kind[OrgKind.VILLAGE] + by_kind.get(OrgKind.AGRI_TECH, [])
            )
        ]
        expert = (
            units(OrgKind.UNIVERSITY) * 3 + units(OrgKind.ENTERPRISE) * 2 + units(OrgKind.VICE_CHAIR_UNIT)
        )
        return {
            "expert": expert,
            "young": expert,
            "frontline": grassroots * 3 + units(OrgKind.ENTERPRISE),
            "other": units(OrgKind.OTHER) + units(OrgKind.UNIVERSITY),
        }

    def scientists(self) -> None:
        rng = self.rng("scientists")
        names = self.names
        pools = self._employer_pools()
        categories, weights = zip(*CATEGORY_WEIGHTS, strict=True)
        taken: set[tuple[str, str]] = set()
        first = _first_id(Scientist)
        rows: list[tuple] = []
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "birthday_lunar",
            "employer",
            "organization_id",
            "post",
            "title",
            "discipline",
            "category",
            "four_heads",
            "mobile",
            "email",
            "notes",
            "is_active",
            "name_pinyin",
            "name_initials",
            "created_at",
            "updated_at",
        ]
        for i in range(self.n):
            sci_id = first + i
            category = rng.choices(categories, weights)[0]
            group = (
                "expert"
                if category in EXPERT_TALENTS
                else "young"
                if category == TalentCategory.YOUNG
                else "frontline"
                if category == TalentCategory.FRONTLINE
                else "other"
            )
            org_id, employer = rng.choice(pools[group])
            gender = names.gender()
            name = names.person(gender)
            while (name, employer) in taken:
                name = names.person(gender)
            taken.add((name, employer))
            post, title = rng.choice(POSTS["expert" if group == "other" else group])
            born = {"expert": (1955, 1980), "young": (1988, 1998)}.get(group, (1965, 1996))
            birth = datetime.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
            four_heads = ""
            if group == "frontline" and rng.random() < 0.1:  # the "四长" of seed 004 head such units
                four_heads = next(
                    (h for suffix, h in FOUR_HEADS_UNITS.items() if employer.endswith(suffix)), ""
                )
            pinyin, initials = names.pinyin(name, person=True)
            active = rng.random() >= 0.01
            rows.append(
                (
                    sci_id,
                    name,
                    gender,
                    birth,
                    rng.random() < 0.05,
                    employer,
                    org_id,
                    post,
                    title,
                    rng.choice(DISCIPLINES),
                    str(category),
                    str(four_heads),
                    _mobile(rng),
                    f"{pinyin}{sci_id}@example.com" if rng.random() < 0.3 else "",
                    "",
                    active,
                    pinyin,
                    initials,
                    self.now,
                    self.now,
                )
            )
            self.scientist_names[sci_id] = name
            if active:
                (self.experts if group == "expert" else self.frontline).append(sci_id)
                self.scientists_of_org[org_id].append(sci_id)
            if len(rows) >= BATCH_SIZE:
                self.writer.write(Scientist, fields, rows)
                rows = []
        self.writer.write(Scientist, fields, rows)
        self.say(f"科技工作者 {self.n} 名")

    # --- departments, staff, users, teams -----------------------------------------------------------------

    def people_and_teams(self) -> None:
        rng = self.rng("people")
        names = self.names
        sizes = self.sizes
        user_model = get_user_model()
        dept_first, staff_next, user_next = _first_id(Department), _first_id(Staff), _first_id(user_model)
        team_first = _first_id(Team)
        departments: list[tuple] = []
        users: list[tuple] = []
        staff: list[tuple] = []
        used_names: set[str] = set()
        used_usernames: set[str] = set()

        def person(department: int | None, position: str, title: str, order: int) -> tuple[int, int]:
            nonlocal staff_next, user_next
            gender = names.gender(0.4)
            name = names.person(gender)
            while name in used_names:  # unique staff names keep team names ("<lead>专班") unique
                name = names.person(gender)
            used_names.add(name)
            pinyin, initials = names.pinyin(name, person=True)
            username, k = pinyin, 1
            while username in used_usernames:
                k += 1
                username = f"{pinyin}{k}"
            used_usernames.add(username)
            user_id, staff_id = user_next, staff_next
            user_next += 1
            staff_next += 1
            unusable = (
                UNUSABLE_PASSWORD_PREFIX + hashlib.sha256(f"{SEED}:{username}".encode()).hexdigest()[:40]
            )
            email = f"{username}@example.org" if position != Position.STAFF else ""
            users.append(
                (user_id, unusable, username, name[1:], name[:1], email, False, False, True, self.now)
            )
            phone = _mobile(rng)
            staff.append(
                (staff_id, user_id, name, department, position, title, phone, order, True, pinyin, initials)
            )
            return staff_id, user_id

        user_of: dict[int, int] = {}
        leaders = []
        for i in range(sizes.leader_teams):
            title = "党组书记、主席" if i == 0 else LEADER_TITLES[i % len(LEADER_TITLES)]
            staff_id, user_id = person(None, Position.LEADERSHIP, title, i + 1)
            leaders.append(staff_id)
            user_of[staff_id] = user_id
        heads: list[int] = []
        staff_by_department: list[list[int]] = []
        for i in range(sizes.department_teams):
            dept_id = dept_first + i
            if i == 0:
                dept_name = "组织联络部"
            elif i <= len(DEPARTMENT_BASES):
                dept_name = DEPARTMENT_BASES[i - 1]
            else:
                dept_name = f"{names.place()}{DEPARTMENT_BASES[i % len(DEPARTMENT_BASES)]}"
            departments.append((dept_id, dept_name, i == 0, i + 1))
            head, head_user = person(dept_id, Position.DEPARTMENT_HEAD, "部长", 1)
            heads.append(head)
            user_of[head] = head_user
            members = []
            for k in range(5 if i == 0 else 3):
                staff_id, user_id = person(dept_id, Position.STAFF, STAFF_TITLES[k % 4], k + 2)
                members.append(staff_id)
                user_of[staff_id] = user_id
            staff_by_department.append(members)

        self.writer.write(Department, ["id", "name", "is_liaison_office", "order"], departments)
        user_fields = [
            "id",
            "password",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
        ]
        self.writer.write(user_model, user_fields, users)
        staff_fields = [
            "id",
            "user_id",
            "name",
            "department_id",
            "position",
            "title",
            "phone",
            "order",
            "is_active",
            "name_pinyin",
            "name_initials",
        ]
        self.writer.write(Staff, staff_fields, staff)
        staff_names = self.staff_names = {row[0]: row[2] for row in staff}

        self.teams: list[TeamPlan] = []
        team_rows, member_rows = [], []
        member_model = Team.members.through
        for i, lead in enumerate(leaders):
            dept = (i + 1) % len(heads)  # 组织联络部 (department 0) last: its people see every record anyway
            members = [heads[dept], staff_by_department[dept][0]]
            self._team(
                team_first + len(self.teams),
                TeamKind.LEADER,
                lead,
                members,
                user_of,
                team_rows,
                member_rows,
                staff_names,
            )
        for dept, head in enumerate(heads):
            members = staff_by_department[dept][:3]
            self._team(
                team_first + len(self.teams),
                TeamKind.DEPARTMENT,
                head,
                members,
                user_of,
                team_rows,
                member_rows,
                staff_names,
            )
        team_fields = ["id", "year_id", "name", "kind", "lead_id", "notes", "created_at", "updated_at"]
        self.writer.write(Team, team_fields, team_rows)
        self.writer.write(member_model, ["team_id", "staff_id"], member_rows)
        self.say(
            f"部室 {len(departments)} 个，干部 {len(staff)} 名（登录账号同数，密码不可用），"
            f"专班 {len(team_rows)} 个（领导专班 {len(leaders)} 个）"
        )

    def _team(self, team_id, kind, lead, members, user_of, team_rows, member_rows, staff_names) -> None:
        team_rows.append(
            (team_id, self.year_id, f"{staff_names[lead]}专班", kind, lead, "", self.now, self.now)
        )
        member_rows.extend((team_id, m) for m in members)
        people = [lead, *members]
        self.teams.append(TeamPlan(team_id, kind, lead, people, {p: user_of[p] for p in people}))

    # --- assignments ---------------------------------------------------------------------------------------

    def assignments(self) -> None:
        rng = self.rng("assignments")
        start = datetime.date(self.year, 1, 1)
        pools: dict[str, list[int]] = {c: list(self.orgs_by_kind[k]) for c, k in CATEGORY_KIND.items()}
        pools["expert"] = list(self.experts)
        pools["frontline"] = list(self.frontline)
        for items in pools.values():
            rng.shuffle(items)
        positions = dict.fromkeys(pools, 0)

        def deal(category: str, taken: set[int]) -> int | None:
            pool = pools[category]
            for _ in range(len(pool)):
                item = pool[positions[category] % len(pool)]
                positions[category] += 1
                if item not in taken:
                    return item
            return None

        fields = [
            "id",
            "team_id",
            "organization_id",
            "scientist_id",
            "category",
            "category_overridden",
            "start_date",
            "end_date",
            "end_reason",
            "note",
            "end_note",
            "created_by_id",
            "ended_by_id",
            "created_at",
            "ended_at",
        ]
        rows: list[tuple] = []
        next_id = _first_id(Assignment)
        liaison_user = self.teams[self.sizes.leader_teams].users[self.teams[self.sizes.leader_teams].lead]
        mid_year = min(datetime.date(self.year, 6, 30), self.today)
        for index, team in enumerate(self.teams):
            needs = LEADER_NEEDS if team.kind == TeamKind.LEADER else DEPARTMENT_NEEDS
            short = rng.choice(list(needs)) if rng.random() < 0.08 else None  # a realistic shortfall
            for category, count in needs.items():
                taken: set[int] = set()
                field_name = "s" if category in ("expert", "frontline") else "o"
                for _ in range(count - (category == short)):
                    target = deal(category, taken)
                    if target is None:
                        break
                    taken.add(target)
                    org, sci = (None, target) if field_name == "s" else (target, None)
                    row = [next_id, team.id, org, sci, category, False, start, None, "", "", "", liaison_user]
                    row += [None, self.now, None]
                    rows.append(tuple(row))
                    next_id += 1
                    team.targets.append((field_name, target, category))
                    team.spans[(field_name, target)].append((start, None))
            # someone retired mid-year: the row stays, ended with its reason, and a successor follows
            retired = follower = None
            if (rng.random() < 0.03 or index == 1) and mid_year > start:  # team 1 always: small N has one too
                last = next(
                    (k for k in range(len(rows) - 1, -1, -1) if rows[k][1] == team.id and rows[k][3]), None
                )
                if last is not None:
                    old = list(rows[last])
                    ended_at = datetime.datetime.combine(
                        mid_year, datetime.time(10), tzinfo=timezone.get_current_timezone()
                    )
                    old[7:11] = [mid_year, EndReason.RETIRED.value, "", "年中退休，联系工作移交单位"]
                    old[12], old[14] = liaison_user, ended_at
                    rows[last] = tuple(old)
                    team.spans[("s", old[3])] = [(start, mid_year)]
                    team.switch, retired = mid_year, ("s", old[3])
                    team.targets = [t for t in team.targets if not (t[0] == "s" and t[1] == old[3])]
                    successor = deal(old[4], {t[1] for t in team.targets if t[0] == "s"} | {old[3]})
                    follow = mid_year + datetime.timedelta(days=1)
                    if successor is not None and follow <= self.today:
                        note = "接替退休人员"
                        rows.append(
                            (next_id, team.id, None, successor, old[4], False, follow, None, "", note, "")
                            + (liaison_user, None, self.now, None)
                        )
                        next_id += 1
                        team.targets.append(("s", successor, old[4]))
                        team.spans[("s", successor)].append((follow, None))
                        follower = ("s", successor)
            # a few targets stay silent all year: the review has something to show
            keys = [(kind, target) for kind, target, _category in team.targets]
            team.silent = set(rng.sample(keys, k=max(1, len(keys) // 12))) if keys else set()
            team.settle(retired, follower)
        self.writer.write(Assignment, fields, rows)
        self.say(f"联系对象 {len(rows)} 条")

    # --- records, targets, participants, demands ---------------------------------------------------------

    def records(self) -> None:
        rng = self.rng("records")
        first_day = datetime.date(self.year, 1, 1)
        days = (self.today - first_day).days + 1
        festivals = [
            (occasion, when - datetime.timedelta(days=1))
            for occasion, when in (
                ("spring_festival", occasions.spring_festival(self.year)),
                ("workers_day", occasions.workers_day(self.year)),
            )
            if first_day <= when - datetime.timedelta(days=1) <= self.today
        ]
        festival_days = {day: occasion for occasion, day in festivals}
        per_team = self.sizes.records / len(self.teams)
        scientist_ids = list(self.scientist_names)
        org_ids = list(self.org_names)
        # Each team's regular records spread over the days so far; festival greetings come on top.
        people_per_team = sum(1 for t in self.teams for k, *_ in t.targets if k == "s") / len(self.teams)
        greetings_share = 0.85 * people_per_team
        regular = max(1, round(per_team - len(festivals) * greetings_share))
        day_counts: list[list[int]] = []
        for _team in self.teams:
            counts = [0] * days
            for _ in range(regular):
                counts[rng.randrange(days)] += 1
            day_counts.append(counts)

        out = _Batches(self)
        for offset in range(days):
            day = first_day + datetime.timedelta(days=offset)
            occasion = festival_days.get(day)
            for index, team in enumerate(self.teams):
                if occasion is not None:
                    for _kind, target in team.own(day, people_only=True):
                        if rng.random() < 0.85:
                            self._greeting(out, rng, team, day, occasion, target)
                for _ in range(day_counts[index][offset]):
                    self._record(out, rng, team, day, scientist_ids, org_ids)
            if out.full():
                out.flush()
        out.flush()
        self.say(
            f"联系记录 {out.totals['records']} 条，记录对象 {out.totals['targets']} 条，"
            f"参加人员 {out.totals['participants']} 条，诉求 {out.totals['demands']} 条"
        )

    def _targets_for(
        self, rng, team: TeamPlan, day, count: int, scientist_ids, org_ids, *, people_only=False
    ):
        own = team.own(day, people_only=people_only)
        chosen: list[tuple[str, int]] = []
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            if own and rng.random() >= SHARE_OFF_TEAM_TARGETS:
                key = rng.choice(own)
            elif people_only or rng.random() < 0.8:
                key = ("s", rng.choice(scientist_ids))
            else:
                key = ("o", rng.choice(org_ids))
            if key not in chosen:
                chosen.append(key)
        return chosen

    def _name(self, key: tuple[str, int]) -> str:
        return self.scientist_names[key[1]] if key[0] == "s" else self.org_names[key[1]]

    def _greeting(self, out, rng, team: TeamPlan, day, occasion: str, scientist: int) -> None:
        """One of the records of a bulk greeting, as contacts.greetings_create writes it."""
        author = rng.choice(team.people)
        channel = rng.choice(["message", "phone", "visit"])
        summary = f"{Occasion(occasion).label}慰问（{ContactChannel(channel).label}）"
        out.record(
            team, day, "greeting", channel, occasion, [], False, "", summary, author, [("s", scientist)]
        )

    def _record(self, out, rng, team: TeamPlan, day, scientist_ids, org_ids) -> None:
        method = rng.choices(*zip(*METHOD_WEIGHTS, strict=True))[0]
        if method == "symposium":
            count = rng.randint(3, 7)
        elif method == "event":
            count = rng.randint(1, 2)
        else:
            count = 1
        keys = self._targets_for(
            rng, team, day, count, scientist_ids, org_ids, people_only=method == "greeting"
        )
        names = "、".join(self._name(k) for k in keys)
        author = rng.choice(team.people)
        topics = sorted(rng.sample(TOPICS, k=2))
        if method == "greeting":
            occasion = rng.choice(OTHER_OCCASIONS)
            channel = rng.choice(["message", "phone", "visit"])
            summary = SUMMARIES["greeting"].format(o=OCCASION_LABELS[occasion], t=names)
            grassroots, place, topics = False, "", []
        else:
            occasion, channel = "", CHANNELS[method]
            summary = SUMMARIES[method].format(t=names)
            grassroots = method == "survey" or (method == "symposium" and rng.random() < 0.5)
            place = self._name(keys[0]) if method == "survey" else "市科协会议室"
        out.record(team, day, method, channel, occasion, topics, grassroots, place, summary, author, keys)

    # --- the third layer: officers and filings ------------------------------------------------------------

    def filings(self) -> None:
        """Officers for every organisation of the filing kinds, and a filing of this year for SHARE_FILING of
        them: imported and confirmed, imported, revised after confirmation (two revisions), or a draft; the
        rows file_lines, confirm_revision and open_draft would write (liaison/filing/services.py)."""
        rng = self.rng("filings")
        active = [pk for ids in self.scientists_of_org.values() for pk in ids]
        active.sort()
        ids = {key: _first_id(model) for key, model in self.FILING_MODELS.items()}
        rows: dict[str, list[tuple]] = defaultdict(list)
        states, weights = zip(*FILING_STATES, strict=True)

        def next_id(key: str) -> int:
            ids[key] += 1
            return ids[key] - 1

        for kind in FILING_KINDS:
            for org_id in self.orgs_by_kind.get(kind, []):
                officers = []
                for order, (post, tenure) in enumerate(OFFICER_POSTS[: rng.choice((2, 2, 3))], start=1):
                    name = rng.choice(SURNAMES) + rng.choice(MALE_CHARS) + rng.choice(FEMALE_CHARS)
                    officer_id = next_id("officer")
                    rows["officer"].append(
                        (officer_id, org_id, name, post, "", _mobile(rng), tenure, "", order)
                    )
                    officers.append((officer_id, name, post, tenure))
                if rng.random() >= SHARE_FILING:
                    continue
                own = self.scientists_of_org.get(org_id) or []
                pool = own if len(own) >= 3 else active
                lines = []
                for officer in officers:
                    for scientist in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
                        if all(scientist != s for _o, s in lines):
                            lines.append((officer, scientist))
                state = rng.choices(states, weights)[0]
                if len(rows["filing"]) % REVISED_EVERY == 1:
                    state = "revised"
                self._filing(rows, next_id, org_id, lines, state)
        for key, model in self.FILING_MODELS.items():
            self.writer.write(model, self.FILING_FIELDS[key], rows[key])
        self.say(f"组织负责人 {len(rows['officer'])} 名，联系分工备案 {len(rows['filing'])} 份")

    FILING_MODELS: dict[str, type[models.Model]] = {
        "officer": Officer,
        "filing": Filing,
        "revision": FilingRevision,
        "entry": FilingEntry,
        "step": FilingStep,
    }
    FILING_FIELDS = {
        "officer": ["id", "organization_id", "name", "post", "job", "phone", "tenure", "four_heads", "order"],
        "filing": ["id", "year_id", "organization_id", "in_force_id", "created_at", "updated_at"],
        "revision": [
            "id",
            "filing_id",
            "number",
            "status",
            "return_comment",
            "filed_at",
            "on_behalf",
            "confirmed_at",
            "created_at",
        ],
        "entry": ["id", "revision_id", "officer_id", "officer_name", "post", "tenure", "scientist_id"],
        "step": ["id", "filing_id", "revision_number", "action", "comment", "at"],
    }

    def _filing(self, rows, next_id, org_id: int, lines: list, state: str) -> None:
        now = self.now
        filing_id = next_id("filing")
        # revision number → (status, its lines): a revised filing's first revision lacks the last line
        if state == "revised" and len(lines) > 1:
            revisions = [(1, FilingStatus.CONFIRMED, lines[:-1]), (2, FilingStatus.FILED, lines)]
        elif state == "draft":
            revisions = [(1, FilingStatus.DRAFT, lines)]
        else:
            status = FilingStatus.FILED if state == "filed" else FilingStatus.CONFIRMED
            revisions = [(1, status, lines)]
        in_force = None
        steps = [(1, FilingAction.CREATE)]
        for number, status, held in revisions:
            revision_id = next_id("revision")
            filed = status != FilingStatus.DRAFT
            confirmed = status == FilingStatus.CONFIRMED
            rows["revision"].append(
                (
                    revision_id,
                    filing_id,
                    number,
                    str(status),
                    "",
                    now if filed else None,
                    False,
                    now if confirmed else None,
                    now,
                )
            )
            if number > 1:
                steps.append((number, FilingAction.REVISE))
            if filed:
                steps.append((number, FilingAction.IMPORT))
                in_force = revision_id
            if confirmed:
                steps.append((number, FilingAction.CONFIRM))
            for (officer_id, name, post, tenure), scientist in held:
                rows["entry"].append(
                    (next_id("entry"), revision_id, officer_id, name, str(post), str(tenure), scientist)
                )
        rows["filing"].append((filing_id, self.year_id, org_id, in_force, now, now))
        for number, action in steps:
            rows["step"].append((next_id("step"), filing_id, number, str(action), "", now))


RECORD_FIELDS = [
    "id",
    "team_id",
    "date",
    "method",
    "channel",
    "occasion",
    "festival_date",
    "topics",
    "grassroots",
    "place",
    "summary",
    "status",
    "author_id",
    "highlighted",
    "is_deleted",
    "deleted_reason",
    "deleted_by_id",
    "deleted_at",
    "created_at",
    "updated_at",
]
TARGET_FIELDS = [
    "id",
    "record_id",
    "team_id",
    "date",
    "counts",
    "assigned",
    "organization_id",
    "scientist_id",
]
PARTICIPANT_FIELDS = ["id", "contactrecord_id", "staff_id"]
DEMAND_FIELDS = [
    "id",
    "record_id",
    "team_id",
    "kind",
    "text",
    "raised_by_scientist_id",
    "raised_by_organization_id",
    "raised_by_text",
    "handler_id",
    "handler_department_id",
    "due_date",
    "status",
    "reply",
    "replied_at",
    "revisit_date",
    "revisit_satisfied",
    "revisit_note",
    "closed_at",
    "created_at",
    "updated_at",
]
ACTION_FIELDS = [
    "id",
    "demand_id",
    "date",
    "kind",
    "text",
    "handed_to",
    "status_after",
    "by_id",
    "created_at",
]


class _Batches:
    """Rows of the record tables waiting to be written, with the next primary key of each."""

    def __init__(self, gen: ScaleGenerator) -> None:
        self.gen = gen
        self.rng = gen.rng("demands")
        self.participant_model = ContactRecord.participants.through
        self.models = {
            "records": (ContactRecord, RECORD_FIELDS),
            "targets": (ContactTarget, TARGET_FIELDS),
            "participants": (self.participant_model, PARTICIPANT_FIELDS),
            "demands": (Demand, DEMAND_FIELDS),
            "actions": (DemandAction, ACTION_FIELDS),
        }
        self.rows: dict[str, list[tuple]] = {key: [] for key in self.models}
        self.next_id = {key: _first_id(model) for key, (model, _f) in self.models.items()}
        self.totals = dict.fromkeys(self.models, 0)
        self.use_json_text = gen.writer.use_copy

    def _id(self, key: str) -> int:
        value = self.next_id[key]
        self.next_id[key] += 1
        return value

    def full(self) -> bool:
        return len(self.rows["records"]) >= BATCH_SIZE

    def flush(self) -> None:
        for key, (model, fields) in self.models.items():
            self.gen.writer.write(model, fields, self.rows[key])
            self.totals[key] += len(self.rows[key])
            self.rows[key] = []

    def record(self, team, day, method, channel, occasion, topics, grassroots, place, summary, author, keys):
        rng = self.rng
        gen = self.gen
        record_id = self._id("records")
        roll = rng.random()
        draft = roll < SHARE_DRAFTS
        deleted = not draft and roll < SHARE_DRAFTS + SHARE_DELETED
        status = RecordStatus.DRAFT.value if draft else RecordStatus.DONE.value
        counts = not draft and not deleted
        author_user = team.users[author]
        deleted_at = (
            datetime.datetime.combine(day, datetime.time(17), tzinfo=timezone.get_current_timezone())
            if deleted
            else None
        )
        self.rows["records"].append(
            (
                record_id,
                team.id,
                day,
                method,
                channel,
                occasion,
                occasions.festival_for(occasion, day) if method == "greeting" else None,
                json.dumps(topics) if self.use_json_text else topics,
                grassroots,
                place,
                summary,
                status,
                author,
                rng.random() < 0.02,
                deleted,
                "重复录入" if deleted else "",
                author_user if deleted else None,
                deleted_at,
                gen.now,
                gen.now,
            )
        )
        # ContactTarget rows exactly as contacts.sync_targets writes them: organisations first, then people
        for kind in ("o", "s"):
            for key in keys:
                if key[0] != kind:
                    continue
                org, sci = (key[1], None) if kind == "o" else (None, key[1])
                assigned = team.assigned(key, day)
                self.rows["targets"].append(
                    (self._id("targets"), record_id, team.id, day, counts, assigned, org, sci)
                )
        # participants: the author and up to two more of the team (record_save adds the author)
        others = [p for p in team.people if p != author]
        people = [author, *rng.sample(others, k=min(len(others), rng.randint(0, 2)))]
        for person in people:
            self.rows["participants"].append((self._id("participants"), record_id, person))
        if counts and method != "greeting" and rng.random() < SHARE_DEMANDS:
            self._demand(team, record_id, day, author, keys)

    def _demand(self, team, record_id, day, author, keys) -> None:
        rng = self.rng
        gen = self.gen
        demand_id = self._id("demands")
        kind, text = rng.choice(DEMAND_TEXTS)
        scientist = next((k[1] for k in keys if k[0] == "s"), None)
        org = None if scientist is not None else keys[0][1]
        handler = rng.choice(team.people)
        due = day + datetime.timedelta(days=30)
        by = team.users[author]
        actions = [
            (day, "register", "", "pending"),
            (day, "assign", "", "assigned"),
        ]
        status, reply, replied, revisit, satisfied, revisit_note, closed = (
            "assigned",
            "",
            None,
            None,
            None,
            "",
            None,
        )
        closing = min(due - datetime.timedelta(days=5), gen.today)
        if due < gen.today - datetime.timedelta(days=20) and rng.random() < 0.7 and closing >= day:
            status, reply, replied, closed = "done", "已协调解决，向提出人作了反馈", closing, closing
            actions += [
                (closing, "progress", "已与有关部门沟通", "in_progress"),
                (closing, "reply", reply, "done"),
            ]
            if rng.random() < 0.6:
                revisit, satisfied, revisit_note = closing, True, "表示满意"
                actions.append((closing, "revisit", revisit_note, "done"))
        elif rng.random() < 0.4 and day < gen.today:
            status = "in_progress"
            actions.append(
                (min(day + datetime.timedelta(days=3), gen.today), "progress", "已与有关部门沟通", status)
            )
        self.rows["demands"].append(
            (demand_id, record_id, team.id, kind, text, scientist, org, "", handler, None, due, status)
            + (reply, replied)
            + (revisit, satisfied, revisit_note, closed, gen.now, gen.now)
        )
        for when, action, note, after in actions:
            handed_to = gen.staff_names[handler] if action == "assign" else ""
            self.rows["actions"].append(
                (self._id("actions"), demand_id, when, action, note, handed_to, after, by, gen.now)
            )


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


WRITTEN_MODELS = [
    Organization,
    Scientist,
    Department,
    Staff,
    Team,
    Team.members.through,
    Assignment,
    ContactRecord,
    ContactTarget,
    ContactRecord.participants.through,
    Demand,
    DemandAction,
    Officer,
    Filing,
    FilingRevision,
    FilingEntry,
    FilingStep,
]


def seed_scale(
    n: int, *, stdout: TextIO | None = None, today: datetime.date | None = None, method: str = "auto"
) -> dict[str, Any]:
    """Generate the benchmark data of scale N into an empty database, in one transaction.

    method: "auto" (COPY on PostgreSQL, bulk_create elsewhere), "orm" (bulk_create everywhere) or "copy".
    Returns {"rows": {table: n}, "seconds", "rows_per_second", "sizes"}.
    """
    if n < 1:
        raise ScaleError("--scale 须为正整数（科技工作者人数）。")
    busy = non_empty_tables()
    if busy:
        raise ScaleError(
            "数据库不是空的（已有" + "、".join(busy) + "）：--scale 只能在空数据库中生成基准数据，"
            "请换用新的数据库，或先清空（manage.py flush）。"
        )
    use_copy = (method == "copy" or method == "auto") and connection.vendor == "postgresql"
    if method == "copy" and connection.vendor != "postgresql":
        raise ScaleError("COPY 只适用于 PostgreSQL。")
    writer = Writer(use_copy=use_copy, stdout=stdout)
    today = today or timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        generator = ScaleGenerator(n, today=today, writer=writer, stdout=stdout)
        with _indexes_built_after(WRITTEN_MODELS) if use_copy else nullcontext():
            result = generator.run()
        if connection.vendor == "postgresql":
            _reset_sequences([*WRITTEN_MODELS, get_user_model()])
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility maps (what autovacuum would do a minute later, in the middle of a
        # benchmark); VACUUM cannot run inside a caller's transaction, ANALYZE can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in [*WRITTEN_MODELS, get_user_model()]:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    total = sum(writer.rows.values())
    result.update(
        rows=dict(writer.rows),
        seconds=round(seconds, 1),
        rows_per_second=round(total / seconds) if seconds else 0,
        method="COPY" if use_copy else "bulk_create",
    )
    return result


def format_scale_summary(result: dict[str, Any]) -> str:
    sizes: Sizes = result["sizes"]
    total = sum(result["rows"].values())
    lines = [
        "",
        f"基准数据已生成（{result['year']} 年度，规模 N = {sizes.scientists:,}）："
        f"共写入 {total:,} 行，用时 {result['seconds']} 秒，每秒 {result['rows_per_second']:,} 行"
        f"（{result['method']}）。",
    ]
    for table, count in sorted(result["rows"].items(), key=lambda item: -item[1]):
        lines.append(f"  {table:<32} {count:>10,}")
    lines.append("生成的登录账号均无可用密码；基准测试以 force_login 登录。")
    return "\n".join(lines)


def most_named_scientist(staff: Any = None) -> int | None:
    """The id of the scientist named on the most contact records (of the staff member's teams, if given): the
    hub page with the longest history, which the benchmark and tests/test_scale.py measure."""
    targets = ContactTarget.objects.filter(scientist__isnull=False)
    if staff is not None:
        targets = targets.filter(team__members=staff)
    return (
        targets.values("scientist")
        .annotate(n=models.Count("id"))
        .order_by("-n", "scientist")
        .values_list("scientist", flat=True)
        .first()
    )


def scale_personas() -> dict[str, Any]:
    """The users the benchmark and the tests log in as: the liaison-office head, the first leader, and a staff
    member (工作人员, not of the liaison office) of a department team who is also a member of a leader team."""
    user_model = get_user_model()
    liaison = Staff.objects.filter(department__is_liaison_office=True, position=Position.DEPARTMENT_HEAD)
    leader = Staff.objects.filter(position=Position.LEADERSHIP)
    member = Staff.objects.filter(position=Position.STAFF, member_teams__kind=TeamKind.LEADER).exclude(
        department__is_liaison_office=True  # the liaison office sees every record: not a plain staff member
    )
    result = {}
    for key, queryset in (("liaison", liaison), ("leader", leader), ("staff", member)):
        staff = queryset.order_by("id").first()
        result[key] = user_model.objects.get(pk=staff.user_id) if staff else None
    return result
