"""Planned contacts (工作计划, issue 21 §3): a team plans whom it will contact, when, how and who goes.

Logging the contact completes the item (liaison/schedule/services.py, docs/features.md "工作计划");
an item still planned after its date is 已逾期, by `overdue_condition` / `is_overdue` below, which every
page, export and the digest read.
"""

from __future__ import annotations

import datetime

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q

from common.concurrency import Versioned

from .contacts import ContactMethod, ContactRecord
from .people import Staff
from .plan import NamesTarget, Team


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


OVERDUE_LABEL = "已逾期"


def overdue_condition(today: datetime.date) -> Q:
    """THE definition of 已逾期: still planned (neither completed nor cancelled) and its date before today."""
    return Q(status=PlanStatus.PLANNED, date__lt=today)


def is_overdue(item: PlannedContact, today: datetime.date) -> bool:
    """`overdue_condition` for one item in memory (the same two tests)."""
    return item.status == PlanStatus.PLANNED and item.date < today


def state_label(item: PlannedContact, today: datetime.date) -> str:
    """What an item's state reads as on every page and file: 已逾期 for an overdue one, else its status."""
    return OVERDUE_LABEL if is_overdue(item, today) else item.get_status_display()


class PlannedContactQuerySet(models.QuerySet):
    def open(self) -> PlannedContactQuerySet:
        return self.filter(status=PlanStatus.PLANNED)

    def overdue(self, today: datetime.date) -> PlannedContactQuerySet:
        return self.filter(overdue_condition(today))

    def for_list(self) -> PlannedContactQuerySet:
        """What a list, a calendar or an export shows of each item, in a fixed number of queries."""
        return (
            self.select_related("team", "team__year", "organization", "scientist", "record")
            .prefetch_related(models.Prefetch("goers", queryset=Staff.objects.order_by("order", "id")))
            .order_by("date", "id")
        )


class PlannedContact(NamesTarget, Versioned):
    team = models.ForeignKey(
        Team, verbose_name="专班", on_delete=models.CASCADE, related_name="planned_contacts"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="基层组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="科技工作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField("计划日期")
    method = models.CharField("联系方式", max_length=12, choices=ContactMethod.choices)
    goers = models.ManyToManyField(Staff, verbose_name="参加人员", related_name="planned_contacts")
    note = models.CharField("备注", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    record = models.ForeignKey(
        ContactRecord,
        verbose_name="完成的联系记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlannedContactQuerySet.as_manager()

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(scientist__isnull=True))
                | (Q(organization__isnull=True) & Q(scientist__isnull=False)),
                name="planned_contact_exactly_one_target",
                violation_error_message="计划的联系对象必须是一个基层组织或一名科技工作者。",
            ),
            # a completed item names the record that completed it; an open or cancelled one names none
            models.CheckConstraint(
                condition=Q(status="done", record__isnull=False)
                | (~Q(status="done") & Q(record__isnull=True)),
                name="planned_contact_done_has_record",
                violation_error_message="已完成的计划必须对应一条联系记录。",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "date"], name="plan_item_team_date"),
            models.Index(fields=["status", "date"], name="plan_item_status_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.target_name} {self.get_method_display()}"

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue(self, today)


auditlog.register(PlannedContact, exclude_fields=["version"], m2m_fields={"goers"})


class CalendarFeed(models.Model):
    """A person's calendar subscription (订阅): phone calendars cannot log in, so the person's planned
    contacts are served at a secret address. Only the token's sha256 is stored (the address is shown once,
    when made); making a new one or stopping it (deleting the row) revokes the old address at once."""

    staff = models.OneToOneField(
        Staff, verbose_name="干部", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"

    def __str__(self) -> str:
        return f"{self.staff} 的日历订阅"


auditlog.register(CalendarFeed, exclude_fields=["token_hash"])
