"""/reports/digest/: the weekly digest (联系工作周报) started by hand as a job, previewed or sent.

The liaison office and admins only (they receive the roll-up of every team, and sending goes to every team
lead); anyone else gets 403. The page itself computes nothing: the job builds the messages, with progress.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from liaison.models import Year
from liaison.people.access import Role, role_of
from reports.jobs import run as jobs
from reports.jobs.models import Job, JobKind

RECENT = 10


def can_send_digest(user: User) -> bool:
    return role_of(user) in (Role.LIAISON_OFFICE, Role.ADMIN)


def _allowed(request: HttpRequest) -> None:
    if not can_send_digest(request.user):
        raise PermissionDenied


@require_GET
def digest_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    today = timezone.localdate()
    recent = Job.objects.filter(kind=JobKind.DIGEST).select_related("created_by")[:RECENT]
    return render(
        request,
        "reports/digest/digest.html",
        {"today": today, "has_year": Year.objects.filter(year=today.year).exists(), "recent": recent},
    )


@require_POST
def digest_job(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    today = timezone.localdate()
    dry_run = request.POST.get("send") != "1"
    job = jobs.start(
        JobKind.DIGEST,
        request.user,
        title=f"{today:%Y-%m-%d} 联系工作周报（{'仅预览' if dry_run else '发送'}）",
        params={"today": today.isoformat(), "dry_run": dry_run},
    )
    return redirect(job)
