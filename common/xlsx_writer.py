"""A small streaming .xlsx writer: rows in, SpreadsheetML out, straight into the zip, one row at a time.

Why not openpyxl's write-only mode (docs/design.md's first choice): on this machine it took 40 s for 100,000
rows of 14 columns (25 s with lxml), against the 15 s the design asks of an export; it builds a Python
object per cell. Writing the few XML parts an .xlsx needs by hand takes a fraction of that with the same
flat memory. openpyxl still reads every file we write, in the tests and in the import.

What it writes: text as inline strings (never shared strings, so nothing is held in memory), numbers,
dates with a yyyy-mm-dd format, a bold header row that stays in view (frozen pane), column widths, and
text beginning with = + - @ as a string cell with Excel's "quote prefix" style, so no spreadsheet runs it as a
formula, even when someone edits the cell.

The zip is strictly valid (issue 19 §5; tests/xlsx_strict.py checks it): each sheet's XML is written to a
temporary file first (it has to be anyway, so that the sheet can begin with its <dimension>), so its size is
known before its zip entry is opened, and the entry gets ZIP64 headers only when it needs them (needs_zip64),
in its local header and in the central directory alike; zipfile writes the local header again with the CRC
and sizes once the member is done (or a data descriptor on a stream that cannot seek back). Forcing ZIP64 on
every sheet, as this writer did, gave local headers that the central directory did not match: LibreOffice,
openpyxl and `unzip -t` accept that, Excel has refused such files from other writers (Apache POI bug 57342).

How a sheet prints (issue 21 §5, Printing below): A4 landscape, the header row repeated on every page,
"第 N 页，共 M 页" in the footer (with room for it: LibreOffice makes the footer's height bottom − footer
margin and clips what does not fit), columns fitted to the page's width unless that would shrink the text
below MIN_FIT_SCALE; optionally a title row above the header and boxed, wrapped cells (a table to print).
The openpyxl workbooks use the same numbers through print_like_paper().

Side by side with XlsxWriter (constant_memory) on the same 100,000 rows, bench/export.py: 1.5 s against 5.6 s,
23.5 MB against 23.9 MB at the peak (bench/results.md, "Exports at N = 100,000"). It stays while it wins on
both.
"""

from __future__ import annotations

import datetime
import math
import re
import shutil
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, which it drops as we do): not imported, since
# loading openpyxl costs a writer process ~15 MB it otherwise does not need.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# Cell styles (cellXfs below): 0 plain, 1 header (bold), 2 date, 3 text with a quote prefix; for a boxed
# sheet (Printing.boxed) 4 its title, 5 header (bold, wrapped, centred), 6 plain, 7 date, 8 quote prefix, all
# with thin borders and wrapped at the top of the cell (so that a row's one-line cells share its first line).
HEADER, DATE, QUOTED = 1, 2, 3
TITLE, BOXED_HEADER, BOXED, BOXED_DATE, BOXED_QUOTED = 4, 5, 6, 7, 8
_BOXED = (
    'borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
)
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color rgb="FF000000"/></left><right style="thin"><color rgb="FF000000"/></right><top style="thin"><color rgb="FF000000"/></top><bottom style="thin"><color rgb="FF000000"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="9">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" {_BOXED}
<xf numFmtId="164" fontId="0" fillId="0" applyNumberFormat="1" {_BOXED}
<xf numFmtId="0" fontId="0" fillId="0" quotePrefix="1" {_BOXED}
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


# --- printing: A4 landscape, the numbers every workbook of the app prints with -----------------------------

MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.9, "header": 0.3, "footer": 0.4}  # inches
PAGE_FOOTER = "第 &P 页，共 &N 页"  # &P this page, &N the pages of the sheet
# What fits across A4 landscape between those margins at 100 %, in column-width units (one digit of
# Calibri 11, 7 px at 96 dpi = 5.25 pt): (11.69 − 1.0) in × 72 / 5.25 ≈ 146.
PAGE_WIDTH_UNITS = 146
MIN_FIT_SCALE = 0.7  # narrower than this and the text is too small to read: the columns run onto more pages


@dataclass(frozen=True)
class Printing:
    """How a sheet prints. The default (every export): A4 landscape, header row on every page, page footer,
    columns fitted to the width when they fit at MIN_FIT_SCALE or more, grid lines printed."""

    title: str = ""  # a title row above the header, on the first page
    boxed: bool = False  # thin borders, wrapped text, top alignment: a table meant to be printed


PRINT = Printing()


