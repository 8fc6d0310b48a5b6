"""The third layer (面, seed 000 §五.3): a grassroots organisation files with 组织联络部 which of its own officers
keeps in touch with which scientists, once a year; and the accounts with which organisations do it themselves.

A Filing is one organisation's division for one year. Its content lives in numbered revisions: the latest
one is edited as a draft (草稿), then filed (已报备) and confirmed (已确认) by the liaison office, or sent back
(退回) with a comment, which returns it to draft. Revising a filed division opens a new draft revision, a copy
of the last; the filed one stays in force until the new one is filed. Every step is a FilingStep, so the
history reads who did what and when, and any two revisions can be compared entry by entry.

The network (点、线、面) reads `Filing.in_force`: the latest revision that is 已报备 or 已确认.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.concurrency import Versioned
from orgs.models import OfficerPost, OrgKind, Tenure

from .plan import Year

# The kinds of organisation the policy asks to file (seed 000 §五.3: 市级学会、区县(市)、高校院所、企业科协;
# seed 004 adds the township and village associations). The liaison office's overview lists who has not filed
# among these; any organisation may still file.
FILING_KINDS = (
    OrgKind.DISTRICT,
    OrgKind.SOCIETY,
    OrgKind.ENTERPRISE,
    OrgKind.UNIVERSITY,
    OrgKind.AGRI_TECH,
    OrgKind.TOWNSHIP,
    OrgKind.VILLAGE,
)


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FILED = "filed", "已报备"
    CONFIRMED = "confirmed", "已确认"


# The statuses that put a revision's links into the network (docs/workbook.md, "The liaison network").
IN_FORCE_STATUSES = (FilingStatus.FILED, FilingStatus.CONFIRMED)


class Filing(Versioned):
    """One organisation's division of liaison for one year (备案)."""

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.PROTECT, related_name="filings")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="filings"
    )
    # The latest revision that is 已报备 or 已确认, kept by liaison/filing/services.py; what the network reads.
    in_force = models.ForeignKey(
        "FilingRevision",
        verbose_name="生效版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "联系分工备案"
        verbose_name_plural = "联系分工备案"
        ordering = ["-year__year", "organization__name_pinyin"]
        constraints = [
            models.UniqueConstraint(fields=["year", "organization"], name="filing_one_per_org_and_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year.year} 年联系分工备案"

    def get_absolute_url(self) -> str:
        return reverse("filing:detail", args=[self.pk])


class FilingRevision(models.Model):
    """One version of a filing's content. Only the latest revision of a filing is ever a draft."""

    filing = models.ForeignKey(
        Filing, verbose_name="备案", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField("版本")
    status = models.CharField(
        "状态", max_length=12, choices=FilingStatus.choices, default=FilingStatus.DRAFT, db_index=True
    )
    # Set when the liaison office sends the revision back (退回); cleared when it is filed again.
    return_comment = models.TextField("退回意见", blank=True)
    filed_at = models.DateTimeField("报备时间", null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报备人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf = models.BooleanField("组织联络部代为报备", default=False)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "备案版本"
        verbose_name_plural = "备案版本"
        ordering = ["filing", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="filing_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.filing} 第{self.number}版（{self.get_status_display()}）"


class FilingEntry(models.Model):
    """One line of a revision: this officer keeps in touch with this scientist (or with a proposed one).

    The officer's name, post and tenure are copied when the line is written, so that a filed revision reads
    the same after the organisation edits its officer list."""

    revision = models.ForeignKey(
        FilingRevision, verbose_name="备案版本", on_delete=models.CASCADE, related_name="entries"
    )
    officer = models.ForeignKey(
        "orgs.Officer",
        verbose_name="联系人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filing_entries",
    )
    officer_name = models.CharField("联系人姓名", max_length=50)
    post = models.CharField("职务", max_length=30, choices=OfficerPost.choices)
    tenure = models.CharField("任职方式", max_length=12, choices=Tenure.choices, blank=True)
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="科技工作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filing_entries",
    )
    proposal = models.ForeignKey(
        "ScientistProposal",
        verbose_name="新增科技工作者申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )

    class Meta:
        verbose_name = "联系分工"
        verbose_name_plural = "联系分工"
        ordering = ["revision", "officer_name", "id"]
        constraints = [
            # A line names a registry scientist, a proposed one, or both once the proposal is resolved (the
            # proposal is kept so that the history shows where the name came from).
            models.CheckConstraint(
                condition=Q(scientist__isnull=False) | Q(proposal__isnull=False),
                name="filing_entry_scientist_or_proposal",
            ),
            models.UniqueConstraint(
                fields=["revision", "officer_name", "post", "scientist"],
                condition=Q(scientist__isnull=False),
                name="filing_entry_unique_link",
            ),
        ]
        indexes = [models.Index(fields=["scientist", "revision"], name="filing_entry_scientist")]

    def __str__(self) -> str:
        return f"{self.officer_name}（{self.get_post_display()}）→ {self.scientist or self.proposal}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认新增"
    MERGED = "merged", "已并入已有记录"
    REJECTED = "rejected", "未采纳"


class ScientistProposal(models.Model):
    """A scientist who is not in the registry yet, proposed by an organisation in its filing or by a staff
    member logging a contact (record). The liaison office confirms it (a new Scientist is created) or merges
    it into an existing record; either way the filing's lines, or the record's targets, then name the
    scientist."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="提出组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    record = models.ForeignKey(
        "ContactRecord",
        verbose_name="联系记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text="干部记录联系工作时提出：确认后该科技工作者成为这条记录的联系对象",
    )
    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=100)
    title = models.CharField("职称", max_length=50, blank=True)
    category = models.CharField("人才类别", max_length=20, blank=True)
    mobile = models.CharField("手机", max_length=30, blank=True)
    notes = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="对应科技工作者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution_note = models.CharField("处理说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "新增科技工作者申请"
        verbose_name_plural = "新增科技工作者申请"
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(record__isnull=False),
                name="proposal_from_org_or_record",
                violation_error_message="新增申请须来自基层组织的备案或一条联系记录。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.employer}）"


class FilingAction(models.TextChoices):
    CREATE = "create", "新建草稿"
    FILE = "file", "报备"
    FILE_ON_BEHALF = "file_on_behalf", "代为报备"
    IMPORT = "import", "导入报备"
    CONFIRM = "confirm", "确认"
    SEND_BACK = "send_back", "退回"
    REVISE = "revise", "修订"


class FilingStep(models.Model):
    """The history of a filing: one row per step, never changed."""

    filing = models.ForeignKey(Filing, verbose_name="备案", on_delete=models.CASCADE, related_name="steps")
    revision_number = models.PositiveSmallIntegerField("版本")
    action = models.CharField("操作", max_length=16, choices=FilingAction.choices)
    comment = models.TextField("意见", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "备案记录"
        verbose_name_plural = "备案记录"
        ordering = ["filing", "at", "id"]

    def __str__(self) -> str:
        return f"{self.filing} {self.get_action_display()}"


class GrassrootsAccount(models.Model):
    """A login tied to one grassroots organisation (基层账号). It sees its own organisation only: its officers,
    its filings, the scientists it files and the registry search needed to pick them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.CASCADE,
        related_name="grassroots_account",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组织",
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    holder = models.CharField("使用人", max_length=50, blank=True)
    # Set when a one-time password was handed out: the first login must choose a new one.
    must_change_password = models.BooleanField("首次登录须改密码", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开通人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("开通时间", auto_now_add=True)

    class Meta:
        verbose_name = "基层账号"
        verbose_name_plural = "基层账号"
        ordering = ["organization__name_pinyin", "id"]

    def __str__(self) -> str:
        return f"{self.organization}（{self.user.username}）"


auditlog.register(Filing, exclude_fields=["version"])
auditlog.register(FilingRevision)
auditlog.register(ScientistProposal, mask_fields=["mobile"])
auditlog.register(GrassrootsAccount)
