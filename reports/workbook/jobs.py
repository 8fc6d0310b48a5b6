"""The workbook's long work as jobs (reports/jobs/): the import of an uploaded workbook and the exports of a
year's records (联系记录与诉求), of everything (全部数据) and the duty reports' summary workbook (述职汇总表),
written to the storage with progress.

The import job reads its input file from the storage, imports it all or nothing (reports/workbook/imports),
and keeps the report as JSON on the Job row: the counts per sheet and the first SHOWN_PROBLEMS problems with
their total, which the job page shows with the import page's own template part.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

from django.core.files import File

from liaison.models import Year
from reports.jobs.models import Job, JobKind
from reports.jobs.progress import Progress
from reports.jobs.run import JobFailed, kind
from reports.workbook import exports as tables
from reports.workbook.imports import Counts, ImportResult, Problem, WorkbookRefused, import_workbook

SHOWN_PROBLEMS = 500  # the page lists this many; the total is always given
EVERY = 200  # rows between two progress reports of an export
IMPORT_EVERY = 1000  # rows between two progress reports of an import (read, then checked)
NO_YEAR = "要导出的年度已不存在。"


# --- import ---------------------------------------------------------------------------------------------


def result_to_json(result: ImportResult) -> dict[str, Any]:
    return {
        "dry_run": result.dry_run,
        "counts": {name: [c.created, c.updated, c.unchanged] for name, c in result.counts.items()},
        "problems": [
            [p.sheet, p.row, p.column, p.value, p.reason, p.letter] for p in result.problems[:SHOWN_PROBLEMS]
        ],
        "problem_count": len(result.problems),
        "ignored_sheets": result.ignored_sheets,
        "warnings": [
            [p.sheet, p.row, p.column, p.value, p.reason, p.letter] for p in result.warnings[:SHOWN_PROBLEMS]
        ],
        "warning_count": len(result.warnings),
    }


def result_from_json(data: dict[str, Any]) -> tuple[ImportResult, int]:
    """The report as the import page shows it, and the total number of problems (only the first are kept)."""
    result = ImportResult(
        dry_run=data["dry_run"],
        counts={name: Counts(*values) for name, values in data["counts"].items()},
        problems=[Problem(*values) for values in data["problems"]],
        ignored_sheets=data["ignored_sheets"],
        warnings=[Problem(*values) for values in data.get("warnings", [])],  # reports of before issue 20
    )
    return result, data["problem_count"]


@kind(JobKind.IMPORT)
def run_import(job: Job, progress: Progress) -> None:
    filename = PurePath(job.input_file.name).name  # for the import's audit entry
    with job.input_file.open("rb") as handle:
        data = handle.read()
    # the upload holds personal data: kept only while the job needs it (the report keeps what was found)
    job.input_file.delete(save=False)
    try:
        result = import_workbook(
            data,
            dry_run=bool(job.params.get("dry_run")),
            by=job.created_by,
            progress=progress,
            every=IMPORT_EVERY,
            filename=filename,
        )
    except WorkbookRefused as refused:
        raise JobFailed(refused.message) from refused
    job.result = result_to_json(result)


# --- exports --------------------------------------------------------------------------------------------


def counted(rows: Iterable[list[Any]], progress: Progress) -> Iterator[list[Any]]:
    for row in rows:
        yield row
        written = progress.counts.get("written", 0) + 1
        progress.counts["written"] = written
        if written % EVERY == 0:
            progress.update()


def write_export(job: Job, progress: Progress, tables_: list[tables.Table], filename: str) -> None:
    """Write the tables to a temporary file with progress (rows written / total), then save it to storage.
    The total counts the large tables beforehand (one COUNT each); the small ones (rules, teams, filings…)
    are added as they are written, so the page calls it an estimate until the end."""
    total = sum(table.size() for table in tables_ if table.size is not None)
    progress.update(written=0, total=total)
    wrapped = [dataclasses.replace(t, rows=counted(t.rows, progress)) for t in tables_]
    with tempfile.TemporaryFile() as handle:
        tables.write_workbook(wrapped, handle)
        progress.update(total=progress.counts["written"])  # the small tables were not in the estimate
        handle.seek(0)
        name = f"{filename}_{tables.today_stamp()}.xlsx"
        job.result_file.save(name, File(handle), save=False)  # the storage may simplify the name: keep it
    job.result = {"rows": progress.counts["written"], "filename": name}


def the_year(job: Job) -> Year:
    year = Year.objects.filter(year=job.params.get("year")).first()
    if year is None:
        raise JobFailed(NO_YEAR)
    return year


@kind(JobKind.DUTY_SUMMARY)
def run_duty_summary(job: Job, progress: Progress) -> None:
    """The duty reports' summary workbook (评先评优参考) of a year: everyone's figures, one row a person."""
    from reports.duty.services import summary_rows
    from reports.duty.xlsx import summary_table

    year = the_year(job)
    rows = summary_rows(year)
    table = summary_table(rows, year)
    table.size = lambda: len(rows)
    write_export(job, progress, [table], f"{year.year}年度个人联系工作汇总（评先评优参考）")


@kind(JobKind.EXPORT_RECORDS)
def run_export_records(job: Job, progress: Progress) -> None:
    year = the_year(job)
    write_export(job, progress, tables.record_tables(year), f"{year.year}年度联系记录")


@kind(JobKind.EXPORT_ALL)
def run_export_all(job: Job, progress: Progress) -> None:
    from reports.workbook.views import contacts_for  # the same rule as the synchronous export

    year = the_year(job)
    contacts = contacts_for(job.created_by)
    everything = tables.everything(
        year, scientists_visible=contacts.scientists, orgs_visible=contacts.organizations
    )
    write_export(job, progress, everything, f"{year.year}年度全部数据")
