"""Strict checks of the .xlsx files the app writes (issue 19 §5): the zip structure as the ZIP specification
(PKWARE APPNOTE 6.3.x) writes it, not as lenient readers accept it, and LibreOffice reading each file.

- zip_problems(data): walks the central directory from the end record and compares every entry with its
  local header: signature, version needed, flags, method, time, CRC, sizes (through the ZIP64 extra field
  and the data descriptor where there is one), name, the other extra fields; a local ZIP64 field exactly
  where the central entry needs one; each member's data ending where the next header begins.
- unzip_test(data): `unzip -t` (Info-ZIP), and zipfile's testzip() (every member's CRC).
- libreoffice_text(files): converts the files with LibreOffice headless (`soffice --convert-to csv`, every
  sheet) in one run and returns each sheet's text. Missing LibreOffice skips the test, or fails it under
  CI=true (as the browser tests do with chromium): scripts/setup.sh --test installs it.
- libreoffice_pdf(files): prints the files to PDF the same way (`soffice --convert-to pdf`), and returns each
  one's page count and size (pdfinfo) and each page's text (`pdftotext -layout`); word_boxes() and
  ink_rows() look closer at a page (where a word stands; whether its glyphs are inked or clipped).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path

import pytest

EOCD, EOCD64, LOCATOR64 = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
CENTRAL, LOCAL, DESCRIPTOR = b"PK\x01\x02", b"PK\x03\x04", b"PK\x07\x08"
CENTRAL_FMT, LOCAL_FMT = "<4s4B4HL2L5H2L", "<4s2B4HL2L2H"
FULL32, FULL16 = 0xFFFFFFFF, 0xFFFF
ZIP64_EXTRA = 0x0001
DATA_DESCRIPTOR_FLAG = 0x08


def _extras(data: bytes) -> list[tuple[int, bytes]]:
    fields, i = [], 0
    while i + 4 <= len(data):
        tag, size = struct.unpack_from("<HH", data, i)
        fields.append((tag, data[i + 4 : i + 4 + size]))
        i += 4 + size
    return fields


def _end_record(data: bytes) -> tuple[int, int, int]:
    """(entries, central directory size, its offset), from the ZIP64 end record where there is one."""
    end = data.rfind(EOCD)
    if end < 0:
        raise ValueError("no end of central directory record")
    _sig, _disk, _start, _here, entries, size, offset, _comment = struct.unpack_from("<4s4H2LH", data, end)
    if FULL16 in (entries,) or FULL32 in (size, offset):
        locator = end - 20
        if data[locator : locator + 4] != LOCATOR64:
            raise ValueError("end record needs ZIP64 but there is no ZIP64 locator")
        (end64,) = struct.unpack_from("<Q", data, locator + 8)
        if data[end64 : end64 + 4] != EOCD64:
            raise ValueError("ZIP64 end of central directory record missing")
        entries, size, offset = struct.unpack_from("<QQQ", data, end64 + 32)
    return entries, size, offset


def zip_problems(data: bytes) -> list[str]:
    """Every disagreement between the central directory and the local headers, in words; [] when none."""
    problems: list[str] = []
    try:
        entries, cd_size, cd_offset = _end_record(data)
    except ValueError as error:
        return [str(error)]
    position, ends = cd_offset, []
    for _ in range(entries):
        if data[position : position + 4] != CENTRAL:
            problems.append(f"central entry at {position}: bad signature")
            break
        (
            _sig,
            _made_by,
            _system,
            version,
            _reserved,
            flags,
            method,
            mtime,
            mdate,
            crc,
            csize,
            usize,
            name_len,
            extra_len,
            comment_len,
            _disk,
            _internal,
            _external,
            offset,
        ) = struct.unpack_from(CENTRAL_FMT, data, position)
        start = position + 46
        name = data[start : start + name_len]
        central_extra = _extras(data[start + name_len : start + name_len + extra_len])
        position = start + name_len + extra_len + comment_len
        label = name.decode("utf-8", "replace")
        # the central ZIP64 field holds, in this order, each of the three that is full in the entry
        zip64 = dict(central_extra).get(ZIP64_EXTRA, b"")
        values = list(struct.unpack(f"<{len(zip64) // 8}Q", zip64[: len(zip64) // 8 * 8]))
        needs_sizes = FULL32 in (usize, csize)
        if usize == FULL32:
            usize = values.pop(0) if values else -1
        if csize == FULL32:
            csize = values.pop(0) if values else -1
        if offset == FULL32:
            offset = values.pop(0) if values else -1
        if -1 in (usize, csize, offset):
            problems.append(f"{label}: a full size or offset in the central entry without its ZIP64 value")
            continue

        if data[offset : offset + 4] != LOCAL:
            problems.append(f"{label}: no local header at offset {offset}")
            continue
        (
            _sig,
            l_version,
            _l_system,
            l_flags,
            l_method,
            l_mtime,
            l_mdate,
            l_crc,
            l_csize,
            l_usize,
            l_name_len,
            l_extra_len,
        ) = struct.unpack_from(LOCAL_FMT, data, offset)
        l_start = offset + 30
        l_name = data[l_start : l_start + l_name_len]
        local_extra = _extras(data[l_start + l_name_len : l_start + l_name_len + l_extra_len])
        data_start = l_start + l_name_len + l_extra_len
        if l_name != name:
            problems.append(f"{label}: local name {l_name!r}")
        if (l_version, l_flags, l_method, l_mtime, l_mdate) != (version, flags, method, mtime, mdate):
            problems.append(
                f"{label}: local version/flags/method/time {(l_version, l_flags, l_method, l_mtime, l_mdate)}"
                f" ≠ central {(version, flags, method, mtime, mdate)}"
            )
        local_zip64 = dict(local_extra).get(ZIP64_EXTRA)
        if (local_zip64 is not None) != needs_sizes:
            problems.append(
                f"{label}: local header {'has' if local_zip64 is not None else 'lacks'} a ZIP64 field, "
                f"the central entry {'needs' if needs_sizes else 'has'} {'one' if needs_sizes else 'none'}"
            )
        if [f for f in local_extra if f[0] != ZIP64_EXTRA] != [
            f for f in central_extra if f[0] != ZIP64_EXTRA
        ]:
            problems.append(f"{label}: other extra fields differ between local and central")
        if local_zip64 is not None:
            if len(local_zip64) < 16 or (l_usize, l_csize) != (FULL32, FULL32):
                problems.append(
                    f"{label}: a local ZIP64 field must hold both sizes, and the header 0xFFFFFFFF"
                )
            else:
                l_usize, l_csize = struct.unpack_from("<QQ", local_zip64)
        end = data_start + csize
        if flags & DATA_DESCRIPTOR_FLAG:
            if data[end : end + 4] == DESCRIPTOR:
                end += 4
            wide = local_zip64 is not None
            d_crc, d_csize, d_usize = struct.unpack_from("<LQQ" if wide else "<LLL", data, end)
            end += 20 if wide else 12
            if (l_crc, l_csize, l_usize) not in ((0, 0, 0), (crc, csize, usize)):
                problems.append(f"{label}: local header with a data descriptor holds other values")
            l_crc, l_csize, l_usize = d_crc, d_csize, d_usize
        if (l_crc, l_csize, l_usize) != (crc, csize, usize):
            problems.append(
                f"{label}: local CRC/sizes {(l_crc, l_csize, l_usize)} ≠ central {(crc, csize, usize)}"
            )
        ends.append((offset, end, label))
    if position != cd_offset + cd_size:
        problems.append(f"central directory is {position - cd_offset} bytes, the end record says {cd_size}")
    ends.sort()
    for (_o, end, label), (next_offset, _e, _l) in zip(ends, [*ends[1:], (cd_offset, 0, "")], strict=True):
        if end != next_offset:
            problems.append(f"{label}: its data ends at {end}, the next header is at {next_offset}")
    return problems


def unzip_test(data: bytes) -> None:
    """`unzip -t` and zipfile's CRC check both pass."""
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    unzip = shutil.which("unzip")
    if unzip is None:
        _missing("unzip (Debian's unzip)")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run([unzip, "-t", handle.name], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No errors detected" in done.stdout


def assert_strict(data: bytes) -> None:
    assert zip_problems(data) == []
    unzip_test(data)


def _missing(what: str) -> None:
    reason = f"{what} is missing: scripts/setup.sh --test (as root) installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the strict file checks must run", pytrace=False)
    pytest.skip(reason)


