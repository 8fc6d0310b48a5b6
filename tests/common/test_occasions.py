"""Greeting occasions: Spring Festival from the lunar calendar, 30 May, solar and lunar birthdays."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.occasions import (
    birthday_in,
    next_birthday,
    occasion_of_date,
    spring_festival,
    upcoming_holidays,
    workers_day,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, datetime.date(2025, 1, 29)),
        (2026, datetime.date(2026, 2, 17)),
        (2027, datetime.date(2027, 2, 6)),
        (2028, datetime.date(2028, 1, 26)),
        (2029, datetime.date(2029, 2, 13)),
        (2030, datetime.date(2030, 2, 3)),
        (2031, datetime.date(2031, 1, 23)),
        (2032, datetime.date(2032, 2, 11)),
        (2033, datetime.date(2033, 1, 31)),
        (2034, datetime.date(2034, 2, 19)),
        (2035, datetime.date(2035, 2, 8)),
    ],
)
def test_spring_festival_dates(year, expected):
    assert spring_festival(year) == expected


def test_workers_day_is_30_may():
    assert workers_day(2026) == datetime.date(2026, 5, 30)


def test_upcoming_holidays_roll_over_to_next_year():
    today = datetime.date(2026, 11, 23)
    festival, day = upcoming_holidays(today)
    assert (festival.label, festival.date) == ("春节", datetime.date(2027, 2, 6))
    assert (day.label, day.date) == ("全国科技工作者日", datetime.date(2027, 5, 30))
    assert upcoming_holidays(datetime.date(2026, 2, 17))[0].date == datetime.date(2026, 2, 17)


def test_solar_birthday_and_29_february():
    assert birthday_in(2026, datetime.date(1960, 7, 8), lunar=False) == datetime.date(2026, 7, 8)
    assert birthday_in(2027, datetime.date(1960, 2, 29), lunar=False) == datetime.date(2027, 2, 28)


def test_lunar_birthday_moves_with_the_lunar_calendar():
    # Lunar 8/15 (Mid-Autumn) falls on different solar dates each year.
    assert birthday_in(2025, datetime.date(1958, 8, 15), lunar=True) == datetime.date(2025, 10, 6)
    assert birthday_in(2026, datetime.date(1958, 8, 15), lunar=True) == datetime.date(2026, 9, 25)


def test_next_birthday():
    today = datetime.date(2026, 11, 23)
    assert next_birthday(today, datetime.date(1970, 12, 1), lunar=False) == datetime.date(2026, 12, 1)
    assert next_birthday(today, datetime.date(1970, 3, 1), lunar=False) == datetime.date(2027, 3, 1)


@given(year=st.integers(2025, 2035), month=st.integers(1, 12), day=st.integers(1, 30))
def test_every_lunar_birthday_has_a_solar_date_in_range(year, month, day):
    """Day 30 of a 29-day lunar month falls on the 29th: every lunar birthday lands in that lunar year."""
    if month == 2:
        day = min(day, 28)  # the stored birth date must also be a valid solar date
    solar = birthday_in(year, datetime.date(1960, month, day), lunar=True)
    assert solar is not None
    assert spring_festival(year) <= solar < spring_festival(year + 1)


@pytest.mark.parametrize(
    ("day", "occasion"),
    [
        # lunar 2025-11-30 and 12-01 (腊月初一) fall on 18 and 19 January 2026, 正月十五 of 2026 on 3 March
        (datetime.date(2026, 1, 18), "other_holiday"),
        (datetime.date(2026, 1, 19), "spring_festival"),
        (datetime.date(2026, 2, 17), "spring_festival"),  # the Spring Festival itself
        (datetime.date(2026, 3, 3), "spring_festival"),
        (datetime.date(2026, 3, 4), "other_holiday"),
        (datetime.date(2027, 1, 8), "spring_festival"),  # 腊月初一 before the festival of 6 February 2027
        (datetime.date(2026, 12, 20), "other_holiday"),  # still the eleventh lunar month
        (datetime.date(2026, 5, 22), "other_holiday"),
        (datetime.date(2026, 5, 23), "workers_day"),
        (datetime.date(2026, 6, 6), "workers_day"),
        (datetime.date(2026, 6, 7), "other_holiday"),
    ],
)
def test_the_occasion_of_a_greeting_comes_from_its_date(day, occasion):
    assert occasion_of_date(day) == occasion
