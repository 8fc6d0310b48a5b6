"""Import of the office's workbook (docs/workbook.md): all or nothing, every problem reported.

    result = import_workbook(path_or_file, dry_run=False, by=request.user, progress=callback)

How: the file is checked before it is opened (files.py); the header rows of all sheets are checked next
(a sheet without a required column stops the import before any row is read); then the rows go one of two ways,
with the same problems, counts and result:

- set-wise (bulk.py, docs/jobs.md): a workbook of 科技工作者 and new 联系记录 only — nearly all of a large
  import — is checked whole without writing; the dry run stops there; otherwise everything is written in
  bulk in one transaction, with one audit entry;
- per-row (apply_row_by_row): any other workbook is applied in the spec's order inside one transaction,
  through the model services, each row in its own savepoint, so that every bad row is reported and a later
  sheet sees what an earlier one created; if any problem was found, or this is a dry run, the transaction is
  rolled back.

Either way nothing at all is written when a row is wrong, and the counts say what would have been created and
updated. Importing the same workbook twice changes nothing the second time: rows are matched on the spec's
keys and saved only when a value differs.

Progress (for the job page, reports/jobs/): `progress`, when given, is called with the counts so far — sheets
read, rows read (every `every` rows while reading), rows checked (every `every` rows counted as created,
updated or unchanged while a sheet is applied, and exactly after each sheet), rows written (while the set-wise
path writes, and at the end: created and updated, 0 when nothing was written) and the total of data rows once
it is known.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

from django.contrib.auth.models import User
from django.db import transaction
from python_calamine import CalamineWorkbook, SheetTypeEnum

from . import bulk
from .context import Context, Row, SheetData
from .demands import DemandSheet
from .files import CORRUPT, WorkbookRefused, open_workbook
from .filings import FilingSheet
from .format import SHEET_ORDER, SHEETS, canon
from .plan import AssignmentSheet, TeamSheet
from .records import RecordSheet
from .registries import OrganizationSheet, ScientistSheet, StaffSheet
from .result import Counts, ImportResult, Problem
from .rules import CategorySheet, RuleSheet

__all__ = ["Counts", "ImportResult", "Problem", "WorkbookRefused", "import_workbook"]

HANDLERS = {
    sheet.name: sheet
    for sheet in (
        OrganizationSheet,
        ScientistSheet,
        StaffSheet,
        CategorySheet,
        RuleSheet,
        TeamSheet,
        AssignmentSheet,
        RecordSheet,
        DemandSheet,
        FilingSheet,
    )
}
assert tuple(HANDLERS) == SHEET_ORDER

MAX_ROWS = 200_000  # data rows per sheet
NO_SHEETS = "工作簿中没有可导入的工作表。工作表须命名为：" + "、".join(SHEET_ORDER) + "（可只含其中几个）。"


class _Rollback(Exception):
    pass


class Tracker:
    """The counts handed to a progress callback (nothing happens without one)."""

    def __init__(self, callback: Callable[[dict[str, int]], None] | None, every: int) -> None:
        self.callback = callback
        self.every = max(1, every)
        self.counts = {"sheets": 0, "read": 0, "checked": 0, "written": 0, "total": 0}
        self.ceiling = 0  # rows checked once the sheet being applied is done

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] += n
        if name == "read" and self.counts["read"] % self.every == 0:
            self.report()

    def row_checked(self) -> None:
        if self.counts["checked"] < self.ceiling:
            self.counts["checked"] += 1
            if self.counts["checked"] % self.every == 0:
                self.report()

    def set(self, **counts: int) -> None:
        self.counts.update(counts)
        self.report()

    def report(self) -> None:
        if self.callback is not None:
            self.callback(dict(self.counts))

    def check_sheets(self, sheets: dict[str, SheetData], handlers: dict, context: Context) -> None:
        """Every sheet present, in the spec's order, through its handler (the per-row or the set-wise one),
        the rows checked counted as they go."""
        if self.callback is not None:
            context.on_row = self.row_checked
        checked = 0
        for name in SHEET_ORDER:
            if name in sheets:
                self.ceiling = checked + len(sheets[name].rows)
                handlers[name](context, sheets[name]).run()
                checked = self.ceiling
                self.set(checked=checked)


def import_workbook(
    source: str | bytes | IO[bytes],
    *,
    dry_run: bool = False,
    by: User | None = None,
    progress: Callable[[dict[str, int]], None] | None = None,
    every: int = 1000,
    filename: str = "",
) -> ImportResult:
    """Import (or with dry_run only check) a workbook. Raises WorkbookRefused for a file we will not open."""
    tracker = Tracker(progress, every)
    workbook = open_workbook(source)
    result = ImportResult(dry_run=dry_run)
    try:
        sheets = read_sheets(workbook, result, tracker)
    finally:
        workbook.close()
    if not sheets:
        raise WorkbookRefused(NO_SHEETS)
    tracker.set(total=sum(len(data.rows) for data in sheets.values()))
    if check_headers(sheets, result):
        return result
    if bulk.fits(sheets):
        bulk.run(sheets, result, tracker, dry_run=dry_run, by=by, filename=filename or source_name(source))
    else:
        apply_row_by_row(sheets, result, tracker, dry_run=dry_run, by=by)
    if result.written:
        tracker.set(written=result.created + result.updated)
    order = {name: i for i, name in enumerate(SHEET_ORDER)}
    columns = {name: [c.name for c in SHEETS[name]] for name in SHEET_ORDER}
    result.problems.sort(
        key=lambda p: (
            order.get(p.sheet, -1),
            p.row or 0,
            columns[p.sheet].index(p.column) if p.column in columns.get(p.sheet, []) else 99,
        )
    )
    return result


def apply_row_by_row(
    sheets: dict[str, SheetData], result: ImportResult, tracker: Tracker, *, dry_run: bool, by: User | None
) -> None:
    """The per-row path (every sheet the set-wise path does not take): the sheets applied in the spec's order
    inside one transaction, through the services, each row in its own savepoint, then rolled back if anything
    was wrong or this is a dry run."""
    try:
        with transaction.atomic():
            tracker.check_sheets(sheets, HANDLERS, Context(result, by))
            if result.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass


def source_name(source: str | bytes | IO[bytes]) -> str:
    """The file's name, for the audit entry (a path, or an uploaded file's name)."""
    name = source if isinstance(source, str) else getattr(source, "name", "")
    return os.path.basename(str(name or ""))


def read_sheets(
    workbook: CalamineWorkbook, result: ImportResult, tracker: Tracker | None = None
) -> dict[str, SheetData]:
    """The sheets the spec knows, by name: header map and non-empty rows. Other sheets are ignored.

    Every row from A1 as Excel numbers it (a wrong "used range" some programs write does not matter: calamine
    reads the cells there are). The values in the types the cell parser (cells.py) reads: an empty cell (and a
    formula without a computed value) is None; numbers come as floats (openpyxl gave whole numbers as int;
    cells.text shows 13812345678.0 as 13812345678), dates as date or datetime, TRUE/FALSE cells as bool.
    """
    tracker = tracker or Tracker(None, 1)
    sheets: dict[str, SheetData] = {}
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cells (openpyxl's worksheets left them out too)
        name = meta.name.strip()
        if name not in SHEETS or name in sheets:
            result.ignored_sheets.append(meta.name)
            continue
        data = SheetData(name=name, index={})
        try:
            values_of = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            for number, cells_read in enumerate(values_of, start=1):
                values = tuple([None if v == "" else v for v in cells_read])
                if number == 1:
                    data.index = header_index(values, data, result)
                    continue
                if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                    if len(data.rows) >= MAX_ROWS:
                        raise WorkbookRefused(f"工作表“{name}”超过 {MAX_ROWS} 行，请拆分成几个文件分批导入。")
                    data.rows.append(Row(data, number, values))
                    tracker.add("read")
        except WorkbookRefused:
            raise
        except Exception as exc:  # a broken sheet part: calamine raises several kinds
            raise WorkbookRefused(CORRUPT) from exc
        if data.index or data.rows:  # a blank sheet holds nothing to import
            sheets[name] = data
            tracker.add("sheets")
            tracker.report()
    return sheets


def header_index(values: tuple, data: SheetData, result: ImportResult) -> dict[str, int]:
    """Column name → index. Headers are trimmed; "名称*" (copied from the spec) reads as 名称."""
    index: dict[str, int] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        name = canon(str(value)).rstrip("*＊").strip()
        if not name:
            continue
        if name in index:
            data.duplicates.append(name)
            continue
        index[name] = i
    return index


def check_headers(sheets: dict[str, SheetData], result: ImportResult) -> bool:
    """Report missing required columns and repeated columns of every sheet; True if there were any."""
    for name, data in sheets.items():
        for column in SHEETS[name]:
            if column.required and column.name not in data.index:
                result.problems.append(
                    Problem(name, 1, column.name, "", f"缺少必填列“{column.name}”：第 1 行须是列名。")
                )
        for column in data.duplicates:
            result.problems.append(
                Problem(name, 1, column, "", f"列“{column}”出现了不止一次，请删去多余的一列。")
            )
    return bool(result.problems)
