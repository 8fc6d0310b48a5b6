"""The streaming .xlsx writer (common/xlsx_writer.py), read back with openpyxl as any user's tool would."""

from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import load_workbook

from common.xlsx_writer import Printing, XlsxWriter


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


# --- printing (issue 21 §5) -------------------------------------------------------------------------------

# CT_Worksheet's sequence (ECMA-376 Part 1, 18.3.1.99), the elements this writer may write
WORKSHEET_ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "mergeCells",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
]


def _bytes(add) -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as book:
        add(book)
    return buffer.getvalue()


def _elements(data: bytes, sheet: int = 1) -> list[str]:
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{sheet}.xml"))
    return [child.tag.rsplit("}", 1)[-1] for child in root]


def test_every_sheet_prints_a4_landscape_with_its_header_on_each_page_and_a_page_footer():
    data = _bytes(
        lambda book: (
            book.add_sheet("窄表", ["甲", "乙"], [["1", 2]], [20, 10]),
            # 30 columns of 14: 420 units, a third of the page's 146 at best: not fitted
            book.add_sheet("宽表", [f"列{i}" for i in range(30)], [list(range(30))], [14] * 30),
        )
    )
    book = load_workbook(io.BytesIO(data))
    narrow, wide = book["窄表"], book["宽表"]
    for sheet in (narrow, wide):
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        # the footer's room: the bottom margin 0.5 in beyond the footer's own
        assert (sheet.page_margins.bottom, sheet.page_margins.footer) == (0.9, 0.4)
        assert sheet.print_options.gridLines
    assert narrow.sheet_properties.pageSetUpPr.fitToPage
    assert (narrow.page_setup.fitToWidth, narrow.page_setup.fitToHeight) == (1, 0)
    assert wide.sheet_properties.pageSetUpPr is None or not wide.sheet_properties.pageSetUpPr.fitToPage
    assert _elements(data, 1) == [
        "sheetPr",
        "dimension",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
    ]
    assert _elements(data, 2) == [e for e in WORKSHEET_ORDER if e not in ("sheetPr", "mergeCells")]


def test_a_titled_boxed_sheet_has_its_title_above_the_header_and_rows_as_high_as_their_text():
    data = _bytes(
        lambda book: book.add_sheet(
            "汇总",
            ["姓名", "未达标事项"],
            [["王一", "短"], ["李二", "3 个联系对象全年未联系；下基层 2 次，少 8 次"], ["=1+1", None]],
            [8, 12],
            Printing(title="2026年度汇总", boxed=True),
        )
    )
    assert _elements(data) == WORKSHEET_ORDER
    sheet = load_workbook(io.BytesIO(data))["汇总"]
    assert sheet["A1"].value == "2026年度汇总"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:B1"]
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]] == ["姓名", "未达标事项"]
    assert sheet["B2"].alignment.wrap_text
    assert sheet["B2"].border.left.style == "thin"
    # "短" one line: 15 + 3 pt; the long text 13 wide characters and 11 others: 13 × 1.7 + 11 × 1.1 = 34.2
    # units in a column of 12 (10.5 usable): 4 lines, 4 × 15 + 3
    assert sheet.row_dimensions[3].height == 18
    assert sheet.row_dimensions[4].height == 63
    assert sheet["A5"].value == "=1+1"
    assert sheet["A5"].data_type == "s"
    assert sheet["B5"].border.left.style == "thin"  # an empty cell keeps its box


def test_print_titles_name_a_sheet_with_an_apostrophe():
    data = _bytes(lambda book: book.add_sheet("张三's 表", ["甲"], [["1"]]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    assert (
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'张三''s 表'!$1:$1</definedName>"
        in workbook
    )
    assert load_workbook(io.BytesIO(data))["张三's 表"].print_title_rows == "$1:$1"
