"""The job page (/reports/jobs/<id>/), its file, and 我的任务 (/reports/jobs/).

Only the person who started a job (and a superuser) sees it, its progress and its file: anyone else gets 404,
as if it did not exist. The page polls itself with htmx every second while the job runs (the counts part
only); once the job ends htmx reloads the whole page, which then shows the result. Without JavaScript a
plain 刷新 link does the same.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from reports.workbook.jobs import result_from_json

from . import progress as progress_store
from .models import STALE, Job, JobKind, JobStatus

RECENT = 30  # jobs listed on 我的任务

LABELS = {
    JobKind.IMPORT: [
        ("sheets", "已读取工作表"),
        ("read", "已读取行"),
        ("checked", "已检查行"),
        ("written", "已写入行"),
        ("total", "数据行共计"),
    ],
    JobKind.EXPORT_RECORDS: [("written", "已写入行"), ("total", "共计（约）")],
    JobKind.EXPORT_ALL: [("written", "已写入行"), ("total", "共计（约）")],
    JobKind.DUTY_SUMMARY: [("written", "已写入行"), ("total", "共计")],
    JobKind.PLAN_WORKBOOK: [("written", "已写入行"), ("total", "共计")],
    JobKind.DUTY_PDFS: [("done", "已处理（人）"), ("total", "共计（人）"), ("failed", "未能生成")],
    JobKind.DIGEST: [("done", "已处理收件人"), ("total", "收件人共计")],
}
OTHER = [("done", "已完成"), ("written", "已写入行"), ("total", "共计")]  # a kind with no labels of its own
DONE_COUNT = {JobKind.IMPORT: "checked", JobKind.DUTY_PDFS: "done", JobKind.DIGEST: "done"}  # else written
# where the job page's first button goes back to: (url name, its arguments from the job's params, label)
BACK = {
    JobKind.IMPORT: ("reports:io_import", (), "返回导入页面"),
    JobKind.DUTY_SUMMARY: ("reports:duty_index", (), "返回个人述职"),
    JobKind.DUTY_PDFS: ("reports:duty_index", (), "返回个人述职"),
    JobKind.PLAN_WORKBOOK: ("reports:approval", ("year",), "返回报审与审定"),
    JobKind.DIGEST: ("reports:digest", (), "返回联系工作周报"),
}


def visible_jobs(user: User):
    jobs = Job.objects.select_related("created_by")
    return jobs if user.is_superuser else jobs.filter(created_by=user)


def job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return job


def state(job: Job) -> dict:
    """What the status part shows: the label, the counts, the bar's value (None: not known yet)."""
    counts = dict(job.counts or {})
    if job.status == JobStatus.RUNNING:
        counts = progress_store.current(job.pk) or counts
    stale = job.stale
    label = "已中断" if stale else job.get_status_display()
    percent = None
    if job.status == JobStatus.DONE:
        percent = 100
    elif counts.get("total"):
        done = counts.get(DONE_COUNT.get(job.kind, "written"), 0)
        percent = min(100, round(100 * done / counts["total"]))
    return {
        "label": label,
        "stale": stale,
        "stale_message": STALE if stale else "",
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not stale,
        "counts": [(text, counts[name]) for name, text in LABELS.get(job.kind, OTHER) if name in counts],
        "percent": percent,
    }


@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request, pk)
    context = {"job": job, "state": state(job), "file_name": file_name(job), "back": back(job)}
    if request.htmx:
        response = render(request, "reports/jobs/_status.html", context)
        if not context["state"]["running"]:
            response["HX-Refresh"] = "true"  # the whole page, with the result
        return response
    if job.kind == JobKind.IMPORT and job.result:
        result, problem_count = result_from_json(job.result)
        context.update(
            result=result,
            problems=result.problems,
            problem_count=problem_count,
            shown_limit=len(result.problems),
            warning_count=job.result.get("warning_count", 0),
            filename=job.title,
        )
    return render(request, "reports/jobs/job.html", context)


def back(job: Job) -> tuple[str, str]:
    """The page the job was started from: (its address, the button's label)."""
    name, params, label = BACK.get(job.kind, ("reports:io_export", (), "返回数据导出"))
    try:
        return reverse(name, args=[job.params[p] for p in params]), label
    except (KeyError, NoReverseMatch):
        return reverse("reports:jobs"), "我的任务"


def file_name(job: Job) -> str:
    """The name the file is downloaded under: the one the job gave it (the storage may have simplified it)."""
    if not job.result_file:
        return ""
    return (job.result or {}).get("filename") or job.result_file.name.rsplit("/", 1)[-1]


@require_GET
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = job_for(request, pk)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=file_name(job))


@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    jobs = list(Job.objects.filter(created_by=request.user).order_by("-created_at", "-pk")[:RECENT])
    return render(request, "reports/jobs/list.html", {"jobs": [(job, state(job)) for job in jobs]})