LINE_POINTS = 15  # one line of 11 pt text, Chinese included, as LibreOffice and Excel lay it out
# A Chinese character of the 11 pt text in column units: LibreOffice fits 11 in a column 18 wide, 7 not 8 in
# one 12 wide (measured on its PDFs); a little more, so that a row is never too short.
WIDE_UNITS = 1.7


def text_width(text: str, wide: float = WIDE_UNITS) -> float:
    """Width in column units: a Chinese (wide) character `wide` digits, anything else a little over one."""
    return sum(wide if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def lines_needed(text: str, width: float, wide: float = WIDE_UNITS) -> int:
    """How many lines a wrapped cell of this width takes (a little of its width is padding)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(text_width(part, wide) / usable)) for part in str(text).split("\n"))


def row_height(values: Sequence[Any], widths: Sequence[float]) -> float:
    """The height (points) a boxed row needs: readers do not grow a row for wrapped text themselves
    (LibreOffice keeps the default height), so its wrapped cells would be cut."""
    lines = max(
        (lines_needed(v, w) for v, w in zip(values, widths, strict=False) if v not in (None, "")), default=1
    )
    return lines * LINE_POINTS + 3


def fits_width(widths: Sequence[float]) -> bool:
    return sum(widths) * MIN_FIT_SCALE <= PAGE_WIDTH_UNITS


def print_like_paper(ws: Any, *, title_rows: str, fit_width: bool = True) -> None:
    """The same page setup on an openpyxl worksheet: A4 landscape, MARGINS, PAGE_FOOTER, the rows
    `title_rows` ("3:3") on every page, the columns fitted to the page's width."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.center.text = PAGE_FOOTER


def _print_xml(columns: int, widths: Sequence[float], printing: Printing) -> tuple[str, str]:
    """(what goes before <dimension>, what goes after </sheetData>), in CT_Worksheet's order: sheetPr …
    sheetData, mergeCells, printOptions, pageMargins, pageSetup, headerFooter."""
    fit = fits_width(widths or [8.43] * columns)
    before = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if fit else ""
    after = (
        f'<mergeCells count="1"><mergeCell ref="A1:{column_letter(columns)}1"/></mergeCells>'
        if (printing.title and columns > 1)
        else ""
    )
    grid = "" if printing.boxed else ' gridLines="1"'
    after += f'<printOptions horizontalCentered="1"{grid}/>'
    after += "<pageMargins " + " ".join(f'{side}="{inches}"' for side, inches in MARGINS.items()) + "/>"
    fit_attrs = ' fitToWidth="1" fitToHeight="0"' if fit else ""
    after += f'<pageSetup paperSize="9" orientation="landscape"{fit_attrs}/>'
    after += f"<headerFooter><oddFooter>{escape('&C' + PAGE_FOOTER)}</oddFooter></headerFooter>"
    return before, after


COPY_BYTES = 64 * 1024
COMPRESSLEVEL = 1  # a tenth of the time of the default 6 for a file ~15 % larger


def needs_zip64(size: int) -> bool:
    """Whether a member of this many bytes needs ZIP64 headers: exactly when zipfile's central directory
    will give it a ZIP64 entry (its size past zipfile.ZIP64_LIMIT; an XML sheet compresses, so its
    compressed size is smaller). A member that does not need it has none, in its local header as in the
    central directory."""
    return size > zipfile.ZIP64_LIMIT


def column_letter(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheet(title: str) -> str:
    """A sheet name as a formula reference writes it: 'name', an apostrophe doubled."""
    return "'" + title.replace("'", "''") + "'"


def _text(value: str) -> str:
    return escape(ILLEGAL_CHARACTERS_RE.sub("", value))


def cell_xml(ref: str, value: Any, boxed: bool = False) -> str:
    """One <c> element; "" for an empty cell (SpreadsheetML leaves empty cells out) unless boxed (its border)."""
    if value is None or value == "":
        return f'<c r="{ref}" s="{BOXED}"/>' if boxed else ""
    if isinstance(value, str):
        quoted = value.startswith(FORMULA_STARTS)
        style = f' s="{BOXED_QUOTED if quoted else BOXED}"' if boxed else f' s="{QUOTED}"' if quoted else ""
        space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{_text(value)}</t></is></c>'
    plain = f' s="{BOXED}"' if boxed else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{plain}><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{BOXED_DATE if boxed else DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{plain}><v>{value!r}</v></c>'
    return cell_xml(ref, str(value), boxed)


class XlsxWriter:
    """with XlsxWriter(file) as book: book.add_sheet(title, headers, rows, widths, printing)"""

    def __init__(self, target: str | IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL)
        self.titles: list[str] = []
        self.header_rows: list[int] = []  # each sheet's header row, printed on every page

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is None:
            self.close()
        else:
            self.zip.close()

    def add_sheet(
        self,
        title: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] = (),
        printing: Printing = PRINT,
    ) -> None:
        self.titles.append(title[:31])
        letters = [column_letter(i) for i in range(1, max(len(headers), 1) + 1)]
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
        )
        boxed = printing.boxed
        first = 2 if printing.title else 1  # the header's row
        self.header_rows.append(first)
        header_cells = "".join(
            f'<c r="{letter}{first}" t="inlineStr" s="{BOXED_HEADER if boxed else HEADER}"><is><t>{_text(h)}</t></is></c>'
            for letter, h in zip(letters, headers, strict=False)
        )
        # The rows go to a spool first, so that the sheet can begin with its true size (<dimension>): readers
        # such as openpyxl's read-only mode otherwise parse the whole sheet once just to find it.
        with tempfile.TemporaryFile() as spool:
            high = (
                (lambda values: f' ht="{row_height(values, widths)}" customHeight="1"')
                if boxed and widths
                else None
            )
            header_height = high(headers) if high else ""
            buffer = [f'<row r="{first}"{header_height}>{header_cells}</row>']
            if printing.title:
                buffer.insert(
                    0,
                    f'<row r="1" ht="30" customHeight="1"><c r="A1" t="inlineStr" s="{TITLE}"><is>'
                    f"<t>{_text(printing.title)}</t></is></c></row>",
                )
            number = first
            for row in rows:
                number += 1
                cells = "".join(
                    cell_xml(f"{letter}{number}", value, boxed)
                    for letter, value in zip(letters, row, strict=False)
                )
                buffer.append(f'<row r="{number}"{high(row) if high else ""}>{cells}</row>')
                if len(buffer) >= 100:
                    spool.write("".join(buffer).encode())
                    buffer = []
            spool.write("".join(buffer).encode())
            before, after = _print_xml(len(letters), widths, printing)
            below = f"A{first + 1}"
            head = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
                f'{before}<dimension ref="A1:{letters[-1]}{number}"/>'
                f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{first}" topLeftCell="{below}" '
                f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{below}" '
                f'sqref="{below}"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
            )
            head_bytes = head.encode()
            tail = f"</sheetData>{after}</worksheet>".encode()
            size = len(head_bytes) + spool.tell() + len(tail)
            spool.seek(0)
            # The entry's declared size stays 0, so that zipfile's own guess (ZIP64 whenever a declared size
            # comes within 5 % of its limit) never overrides needs_zip64.
            entry = self._entry(f"xl/worksheets/sheet{len(self.titles)}.xml")
            with self.zip.open(entry, "w", force_zip64=needs_zip64(size)) as part:
                part.write(head_bytes)
                shutil.copyfileobj(spool, part, COPY_BYTES)
                part.write(tail)

    def _entry(self, name: str) -> zipfile.ZipInfo:
        """A new member's entry, as zipfile makes one from a name (now, deflated at COMPRESSLEVEL). Past
        zipfile.ZIP64_LIMIT into the file, the central directory will give the member a ZIP64 offset and
        so "version needed to extract" 4.5: its local header is made to say 4.5 too."""
        entry = zipfile.ZipInfo(name, time.localtime(time.time())[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry._compresslevel = COMPRESSLEVEL  # what ZipFile(compresslevel=…) sets (Python 3.11's name)
        entry.external_attr = 0o600 << 16
        if self.zip.start_dir > zipfile.ZIP64_LIMIT:
            entry.extract_version = entry.create_version = zipfile.ZIP64_VERSION
        return entry

    def close(self) -> None:
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(self.titles, start=1)
        )
        count = len(self.titles)
        # each sheet's header row on every printed page (Excel's and LibreOffice's print titles)
        print_titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(quote_sheet(title))}!${row}:${row}</definedName>"
            for i, (title, row) in enumerate(zip(self.titles, self.header_rows, strict=True))
        )
        sheet_rels = "".join(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        parts = {
            "[Content_Types].xml": f'{xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>{overrides}</Types>',
            "_rels/.rels": f'{xml}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'{xml}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{print_titles}</definedNames>" if print_titles else "")
            + "</workbook>",
            "xl/_rels/workbook.xml.rels": f'{xml}<Relationships xmlns="{PACKAGE_RELS}">{sheet_rels}'
            f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
            "xl/styles.xml": STYLES,
        }
        for name, content in parts.items():
            self.zip.writestr(self._entry(name), content)
        self.zip.close()
