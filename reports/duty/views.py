"""Duty reports (年终个人述职, seed 000 §六.2): a person's page, PDF and workbook; the list of everyone and the
evaluation workbook; marking a record as a highlight of the report.

Who sees what (docs/design.md, Roles): a person sees their own report; leadership, the liaison office and admins
see everyone's (liaison.access.sees_all_records). Someone else's report answers 404, as another team's record
does. Highlights are marked by the record's participants (the author is one) and the liaison office.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import paginate
from liaison.models import ContactRecord, ContactTarget, Department, Staff, Team, Year, YearStatus
from liaison.people.access import (
    Role,
    can_highlight_record,
    records_visible_to,
    role_of,
    sees_all_records,
    staff_of,
)
from reports.duty.docx import duty_docx_bytes, duty_docx_filename
from reports.duty.forms import NarrativeForm
from reports.duty.models import DutyNarrative
from reports.duty.narrative import narrative_save, paragraphs
from reports.duty.pdf import duty_pdf_bytes, duty_pdf_filename
from reports.duty.services import MONTHS, duty_report, records_of, summary_rows
from reports.duty.xlsx import (
    duty_workbook_bytes,
    duty_workbook_filename,
    summary_workbook_bytes,
    summary_workbook_filename,
)
from reports.jobs import run as jobs
from reports.jobs.models import JobKind

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOOSER_PAGE_SIZE = 30


# --- access ---------------------------------------------------------------------------------------------


def can_see_duty(user: User, staff: Staff) -> bool:
    """One's own report; everyone's for leadership, the liaison office and admins."""
    if sees_all_records(user):
        return True
    me = staff_of(user)
    return me is not None and me.pk == staff.pk


def can_mark_for(user: User, staff: Staff, year: Year) -> bool:
    """Whether the user edits this person's duty report: marks highlights among their records (they are a
    participant of each) and writes its text (述职正文). The person themself and the liaison office; leaders
    read; nobody edits an archived year's."""
    if year.status == YearStatus.ARCHIVED:
        return False
    me = staff_of(user)
    return me is not None and (me.pk == staff.pk or me.in_liaison_office)


def _year(year: int) -> Year:
    return get_object_or_404(Year, year=year)


def _person(request: HttpRequest, staff_pk: int) -> Staff:
    """The person whose report is asked for, or 404 when the user may not see it."""
    staff = get_object_or_404(Staff.objects.select_related("department", "user"), pk=staff_pk)
    if not can_see_duty(request.user, staff):
        raise Http404("没有找到该述职报告。")
    return staff


