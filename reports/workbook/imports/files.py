"""Is this upload a workbook we may open? Checked on the bytes before the reader sees them.

An .xlsx is a zip of XML parts. A password-protected one is not a zip at all but an OLE compound file
(D0 CF 11 E0, as old .xls files are) holding "EncryptionInfo" and "EncryptedPackage" streams. Macros live in
xl/vbaProject.bin under a macroEnabled content type. A zip bomb declares sizes far beyond its bytes; zipfile
never inflates a member past its declared size, so the declared sizes are a sound bound.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from python_calamine import CalamineWorkbook

MAX_BYTES = 20 * 1024 * 1024  # the upload itself
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts inflated
MAX_RATIO = 100  # inflated / compressed, over the whole file, once it inflates beyond SMALL
SMALL = 10 * 1024 * 1024
MAX_MEMBERS = 5000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

TOO_LARGE = "文件超过 20 MB，不予导入。请按工作表拆分成几个文件分批导入。"
NOT_XLSX = "文件不是 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入。"
OLD_XLS = "这是旧版 Excel 97-2003 工作簿（.xls）。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入。"
ENCRYPTED = "文件已加密，请先取消密码保护后再导入。"
MACROS = "文件含有宏，出于安全考虑不予导入。请另存为不含宏的 .xlsx 工作簿后再导入。"
BOMB = "文件解压后过大（超过 200 MB 或压缩比异常），疑似恶意文件，不予导入。"
EMPTY = "文件是空的。"
CORRUPT = "无法读取该工作簿，文件可能已损坏。请在 Excel 中打开并重新保存为 .xlsx 后再导入。"


class WorkbookRefused(Exception):
    """The file is refused as a whole; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_upload(source: str | bytes | IO[bytes]) -> bytes:
    """The file's bytes, refusing anything over the limit without reading it all."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str):
        with open(source, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(TOO_LARGE)
    if not data:
        raise WorkbookRefused(EMPTY)
    return data


def check_package(data: bytes) -> None:
    """Refuse what is not a plain .xlsx: encrypted, old .xls, not a zip, macros, a zip bomb."""
    if data.startswith(OLE_MAGIC):
        # Stream names in the compound file's directory are UTF-16LE.
        encrypted = any(name.encode("utf-16-le") in data for name in ("EncryptionInfo", "EncryptedPackage"))
        raise WorkbookRefused(ENCRYPTED if encrypted else OLD_XLS)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if len(members) > MAX_MEMBERS:
                raise WorkbookRefused(BOMB)
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise WorkbookRefused(NOT_XLSX)
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise WorkbookRefused(MACROS)
            inflated = sum(m.file_size for m in members)
            compressed = sum(m.compress_size for m in members) or 1
            if inflated > MAX_UNCOMPRESSED or (inflated > SMALL and inflated / compressed > MAX_RATIO):
                raise WorkbookRefused(BOMB)
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:
        # RuntimeError: a member encrypted with a zip password.
        raise WorkbookRefused(CORRUPT) from exc
    if b"macroenabled" in content_types.lower():
        raise WorkbookRefused(MACROS)


def open_workbook(source: str | bytes | IO[bytes]) -> CalamineWorkbook:
    """Check the file, then open it with python-calamine (the Rust calamine reader, docs/jobs.md "Reading the
    workbook"): the values Excel last computed (as openpyxl's data_only), ~10 times faster.

    calamine's XML parser (quick-xml) expands no entities beyond the five predefined ones and reads no DTD, so
    entity tricks fail as they did with openpyxl on defusedxml; the zip has been checked above.
    """
    data = read_upload(source)
    check_package(data)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (
        Exception
    ) as exc:  # calamine raises several kinds on a broken package: all mean the same to the user
        raise WorkbookRefused(CORRUPT) from exc
