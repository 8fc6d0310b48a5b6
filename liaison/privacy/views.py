"""The page where the log of views of personal data is read (issue 17 §4), and its .xlsx export.

Who reads it: the auditor (安全审计员) and the head of the liaison office (组织联络部部长), who oversees who
looks at the people's details; not the office's other staff, who edit those details every day, and not a
superuser (三员分立: the one who can change everything does not read the audit logs). Everyone else: 403.
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from common.views import paginate
from liaison.models import PersonalDataView
from liaison.privacy.filters import PersonalDataViewFilter
from liaison.privacy.log import retention_days, what_label
from liaison.rules import may_read_personal_data_log

EXPORT_LIMIT = 100_000  # rows in one .xlsx; a narrower date range gives the rest
HEADERS = ["时间", "查看人", "用户名", "查看内容", "查看对象", "人数", "客户端地址", "地址"]


def _filtered(request: HttpRequest) -> PersonalDataViewFilter:
    if not (request.user.is_active and may_read_personal_data_log.test(request.user)):
        raise PermissionDenied
    return PersonalDataViewFilter(request.GET, queryset=PersonalDataView.objects.order_by("-at", "-id"))


@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    for view in page.object_list:
        view.what_label = what_label(view.what)
    return render(
        request,
        "liaison/privacy/log_list.html",
        {"filter": filterset, "page": page, "retention_days": retention_days()},
    )


def _text(sheet, value) -> WriteOnlyCell:
    """A string cell even when the text begins with "=" (never a live formula)."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


@require_GET
def log_export(request: HttpRequest) -> FileResponse:
    filterset = _filtered(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("个人信息查看记录")
    sheet.append(HEADERS)
    rows = filterset.qs.values_list(
        "at", "user_label", "username", "what", "summary", "people_count", "client_ip", "path"
    )[:EXPORT_LIMIT]
    for at, label, username, what, summary, count, address, path in rows.iterator(chunk_size=2000):
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
        cells = [when, label, username, what_label(what), summary, count, address or "", path]
        sheet.append([_text(sheet, v) for v in cells])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    book.save(handle)
    handle.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"个人信息查看记录_{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