def attachment(content: bytes, filename: str, content_type: str, fallback: str) -> HttpResponse:
    """A download with a Chinese file name (RFC 6266 / RFC 5987 filename*, plus an ASCII fallback)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


def _chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    chosen = request.GET.get("year", "")
    if chosen.isdecimal() and int(chosen) in years:
        return int(chosen)
    today = timezone.localdate().year
    if today in years:
        return today
    return years[0] if years else None


# --- pages ----------------------------------------------------------------------------------------------


@require_GET
def duty_index(request: HttpRequest) -> HttpResponse:
    """Everyone's key figures for a year (leadership, liaison office, admin); anyone else goes to their own
    report."""
    years = list(Year.objects.order_by("-year").values_list("year", flat=True))
    year = _chosen_year(request, years)
    if not sees_all_records(request.user):
        me = staff_of(request.user)
        if me is None:
            raise PermissionDenied
        if year is not None:
            return redirect("reports:duty_report", year=year, staff_pk=me.pk)
    the_year = Year.objects.get(year=year) if year is not None else None
    rows = summary_rows(the_year) if the_year is not None else []
    bulk = can_bulk_pdfs(request.user) and the_year is not None
    return render(
        request,
        "reports/duty/duty_list.html",
        {
            "year": the_year,
            "years": years,
            "rows": rows,
            "can_bulk_pdfs": bulk,
            "departments": list(Department.objects.order_by("order", "id")) if bulk else [],
            "teams": list(Team.objects.filter(year=the_year).order_by("kind", "id")) if bulk else [],
        },
    )


@require_GET
def duty_page(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    staff = _person(request, staff_pk)
    the_year = _year(year)
    report = duty_report(staff, the_year)
    return render(
        request,
        "reports/duty/duty_report.html",
        {
            "report": report,
            "year": the_year,
            "months": MONTHS,
            "can_mark": can_mark_for(request.user, staff, the_year),
            "sees_all": sees_all_records(request.user),
            "here": request.get_full_path(),
        },
    )


@require_GET
def duty_pdf(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    staff = _person(request, staff_pk)
    report = duty_report(staff, _year(year))
    return attachment(duty_pdf_bytes(report), duty_pdf_filename(report), PDF, f"duty-{year}-{staff.pk}.pdf")


@require_GET
def duty_docx(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    """The report as a Word document (.docx) to finish in Word or WPS: the same text and figures as the PDF."""
    staff = _person(request, staff_pk)
    report = duty_report(staff, _year(year))
    return attachment(
        duty_docx_bytes(report), duty_docx_filename(report), DOCX, f"duty-{year}-{staff.pk}.docx"
    )


@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    """Edit and keep the report's text. The draft of the figures now is shown beside it; "用新草稿替换正文"
    puts it in the form without saving, so a kept text is only ever replaced by a save the user makes."""
    staff = _person(request, staff_pk)
    the_year = _year(year)
    if not can_mark_for(request.user, staff, the_year):
        raise PermissionDenied
    report = duty_report(staff, the_year)
    draft = report.draft
    narrative = report.kept or DutyNarrative(staff=staff, year=the_year)
    took_draft = False
    if request.method == "POST" and "use_draft" in request.POST:
        data = request.POST.copy()
        data["text"], data["adopted"] = draft, "True"
        form = NarrativeForm(data, instance=narrative)
        took_draft = True
    elif request.method == "POST":
        form = NarrativeForm(request.POST, instance=narrative)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if form.claim():
                        narrative_save(
                            narrative=form.instance,
                            draft=draft,
                            adopted=form.cleaned_data["adopted"],
                            by=request.user,
                        )
                        messages.success(request, "已保存述职正文。")
                        return redirect("reports:duty_report", year=the_year.year, staff_pk=staff.pk)
            except ValidationError as error:
                for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            except IntegrityError:
                # two first saves at once: the other one was kept first
                form.add_error(
                    None,
                    "保存未成功：述职正文刚刚已由其他人保存。您填写的内容仍在下面，请刷新页面核对后再保存。",
                )
    else:
        initial = {} if report.kept else {"text": draft, "self_assessment": report.self_assessment}
        form = NarrativeForm(instance=narrative, initial=initial)
    return render(
        request,
        "reports/duty/narrative_form.html",
        {
            "report": report,
            "staff": staff,
            "year": the_year,
            "form": form,
            "draft_paragraphs": paragraphs(draft),
            "took_draft": took_draft,
        },
    )


@require_GET
def duty_xlsx(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    staff = _person(request, staff_pk)
    report = duty_report(staff, _year(year))
    return attachment(
        duty_workbook_bytes(report), duty_workbook_filename(report), XLSX, f"duty-{year}-{staff.pk}.xlsx"
    )


@require_GET
def summary_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The evaluation workbook (评先评优参考): leadership, the liaison office and admins only."""
    if not sees_all_records(request.user):
        raise PermissionDenied
    the_year = _year(year)
    rows = summary_rows(the_year)
    return attachment(
        summary_workbook_bytes(rows, the_year),
        summary_workbook_filename(the_year),
        XLSX,
        f"duty-summary-{year}.xlsx",
    )


