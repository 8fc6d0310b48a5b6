"""The approval of a year's plan by the party group (党组审定): 编制中 → 已报审 → 已审定 (in force) → 已归档.

Year.status stays the single source of truth; every change of it goes through one function here, which
runs in one transaction and writes its PlanTransition row (who, when, why). A submitted plan is locked
(liaison.plans.ensure_editable); the liaison office can take it back with a reason. An approved plan is
frozen: later changes are recorded adjustments with a reason (reports/cycle/adjustments.py).
"""

from __future__ import annotations

import datetime
import re
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.models import Team, Year, YearStatus
from reports.models import PlanApproval, PlanTransition

SCAN_MAX_BYTES = 20 * 1024 * 1024
# Extension → the first bytes a real file of that type starts with.
SCAN_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
SCAN_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _locked_year(year: Year) -> Year:
    """The year re-read under a row lock, so two clicks cannot both move it."""
    return Year.objects.select_for_update().get(pk=year.pk)


def _log(year: Year, old: str, new: str, by: User | None, reason: str) -> PlanTransition:
    transition = PlanTransition(year=year, from_status=old, to_status=new, reason=reason.strip(), by=by)
    transition.full_clean()
    transition.save()
    return transition


def _set_status(year: Year, status: str) -> None:
    year.status = status
    year.full_clean()
    year.save(update_fields=["status", "updated_at"])


@transaction.atomic
def plan_submit(*, year: Year, by: User | None, note: str = "") -> PlanTransition:
    """报审: the draft goes to the party group and is locked."""
    current = _locked_year(year)
    if current.status != YearStatus.DRAFT:
        raise ValidationError(
            f"只有编制中的分工可以报审，{current}分工当前为“{current.get_status_display()}”。"
        )
    if not Team.objects.filter(year=current).exists():
        raise ValidationError(f"{current}还没有专班，不能报审。")
    _set_status(current, YearStatus.SUBMITTED)
    year.status = current.status
    return _log(current, YearStatus.DRAFT, YearStatus.SUBMITTED, by, note)