# LibreOffice's CSV filter: comma, double quote, UTF-8 (76), from line 1, …, every sheet (-1, LibreOffice
# ≥ 7.2) to a file of its own, <name>-<sheet>.csv
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice_convert(files: dict[str, bytes], folder: Path, target: str, *, suffix: str = ".xlsx") -> Path:
    """Write the files (name → bytes, saved as <name><suffix>) into `folder` and convert them all to `target`
    ("pdf", CSV_FILTER …) in one soffice run with a profile of its own (so that it runs beside someone's open
    LibreOffice); returns the folder the converted files are in."""
    soffice = shutil.which("soffice")
    if soffice is None:
        _missing("LibreOffice (Debian's libreoffice-calc-nogui)")
    paths = []
    for name, data in files.items():
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        paths.append(str(path))
    out = folder / "out"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *paths,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def libreoffice_text(files: dict[str, bytes]) -> dict[str, dict[str, list[list[str]]]]:
    """{file name: {sheet: rows of cells as LibreOffice shows them}}, every file converted by one soffice run
    with a profile of its own (so that it runs beside someone's open LibreOffice)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = soffice_convert(files, Path(tmp), CSV_FILTER)
        result: dict[str, dict[str, list[list[str]]]] = {name: {} for name in files}
        for csv_path in sorted(out.glob("*.csv")):
            for name in files:
                prefix = f"{name}-"
                if csv_path.name.startswith(prefix):
                    sheet = csv_path.name[len(prefix) : -len(".csv")]
                    with csv_path.open(newline="", encoding="utf-8") as handle:
                        result[name][sheet] = list(csv.reader(handle))
        return result


# --- printing (issue 21 §5) -------------------------------------------------------------------------------


@dataclass
class Printed:
    """A workbook as LibreOffice prints it to PDF: its pages (pdfinfo) and each page's text
    (`pdftotext -layout`, one string a page), with the PDF to look further."""

    pdf: bytes
    pages: int
    width: float  # points
    height: float
    texts: list[str]


def _poppler(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        _missing(f"{name} (Debian's poppler-utils)")
    return tool


def libreoffice_pdf(files: dict[str, bytes]) -> dict[str, Printed]:
    """{file name: Printed}: every workbook printed to PDF by one soffice run (its own profile), as a user's
    "print to PDF" would, with the page setup the file carries (paper, orientation, margins, footer)."""
    pdfinfo, pdftotext = _poppler("pdfinfo"), _poppler("pdftotext")
    with tempfile.TemporaryDirectory() as tmp:
        out = soffice_convert(files, Path(tmp), "pdf")
        result = {}
        for name in files:
            pdf = out / f"{name}.pdf"
            info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
            fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
            size = re.match(r"\s*([\d.]+) x ([\d.]+) pts", fields["Page size"])
            text = subprocess.run(
                [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            pages = int(fields["Pages"])
            result[name] = Printed(
                pdf=pdf.read_bytes(),
                pages=pages,
                width=float(size.group(1)),
                height=float(size.group(2)),
                texts=text.split("\f")[:pages],
            )
        return result


def word_boxes(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in points of every word pdftotext finds on a page (1-based)."""
    pdftotext = _poppler("pdftotext")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        html = subprocess.run(
            [pdftotext, "-bbox", "-f", str(page), "-l", str(page), handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return [
        (html_unescape(word), float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]


def ink_rows(pdf: bytes, page: int, top: float, bottom: float, dpi: int = 150) -> list[int]:
    """Dark pixels in each pixel row of a page between two heights (points from the top): text that the
    page clips leaves rows without ink where its glyphs should be (pdftotext still reads clipped text)."""
    pdftoppm = _poppler("pdftoppm")
    scale = dpi / 72
    y, height = int(top * scale), max(1, int((bottom - top) * scale))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        pgm = subprocess.run(
            [
                pdftoppm,
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-y",
                str(y),
                "-H",
                str(height),
                "-x",
                "0",
                "-W",
                "100000",
                handle.name,
            ],
            capture_output=True,
            check=True,
        ).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", pgm)
    width, rows = int(header.group(1)), int(header.group(2))
    pixels = pgm[header.end() :]
    return [sum(1 for p in pixels[r * width : (r + 1) * width] if p < 128) for r in range(rows)]