def can_bulk_pdfs(user: User) -> bool:
    """Every person's PDF in one zip: the liaison office (and admins), who prepare the year's evaluation."""
    return role_of(user) in (Role.LIAISON_OFFICE, Role.ADMIN)


@require_POST
def pdfs_job(request: HttpRequest, year: int) -> HttpResponse:
    """Every person's duty-report PDF of the year in one zip, as a job (reports/duty/jobs.py); optionally only
    a department's people or a team's lead and members."""
    if not can_bulk_pdfs(request.user):
        raise PermissionDenied
    the_year = _year(year)
    params: dict[str, int] = {"year": the_year.year}
    scope = "全体"
    for field, model, query in (
        ("department", Department, Department.objects.all()),
        ("team", Team, Team.objects.filter(year=the_year)),
    ):
        value = request.POST.get(field, "").strip()
        if not value:
            continue
        chosen = query.filter(pk=int(value)).first() if value.isdecimal() else None
        if chosen is None:
            label = "部室" if model is Department else "专班"
            messages.error(request, f"所选{label}不存在或不属于 {the_year.year} 年度，请重新选择。")
            return redirect(f"{reverse('reports:duty_index')}?year={the_year.year}")
        params[field] = chosen.pk
        scope = chosen.name
    job = jobs.start(
        JobKind.DUTY_PDFS, request.user, title=f"{year} 年度述职报告 PDF（{scope}）", params=params
    )
    return redirect(job)


@require_POST
def summary_job(request: HttpRequest, year: int) -> HttpResponse:
    """The same workbook as a job (docs/jobs.md): for a large year, the page shows its progress."""
    if not sees_all_records(request.user):
        raise PermissionDenied
    the_year = _year(year)
    job = jobs.start(
        JobKind.DUTY_SUMMARY, request.user, title=f"{year} 年度述职汇总表", params={"year": the_year.year}
    )
    return redirect(job)


# --- highlights -----------------------------------------------------------------------------------------


@require_GET
def highlight_choose(request: HttpRequest, year: int, staff_pk: int) -> HttpResponse:
    """The person's records of the year, a page at a time, each with a button to mark or unmark it."""
    staff = _person(request, staff_pk)
    the_year = _year(year)
    if not can_mark_for(request.user, staff, the_year):
        raise PermissionDenied
    targets = Prefetch(
        "targets", queryset=ContactTarget.objects.select_related("organization", "scientist").order_by("id")
    )
    records = (
        records_of(staff, the_year).select_related("team").prefetch_related(targets).order_by("date", "id")
    )
    return render(
        request,
        "reports/duty/highlight_choose.html",
        {
            "staff": staff,
            "year": the_year,
            "page": paginate(request, records, CHOOSER_PAGE_SIZE),
            "here": request.get_full_path(),
        },
    )


@require_POST
def highlight_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a record as a highlight of the duty report (述职重点), or unmark it.

    The form sends the wanted state (highlighted=1 or 0), so a double submit does not flip it back; without
    it the flag is flipped. Refusals: a record the user cannot see → 404; one they see but do not take part
    in (and they are not the liaison office), or of an archived year → 403.
    """
    record = get_object_or_404(ContactRecord.objects.completed().select_related("team__year"), pk=pk)
    participant_ids = set(record.participants.values_list("pk", flat=True))
    me = staff_of(request.user)
    is_participant = me is not None and me.pk in participant_ids
    if not is_participant and not records_visible_to(request.user).filter(pk=record.pk).exists():
        raise Http404("没有找到该联系记录。")
    if not can_highlight_record(request.user, record, participant_ids):
        raise PermissionDenied
    wanted = request.POST.get("highlighted")
    record.highlighted = (wanted == "1") if wanted in ("0", "1") else not record.highlighted
    record.save(update_fields=["highlighted", "updated_at"])
    messages.success(
        request,
        f"已将 {record.date:%Y-%m-%d} 的联系记录{'标为' if record.highlighted else '移出'}述职重点。",
    )
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("reports:duty_index")
    return redirect(target)
