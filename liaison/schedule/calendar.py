"""The month calendar of planned contacts: Monday first, the days of the month's weeks, each day's items."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from liaison.models import PlannedContact, is_overdue

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    items: list[PlannedContact] = field(default_factory=list)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]


@dataclass
class Month:
    first: datetime.date
    weeks: list[list[Day]]

    @property
    def days_with_items(self) -> list[Day]:
        """The phone's list: only the month's days that have something planned."""
        return [day for week in self.weeks for day in week if day.in_month and day.items]

    @property
    def previous(self) -> str:
        return f"{(self.first - datetime.timedelta(days=1)):%Y-%m}"

    @property
    def next(self) -> str:
        last = self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])
        return f"{(last + datetime.timedelta(days=1)):%Y-%m}"

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day the grid shows (whole weeks)."""
        return self.weeks[0][0].date, self.weeks[-1][-1].date


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """?month=2026-12 → 1 December 2026; anything else (missing, malformed, out of range) → default's month."""
    text = (value or "").strip()
    try:
        year, month = (int(part) for part in text.split("-"))
        if len(text) == 7 and 2000 <= year <= 2100:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return default.replace(day=1)


def month_grid(first: datetime.date, today: datetime.date) -> Month:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return Month(
        first=first,
        weeks=[[Day(day, day.month == first.month, day == today) for day in week] for week in weeks],
    )


def fill(month: Month, items: Iterable[PlannedContact], today: datetime.date) -> Month:
    by_day: dict[datetime.date, list[PlannedContact]] = defaultdict(list)
    for item in items:
        item.overdue = is_overdue(item, today)
        by_day[item.date].append(item)
    for week in month.weeks:
        for day in week:
            day.items = by_day.get(day.date, [])
    return month
