"""The year's review cycle around the plan: approval (报审 → 审定), the yearly adjustment and its proposals.

The plan itself (years, teams, assignments) lives in liaison; these rows record what happened to it:
each status change of a year (PlanTransition), the party group's approval (PlanApproval), each change
made while adjusting a plan with who, when and why (PlanChange), the changes a team lead proposes for
their own team (ChangeProposal), and which team of last year a team continues (TeamOrigin).
Year.status stays the single source of truth for a plan's state (reports/cycle/approval.py writes both).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from liaison.models import Assignment, Team, Year, YearStatus


class PlanTransition(models.Model):
    """One step of a plan through 编制中 → 已报审 → 已审定 → 已归档, or back to 编制中 (撤回)."""

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=12, choices=YearStatus.choices)
    to_status = models.CharField("新状态", max_length=12, choices=YearStatus.choices)
    reason = models.TextField("原因或说明", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "分工状态变更"
        verbose_name_plural = "分工状态变更"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def action_label(self) -> str:
        return TRANSITION_LABELS.get((self.from_status, self.to_status), "变更状态")


TRANSITION_LABELS = {
    (YearStatus.DRAFT, YearStatus.SUBMITTED): "报审",
    (YearStatus.SUBMITTED, YearStatus.DRAFT): "撤回报审",
    (YearStatus.SUBMITTED, YearStatus.APPROVED): "登记审定",
    (YearStatus.APPROVED, YearStatus.APPROVED): "补录审定信息",
    (YearStatus.APPROVED, YearStatus.ARCHIVED): "归档",
}


def approval_scan_path(instance: PlanApproval, filename: str) -> str:
    return f"approvals/{instance.year.year}/{filename}"


class PlanApproval(models.Model):
    """The party group's approval (党组审定) of a year's plan: when, by which meeting or document."""

    year = models.OneToOneField(Year, verbose_name="年度", on_delete=models.CASCADE, related_name="approval")
    approved_on = models.DateField("审定日期")
    document_number = models.CharField("审定文号", max_length=100, help_text="发文机关代字〔年份〕序号号")
    scanned_file = models.FileField("审定文件扫描件", upload_to=approval_scan_path, blank=True)
    scanned_name = models.CharField("扫描件原文件名", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "党组审定"
        verbose_name_plural = "党组审定"
        ordering = ["-approved_on"]

    def __str__(self) -> str:
        return f"{self.year} 审定（{self.document_number}）"


class TeamOrigin(models.Model):
    """Which team of last year a team continues (the yearly adjustment copies teams forward)."""

    team = models.OneToOneField(Team, verbose_name="专班", on_delete=models.CASCADE, related_name="origin")
    source = models.ForeignKey(
        Team, verbose_name="上年度专班", on_delete=models.CASCADE, related_name="successors"
    )

    class Meta:
        verbose_name = "专班沿革"
        verbose_name_plural = "专班沿革"
        ordering = ["team"]

    def __str__(self) -> str:
        return f"{self.source} → {self.team}"


class ChangeKind(models.TextChoices):
    OPEN = "open", "开启调整"
    ADD = "add", "新增对象"
    REMOVE = "remove", "移除对象"
    REPLACE = "replace", "替换对象"
    TEAM_UPDATE = "team_update", "调整专班"
    TEAM_ADD = "team_add", "新设专班"
    TEAM_CLOSE = "team_close", "撤销专班"


class ProposalKind(models.TextChoices):
    REMOVE = "remove", "建议移除对象"
    ADD = "add", "建议新增对象"
    REPLACE = "replace", "建议替换对象"
    OTHER = "other", "其他建议"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class ChangeProposal(models.Model):
    """A change a team lead proposes for their own team; the liaison office accepts or rejects it."""

    team = models.ForeignKey(
        Team, verbose_name="专班", on_delete=models.CASCADE, related_name="change_proposals"
    )
    kind = models.CharField("建议类型", max_length=10, choices=ProposalKind.choices)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name="涉及的现有对象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="建议新增的组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="建议新增的科技工作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("理由")
    status = models.CharField(
        "状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提议人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField("提议时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "调整建议"
        verbose_name_plural = "调整建议"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(scientist__isnull=True),
                name="proposal_at_most_one_new_target",
                violation_error_message="一条建议只能新增一个对象。",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"], name="proposal_team_status")]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_kind_display()}"

    @property
    def new_target(self):
        return self.organization or self.scientist

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING

    @property
    def summary(self) -> str:
        """What is proposed, in Chinese (select the assignment's and the new target's rows with it)."""
        old = self.assignment.target_name if self.assignment_id else ""
        new = self.new_target.name if self.new_target else ""
        if self.kind == ProposalKind.REMOVE:
            return f"移除“{old}”"
        if self.kind == ProposalKind.ADD:
            return f"新增“{new}”"
        if self.kind == ProposalKind.REPLACE:
            return f"以“{new}”替换“{old}”"
        return "其他建议"


class PlanChange(models.Model):
    """One change made to a year's plan during the adjustment or after approval: who, when, why.

    Names are copied at the time of the change so that the record reads right even after a team is closed
    (its rows deleted) or a target is renamed.
    """

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.CASCADE, related_name="plan_changes")
    team = models.ForeignKey(
        Team,
        verbose_name="专班",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_changes",
    )
    team_name = models.CharField("专班名称", max_length=50)
    kind = models.CharField("调整类型", max_length=12, choices=ChangeKind.choices)
    category = models.CharField("联系类别", max_length=40, blank=True)
    old_target = models.CharField("原对象", max_length=120, blank=True)
    new_target = models.CharField("新对象", max_length=120, blank=True)
    reason = models.TextField("原因")
    details = models.JSONField("明细", default=dict, blank=True)
    proposal = models.ForeignKey(
        ChangeProposal,
        verbose_name="来自建议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "分工调整记录"
        verbose_name_plural = "分工调整记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["year", "kind"], name="planchange_year_kind")]

    def __str__(self) -> str:
        return f"{self.team_name} · {self.get_kind_display()}"

    @property
    def summary(self) -> str:
        """One line in Chinese: what changed (the reason is shown beside it)."""
        if self.kind == ChangeKind.REPLACE:
            return f"以“{self.new_target}”替换“{self.old_target}”"
        if self.kind == ChangeKind.ADD:
            return f"新增“{self.new_target}”"
        if self.kind == ChangeKind.REMOVE:
            return f"移除“{self.old_target}”"
        return self.details.get("text", "") or self.get_kind_display()


# long work as jobs (docs/jobs.md): the model lives with its capability, registered here for the app
# the duty report's kept text (述职正文), with its capability
from reports.duty.models import DutyNarrative  # noqa: E402, F401
from reports.jobs.models import Job, JobKind, JobStatus  # noqa: E402, F401
