"""The streaming .xlsx writer (common/xlsx_writer.py), read back with openpyxl as any user's tool would."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from common.xlsx_writer import XlsxWriter


def written(rows, headers=("甲", "乙", "丙", "丁")) -> object:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as book:
        book.add_sheet("表一", list(headers), rows, [20, 10])
        book.add_sheet("第二张表的名字特别长超过了三十一个字符的限制所以会被截断掉一部分", ["x"], [])
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_values_come_back_with_their_types():
    book = written(
        [
            ["文本", 2026, datetime.date(2026, 3, 5), 1.5],
            ["", None, "  前后空格  ", "多行\n第二行"],
            ["控制\x07字符", True, "<&>\"'", datetime.datetime(2026, 1, 2, 0, 0)],  # noqa: DTZ001
        ]
    )
    sheet = book["表一"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("甲", "乙", "丙", "丁")
    assert rows[1] == ("文本", 2026, datetime.datetime(2026, 3, 5), 1.5)  # noqa: DTZ001
    assert rows[2] == (None, None, "  前后空格  ", "多行\n第二行")
    assert rows[3] == ("控制字符", True, "<&>\"'", datetime.datetime(2026, 1, 2))  # noqa: DTZ001
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 20


def test_formula_looking_text_is_a_quoted_string():
    sheet = written([["=SUM(A1:A3)", "+1", "-1", "@x"], ["a=b", "1+1", "", ""]])["表一"]
    for cell in sheet[2]:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert [c.value for c in sheet[2]] == ["=SUM(A1:A3)", "+1", "-1", "@x"]
    assert not sheet["A3"].quotePrefix


def test_sheet_names_are_cut_to_excels_limit():
    book = written([])
    long_name = "第二张表的名字特别长超过了三十一个字符的限制所以会被截断掉一部分"
    assert book.sheetnames == ["表一", long_name[:31]]
    assert list(book.worksheets[1].values) == [("x",)]


def test_the_sheet_states_its_size_for_streaming_readers():
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as book:
        book.add_sheet("表", ["a", "b", "c"], ([i, str(i), None] for i in range(250)))
    sheet = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)["表"]
    assert (sheet.max_row, sheet.max_column) == (251, 3)
    assert len(list(sheet.iter_rows(values_only=True))) == 251


def test_column_letters_and_illegal_characters_are_openpyxls():
    """The writer spells them itself (importing openpyxl would cost each export ~15 MB): the same answers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    from common import xlsx_writer

    assert [xlsx_writer.column_letter(i) for i in (1, 26, 27, 52, 702, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"
    ]  # fmt: skip
    assert all(xlsx_writer.column_letter(i) == get_column_letter(i) for i in range(1, 16385))
    assert xlsx_writer.ILLEGAL_CHARACTERS_RE.pattern == ILLEGAL_CHARACTERS_RE.pattern
