"""Reading one cell: text, dates, years, yes/no and lists, as people type them into a spreadsheet.

Every parser returns the value or raises CellError with the reason in Chinese; the caller adds sheet, row,
column and value.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from openpyxl.utils.datetime import from_excel

from .format import NO, YES, canon


class CellError(ValueError):
    """A cell that cannot be read; the message is what the user sees."""


def text(value: Any) -> str:
    """A cell as the user sees it, trimmed: 13812345678.0 → "13812345678", a date → "2026-03-05"."""
    # most cells are text: tested first, before the four type tests below (2 million cells in 100,000 rows)
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


DATE_ERROR = "日期格式不正确：请填写 Excel 日期，或写成 2026-03-05、2026/3/5、2026年3月5日。"
_DATE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?$")


def date(value: Any) -> datetime.date | None:
    """A real Excel date, or text 2026-03-05 · 2026/3/5 · 2026年3月5日. Empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format shows as a serial number (46086 = 2026-03-05).
        if 1 <= value < 2958466:
            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime.datetime) else converted
        raise CellError(DATE_ERROR)
    match = _DATE.match(text(value))
    if not match:
        raise CellError(DATE_ERROR)
    year, month, day = map(int, match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"没有这一天：{year}年{month}月{day}日。") from exc


YEAR_ERROR = "年度应为 2000 到 2100 之间的四位数字，如 2026。"


def year(value: Any) -> int:
    raw = text(value)
    match = re.fullmatch(r"(\d{4})\s*(?:年度?)?", raw)
    if not match:
        raise CellError(YEAR_ERROR)
    number = int(match.group(1))
    if not 2000 <= number <= 2100:
        raise CellError(YEAR_ERROR)
    return number


def yes_no(value: Any) -> bool:
    """是 / 否; an empty cell is 否 (spec: 下基层 is 是 or 否, empty: 否)."""
    if isinstance(value, bool):
        return value
    raw = text(value)
    if raw in ("", NO):
        return False
    if raw == YES:
        return True
    raise CellError("请填写“是”或“否”（空白视为“否”）。")


def integer(value: Any) -> int:
    raw = text(value)
    if not re.fullmatch(r"\d{1,5}", raw):
        raise CellError("请填写不大于 32767 的非负整数。")
    number = int(raw)
    if number > 32767:
        raise CellError("请填写不大于 32767 的非负整数。")
    return number


_SEPARATORS = "、,，"
_OPEN, _CLOSE = "(（", ")）"
_SPLIT = re.compile(f"[{_SEPARATORS}]")


def split_list(value: Any) -> list[str]:
    """A list in one cell, separated by 、 or , or ，; a separator inside parentheses belongs to the item, so
    "市级学会(协会、研究会)" and "王伟(辽川大学)" stay whole. Empty items are dropped."""
    whole = text(value)
    if "(" not in whole and "（" not in whole:  # nothing to keep together: split at once
        return [item.strip() for item in _SPLIT.split(whole) if item.strip()]
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in whole:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def choice(value: Any, table: dict[str, str], reason: str) -> str:
    """A label looked up in a format table (full- or half-width parentheses, short forms)."""
    found = table.get(canon(text(value)))
    if found is None:
        raise CellError(reason)
    return found


_NAMESAKE = re.compile(r"^(?P<name>[^()]+)\((?P<employer>.+)\)$")


def name_with_employer(item: str) -> tuple[str, str]:
    """ "王伟(辽川大学)" → ("王伟", "辽川大学"); a plain name → (name, "")."""
    match = _NAMESAKE.match(canon(item))
    if match:
        return match.group("name").strip(), match.group("employer").strip()
    return canon(item), ""
