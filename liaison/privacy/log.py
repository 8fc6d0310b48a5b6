"""The view log of personal data (issue 17 §4): written when a page or an export shows unmasked contact
details, read on the log page, purged after the retention period.

Cost: one view is two inserts, whatever the number of people on the page (the view row, then its people in
one bulk insert); an export of a whole registry is one insert (the registry is named, not each person).
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from common.personal_data import Person, contact_details_shown
from common.pinyin import pinyin_keys
from liaison.models import PersonalDataSubject, PersonalDataView, SubjectKind
from liaison.people.access import staff_of

# What a view or an export is called on the log page; the key is the page's URL name (or the export's).
WHAT_LABELS = {
    "experts:list": "科技工作者列表",
    "experts:detail": "科技工作者详情",
    "experts:edit": "编辑科技工作者",
    "orgs:detail": "基层组织详情",
    "orgs:edit": "编辑基层组织",
    "reports:io_export_scientists": "导出科技工作者",
    "reports:io_export_organizations": "导出基层组织",
    "reports:io_export_all": "导出全部数据",
    "reports:network_reminder_export": "导出备案提醒名单",
    "admin:experts.scientist_change": "管理后台：科技工作者",
    "admin:orgs.organization_change": "管理后台：基层组织",
    "admin:orgs.officer_change": "管理后台：组织负责人",
    "admin:orgs.officer_changelist": "管理后台：组织负责人列表",
}

SUMMARY_NAMES = 5


def what_label(what: str) -> str:
    return WHAT_LABELS.get(what, what)


def _client_ip(request: HttpRequest) -> str | None:
    """The client's address as the login lockouts read it (behind DJANGO_PROXY_COUNT proxies), if valid."""
    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _user_label(user: User) -> str:
    staff = staff_of(user)
    name = staff.name if staff is not None else (user.get_full_name() or "")
    return f"{name}（{user.username}）" if name else user.username


def _summary(people: list[Person]) -> str:
    names = [p.name for p in people[:SUMMARY_NAMES]]
    text = "、".join(names)
    return f"{text} 等 {len(people)} 人" if len(people) > SUMMARY_NAMES else text


@transaction.atomic(savepoint=False)  # inside a request's transaction: no savepoint queries
def record_view(
    *,
    user: User,
    what: str,
    people: Iterable[Person] = (),
    everyone: str = "",
    people_count: int | None = None,
    path: str = "",
    client_ip: str | None = None,
) -> PersonalDataView:
    """Write one view of personal data: the view row and, in one insert, the people it showed. An export of
    whole registries gives `everyone` (what it held, e.g. "全部科技工作者 4 人") and people_count instead."""
    people = list(dict.fromkeys(people))  # a person shown twice on one page is one person seen
    count = people_count if people_count is not None else len(people)
    view = PersonalDataView.objects.create(
        user=user,
        username=user.username,
        user_label=_user_label(user)[:200],
        what=what[:80],
        path=path[:500],
        client_ip=client_ip,
        people_count=count,
        everyone=bool(everyone),
        summary=(everyone or _summary(people))[:300],
    )
    rows = []
    for person in people:
        pinyin, initials = pinyin_keys(person.name, person=person.kind != SubjectKind.ORGANIZATION)
        rows.append(
            PersonalDataSubject(
                view=view,
                kind=person.kind,
                object_id=person.id,
                name=person.name[:200],
                name_pinyin=pinyin[:400],
                name_initials=initials[:100],
            )
        )
    PersonalDataSubject.objects.bulk_create(rows)
    return view


def what_of(request: HttpRequest, fallback: str = "") -> str:
    match = request.resolver_match
    return match.view_name if match is not None else fallback


@receiver(contact_details_shown, dispatch_uid="liaison.privacy.log")
def _log_shown(sender, request: HttpRequest, what: str, people: list[Person], **kwargs) -> None:
    """The pages below liaison (experts, orgs) send contact_details_shown; this writes the entry."""
    log_request(request, what or what_of(request), people)


def log_request(
    request: HttpRequest, what: str, people: Iterable[Person] = (), *, everyone: str = "", people_count=None
) -> None:
    """Log this request's view of these people's contact details (nothing when there are none)."""
    people = list(people)
    if people or everyone:
        record_view(
            user=request.user,
            what=what,
            people=people,
            everyone=everyone,
            people_count=people_count,
            path=request.get_full_path(),
            client_ip=_client_ip(request),
        )


def retention_days() -> int:
    return settings.PERSONAL_DATA_LOG_DAYS


@transaction.atomic
def purge(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the views older than the retention period (and their people); returns how many views."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = PersonalDataView.objects.filter(at__lt=cutoff)
    count = old.count()
    PersonalDataSubject.objects.filter(view__at__lt=cutoff).delete()
    old.delete()
    return count
