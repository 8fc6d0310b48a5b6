"""Telling the person or department a demand is handed to (交办): an email, and the demand in their 我的工作.

Who is told: the named person; for a demand handed to a department without a named person, the department's
heads (部室负责人), or every active member when it has none on record. People without an email address
still find the demand in 我的工作 (liaison/contacts/mywork.py, "交办给我"), which lists demands handed to me
or to my department without a named person: the same people who may follow it up (can_handle_demand).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q

from common.actors import actor_name
from liaison.models import Demand, Position, Staff


def recipients(demand: Demand) -> list[Staff]:
    if demand.handler_id:
        return [demand.handler] if demand.handler.is_active else []
    if not demand.handler_department_id:
        return []
    members = Staff.objects.active().filter(department_id=demand.handler_department_id).select_related("user")
    heads = [s for s in members if s.position == Position.DEPARTMENT_HEAD]
    return heads or list(members)


def mine(staff: Staff) -> Q:
    """The demands handed to this person, or to their department without a named person."""
    condition = Q(handler=staff)
    if staff.department_id:
        condition |= Q(handler_department_id=staff.department_id, handler__isnull=True)
    return condition


def tell(demand: Demand, *, by: User, link: str, note: str = "") -> list[str]:
    """Email the people a demand was just handed to; returns the addresses written to."""
    people = [p for p in recipients(demand) if p.user.email]
    if not people:
        return []
    record = demand.record
    lines = [
        f"{actor_name(by)} 将一条诉求交办给{'您' if demand.handler_id else demand.handler_department.name}：",
        "",
        f"{demand.get_kind_display()}：{demand.text}",
        f"提出人：{demand.raised_by_name or '—'}",
        f"来源：{record.date:%Y-%m-%d} {record.team.name}",
    ]
    if demand.due_date:
        lines.append(f"办理时限：{demand.due_date:%Y-%m-%d}")
    if note:
        lines.append(f"交办说明：{note}")
    lines += ["", f"请登录平台办理（也列在“我的工作”的“交办给我”中）：{link}"]
    subject = f"交办诉求：{demand.text[:20]}"
    messages = [
        EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [p.user.email]) for p in people
    ]
    get_connection().send_messages(messages)
    return [p.user.email for p in people]
