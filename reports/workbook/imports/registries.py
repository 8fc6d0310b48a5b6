"""The registries: 组织 (key 名称), 科技工作者 (key 姓名 + 工作单位), 干部 (key 用户名)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email

from common.personal_data import is_masked
from common.phones import PHONE_ERROR, normalize_phone
from experts.duplicates.finder import Person, likely_in_workbook, workbook_person
from experts.models import FourHeads, Scientist, TalentCategory
from liaison.models import Position, Staff
from orgs.models import REQUIRED_PARENT_KIND, Organization, OrgKind

from . import cells
from .base import REQUIRED, Invalid, Sheet
from .context import NAMES, Row, column_letter
from .format import (
    FOUR_HEADS,
    GENDERS,
    ORG_KINDS,
    ORGS,
    POSITIONS,
    SCIENTISTS,
    STAFF,
    TALENTS,
    allowed,
    canon,
)
from .result import Problem


def phone(value: Any) -> str:
    try:
        return normalize_phone(cells.text(value))
    except ValidationError as exc:
        raise cells.CellError(PHONE_ERROR) from exc


def email(value: Any) -> str:
    raw = cells.text(value)
    try:
        validate_email(raw)
    except ValidationError as exc:
        raise cells.CellError("邮箱格式不正确，应形如 name@example.com。") from exc
    return raw


# --- 组织 -----------------------------------------------------------------------------------------------

# Kinds whose county follows from the hierarchy (Organization.save): 所在区县 is not read for them.
DERIVED_COUNTY = {OrgKind.DISTRICT, *REQUIRED_PARENT_KIND}


class OrganizationSheet(Sheet):
    name = ORGS
    key_column = "名称"
    fields = {
        "name": "名称",
        "kind": "类别",
        "parent": "上级组织",
        "county": "所在区县",
        "address": "地址",
        "contact_person": "联系人",
        "contact_phone": "联系电话",
        "notes": "备注",
        NON_FIELD_ERRORS: "名称",
    }
    TEXT = {"address": "地址", "contact_person": "联系人", "notes": "备注"}
    KIND_ERROR = f"类别应为以下之一：{allowed(OrgKind.choices)}（括号部分可省略，如“区县科协”）。"

    def run(self) -> None:
        parsed: list[tuple[Row, dict]] = []
        seen: dict[str, int] = {}
        for row in self.data.rows:
            name = row.text("名称")
            key = self.key(name)
            if key and not self.first_seen(seen, key, row, "名称", "同一名称的组织"):
                continue
            try:
                parsed.append((row, self.parse(row)))
            except Invalid:
                if key:
                    self.ctx.failed[ORGS][key] = row.number
        for row, item in self.parents_first(parsed):
            try:
                self.apply(row, item)
            except Invalid:
                self.ctx.failed[ORGS][self.key(item["name"])] = row.number

    def parse(self, row: Row) -> dict:
        # a phone an export masked (138****5678, personal data) keeps the stored one
        masked = is_masked(row.text("联系电话"))
        name, kind, contact_phone = self.checked(
            row,
            [
                lambda: self.required(row, "名称"),
                lambda: self.required_cell(row, "类别", cells.choice, ORG_KINDS, self.KIND_ERROR),
                lambda: "" if masked else self.optional(row, "联系电话", phone, default=""),
            ],
        )
        return {
            "name": name,
            "kind": kind,
            "contact_phone": contact_phone,
            "phone_masked": masked,
            "parent": row.text("上级组织"),
            "county": row.text("所在区县"),
        }

    def parents_first(self, parsed: list[tuple[Row, dict]]) -> list[tuple[Row, dict]]:
        """File order, except that an organisation comes after the file's rows it names as 上级组织 or
        所在区县; rows that wait on each other in a ring are reported."""
        in_file = {self.key(item["name"]) for _row, item in parsed}

        def needs(item: dict) -> set[str]:
            names = {self.key(item["parent"]), self.key(item["county"]), self.key(item["county"]) + "科协"}
            return (names & in_file) - {"", self.key(item["name"])}

        ordered: list[tuple[Row, dict]] = []
        done: set[str] = set()
        waiting = parsed
        while waiting:
            still = []
            for row, item in waiting:
                if needs(item) <= done:
                    ordered.append((row, item))
                    done.add(self.key(item["name"]))
                else:
                    still.append((row, item))
            if len(still) == len(waiting):
                for row, item in still:
                    self.problem(
                        row, "上级组织", "上级组织形成循环（甲的上级是乙，乙的上级又是甲），请检查。"
                    )
                    self.ctx.failed[ORGS][self.key(item["name"])] = row.number
                break
            waiting = still
        return ordered

    def apply(self, row: Row, item: dict) -> None:
        kind = item["kind"]
        values: dict[str, Any] = {"kind": kind}
        if row.has("上级组织"):
            values["parent"] = self.reference(row, "上级组织", item["parent"]) if item["parent"] else None
        if row.has("所在区县") and kind not in DERIVED_COUNTY:
            values["county"] = self.county(row, item["county"]) if item["county"] else None
        if row.has("联系电话") and not item["phone_masked"]:
            values["contact_phone"] = item["contact_phone"]
        for field, column in self.TEXT.items():
            if row.has(column):
                values[field] = row.text(column)
        org = self.ctx.org(item["name"])
        if org is not None:
            org.require_parent = False  # 上级组织 is optional in the published format
        saved = self.upsert(row, org, lambda: self.lenient(Organization(name=item["name"])), values)
        if org is None:
            self.ctx.add_org(saved)

    @staticmethod
    def lenient(org: Organization) -> Organization:
        org.require_parent = False
        return org

    def reference(self, row: Row, column: str, name: str) -> Organization:
        found = self.ctx.org(name)
        if found is None:
            raise self.unknown(row, column, ORGS, self.key(name), "组织", name)
        return found

    def county(self, row: Row, name: str) -> Organization:
        """所在区县 names a county-level association: "清源县科协", or just the place, "清源县"."""
        found = self.ctx.org(name) or self.ctx.org(name + "科协")
        if found is None:
            raise self.unknown(row, "所在区县", ORGS, self.key(name), "区县(市)科协", name)
        if found.kind != OrgKind.DISTRICT:
            raise self.fail(row, "所在区县", f"“{found.name}”不是区县(市)科协，所在区县须填写区县(市)科协。")
        return found


# --- 科技工作者 -------------------------------------------------------------------------------------------


class ScientistSheet(Sheet):
    name = SCIENTISTS
    key_column = "姓名"
    fields = {
        "name": "姓名",
        "gender": "性别",
        "birth_date": "出生日期",
        "birthday_lunar": "农历生日",
        "employer": "工作单位",
        "organization": "所属组织",
        "post": "职务",
        "title": "职称",
        "discipline": "学科领域",
        "category": "人才类别",
        "four_heads": "四长",
        "mobile": "手机",
        "email": "邮箱",
        "notes": "备注",
        NON_FIELD_ERRORS: "姓名",
    }
    TEXT = {"post": "职务", "title": "职称", "discipline": "学科领域", "notes": "备注"}
    CATEGORY_ERROR = f"人才类别应为以下之一：{allowed(TalentCategory.choices)}。"
    GENDER_ERROR = "性别应为“男”或“女”，不详请留空。"
    FOUR_HEADS_ERROR = f"“四长”应为以下之一：{allowed(FourHeads.choices)}，不是请留空。"

    BATCH = 1000

    def run(self) -> None:
        if self.ctx.result.dry_run:
            # the check before an import (the issue asks it of the dry run): the import itself leaves likely
            # duplicates to the duplicates page, whose finder reads the registry with the same rules — at
            # 100,000 scientists the warnings of a 20,000-row sheet take ~20 s (docs/performance.md)
            self.warn_likely_duplicates()
        seen: dict[tuple[str, str], int] = {}
        rows = self.data.rows
        for start in range(0, len(rows), self.BATCH):
            # A batch's namesakes in one query, forgotten after it: memory stays flat on a long sheet (a later
            # sheet that names them loads them again, including those this import created).
            batch = rows[start : start + self.BATCH]
            names = {row.text("姓名") for row in batch}
            # the rows' own scientists read whole: their fields are compared and may change
            whole = {(self.key(row.text("姓名")), self.key(row.text("工作单位"))) for row in batch}
            self.ctx.load_scientists(names, whole=whole)
            for row in batch:
                key = (self.key(row.text("姓名")), self.key(row.text("工作单位")))
                if all(key) and not self.first_seen(seen, key, row, "姓名", "同一工作单位的同名科技工作者"):
                    continue
                try:
                    self.apply(row)
                except Invalid:
                    if all(key):
                        self.ctx.failed[SCIENTISTS][key] = row.number
            self.ctx.forget_scientists(names)

    def warn_likely_duplicates(self) -> None:
        """Warn of rows that would create a scientist who looks like one in the registry or like another such
        row (experts/duplicates/finder.py, the rules of the duplicates page), before anything is written, the
        same on both paths (bulk.py inherits this run). A warning, not a problem: the import still runs."""
        people: list[Person] = []
        numbers: dict[str, Row] = {}
        rows = [row for row in self.data.rows if row.text("姓名") and row.text("工作单位")]
        for start in range(0, len(rows), self.BATCH):
            batch = rows[start : start + self.BATCH]
            names = sorted({row.text("姓名") for row in batch})
            existing = set()
            # NAMES to a query, as Context.load_scientists: with 1,000 names PostgreSQL answered from the
            # search's trigram index, ~9 s a query at 100,000 scientists (bench/importer.py)
            for first in range(0, len(names), NAMES):
                existing.update(
                    (self.key(name), self.key(employer))
                    for name, employer in Scientist.objects.filter(name__in=names[first : first + NAMES])
                    .order_by()
                    .values_list("name", "employer")
                )
            for row in batch:
                if (self.key(row.text("姓名")), self.key(row.text("工作单位"))) in existing:
                    continue  # updates that record
                ref = str(row.number)
                numbers[ref] = row
                people.append(self.person(ref, row))
        for pair in sorted(likely_in_workbook(people), key=lambda pair: int(pair.second.id)):
            first, second = pair.first, pair.second
            row = numbers[second.id]
            if first.id in numbers:
                like = f"本表第 {first.id} 行的“{first.name}”（{first.employer}）"
            else:
                like = f"已有的科技工作者“{first.name}”（{first.employer}，编号 {first.id}）"
            reason = (
                f"可能与{like}是同一人（{pair.score} 分：{'、'.join(pair.reasons)}）。"
                "仍会导入；导入后可在“重复的科技工作者”页核对、合并。"
            )
            letter = column_letter(row.sheet.index["姓名"]) if "姓名" in row.sheet.index else ""
            self.ctx.result.warnings.append(
                Problem(self.name, row.number, "姓名", row.text("姓名"), reason, letter)
            )

    @staticmethod
    def person(ref: str, row: Row) -> Person:
        try:
            born = cells.date(row.raw("出生日期")) if row.has("出生日期") else None
        except cells.CellError:  # a bad date is the row's problem, reported by apply(); here only unknown
            born = None
        mobile = row.text("手机") if row.has("手机") and not is_masked(row.text("手机")) else ""
        return workbook_person(
            ref,
            name=row.text("姓名"),
            employer=row.text("工作单位"),
            mobile=mobile,
            birth_date=born,
            gender=GENDERS.get(canon(row.text("性别")), "") if row.has("性别") else "",
        )

    def apply(self, row: Row) -> None:
        name, employer, category, values = self.checked(
            row,
            [
                lambda: self.required(row, "姓名"),
                lambda: self.required(row, "工作单位"),
                lambda: self.required_cell(row, "人才类别", cells.choice, TALENTS, self.CATEGORY_ERROR),
                lambda: self.optional_values(row),
            ],
        )
        values["category"] = category
        scientist = self.ctx.scientist(name, employer)
        saved = self.upsert(row, scientist, lambda: Scientist(name=name, employer=employer), values)
        if scientist is None:
            self.ctx.add_scientist(saved)

    def optional_values(self, row: Row) -> dict[str, Any]:
        readers = {
            "gender": (
                "性别",
                lambda: self.optional(row, "性别", cells.choice, GENDERS, self.GENDER_ERROR, default=""),
            ),
            "birth_date": ("出生日期", lambda: self.optional(row, "出生日期", cells.date)),
            "birthday_lunar": (
                "农历生日",
                lambda: self.optional(row, "农历生日", cells.yes_no, default=False),
            ),
            "four_heads": (
                "四长",
                lambda: self.optional(
                    row, "四长", cells.choice, FOUR_HEADS, self.FOUR_HEADS_ERROR, default=""
                ),
            ),
            "mobile": ("手机", lambda: self.optional(row, "手机", phone, default="")),
            "email": ("邮箱", lambda: self.optional(row, "邮箱", email, default="")),
            "organization": ("所属组织", lambda: self.organization(row)),
        }
        # a phone or email an export masked (138****5678, z***@…: personal data) keeps the stored one
        present = {
            field: read
            for field, (column, read) in readers.items()
            if row.has(column) and not is_masked(row.text(column))
        }
        parsed = self.checked(row, list(present.values()))
        values = dict(zip(present, parsed, strict=True))
        for field, column in self.TEXT.items():
            if row.has(column):
                values[field] = row.text(column)
        return values

    def organization(self, row: Row) -> Organization | None:
        name = row.text("所属组织")
        if not name:
            return None
        found = self.ctx.org(name)
        if found is None:
            raise self.unknown(row, "所属组织", ORGS, self.key(name), "组织", name)
        return found


# --- 干部 -----------------------------------------------------------------------------------------------

USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


class StaffSheet(Sheet):
    name = STAFF
    key_column = "用户名"
    fields = {
        "name": "姓名",
        "user": "用户名",
        "username": "用户名",
        "department": "部室",
        "position": "角色",
        "title": "职务",
        "phone": "手机",
        "order": "排序",
        NON_FIELD_ERRORS: "用户名",
    }
    ROLE_ERROR = f"角色应为以下之一：{allowed(Position.choices)}。"

    def run(self) -> None:
        seen: dict[str, int] = {}
        for row in self.data.rows:
            key = row.text("用户名").lower()
            if key and not self.first_seen(seen, key, row, "用户名", "同一用户名"):
                continue
            try:
                self.apply(row)
            except Invalid:
                if key:
                    self.ctx.failed[STAFF][key] = row.number

    def apply(self, row: Row) -> None:
        name, username, position, phone_number, order = self.checked(
            row,
            [
                lambda: self.required(row, "姓名"),
                lambda: self.username(row),
                lambda: self.required_cell(row, "角色", cells.choice, POSITIONS, self.ROLE_ERROR),
                lambda: self.optional(row, "手机", phone, default=""),
                lambda: self.optional(row, "排序", cells.integer, default=0),
            ],
        )
        department_name = row.text("部室")
        if not department_name and position != Position.LEADERSHIP:
            raise self.fail(row, "部室", REQUIRED + "（只有领导班子成员可以不填部室）")
        department = None
        if department_name:
            try:
                department = self.ctx.department(department_name)
            except ValidationError as exc:
                self.report(row, exc, {"name": "部室", NON_FIELD_ERRORS: "部室"})
                raise Invalid from exc
        values: dict[str, Any] = {"name": name, "department": department, "position": position}
        if row.has("职务"):
            values["title"] = row.text("职务")
        if row.has("手机"):
            values["phone"] = phone_number
        if row.has("排序"):
            values["order"] = order
        staff = self.ctx.staff_member(username)
        if staff is None:
            user = self.ctx.user_without_staff(username) or self.new_user(row, username)
            staff = self.upsert(row, None, lambda: Staff(user=user), values)
            self.ctx.add_staff(staff)
        else:
            self.upsert(row, staff, lambda: staff, values)

    def username(self, row: Row) -> str:
        username = self.required(row, "用户名")
        if not USERNAME.match(username):
            raise self.fail(row, "用户名", "用户名只能包含字母、数字和 @ . + - _，不超过 150 个字符。")
        return username

    def new_user(self, row: Row, username: str):
        """A new person gets an account that cannot log in until a password is set (spec)."""
        user = get_user_model()(username=username)
        user.set_unusable_password()
        self.save(row, user, exclude=["password"])
        return user
