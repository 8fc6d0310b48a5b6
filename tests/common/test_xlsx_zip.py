"""The writer's files are strictly valid zips (issue 19 §5): ZIP64 only on a member that needs it, and every
local header agreeing with its central directory entry (tests/xlsx_strict.py checks both)."""

from __future__ import annotations

import datetime
import io
import struct
import zipfile

from openpyxl import load_workbook

from common.xlsx_writer import XlsxWriter
from tests.xlsx_strict import assert_strict, zip_problems

ROWS = [
    [f"第{i}行", i, datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 365), "=不是公式"]
    for i in range(3000)
]


def book(target) -> None:
    with XlsxWriter(target) as writer:
        writer.add_sheet("大表", ["名称", "序号", "日期", "文本"], ROWS, [20])
        writer.add_sheet("空表", ["甲"], [])


def members_with_zip64(data: bytes) -> tuple[set[str], set[str]]:
    """(names whose local header has a ZIP64 field, names whose central entry has one)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    local, central = set(), set()
    for info in archive.infolist():
        if any(tag == 1 for tag, _ in _fields(info.extra)):
            central.add(info.filename)
        header = data[info.header_offset : info.header_offset + 30]
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        start = info.header_offset + 30 + name_len
        if any(tag == 1 for tag, _ in _fields(data[start : start + extra_len])):
            local.add(info.filename)
    return local, central


def _fields(extra: bytes) -> list[tuple[int, bytes]]:
    out, i = [], 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        out.append((tag, extra[i + 4 : i + 4 + size]))
        i += 4 + size
    return out


def test_a_workbook_has_no_zip64_and_headers_that_agree():
    buffer = io.BytesIO()
    book(buffer)
    data = buffer.getvalue()
    assert_strict(data)
    assert members_with_zip64(data) == (set(), set())
    sheet = load_workbook(io.BytesIO(data), read_only=True)["大表"]
    assert sheet.max_row == 3001
    assert list(sheet.iter_rows(min_row=3001, values_only=True)) == [
        ("第2999行", 2999, datetime.datetime(2026, 3, 21), "=不是公式")  # noqa: DTZ001 (2999 % 365 = 79: 1 Jan + 30 + 28 + 21)
    ]


def test_the_check_catches_what_the_writer_used_to_do():
    """force_zip64 on a small member: a ZIP64 local header the central entry does not match."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<a/>")
        with archive.open("b.xml", "w", force_zip64=True) as member:
            member.write(b"<b/>" * 100)
    problems = zip_problems(buffer.getvalue())
    assert problems == ["b.xml: local header has a ZIP64 field, the central entry has none"]


def test_a_sheet_past_the_zip64_limit_gets_it_in_both_headers(monkeypatch):
    """zipfile's limit lowered to 20 kB (writing 2 GiB is not a test): the big sheet, and only it, gets a ZIP64
    local header, matched by its central entry; the members that begin past 20 kB into the file have their
    offset in a central ZIP64 field (an offset is only ever in the central directory) and say version 4.5
    in both headers. Readers still read it."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 20_000)
    buffer = io.BytesIO()
    book(buffer)
    data = buffer.getvalue()
    assert_strict(data)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    sheet = "xl/worksheets/sheet1.xml"
    assert [i.filename for i in infos if i.file_size > 20_000] == [sheet]
    far = {i.filename for i in infos if i.header_offset > 20_000}
    assert far
    assert all(i.extract_version == 45 for i in infos if i.filename in far)
    assert members_with_zip64(data) == ({sheet}, {sheet, *far})
    monkeypatch.undo()
    assert load_workbook(io.BytesIO(data), read_only=True)["大表"].max_row == 3001


class Unseekable(io.RawIOBase):
    """A stream that can only be written forward (a pipe, a socket)."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.buffer.write(data)


def test_a_forward_only_stream_gets_data_descriptors_that_agree():
    stream = Unseekable()
    book(stream)
    data = stream.buffer.getvalue()
    assert all(info.flag_bits & 0x08 for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert_strict(data)
