"""Every person's duty-report PDF of a year in one zip, as a job (started from /reports/duty/ by the liaison
office): optionally only one department's people or one team's lead and members.

The people are those of the year's summary (staff_of_year), in its order; each report is the same
duty_report → duty_pdf_bytes as the one-person download. Progress counts people done of the total. A PDF
that cannot be made (WeasyPrint failing on one person's data) does not stop the others: the person is named
in the result with the reason, and left out of the zip; the traceback goes to the log.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db.models import Q

from liaison.models import Department, Staff, Team, Year
from reports.duty.pdf import duty_pdf_bytes, duty_pdf_filename
from reports.duty.services import duty_report, staff_of_year
from reports.jobs.models import Job, JobKind
from reports.jobs.progress import Progress
from reports.jobs.run import JobFailed, kind

logger = logging.getLogger(__name__)

PDF_FAILED = "生成 PDF 时出错"


def people_of(year: Year, *, department: Department | None = None, team: Team | None = None):
    """Whose reports go in the zip: the year's people (staff_of_year), narrowed to a department or a team."""
    people = staff_of_year(year)
    if department is not None:
        people = people.filter(department=department)
    if team is not None:
        people = people.filter(Q(pk=team.lead_id) | Q(pk__in=team.members.values("pk")))
    return people


def zip_name(year: Year, department: Department | None, team: Team | None) -> str:
    scope = team.name if team is not None else department.name if department is not None else "全体"
    return f"{year.year}年度述职报告（{scope}）.zip"


def unique(name: str, taken: set[str], staff: Staff) -> str:
    """Two people of the same name get their staff number in the file name."""
    if name in taken:
        name = name.removesuffix(".pdf") + f"_{staff.pk}.pdf"
    taken.add(name)
    return name


@kind(JobKind.DUTY_PDFS)
def run_duty_pdfs(job: Job, progress: Progress) -> None:
    year = Year.objects.filter(year=job.params.get("year")).first()
    if year is None:
        raise JobFailed("该年度已不存在。")
    department = team = None
    if job.params.get("department"):
        department = Department.objects.filter(pk=job.params["department"]).first()
        if department is None:
            raise JobFailed("所选部室已不存在。")
    if job.params.get("team"):
        team = Team.objects.filter(pk=job.params["team"], year=year).select_related("lead").first()
        if team is None:
            raise JobFailed("所选专班已不存在。")
    people = list(people_of(year, department=department, team=team).select_related("user"))
    progress.update(done=0, total=len(people), failed=0)
    failed: list[list[str]] = []
    files = 0
    taken: set[str] = set()
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for person in people:
                try:
                    report = duty_report(person, year)
                    pdf = duty_pdf_bytes(report)
                except Exception:
                    logger.exception("job %s: the duty report of staff %s failed", job.pk, person.pk)
                    failed.append([person.name, PDF_FAILED])
                else:
                    archive.writestr(unique(duty_pdf_filename(report), taken, person), pdf)
                    files += 1
                progress.update(done=progress.counts["done"] + 1, failed=len(failed))
        handle.seek(0)
        name = zip_name(year, department, team)
        job.result_file.save(name, File(handle), save=False)
    job.result = {"people": len(people), "files": files, "failed": failed, "filename": name}
