"""Pages of the office's workbook: the import page and the Excel exports.

Who may do what (docs/design.md, Roles):
- import: the liaison office and admin ("liaison.manage_plan"); everyone else 403;
- registries and the year's plan (组织, 科技工作者, 干部, 专班, 联系对象): every staff member and admin, as they
  read them on the pages; phones and emails of scientists and organisations under the personal-data rule
  (liaison/privacy/rule.py: in full for the people the user may see, masked otherwise; every export that
  holds some in full is logged);
- contact records, demands, filings (备案) and the full workbook: leadership, the liaison office and admin,
  who see every team's records and every filing; department staff see only their own teams' records, so they
  get 403 here;
- an account without a staff record (and not admin): 403 on every export.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from common.forms import PlainFormMixin
from common.personal_data import Kind, Person
from experts.models import Scientist
from liaison.models import Year
from liaison.people.access import is_admin, is_leadership, is_liaison_office, is_staff_member
from liaison.privacy import log as privacy_log
from liaison.privacy.rule import sees_all_contacts, targets_this_year
from orgs.models import Organization
from reports.jobs import run as jobs
from reports.jobs.models import JobKind
from reports.workbook import exports as tables
from reports.workbook.imports import WorkbookRefused
from reports.workbook.imports.files import MAX_BYTES, TOO_LARGE, check_package, read_upload
from reports.workbook.imports.format import SHEETS

MANAGE = "liaison.manage_plan"


def can_import(user: User) -> bool:
    return user.has_perm(MANAGE)


def can_export_registries(user: User) -> bool:
    return bool(is_staff_member(user) or is_admin(user))


def can_export_work(user: User) -> bool:
    return bool(is_leadership(user) or is_liaison_office(user) or is_admin(user))


@dataclass
class Contacts:
    """Whose contact details an export shows in full: everyone's (ids None) or those of these ids."""

    scientists: frozenset[int] | None
    organizations: frozenset[int] | None


def contacts_for(user: User) -> Contacts:
    if sees_all_contacts(user):
        return Contacts(None, None)
    scientists, organizations = targets_this_year(user)
    return Contacts(scientists, organizations)


def log_export(request: HttpRequest, what: str, contacts: Contacts, *, scientists: bool, orgs: bool) -> None:
    """One log entry per export that holds contact details in full: the whole registries for those who see
    everyone's (how many people they held), else the people of the user's teams' targets (bounded)."""
    if contacts.scientists is None:
        held, total = [], 0
        for included, model, label in [
            (scientists, Scientist, "全部科技工作者 {} 人"),
            (orgs, Organization, "全部基层组织 {} 个"),
        ]:
            if included:
                n = model.objects.count()
                held.append(label.format(n))
                total += n
        privacy_log.log_request(request, what, everyone="、".join(held), people_count=total)
        return
    people: list[Person] = []
    if scientists:
        people += [
            Person(Kind.SCIENTIST, pk, name)
            for pk, name in Scientist.objects.filter(pk__in=contacts.scientists)
            .exclude(mobile="", email="")
            .order_by("name_pinyin", "pk")
            .values_list("pk", "name")
        ]
    if orgs:
        people += [
            Person(Kind.ORGANIZATION, pk, name)
            for pk, name in Organization.objects.filter(pk__in=contacts.organizations)
            .exclude(contact_phone="")
            .order_by("name_pinyin", "pk")
            .values_list("pk", "name")
        ]
    privacy_log.log_request(request, what, people)


# --- import ---------------------------------------------------------------------------------------------


