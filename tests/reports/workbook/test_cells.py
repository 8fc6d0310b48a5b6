"""Reading one cell (reports/workbook/imports/cells.py): text as the user sees it, and lists in one cell."""

from __future__ import annotations

import datetime

import pytest

from reports.workbook.imports.cells import split_list, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  王伟 ", "王伟"),
        (None, ""),
        (13812345678.0, "13812345678"),
        (2.5, "2.5"),
        (True, "是"),
        (datetime.datetime(2026, 3, 5), "2026-03-05"),  # noqa: DTZ001 (a cell holds a naive date)
        (datetime.date(2026, 3, 5), "2026-03-05"),
        (42, "42"),
    ],
)
def test_text_reads_a_cell_as_the_user_sees_it(value, expected):
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("王伟、李娜,张强，赵磊", ["王伟", "李娜", "张强", "赵磊"]),
        (" 王伟 、、 李娜 ", ["王伟", "李娜"]),
        ("王伟(辽川大学、医学院)、李娜", ["王伟(辽川大学、医学院)", "李娜"]),
        ("市级学会（协会，研究会）,企业科协", ["市级学会（协会，研究会）", "企业科协"]),
        ("", []),
        (None, []),
    ],
)
def test_a_list_splits_at_separators_outside_parentheses(value, expected):
    assert split_list(value) == expected
