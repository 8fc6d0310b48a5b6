"""Files the import refuses as a whole, each with its message: never a server error, never a partial write."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from orgs.models import Organization
from reports.workbook.imports import WorkbookRefused, import_workbook
from reports.workbook.imports import files as f
from tests.reports.workbook.workbooks import xlsx

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
GOOD = {"组织": [["名称", "类别"], ["和平区科协", "区县科协"]]}


def refusal(data) -> str:
    with pytest.raises(WorkbookRefused) as refused:
        import_workbook(data)
    assert not Organization.objects.exists()
    return refused.value.message


def rezip(
    data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None
) -> bytes:
    """A copy of an .xlsx with parts added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, (replace or {}).get(item.filename, src.read(item.filename)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_a_good_file_imports():
    assert import_workbook(xlsx(GOOD)).ok
    assert Organization.objects.get().name == "和平区科协"


def test_not_an_xlsx():
    assert refusal("随便一段文字".encode()) == f.NOT_XLSX
    assert refusal(b"%PDF-1.7\n...") == f.NOT_XLSX
    assert refusal(b"") == f.EMPTY


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert refusal(out.getvalue()) == f.NOT_XLSX


def test_an_encrypted_workbook():
    """A real password-protected workbook (tests/reports/workbook/files/README.md): an OLE container, not a zip."""
    assert refusal((FILES / "encrypted.xlsx").read_bytes()) == "文件已加密，请先取消密码保护后再导入。"


def test_an_old_xls_workbook():
    assert refusal((FILES / "old_format.xls").read_bytes()) == f.OLD_XLS


def test_a_workbook_with_macros():
    with_vba = rezip(xlsx(GOOD), extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba project"})
    assert refusal(with_vba) == "文件含有宏，出于安全考虑不予导入。请另存为不含宏的 .xlsx 工作簿后再导入。"
    # A macro-enabled content type is enough, even with the project stored under another name.
    data = xlsx(GOOD)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    assert refusal(rezip(data, replace={"[Content_Types].xml": types})) == f.MACROS


def test_a_file_over_20_mb():
    assert (
        refusal(b"PK" + b"\0" * (20 * 1024 * 1024))
        == "文件超过 20 MB，不予导入。请按工作表拆分成几个文件分批导入。"
    )


def test_a_zip_bomb_by_ratio():
    """11 MB of zeros squeezed into a few kilobytes: far beyond any real workbook's ratio."""
    bomb = rezip(xlsx(GOOD), extra={"xl/media/zeros.bin": b"\0" * (11 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert refusal(bomb) == f.BOMB


def test_a_zip_bomb_by_size():
    """Over 200 MB inflated (written in chunks: the test itself stays small in memory)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx(GOOD))) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        chunk = b"\0" * (1024 * 1024)
        with dst.open("xl/media/big.bin", "w", force_zip64=True) as big:
            for _ in range(201):
                big.write(chunk)
    assert refusal(out.getvalue()) == "文件解压后过大（超过 200 MB 或压缩比异常），疑似恶意文件，不予导入。"


def test_a_broken_workbook():
    broken = rezip(xlsx(GOOD), replace={"xl/workbook.xml": b"<workbook><sheets><sheet name="})
    assert refusal(broken) == f.CORRUPT


def test_a_broken_sheet():
    broken = rezip(xlsx(GOOD), replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"})
    assert refusal(broken) == f.CORRUPT


def test_xml_entity_expansion_is_refused():
    """A "billion laughs" sheet: the reader (calamine's quick-xml) resolves no declared entity, so refuses it."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    assert refusal(rezip(xlsx(GOOD), replace={"xl/worksheets/sheet1.xml": laughs})) == f.CORRUPT


def test_the_reader_hands_the_cell_parser_the_values_openpyxl_gave():
    """python-calamine reads the sheets (files.open_workbook): empty cells None, numbers, dates, booleans as the
    cell parser expects, row numbers as Excel shows them, a leading blank column and blank rows kept in place,
    a row of spaces skipped, a chart sheet and an unknown sheet ignored."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    from reports.workbook.imports import ImportResult, read_sheets

    book = Workbook()
    sheet = book.active
    sheet.title = "科技工作者"
    sheet["B1"], sheet["C1"], sheet["D1"], sheet["E1"] = "姓名", "手机", "出生日期", "备注"
    sheet["B3"], sheet["C3"], sheet["D3"] = "王伟", 13812345678, datetime.date(1970, 3, 5)
    sheet["E3"] = datetime.datetime(2026, 3, 5, 10, 30)  # noqa: DTZ001 (Excel has no time zones)
    sheet["B4"] = "   "
    sheet["B5"], sheet["C5"], sheet["E5"] = "李娜", "=1+1", True  # a formula with no computed value
    book.create_sheet("说明")["A1"] = "不导入"
    book.create_chartsheet("图表").add_chart(BarChart())
    out = io.BytesIO()
    book.save(out)

    result = ImportResult(dry_run=True)
    sheets = read_sheets(f.open_workbook(out.getvalue()), result)
    assert list(sheets) == ["科技工作者"]
    assert result.ignored_sheets == ["说明"]
    data = sheets["科技工作者"]
    assert data.index == {"姓名": 1, "手机": 2, "出生日期": 3, "备注": 4}
    assert [row.number for row in data.rows] == [3, 5]  # row 2 blank, row 4 only spaces
    first, second = data.rows
    assert first.values[0] is None
    assert first.text("手机") == "13812345678"
    assert first.raw("出生日期") in (datetime.date(1970, 3, 5), datetime.datetime(1970, 3, 5))  # noqa: DTZ001
    assert first.text("出生日期") == "1970-03-05"
    assert first.text("备注") == "2026-03-05 10:30:00"
    assert second.raw("手机") is None
    assert second.raw("备注") is True


def test_a_wrong_used_range_in_the_file_loses_no_row():
    """Some programs write a <dimension> smaller than the cells: every row is still read."""
    import re

    data = xlsx({"组织": [["名称", "类别"], ["和平区科协", "区县科协"], ["河西区科协", "区县科协"]]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.read("xl/worksheets/sheet1.xml")
    shrunk, found = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', part)
    assert found == 1
    result = import_workbook(rezip(data, replace={"xl/worksheets/sheet1.xml": shrunk}))
    assert result.ok, result.problems
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["和平区科协", "河西区科协"]