class ImportForm(PlainFormMixin, forms.Form):
    file = forms.FileField(
        label="工作簿文件",
        help_text="Excel 工作簿（.xlsx），不超过 20 MB；工作表名称和列名见下方说明。",
        error_messages={"required": "请选择要导入的 .xlsx 文件。", "empty": "文件是空的。"},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(
        label="仅检查，不写入",
        required=False,
        help_text="只检查文件并列出将新建、更新的条数，不改动任何数据。",
    )


class SizeLimit(FileUploadHandler):
    """Stop storing an upload once it passes the limit: a 2 GB file never reaches the disk."""

    too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # only so the upload handler can go in first; the CSRF check runs right after, below
def import_page(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _import_page(request, limit)


@csrf_protect
def _import_page(request: HttpRequest, limit: SizeLimit) -> HttpResponse:
    """Check the upload as it arrives (size, a plain .xlsx), then import it as a job: the user is sent to the
    job's page, which shows the progress and then the report (reports/workbook/jobs.py)."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    filename = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        filename = upload.name if upload else ""
        valid = form.is_valid()
        if limit.too_large:  # the handler skipped the file, so the form thinks none was chosen
            form.errors.pop("file", None)
            form.add_error("file", TOO_LARGE)
        elif valid:
            try:
                data = read_upload(form.cleaned_data["file"])
                check_package(data)
            except WorkbookRefused as refused:
                form.add_error("file", refused.message)
            else:
                dry_run = form.cleaned_data["dry_run"]
                job = jobs.start(
                    JobKind.IMPORT,
                    request.user,
                    title=filename,
                    params={"dry_run": dry_run},
                    upload=(filename, data),
                )
                return redirect(job)
    context = {"form": form, "filename": filename, "sheets": list(SHEETS.items())}
    return render(request, "reports/workbook/import.html", context)


# --- exports --------------------------------------------------------------------------------------------


def _xlsx(tables_: list[tables.Table], filename: str) -> FileResponse:
    """Write to a temporary file (rows streamed from the database, memory flat), then stream the file."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    tables.write_workbook(tables_, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}_{tables.today_stamp()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _allowed(check: Callable[[User], bool], request: HttpRequest) -> None:
    if not check(request.user):
        raise PermissionDenied


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    _allowed(can_export_registries, request)
    years = list(Year.objects.order_by("-year").values_list("year", flat=True))
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen.isdecimal() and int(chosen) in years else (years[0] if years else None)
    return render(
        request,
        "reports/workbook/export.html",
        {
            "years": years,
            "year": year,
            "can_export_work": can_export_work(request.user),
            "can_import": can_import(request.user),
            "sees_all_contacts": sees_all_contacts(request.user),
        },
    )


@require_GET
def export_organizations(request: HttpRequest) -> FileResponse:
    _allowed(can_export_registries, request)
    contacts = contacts_for(request.user)
    response = _xlsx([tables.organization_table(visible_ids=contacts.organizations)], "基层组织")
    log_export(request, "reports:io_export_organizations", contacts, scientists=False, orgs=True)
    return response


@require_GET
def export_scientists(request: HttpRequest) -> FileResponse:
    _allowed(can_export_registries, request)
    contacts = contacts_for(request.user)
    response = _xlsx([tables.scientist_table(visible_ids=contacts.scientists)], "科技工作者")
    log_export(request, "reports:io_export_scientists", contacts, scientists=True, orgs=False)
    return response


@require_GET
def export_staff(request: HttpRequest) -> FileResponse:
    _allowed(can_export_registries, request)
    return _xlsx([tables.staff_table()], "干部")


@require_GET
def export_plan(request: HttpRequest, year: int) -> FileResponse:
    _allowed(can_export_registries, request)
    the_year = get_object_or_404(Year, year=year)
    return _xlsx(tables.plan_tables(the_year), f"{year}年度专班与联系对象")


@require_GET
def export_records(request: HttpRequest, year: int) -> FileResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    return _xlsx(tables.record_tables(the_year), f"{year}年度联系记录")


@require_GET
def export_demands(request: HttpRequest, year: int) -> FileResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    return _xlsx([tables.demand_table(the_year)], f"{year}年度诉求")


@require_GET
def export_filings(request: HttpRequest, year: int) -> FileResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    return _xlsx([tables.filing_table(the_year)], f"{year}年度联系分工备案")


@require_GET
def export_all(request: HttpRequest, year: int) -> FileResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    contacts = contacts_for(request.user)
    response = _xlsx(
        tables.everything(
            the_year, scientists_visible=contacts.scientists, orgs_visible=contacts.organizations
        ),
        f"{year}年度全部数据",
    )
    log_export(request, "reports:io_export_all", contacts, scientists=True, orgs=True)
    return response


# --- the large exports as jobs (reports/workbook/jobs.py): the page starts one, the job page has the file ---


@require_POST
def export_records_job(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    job = jobs.start(
        JobKind.EXPORT_RECORDS,
        request.user,
        title=f"{year} 年度联系记录与诉求",
        params={"year": the_year.year},
    )
    return redirect(job)


@require_POST
def export_all_job(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(can_export_work, request)
    the_year = get_object_or_404(Year, year=year)
    # the file holds contact details in full as the synchronous export does: logged when it is asked for
    log_export(request, "reports:io_export_all", contacts_for(request.user), scientists=True, orgs=True)
    job = jobs.start(
        JobKind.EXPORT_ALL, request.user, title=f"{year} 年度全部数据", params={"year": the_year.year}
    )
    return redirect(job)


@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    _allowed(can_export_registries, request)
    return _xlsx(tables.template_tables(), "导入模板")
