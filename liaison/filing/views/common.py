"""Small helpers the filing pages share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from liaison.models import FilingRevision, FilingStatus, Year


def who(user) -> str:
    """A user as the filing pages name them: the staff name, a grassroots account's holder and organisation,
    else the username (callers select `staff` and `grassroots_account` with the user)."""
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.name
    account = getattr(user, "grassroots_account", None)
    if account is not None:
        return f"{account.holder or user.get_username()}（基层账号）"
    return user.get_username()


def default_year(years: list[Year]) -> Year | None:
    """The year a filing page opens at: this calendar year if it exists, else the latest."""
    today = timezone.localdate().year
    return next((y for y in years if y.year == today), years[0] if years else None)


def state_of(revision: FilingRevision) -> str:
    """The revision's current state in words, for the message after a refused (or repeated) transition."""
    text = f"第{revision.number}版当前为“{revision.get_status_display()}”"
    if revision.status == FilingStatus.CONFIRMED and revision.confirmed_at:
        text += f"（{timezone.localtime(revision.confirmed_at):%m-%d %H:%M} 确认）"
    elif revision.status == FilingStatus.FILED and revision.filed_at:
        text += f"（{timezone.localtime(revision.filed_at):%m-%d %H:%M} 报备）"
    return text + "。"


def refused(request: HttpRequest, error: ValidationError, revision: FilingRevision | None = None) -> None:
    """The Chinese message of a refused step; with the revision's current state when there is one."""
    text = "操作未执行：" + "".join(error.messages)
    if revision is not None:
        revision.refresh_from_db()
        text += state_of(revision)
    messages.warning(request, text)
