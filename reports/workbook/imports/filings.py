"""备案 (key: all columns but 任职方式): a grassroots organisation's division of liaison for a year, filed.

A row says: in 年度, the officer 联系人 (with 职务, and 任职方式 where given) of 组织 keeps in touch with the
registry's 科技工作者. The officer is one of the organisation's: found by name and post, created if new, its
任职方式 updated when given. The rows of one organisation and year are filed together through
liaison.filing.services.file_lines (导入报备): the lines are added to the division in force and filed as a new
revision, or nothing is written when every line is already in force, so that importing the same workbook twice
changes nothing the second time.

The liberal readings (docs/workbook.md): 职务 may also be any other post the officer list knows (副秘书长);
an officer found under a different 职务 (the only one of that name in the organisation) takes the row's 职务;
a row whose line is already in force under an officer since removed from the list is left as it is.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Max

from liaison.filing import services as filing
from liaison.models import Filing, FilingEntry, Year
from orgs.models import Officer, OfficerPost, Organization, Tenure

from . import cells
from .base import Invalid, Sheet
from .context import Row
from .format import FILINGS, OFFICER_POSTS, ORGS, TENURES, allowed, canon
from .plan import find_scientist
from .result import FILING_REVISIONS, OFFICERS

POST_ERROR = f"职务应为以下之一：{allowed(OfficerPost.choices)}。"
TENURE_ERROR = f"任职方式应为以下之一：{allowed(Tenure.choices)}，或留空。"


@dataclass
class InForce:
    """What an organisation's division in force for a year holds: (officer, scientist) pairs, and the lines
    of officers since removed from the list, by the name and post they were filed under."""

    lines: set[tuple[int, int]] = field(default_factory=set)
    orphans: set[tuple[str, str, int]] = field(default_factory=set)


@dataclass
class Group:
    """The new lines of one organisation and year, and the row that reports a refusal of the whole group."""

    first_row: Row
    year: Year
    organization: Organization
    lines: list[filing.Line] = field(default_factory=list)


class FilingSheet(Sheet):
    name = FILINGS
    key_column = "科技工作者"
    fields = {"name": "联系人", "post": "职务", "tenure": "任职方式", NON_FIELD_ERRORS: "科技工作者"}

    def run(self) -> None:
        rows = self.data.rows
        self.ctx.load_scientists(row.text("科技工作者") for row in rows)
        orgs = {o.pk: o for o in (self.ctx.org(row.text("组织")) for row in rows) if o is not None}
        self.officers: dict[int, list[Officer]] = defaultdict(list)
        for officer in Officer.objects.filter(organization_id__in=list(orgs)).order_by("order", "id"):
            self.officers[officer.organization_id].append(officer)
        self.in_force = self.load_in_force(orgs)
        # officer id → (row number, post, 任职方式 given) of the first row of this sheet that named them
        self.touched: dict[int, tuple[int, str, str]] = {}
        self.seen: dict[tuple, int] = {}
        groups: dict[tuple[int, int], Group] = {}
        for row in rows:
            with contextlib.suppress(Invalid):
                self.apply(row, groups)
        for group in groups.values():
            self.file(group)

    @staticmethod
    def load_in_force(orgs: dict[int, Organization]) -> dict[tuple[int, int], InForce]:
        """(year id, organisation id) → the lines in force, for every organisation the sheet names: two
        queries whatever the number of rows."""
        found: dict[tuple[int, int], InForce] = defaultdict(InForce)
        ids = list(orgs)
        for start in range(0, len(ids), 500):
            filings = Filing.objects.filter(
                organization_id__in=ids[start : start + 500], in_force__isnull=False
            ).values_list("in_force_id", "year_id", "organization_id")
            by_revision = {revision: (year, org) for revision, year, org in filings}
            entries = FilingEntry.objects.filter(
                revision_id__in=list(by_revision), scientist__isnull=False
            ).values_list("revision_id", "officer_id", "officer_name", "post", "scientist_id")
            for revision, officer, name, post, scientist in entries:
                held = found[by_revision[revision]]
                if officer is None:
                    held.orphans.add((canon(name), post, scientist))
                else:
                    held.lines.add((officer, scientist))
        return found

    def apply(self, row: Row, groups: dict[tuple[int, int], Group]) -> None:
        number, org_name, officer_name, post, tenure, scientist_name = self.checked(
            row,
            [
                lambda: self.required_cell(row, "年度", cells.year),
                lambda: self.required(row, "组织"),
                lambda: self.required(row, "联系人"),
                lambda: self.required_cell(row, "职务", cells.choice, OFFICER_POSTS, POST_ERROR),
                lambda: self.optional(row, "任职方式", cells.choice, TENURES, TENURE_ERROR, default=""),
                lambda: self.required(row, "科技工作者"),
            ],
        )
        year, org, scientist = self.checked(
            row,
            [
                lambda: self.year(row, number),
                lambda: self.organization(row, org_name),
                lambda: find_scientist(
                    self, row, "科技工作者", scientist_name, row.text("工作单位"), employer_column="工作单位"
                ),
            ],
        )
        key = (year.pk, org.pk, canon(officer_name), post, scientist.pk)
        if key in self.seen:
            raise self.fail(row, "科技工作者", f"与第 {self.seen[key]} 行重复：同一联系分工只能出现一次。")
        self.seen[key] = row.number
        held = self.in_force[(year.pk, org.pk)]
        if (canon(officer_name), post, scientist.pk) in held.orphans:
            self.counts.unchanged += 1  # filed already, under an officer since removed from the list
            return
        officer, changed = self.officer(row, org, canon(officer_name), post, tenure)
        if (officer.pk, scientist.pk) in held.lines:
            if changed:
                self.counts.updated += 1
            else:
                self.counts.unchanged += 1
            return
        group = groups.setdefault((year.pk, org.pk), Group(row, year, org))
        group.lines.append(filing.Line(officer, scientist=scientist))
        held.lines.add((officer.pk, scientist.pk))  # the same line again on a later row is a duplicate
        self.counts.created += 1

    def year(self, row: Row, number: int) -> Year:
        found = self.ctx.year(number)
        if found is None:
            raise self.fail(
                row,
                "年度",
                f"系统中没有 {number} 年度：请先建立该年度（或在本文件的“专班”“联系定额”工作表中写上它）。",
            )
        return found

    def organization(self, row: Row, name: str) -> Organization:
        found = self.ctx.org(name)
        if found is None:
            raise self.unknown(row, "组织", ORGS, canon(name), "组织", name)
        return found

    def officer(self, row: Row, org: Organization, name: str, post: str, tenure: str) -> tuple[Officer, bool]:
        """The organisation's officer of this name and post, created if new; (officer, whether an existing one
        was changed)."""
        mine = self.officers[org.pk]
        named = [o for o in mine if canon(o.name) == name]
        exact = [o for o in named if o.post == post]
        if not named:
            last = max((o.order for o in mine), default=None)
            if last is None:
                last = Officer.objects.filter(organization=org).aggregate(m=Max("order"))["m"] or 0
            officer = Officer(organization=org, name=name, post=post, tenure=tenure, order=last + 1)
            self.save(row, officer)
            mine.append(officer)
            self.touched[officer.pk] = (row.number, post, tenure)
            self.ctx.result.count(OFFICERS).created += 1
            return officer, False
        if exact:
            officer = exact[0]
        elif len(named) == 1:
            officer = named[0]
        else:
            posts = "、".join(p.label for p in OfficerPost if p in {o.post for o in named})
            raise self.fail(
                row,
                "职务",
                f"“{org.name}”有 {len(named)} 位负责人叫“{name}”（{posts}），没有一位是这一职务：请写明其中一位的职务。",
            )
        earlier = self.touched.get(officer.pk)
        if earlier is not None:
            first, earlier_post, earlier_tenure = earlier
            if earlier_post != post:
                raise self.fail(
                    row,
                    "职务",
                    f"与第 {first} 行矛盾：那一行中“{name}”的职务是“{OfficerPost(earlier_post).label}”；"
                    "同一位负责人在一个组织只有一个职务。",
                )
            if tenure and earlier_tenure and earlier_tenure != tenure:
                raise self.fail(
                    row,
                    "任职方式",
                    f"与第 {first} 行矛盾：那一行中“{name}”的任职方式是“{Tenure(earlier_tenure).label}”。",
                )
        self.touched[officer.pk] = (
            earlier[0] if earlier else row.number,
            post,
            tenure or (earlier[2] if earlier else ""),
        )
        changes = {"post": post} if officer.post != post else {}
        if tenure and officer.tenure != tenure:
            changes["tenure"] = tenure
        if not changes:
            return officer, False
        for attribute, value in changes.items():
            setattr(officer, attribute, value)
        self.save(row, officer)
        return officer, True

    def file(self, group: Group) -> None:
        """File the new lines of one organisation and year (导入报备), on top of what is in force."""
        revision = None
        with contextlib.suppress(Invalid):
            revision = self.call(
                group.first_row,
                filing.file_lines,
                organization=group.organization,
                year=group.year,
                lines=group.lines,
                by=self.ctx.by,
                imported=True,
            )
        if revision is not None:
            self.ctx.result.count(FILING_REVISIONS).created += 1
