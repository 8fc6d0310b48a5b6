"""The party-group workbook (附件1, 附件2, 调整情况; reports/cycle/party_workbook.py) as a job, for a large year:
the same plan_sheets and render_workbook as the synchronous download, with progress (rows written of the
total) and the file saved through the storage. The download /reports/years/<year>/workbook.xlsx stays for
scripts and small years."""

from __future__ import annotations

import tempfile

from django.core.files import File

from liaison.models import Year
from reports.cycle.party_workbook import plan_sheets, render_workbook, workbook_filename
from reports.jobs.models import Job, JobKind
from reports.jobs.progress import Progress
from reports.jobs.run import JobFailed, kind

EVERY = 50  # rows between two progress reports (a row of this workbook is a whole team: slow to lay out)


@kind(JobKind.PLAN_WORKBOOK)
def run_plan_workbook(job: Job, progress: Progress) -> None:
    year = Year.objects.filter(year=job.params.get("year")).first()
    if year is None:
        raise JobFailed("该年度已不存在。")
    sheets = plan_sheets(year)
    total = sum(len(sheet.rows) for sheet in sheets)
    progress.update(written=0, total=total)

    def written() -> None:
        progress.counts["written"] += 1
        if progress.counts["written"] % EVERY == 0:
            progress.update()

    name = workbook_filename(year)
    with tempfile.TemporaryFile() as handle:
        render_workbook(sheets, handle, title=name.removesuffix(".xlsx"), written=written)
        progress.update()
        handle.seek(0)
        job.result_file.save(name, File(handle), save=False)
    job.result = {"rows": total, "filename": name}
