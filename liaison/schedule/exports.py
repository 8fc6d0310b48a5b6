"""Files of planned contacts: the team's plan as .xlsx (common/xlsx_writer.py) and as iCalendar (.ics,
RFC 5545, with the icalendar library) for phones' calendars: all-day events, one stable UID per item."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

import icalendar
from django.utils import timezone

from common.xlsx_writer import XlsxWriter
from liaison.models import PlannedContact, PlanStatus, state_label
from liaison.schedule.calendar import WEEKDAYS

HEADERS = ["计划日期", "星期", "联系对象", "对象类型", "联系方式", "参加人员", "备注", "状态", "完成记录日期"]
WIDTHS = [12, 6, 30, 10, 10, 24, 30, 8, 12]
UID_DOMAIN = "kexie.plan"


def goer_names(item: PlannedContact) -> str:
    return "、".join(person.name for person in item.goers.all())


def xlsx_rows(items: Iterable[PlannedContact], today: datetime.date):
    for item in items:
        yield [
            item.date,
            "周" + WEEKDAYS[item.date.weekday()],
            item.target_name,
            "基层组织" if item.organization_id else "科技工作者",
            item.get_method_display(),
            goer_names(item),
            item.note,
            state_label(item, today),
            item.record.date if item.record_id else None,
        ]


def team_plan_xlsx(title: str, items: Iterable[PlannedContact], today: datetime.date) -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as book:
        book.add_sheet("工作计划", HEADERS, xlsx_rows(items, today), WIDTHS)
    return buffer.getvalue()


def summary(item: PlannedContact) -> str:
    text = f"{item.get_method_display()}：{item.target_name}"
    if item.status == PlanStatus.DONE:
        text += "（已完成）"
    elif item.status == PlanStatus.CANCELLED:
        text += "（已取消）"
    return text


def ics(name: str, items: Iterable[PlannedContact]) -> bytes:
    """An iCalendar of the items: all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the next day), UID stable per
    item, SEQUENCE its version (a phone replaces the event when it changes), STATUS CANCELLED for a cancelled
    one. Names only: no phone number or address of anyone."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//市科协联系科技工作者工作平台//工作计划//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"plan-{item.pk}@{UID_DOMAIN}")
        event.add("dtstamp", item.updated_at.astimezone(datetime.UTC) if item.updated_at else timezone.now())
        event.add("dtstart", item.date)
        event.add("dtend", item.date + datetime.timedelta(days=1))
        event.add("summary", summary(item))
        lines = [f"专班：{item.team.name}", f"参加人员：{goer_names(item)}"]
        if item.note:
            lines.append(f"备注：{item.note}")
        event.add("description", "\n".join(lines))
        event.add("sequence", item.version)
        event.add("status", "CANCELLED" if item.status == PlanStatus.CANCELLED else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
