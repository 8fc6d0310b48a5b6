"""The association's own people: departments (部室) and staff (干部).

A person's role is derived from these records (see liaison/people/access.py), never from per-page flags.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.concurrency import Versioned
from common.phones import normalize_phone_field, validate_phone
from common.pinyin import pinyin_keys


class Department(Versioned):
    name = models.CharField("部室名称", max_length=50, unique=True)
    is_liaison_office = models.BooleanField(
        "组织联络部",
        default=False,
        help_text="牵头管理联系工作的部室（组织联络部）；全会只能有一个。",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部室"
        verbose_name_plural = "部室"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_liaison_office"],
                condition=Q(is_liaison_office=True),
                name="only_one_liaison_office",
                violation_error_message="只能有一个部室标记为组织联络部。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    LEADERSHIP = "leadership", "领导班子成员"
    DEPARTMENT_HEAD = "department_head", "部室负责人"
    STAFF = "staff", "工作人员"


class StaffQuerySet(models.QuerySet):
    def active(self) -> StaffQuerySet:
        return self.filter(is_active=True)

    def for_list(self) -> StaffQuerySet:
        return self.select_related("department", "user")


class Staff(Versioned):
    """A member of the association's staff, tied to one login account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.CASCADE, related_name="staff"
    )
    name = models.CharField("姓名", max_length=50)
    department = models.ForeignKey(
        Department,
        verbose_name="部室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="领导班子成员可不填；其他干部必填。",
    )
    position = models.CharField("岗位", max_length=20, choices=Position.choices, default=Position.STAFF)
    title = models.CharField("职务", max_length=50, blank=True, help_text="如：党组书记、主席；副主席；部长")
    phone = models.CharField("手机", max_length=30, blank=True, validators=[validate_phone])
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField(
        "在册", default=True, help_text="取消勾选即停用：不能再登录，历史记录保留。"
    )
    name_pinyin = models.CharField("姓名拼音", max_length=200, blank=True, editable=False, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True, editable=False, db_index=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = "干部"
        verbose_name_plural = "干部"
        ordering = ["order", "id"]
        indexes = [
            # the directory in its order, active staff only (pickers take its first 51 rows; without it
            # PostgreSQL sorted all 6,202 for each list page: pg_stat_statements under the load test)
            models.Index(
                fields=["order", "id"], name="staff_active_order", condition=models.Q(is_active=True)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_pinyin, self.name_initials = pinyin_keys(self.name, person=True)
        super().save(*args, **kwargs)
        # A person deactivated here can no longer log in, and their open sessions end at the next request
        # (Django's ModelBackend refuses inactive accounts); reactivated, they log in again.
        if self.user_id and self.user.is_active != self.is_active and not self.user.is_superuser:
            self.user.is_active = self.is_active
            self.user.save(update_fields=["is_active"])

    def get_absolute_url(self) -> str:
        return reverse("liaison:staff_detail", args=[self.pk])

    @property
    def is_leadership(self) -> bool:
        return self.position == Position.LEADERSHIP

    @property
    def in_liaison_office(self) -> bool:
        return self.department is not None and self.department.is_liaison_office

    @property
    def display_title(self) -> str:
        """Name with title, as the approval tables print it: "张三（副主席）"."""
        return f"{self.name}（{self.title}）" if self.title else self.name

    def clean(self) -> None:
        if self.department_id is None and self.position != Position.LEADERSHIP:
            raise ValidationError({"department": "部室负责人和工作人员必须属于一个部室。"})
        normalize_phone_field(self, "phone")


auditlog.register(Department, exclude_fields=["version"])
auditlog.register(Staff, exclude_fields=["version"], mask_fields=["phone"])
