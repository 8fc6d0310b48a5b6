"""科技工作者状况调查 (issue 20 §1, seeds 001–003): a questionnaire the liaison office designs, opens for a
period and sends to chosen scientists; their teams fill it in with them during a contact, or the scientist
answers through a one-time link.

A survey's questions change only while it is a draft (answers refer to a choice by its position); its state
moves one way, 草稿 → 进行中 → 已结束 (surveys/services.py, by a conditional UPDATE). A scientist is invited
once per survey and answers once: an invitation is 未填, then 草稿 while answers are kept unfinished, then
已提交 for good.
"""

from __future__ import annotations

import datetime

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.concurrency import Versioned


class SurveyState(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Survey(Versioned):
    title = models.CharField("问卷名称", max_length=100)
    intro = models.TextField("说明", blank=True, help_text="填写前向科技工作者说明的调查目的和要求。")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    state = models.CharField("状态", max_length=8, choices=SurveyState.choices, default=SurveyState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "调查问卷"
        verbose_name_plural = "调查问卷"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
                violation_error_message="截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == SurveyState.DRAFT

    def accepts_answers(self, day: datetime.date) -> bool:
        """进行中 and within its period: answers are saved and submitted only then."""
        return self.state == SurveyState.OPEN and self.opens_on <= day <= self.closes_on

    @property
    def year(self) -> int:
        """The plan year whose teams carry the survey: the year it opens."""
        return self.opens_on.year


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    SCALE = "scale", "量表"
    NUMBER = "number", "数字"
    SHORT = "short", "简答"
    LONG = "long", "详答"


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT, QuestionKind.LONG}


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    required = models.BooleanField("必答", default=True)
    # the options of a choice question, in order; an answer names an option by its position
    choices = models.JSONField("选项", default=list, blank=True)
    scale_min = models.SmallIntegerField("量表最小值", null=True, blank=True)
    scale_max = models.SmallIntegerField("量表最大值", null=True, blank=True)
    scale_min_label = models.CharField("最小值含义", max_length=20, blank=True)
    scale_max_label = models.CharField("最大值含义", max_length=20, blank=True)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["survey", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="scale")
                | Q(scale_min__isnull=False, scale_max__isnull=False, scale_max__gt=models.F("scale_min")),
                name="question_scale_bounds",
                violation_error_message="量表题须填写最小值和最大值，且最大值大于最小值。",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    def scale_values(self) -> list[int]:
        if self.kind != QuestionKind.SCALE or self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class InvitationState(models.TextChoices):
    PENDING = "pending", "未填"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class AnswerChannel(models.TextChoices):
    CONTACT = "contact", "联系时填写"
    LINK = "link", "链接"


class InvitationQuerySet(models.QuerySet):
    def for_list(self) -> InvitationQuerySet:
        return self.select_related("scientist", "team", "record", "survey")


class Invitation(Versioned):
    """One scientist asked to answer one survey, through the team that has them as a target that year."""

    survey = models.ForeignKey(
        Survey, verbose_name="问卷", on_delete=models.CASCADE, related_name="invitations"
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="科技工作者",
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    team = models.ForeignKey(
        "liaison.Team",
        verbose_name="负责专班",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    state = models.CharField(
        "填写状态", max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    channel = models.CharField("填写方式", max_length=8, choices=AnswerChannel.choices, blank=True)
    record = models.ForeignKey(
        "liaison.ContactRecord",
        verbose_name="联系记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
        help_text="在这次联系中与科技工作者一起填写。",
    )
    # sha256 of the one-time link's token (the token itself is shown once and never stored)
    token_hash = models.CharField("链接摘要", max_length=64, blank=True, editable=False)
    token_made_at = models.DateTimeField("链接生成时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="通过链接提交的为空。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "问卷邀请"
        verbose_name_plural = "问卷邀请"
        ordering = ["survey", "team", "scientist__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "scientist"],
                name="invitation_once_per_survey",
                violation_error_message="该科技工作者已在本问卷的调查对象中。",
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="invitation_token_unique"
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted") | Q(submitted_at__isnull=False),
                name="invitation_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["survey", "team", "state"], name="invitation_survey_team")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.scientist}"

    @property
    def is_submitted(self) -> bool:
        return self.state == InvitationState.SUBMITTED


class Answer(models.Model):
    """One question's answer: options by position (single, multiple), a number (number, scale) or text."""

    invitation = models.ForeignKey(
        Invitation, verbose_name="问卷邀请", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name="题目", on_delete=models.CASCADE, related_name="answers"
    )
    choices = models.JSONField("所选选项", default=list, blank=True)
    number = models.DecimalField("数值", max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField("文字", blank=True)

    class Meta:
        verbose_name = "问卷答案"
        verbose_name_plural = "问卷答案"
        ordering = ["invitation", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="answer_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.question}"


auditlog.register(Survey, exclude_fields=["version"])
auditlog.register(Question)
auditlog.register(Invitation, exclude_fields=["version", "token_hash"])
