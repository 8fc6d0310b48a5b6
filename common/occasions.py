"""Dates of the greeting occasions (seed 000 §四.3, seed 001): Spring Festival, 30 May, birthdays.

The Spring Festival is the first day of the lunar year, computed with lunardate (a maintained, pure-Python
lunar calendar, right for 1900–2099). A scientist's birthday may be kept in the lunar calendar: its month
and day are then converted to this year's solar date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from lunardate import LunarDate

WORKERS_DAY = (5, 30)  # 全国科技工作者日


def spring_festival(year: int) -> datetime.date:
    """春节 of a (solar) year: lunar 1/1 of the lunar year that starts in it."""
    return LunarDate(year, 1, 1).to_solar_date()


def workers_day(year: int) -> datetime.date:
    return datetime.date(year, *WORKERS_DAY)


def next_on_or_after(day: datetime.date, dates_of_year) -> datetime.date:
    """The first date of the occasion on or after `day` (this year's, or next year's if it has passed)."""
    this = dates_of_year(day.year)
    return this if this >= day else dates_of_year(day.year + 1)


def birthday_in(year: int, birth: datetime.date, *, lunar: bool) -> datetime.date | None:
    """The solar date of a birthday in a given year.

    Solar 29 February falls on 28 February in common years. A lunar birthday is converted from lunar
    month/day of that lunar year; a lunar day 30 in a 29-day month falls on the 29th.
    """
    if not lunar:
        try:
            return birth.replace(year=year)
        except ValueError:
            return datetime.date(year, 2, 28)
    for day in (birth.day, birth.day - 1):
        try:
            return LunarDate(year, birth.month, day).to_solar_date()
        except ValueError:
            continue
    return None


def next_birthday(today: datetime.date, birth: datetime.date, *, lunar: bool) -> datetime.date | None:
    """The next birthday on or after today (a lunar one may fall early next solar year)."""
    for year in (today.year - 1, today.year, today.year + 1):
        day = birthday_in(year, birth, lunar=lunar)
        if day is not None and day >= today:
            return day
    return None


@dataclass(frozen=True)
class Upcoming:
    label: str
    date: datetime.date
    occasion: str  # an Occasion value

    def days_from(self, today: datetime.date) -> int:
        return (self.date - today).days


def upcoming_holidays(today: datetime.date) -> list[Upcoming]:
    """The next Spring Festival and the next 全国科技工作者日, soonest first."""
    items = [
        Upcoming("春节", next_on_or_after(today, spring_festival), "spring_festival"),
        Upcoming("全国科技工作者日", next_on_or_after(today, workers_day), "workers_day"),
    ]
    return sorted(items, key=lambda item: item.date)


# The greeting occasions a date implies (docs/workbook.md, 联系记录's 慰问时机), as the values of
# liaison.models.Occasion (common sits below liaison, so the values are spelled here).
SPRING_FESTIVAL_OCCASION = "spring_festival"
WORKERS_DAY_OCCASION = "workers_day"
OTHER_HOLIDAY_OCCASION = "other_holiday"


def occasion_of_date(day: datetime.date) -> str:
    """The occasion of a greeting whose occasion was not given: 春节 from the first day of the twelfth lunar
    month (腊月初一) to the Lantern Festival (正月十五) around a Spring Festival; 全国科技工作者日 from 23 May
    to 6 June; otherwise 其他节日."""
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    if lunar.month == 12 or (lunar.month == 1 and lunar.day <= 15 and not lunar.is_leap_month):
        return SPRING_FESTIVAL_OCCASION
    if datetime.date(day.year, 5, 23) <= day <= datetime.date(day.year, 6, 6):
        return WORKERS_DAY_OCCASION
    return OTHER_HOLIDAY_OCCASION


def festival_for(occasion: str, day: datetime.date) -> datetime.date | None:
    """The festival a greeting of `occasion` made on `day` is for: a Spring Festival greeting counts for the
    Spring Festival it precedes, or for the one whose season (up to 正月十五) it falls in — a greeting on
    2026-12-20 is for 2027-02-06; a 30 May greeting for the 30 May of its year. Other occasions: None."""
    if occasion == SPRING_FESTIVAL_OCCASION:
        festival = spring_festival(day.year)
        return festival if day <= festival + datetime.timedelta(days=14) else spring_festival(day.year + 1)
    if occasion == WORKERS_DAY_OCCASION:
        return workers_day(day.year)
    return None
