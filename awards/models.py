"""举荐 (issue 20 §2; seed 000 §三.5, seeds 001–002): awards and programmes, and the nominations of scientists
to them by teams and grassroots associations, through 推荐 → 初审 → 报送 → 获奖 / 未获奖.

A number of policy is data: an award's quota (how many the 科协 may submit) and its deadline are fields the
liaison office sets per award and year, never constants in code.
"""

from __future__ import annotations

from pathlib import PurePath

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.concurrency import Versioned
from common.files import EXTENSIONS


class Award(Versioned):
    """An award or programme of one year (青年科技奖, 优秀科技工作者 …) with its quota and deadline."""

    name = models.CharField("奖项名称", max_length=100)
    body = models.CharField("主办/报送单位", max_length=100, help_text="推荐名单报送到的单位，如：市委组织部")
    year = models.PositiveSmallIntegerField("年度")
    quota = models.PositiveSmallIntegerField(
        "报送名额", help_text="本会可报送的人数；初审通过后报送，满额即止。"
    )
    deadline = models.DateField("推荐截止日期", help_text="此日之后不再接受推荐（当日仍可推荐）。")
    description = models.TextField("说明", blank=True, help_text="评选条件、材料要求等")
    is_active = models.BooleanField("启用", default=True, help_text="停用后不再显示在各单位的奖项列表中。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "奖项"
        verbose_name_plural = "奖项"
        ordering = ["-year", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"],
                name="award_unique_name_year",
                violation_error_message="同一年度已有同名的奖项。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("awards:award_detail", args=[self.pk])


class State(models.TextChoices):
    NOMINATED = "nominated", "推荐"
    PASSED = "passed", "初审通过"
    REJECTED = "rejected", "初审未通过"
    SUBMITTED = "submitted", "报送"
    AWARDED = "awarded", "获奖"
    NOT_AWARDED = "not_awarded", "未获奖"


# The one-way steps: from → the states it may go to. 初审未通过, 获奖 and 未获奖 are outcomes: nothing follows.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.NOMINATED: (State.PASSED, State.REJECTED),
    State.PASSED: (State.SUBMITTED,),
    State.SUBMITTED: (State.AWARDED, State.NOT_AWARDED),
}
# The states that have used a place of the award's quota: once submitted, always counted.
SUBMITTED_STATES = (State.SUBMITTED, State.AWARDED, State.NOT_AWARDED)
# The order of the states on the pages and in the export.
STATE_ORDER = [
    State.NOMINATED,
    State.PASSED,
    State.SUBMITTED,
    State.AWARDED,
    State.NOT_AWARDED,
    State.REJECTED,
]


class NominationQuerySet(models.QuerySet):
    def for_list(self) -> NominationQuerySet:
        return self.select_related("award", "scientist", "team__lead", "organization", "nominated_by__staff")


class Nomination(Versioned):
    """One scientist nominated to one award by a team or by a grassroots association — exactly one of them."""

    award = models.ForeignKey(
        Award, verbose_name="奖项", on_delete=models.PROTECT, related_name="nominations"
    )
    scientist = models.ForeignKey(
        "experts.Scientist", verbose_name="科技工作者", on_delete=models.PROTECT, related_name="nominations"
    )
    team = models.ForeignKey(
        "liaison.Team",
        verbose_name="推荐专班",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="推荐组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="推荐人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="nominations_filed",
    )
    reason = models.TextField("推荐理由")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.NOMINATED)
    created_at = models.DateTimeField("推荐时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = "推荐"
        verbose_name_plural = "推荐"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "scientist"],
                name="nomination_unique_award_scientist",
                violation_error_message="这位科技工作者已被推荐参评该奖项。",
            ),
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(organization__isnull=True))
                | (Q(team__isnull=True) & Q(organization__isnull=False)),
                name="nomination_by_team_or_organization",
                violation_error_message="推荐单位须为一个专班或一个基层组织。",
            ),
        ]
        indexes = [
            models.Index(fields=["award", "state"], name="nomination_award_state"),
            models.Index(fields=["nominated_by", "award"], name="nomination_by_award"),
        ]

    def __str__(self) -> str:
        return f"{self.scientist} · {self.award}"

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def nominator_name(self) -> str:
        """推荐单位: the team's name or the organisation's."""
        if self.team_id:
            return self.team.name
        return self.organization.name if self.organization_id else ""

    @property
    def next_states(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.state, ())

    @property
    def is_outcome(self) -> bool:
        return not self.next_states


class NominationStep(models.Model):
    """A nomination's history: its filing and every move of its state, with who, when and a note."""

    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐", on_delete=models.CASCADE, related_name="steps"
    )
    from_state = models.CharField("原状态", max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "推荐进程"
        verbose_name_plural = "推荐进程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display() or '—'} → {self.get_to_state_display()}"


def attachment_path(instance: NominationAttachment, filename: str) -> str:
    """Stored under the extension of the type its bytes showed, never the one it was uploaded with."""
    stem = PurePath(filename).stem[:80] or "file"
    return f"nominations/{instance.nomination_id}/{stem}{EXTENSIONS.get(instance.content_type, '.bin')}"


class NominationAttachment(models.Model):
    """A photo or PDF of a nomination (推荐表, 证明材料), served only to those who may see the nomination."""

    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "推荐附件"
        verbose_name_plural = "推荐附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("awards:attachment", args=[self.pk])


auditlog.register(Award, exclude_fields=["version"])
auditlog.register(Nomination, exclude_fields=["version"])
auditlog.register(NominationStep)
auditlog.register(NominationAttachment)