@transaction.atomic
def plan_withdraw(*, year: Year, by: User | None, reason: str) -> PlanTransition:
    """撤回报审: the liaison office takes a submitted plan back to draft, always with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "撤回报审须填写原因。"})
    current = _locked_year(year)
    if current.status != YearStatus.SUBMITTED:
        raise ValidationError(
            f"只有已报审的分工可以撤回，{current}分工当前为“{current.get_status_display()}”。"
        )
    _set_status(current, YearStatus.DRAFT)
    year.status = current.status
    return _log(current, YearStatus.SUBMITTED, YearStatus.DRAFT, by, reason)


def validate_scan(upload: UploadedFile) -> None:
    """A scan of the approval document: PDF, JPG or PNG, at most 20 MB, and really of that type."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in SCAN_TYPES:
        raise ValidationError({"scanned_file": "扫描件须为 PDF、JPG 或 PNG 文件。"})
    if upload.size is not None and upload.size > SCAN_MAX_BYTES:
        raise ValidationError({"scanned_file": "扫描件不能超过 20 MB。"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in SCAN_TYPES[suffix]):
        raise ValidationError({"scanned_file": "文件内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。"})


# 发文机关代字〔年份〕序号号: 辽川科协〔2026〕12号; other brackets people type are read as 〔〕.
_DOCUMENT_NUMBER = re.compile(r"^(\S.*?)\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号$")
DOCUMENT_NUMBER_ERROR = "文号应写作“发文机关代字〔年份〕序号号”，如：{example}。"


def document_number_example(year: int) -> str:
    return f"{settings.ASSOCIATION_SHORT_NAME}〔{year}〕12号"


def normalized_document_number(text: str) -> str | None:
    """The number in its written form (辽川科协〔2026〕12号), or None when it is not a document number."""
    match = _DOCUMENT_NUMBER.match((text or "").strip())
    if match is None:
        return None
    prefix, year, serial = match.groups()
    return f"{prefix}〔{year}〕{int(serial)}号"


@transaction.atomic
def plan_approve(
    *,
    year: Year,
    by: User | None,
    approved_on: datetime.date,
    document_number: str,
    scanned_file: UploadedFile | None = None,
    note: str = "",
) -> PlanApproval:
    """登记审定: the party group approved the submitted plan on a date, by a meeting or document number.

    Also records the approval of a plan already marked approved without one (补录, e.g. data from before
    this system). From then on the plan is in force and frozen.
    """
    current = _locked_year(year)
    backfill = (
        current.status == YearStatus.APPROVED and not PlanApproval.objects.filter(year=current).exists()
    )
    if current.status != YearStatus.SUBMITTED and not backfill:
        raise ValidationError(
            f"只有已报审的分工可以登记审定，{current}分工当前为“{current.get_status_display()}”。"
        )
    errors = {}
    number = normalized_document_number(document_number)
    if not document_number.strip():
        errors["document_number"] = "请填写审定文号。"
    elif number is None:
        errors["document_number"] = DOCUMENT_NUMBER_ERROR.format(example=document_number_example(year.year))
    submitted = (
        PlanTransition.objects.filter(year=current, to_status=YearStatus.SUBMITTED).order_by("-at").first()
    )
    if approved_on is None:
        errors["approved_on"] = "请填写审定日期。"
    elif approved_on > timezone.localdate():
        errors["approved_on"] = "审定日期不能晚于今天。"
    elif submitted is not None and approved_on < timezone.localdate(submitted.at):
        errors["approved_on"] = f"审定日期不能早于报审日期（{timezone.localdate(submitted.at):%Y-%m-%d}）。"
    if errors:
        raise ValidationError(errors)
    document_number = number
    if scanned_file is not None:
        validate_scan(scanned_file)
    approval = PlanApproval(
        year=current,
        approved_on=approved_on,
        document_number=document_number.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    if scanned_file is not None:
        approval.scanned_name = PurePath(scanned_file.name).name[:200]
        approval.scanned_file.save(
            f"审定文件{PurePath(scanned_file.name).suffix.lower()}", scanned_file, save=False
        )
    approval.full_clean()
    approval.save()
    old = current.status
    _set_status(current, YearStatus.APPROVED)
    year.status = current.status
    reason = f"{approval.approved_on:%Y-%m-%d} 审定，{approval.document_number}"
    if note.strip():
        reason += f"。{note.strip()}"
    _log(current, old, YearStatus.APPROVED, by, reason)
    return approval


@transaction.atomic
def plan_archive(*, year: Year, by: User | None, note: str = "") -> PlanTransition:
    """归档: after the year has ended, an approved plan is put away (its history stays readable)."""
    current = _locked_year(year)
    if current.status != YearStatus.APPROVED:
        raise ValidationError(
            f"只有已审定的分工可以归档，{current}分工当前为“{current.get_status_display()}”。"
        )
    if timezone.localdate() <= current.last_day:
        raise ValidationError(f"{current}尚未结束，年度结束后才能归档。")
    _set_status(current, YearStatus.ARCHIVED)
    year.status = current.status
    return _log(current, YearStatus.APPROVED, YearStatus.ARCHIVED, by, note)


def seed_demo_approval(*, year: int, by: User | None, document_number: str | None = None) -> bool:
    """Give the demo's approved year its approval record and history (报审 then 审定), once.

    For `seed_demo`: returns False when the year is missing, not approved, or already has its record.
    """
    the_year = Year.objects.filter(year=year).first()
    if the_year is None or the_year.status != YearStatus.APPROVED:
        return False
    if PlanApproval.objects.filter(year=the_year).exists():
        return False
    tz = timezone.get_current_timezone()
    submitted_at = datetime.datetime(year, 1, 10, 9, 30, tzinfo=tz)
    approved_on = datetime.date(year, 1, 20)
    with transaction.atomic():
        PlanApproval.objects.create(
            year=the_year,
            approved_on=approved_on,
            document_number=document_number or f"辽川科协〔{year}〕12号",
            note="党组会议审定通过",
            recorded_by=by,
            recorded_at=datetime.datetime(year, 1, 20, 16, 0, tzinfo=tz),
        )
        PlanTransition.objects.create(
            year=the_year,
            from_status=YearStatus.DRAFT,
            to_status=YearStatus.SUBMITTED,
            reason="年度联系分工报党组审定",
            by=by,
            at=submitted_at,
        )
        PlanTransition.objects.create(
            year=the_year,
            from_status=YearStatus.SUBMITTED,
            to_status=YearStatus.APPROVED,
            reason=f"{approved_on:%Y-%m-%d} 审定，{document_number or f'辽川科协〔{year}〕12号'}",
            by=by,
            at=datetime.datetime(year, 1, 20, 16, 0, tzinfo=tz),
        )
    return True
