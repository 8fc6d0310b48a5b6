"""Pages of the approval (报审与审定), the plan's history, and the files for the party group: the workbook
of 附件1, 附件2 and the changes, and the scan of the approval document."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.files import serve_upload
from liaison.compliance import quotas
from liaison.models import Team, YearStatus
from liaison.plan import services as plans
from reports.cycle import approval
from reports.cycle.approval import SCAN_CONTENT_TYPES
from reports.cycle.forms import ApproveForm, ArchiveForm, SubmitForm, WithdrawForm
from reports.cycle.history import SOURCES, History
from reports.cycle.party_workbook import plan_workbook_bytes, workbook_filename
from reports.cycle.views.adjustment import apply_errors
from reports.jobs import run as jobs
from reports.jobs.models import JobKind
from reports.models import PlanApproval, PlanTransition
from reports.review.views import VIEW_REVIEW, get_year

MANAGE = "liaison.manage_plan"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ShortTeam:
    """A team that falls short of the quota under the plan as it stands (quotas.check_teams), and how."""

    team: Team
    shortfalls: list[str]


CONFIRM_LISTED = 20  # teams named in the browser's confirmation; the page lists them all


def submit_question(year, short: list[ShortTeam], leads: list) -> str:
    """The confirmation before 报党组审定: what locks, who leads no team, and each team that will fall short
    of the quota under the plan as submitted, by name with its shortfalls (liaison/compliance/quotas.py)."""
    lines = [f"报审后{year}分工将锁定，等待党组审定。"]
    if leads:
        lines.append("尚未牵头专班：" + "、".join(s.name for s in leads) + "。")
    if short:
        lines.append(f"以下 {len(short)} 个专班按报审的分工未达到联系定额：")
        lines += [f"· {s.team.name}：{'；'.join(s.shortfalls)}" for s in short[:CONFIRM_LISTED]]
        if len(short) > CONFIRM_LISTED:
            lines.append(f"另有 {len(short) - CONFIRM_LISTED} 个专班，见页面上的列表。")
    else:
        lines.append("各专班均达到联系定额。")
    lines.append("确定报审？")
    return "\n".join(lines)


def _approval_context(request: HttpRequest, the_year, **forms) -> dict:
    teams = list(Team.objects.filter(year=the_year).for_year_list())
    checks = quotas.check_teams(teams, the_year)
    short = [ShortTeam(t, checks[t.pk].shortfalls) for t in teams if not checks[t.pk].compliant]
    leads = plans.leads_without_team(the_year)
    today = timezone.localdate()
    can_manage = request.user.has_perm(MANAGE)
    status = the_year.status
    record = PlanApproval.objects.filter(year=the_year).select_related("recorded_by__staff").first()
    return {
        "year": the_year,
        "approval": record,
        "in_force": status == YearStatus.APPROVED and the_year.first_day <= today,
        "transitions": list(
            PlanTransition.objects.filter(year=the_year).select_related("by__staff").order_by("-at", "-id")
        ),
        "team_count": len(teams),
        "short_teams": short,
        "leads_without_team": leads,
        "submit_question": submit_question(the_year, short, leads),
        "can_manage": can_manage,
        "can_view_files": request.user.has_perm(VIEW_REVIEW),
        "can_submit": can_manage and status == YearStatus.DRAFT,
        "can_withdraw": can_manage and status == YearStatus.SUBMITTED,
        "can_approve": can_manage
        and (status == YearStatus.SUBMITTED or (status == YearStatus.APPROVED and record is None)),
        "can_archive": can_manage and status == YearStatus.APPROVED and today > the_year.last_day,
        "steps": [
            (YearStatus.DRAFT, "编制中"),
            (YearStatus.SUBMITTED, "已报审"),
            (YearStatus.APPROVED, "已审定"),
            (YearStatus.ARCHIVED, "已归档"),
        ],
        "submit_form": forms.get("submit_form") or SubmitForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"approved_on": today}, year=the_year.year),
        "archive_form": forms.get("archive_form") or ArchiveForm(),
    }


@require_GET
def approval_page(request: HttpRequest, year: int) -> HttpResponse:
    """Where the plan stands (编制中 → 已报审 → 已审定 → 已归档), the approval record and every step taken."""
    return render(request, "reports/cycle/approval.html", _approval_context(request, get_year(year)))


def _act(request: HttpRequest, year: int, form_class, form_name: str, action, done: str) -> HttpResponse:
    the_year = get_year(year)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(the_year, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done.format(year=the_year))
            return redirect("reports:approval", year=the_year.year)
    problems = "；".join(form.non_field_errors())
    messages.error(request, f"未能办理：{problems}" if problems else "未能办理，请根据提示修改。")
    context = _approval_context(request, the_year, **{form_name: form})
    context["open_form"] = form_name
    return render(request, "reports/cycle/approval.html", context)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_submit(request: HttpRequest, year: int) -> HttpResponse:
    return _act(
        request,
        year,
        SubmitForm,
        "submit_form",
        lambda y, d: approval.plan_submit(year=y, by=request.user, note=d["note"]),
        "{year}分工已报审，现已锁定；如需修改，可撤回报审。",
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_withdraw(request: HttpRequest, year: int) -> HttpResponse:
    return _act(
        request,
        year,
        WithdrawForm,
        "withdraw_form",
        lambda y, d: approval.plan_withdraw(year=y, by=request.user, reason=d["reason"]),
        "已撤回{year}分工的报审，恢复为编制中。",
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_approve(request: HttpRequest, year: int) -> HttpResponse:
    return _act(
        request,
        year,
        ApproveForm,
        "approve_form",
        lambda y, d: approval.plan_approve(
            year=y,
            by=request.user,
            approved_on=d["approved_on"],
            document_number=d["document_number"],
            scanned_file=d["scanned_file"],
            note=d["note"],
        ),
        "已登记{year}分工的审定，分工自此生效；此后的变动须作为调整记录并填写原因。",
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_archive(request: HttpRequest, year: int) -> HttpResponse:
    return _act(
        request,
        year,
        ArchiveForm,
        "archive_form",
        lambda y, d: approval.plan_archive(year=y, by=request.user, note=d["note"]),
        "{year}分工已归档。",
    )


@require_GET
@permission_required(VIEW_REVIEW, raise_exception=True)
def approval_scan(request: HttpRequest, year: int) -> FileResponse:
    """The scanned approval document, for those who may see the review."""
    the_year = get_year(year)
    record = PlanApproval.objects.filter(year=the_year).first()
    if record is None or not record.scanned_file:
        raise Http404("没有上传审定文件扫描件。")
    suffix = "." + record.scanned_file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = record.scanned_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("审定文件扫描件已丢失。") from exc
    # a JPG or PNG is shown, a PDF downloaded (it may carry script); never run (common/files.py)
    return serve_upload(
        handle,
        stored_type=SCAN_CONTENT_TYPES.get(suffix, "application/octet-stream"),
        filename=record.scanned_name or f"{the_year.year}年度审定文件{suffix}",
    )


@require_GET
@permission_required(VIEW_REVIEW, raise_exception=True)
def plan_workbook(request: HttpRequest, year: int) -> HttpResponse:
    """附件1, 附件2 and the changes against last year, as the .xlsx the party group signs."""
    the_year = get_year(year)
    response = HttpResponse(plan_workbook_bytes(the_year), content_type=XLSX)
    filename = workbook_filename(the_year)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_POST
@permission_required(VIEW_REVIEW, raise_exception=True)
def plan_workbook_job(request: HttpRequest, year: int) -> HttpResponse:
    """The same workbook as a job (reports/cycle/jobs.py, docs/jobs.md): for a large year, with progress."""
    the_year = get_year(year)
    job = jobs.start(
        JobKind.PLAN_WORKBOOK,
        request.user,
        title=f"{the_year.year} 年度分工表（报党组审定）",
        params={"year": the_year.year},
    )
    return redirect(job)


@require_GET
@permission_required(VIEW_REVIEW, raise_exception=True)
def history(request: HttpRequest, year: int) -> HttpResponse:
    """Every status change, recorded adjustment and audited change of the year's plan, newest first."""
    the_year = get_year(year)
    source = request.GET.get("show", "all")
    entries = History(the_year, source)
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/cycle/history.html",
        {"year": the_year, "page": page, "show": entries.source, "sources": SOURCES.items()},
    )
