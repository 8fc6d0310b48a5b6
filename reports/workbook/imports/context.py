"""What the sheets of one import share: the rows read, the problems, and lookups of what exists.

Lookups see the database and whatever earlier rows of the same import created (the import writes as it
goes, inside one transaction that is rolled back unless everything was valid), so a later sheet may refer
to rows of an earlier one, as docs/workbook.md allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Max

from experts.models import Scientist
from liaison.models import Department, Staff, Team, Year
from liaison.plan import services as plans
from orgs.models import Organization

from . import cells
from .format import canon
from .result import DEPARTMENTS, YEARS, ImportResult, Problem

# Names per query when fetching scientists by name: with more, PostgreSQL answers `name IN (…)` from the
# trigram index of the search (~0.5 s for 1,000 names at N = 100,000) instead of the (name, employer) index
# (~3 ms for 100).
NAMES = 100


@dataclass
class SheetData:
    """One sheet as read: its header (column name → index) and its non-empty rows."""

    name: str
    index: dict[str, int]
    rows: list[Row] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # header names that appear twice


@dataclass
class Row:
    sheet: SheetData
    number: int  # the row number Excel shows
    values: tuple

    def has(self, column: str) -> bool:
        return column in self.sheet.index

    def raw(self, column: str) -> Any:
        i = self.sheet.index.get(column)
        if i is None or i >= len(self.values):
            return None
        return self.values[i]

    def text(self, column: str) -> str:
        return cells.text(self.raw(column))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Context:
    def __init__(self, result: ImportResult, by: User | None) -> None:
        self.result = result
        self.by = by
        self.on_row: Callable[[], None] | None = None  # a row of a sheet counted (progress, see __init__)
        # sheet → key → row number of a row that could not be imported, so a reference to it says so
        self.failed: dict[str, dict[Any, int]] = defaultdict(dict)
        self._orgs: dict[str, Organization] | None = None
        self._scientists: dict[str, list[Scientist]] = {}
        self._staff: dict[str, Staff] | None = None
        self._departments: dict[str, Department] | None = None
        self._years: dict[int, Year] | None = None
        self._teams: dict[int, dict[str, Team]] = {}

    # --- problems ---------------------------------------------------------------------------------------

    def problem(
        self, row: Row | None, sheet: str, column: str, reason: str, value: str | None = None
    ) -> None:
        letter = ""
        if row is not None and column in row.sheet.index:
            letter = column_letter(row.sheet.index[column])
        if value is None:
            value = row.text(column) if row is not None else ""
        self.result.problems.append(
            Problem(sheet, row.number if row else None, column, value, reason, letter)
        )

    # --- organisations ----------------------------------------------------------------------------------

    @property
    def orgs(self) -> dict[str, Organization]:
        if self._orgs is None:
            self._orgs = {canon(o.name): o for o in Organization.objects.select_related("parent", "county")}
        return self._orgs

    def org(self, name: str) -> Organization | None:
        return self.orgs.get(canon(name))

    def add_org(self, org: Organization) -> None:
        self.orgs[canon(org.name)] = org

    # --- scientists -------------------------------------------------------------------------------------

    def load_scientists(self, names: Iterable[str], whole: set[tuple[str, str]] | None = None) -> None:
        """Fetch the scientists of these names in a few queries, before the rows that need them. whole: the
        (name, employer) pairs, canonical, whose scientists a sheet may change; here every one is read whole
        (the set-wise path's context reads the others as key, name and employer)."""
        wanted = sorted({canon(n) for n in names if n} - set(self._scientists))
        for start in range(0, len(wanted), NAMES):
            chunk = wanted[start : start + NAMES]
            for name in chunk:
                self._scientists[name] = []
            for scientist in Scientist.objects.filter(name__in=chunk).select_related("organization"):
                self._scientists.setdefault(canon(scientist.name), []).append(scientist)

    def forget_scientists(self, names: Iterable[str]) -> None:
        for name in names:
            self._scientists.pop(canon(name), None)

    def scientists_named(self, name: str) -> list[Scientist]:
        key = canon(name)
        if key not in self._scientists:
            self.load_scientists([key])
        return self._scientists[key]

    def scientist(self, name: str, employer: str) -> Scientist | None:
        employer = canon(employer)
        return next((s for s in self.scientists_named(name) if canon(s.employer) == employer), None)

    def add_scientist(self, scientist: Scientist) -> None:
        self.scientists_named(scientist.name).append(scientist)

    # --- staff and departments --------------------------------------------------------------------------

    @property
    def staff(self) -> dict[str, Staff]:
        """Every staff member by user name (case-insensitive, as the staff form treats user names)."""
        if self._staff is None:
            self._staff = {
                s.user.username.lower(): s for s in Staff.objects.select_related("user", "department")
            }
        return self._staff

    def staff_member(self, username: str) -> Staff | None:
        return self.staff.get(username.strip().lower())

    def add_staff(self, staff: Staff) -> None:
        self.staff[staff.user.username.lower()] = staff

    def user_without_staff(self, username: str) -> User | None:
        return get_user_model().objects.filter(username__iexact=username, staff__isnull=True).first()

    @property
    def departments(self) -> dict[str, Department]:
        if self._departments is None:
            self._departments = {canon(d.name): d for d in Department.objects.all()}
        return self._departments

    def department(self, name: str) -> Department:
        """The department of this name, created (after the last one) if new, as the spec says."""
        found = self.departments.get(canon(name))
        if found is None:
            last = Department.objects.aggregate(m=Max("order"))["m"] or 0
            found = Department(name=name, order=last + 1)
            found.full_clean()
            found.save()
            self.departments[canon(name)] = found
            self.result.count(DEPARTMENTS).created += 1
        return found

    # --- years and teams --------------------------------------------------------------------------------

    @property
    def years(self) -> dict[int, Year]:
        if self._years is None:
            self._years = {y.year: y for y in Year.objects.all()}
        return self._years

    def year(self, number: int, *, create: bool = False) -> Year | None:
        found = self.years.get(number)
        if found is None and create:
            found = plans.year_create(year=number)
            self.years[number] = found
            self.result.count(YEARS).created += 1
        return found

    def teams_of(self, number: int) -> dict[str, Team]:
        if number not in self._teams:
            self._teams[number] = {
                canon(t.name): t
                for t in Team.objects.filter(year__year=number)
                .select_related("year", "lead__user")
                .prefetch_related("members")
            }
        return self._teams[number]

    def team(self, number: int, name: str) -> Team | None:
        return self.teams_of(number).get(canon(name))

    def add_team(self, team: Team) -> None:
        self.teams_of(team.year.year)[canon(team.name)] = team
