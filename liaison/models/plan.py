"""The year's plan: years, quota rules, teams (专班) and assignments of targets (seed 000 §五, §六.1)."""

from __future__ import annotations

import datetime
import functools
import re

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from common.concurrency import Versioned
from common.limits import SEARCH_MAX
from common.pinyin import normalize_query, pinyin_keys

from .people import Position, Staff


class YearStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    SUBMITTED = "submitted", "已报审"
    APPROVED = "approved", "已审定"
    ARCHIVED = "archived", "已归档"


class Year(Versioned):
    """A working year (年度) and the state of its plan."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    status = models.CharField("状态", max_length=12, choices=YearStatus.choices, default=YearStatus.DRAFT)
    # Raised by every write to the year's teams or assignments (liaison/compliance/signals.py): what the
    # plan's derived counts are cached under (plans.shared_target_count). Apart from `version`, which the
    # rules page checks, so that a plan edit does not make a rules save look stale.
    plan_version = models.PositiveIntegerField("分工版本", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度"
        verbose_name_plural = "年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度"

    def get_absolute_url(self) -> str:
        return reverse("liaison:year_detail", args=[self.year])

    @property
    def is_frozen(self) -> bool:
        """An approved or archived plan changes only by a recorded adjustment with a reason (动态管理)."""
        return self.status in (YearStatus.APPROVED, YearStatus.ARCHIVED)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


class TeamKind(models.TextChoices):
    LEADER = "leader", "领导专班"
    DEPARTMENT = "department", "部室专班"


class QuotaCategory(models.TextChoices):
    """The quota categories of docs/workbook.md, keyed as the review JSON keys them."""

    DISTRICT = "district", "区县(市)科协"
    VICE_CHAIR_UNIT = "vice_chair_unit", "兼职副主席单位"
    SOCIETY = "society", "市级学会(协会、研究会)"
    ENTERPRISE = "enterprise", "企业(园区)科协"
    UNIVERSITY = "university", "高校院所科协"
    EXPERT = "expert", "知名专家/高层次人才"
    FRONTLINE = "frontline", "基层一线科技工作者"


class TargetType(models.TextChoices):
    ORGANIZATION = "organization", "组织"
    SCIENTIST = "scientist", "科技工作者"


class ContactCategory(Versioned):
    """A quota category a city adds to the seven built-in ones (docs/workbook.md, 联系类别), e.g. 乡镇(街道)科协
    for department teams. It is keyed by its name wherever a category is keyed (rules, assignments, the
    review JSON). `takes` lists the organisation kinds or talent categories whose targets count under it
    when no category is named and no built-in category takes them."""

    name = models.CharField("名称", max_length=40, unique=True)
    target_type = models.CharField("对象类型", max_length=12, choices=TargetType.choices)
    takes = models.JSONField("计入", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系类别"
        verbose_name_plural = "联系类别"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def _kinds(self) -> type[models.TextChoices]:
        """What it takes from: organisation kinds (组织) or talent categories (科技工作者)."""
        from experts.models import TalentCategory
        from orgs.models import OrgKind

        return OrgKind if self.target_type == TargetType.ORGANIZATION else TalentCategory

    @property
    def takes_labels(self) -> list[str]:
        labels = dict(self._kinds().choices)
        return [str(labels.get(kind, kind)) for kind in self.takes]

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        if is_builtin_category_name(self.name):
            raise ValidationError({"name": f"“{self.name}”是内置的联系类别，不能重新定义。"})
        kinds = self._kinds()
        wrong = [str(k) for k in self.takes if k not in kinds.values]
        if wrong:
            raise ValidationError(
                {"takes": f"计入应从以下选取：{' · '.join(str(label) for label in kinds.labels)}。"}
            )


_HALF_WIDTH = str.maketrans({"（": "(", "）": ")"})


def is_builtin_category_name(name: str) -> bool:
    """A key or label of the seven built-in categories, full or short (区县科协, 知名专家 …)."""
    name = name.translate(_HALF_WIDTH).strip()
    labels = {str(label) for label in QuotaCategory.labels}
    labels |= {re.sub(r"\([^()]*\)", "", label) for label in labels} | {"知名专家", "高层次人才"}
    return name in QuotaCategory.values or name in labels


def is_known_category(key: str) -> bool:
    """One of the seven built-in keys, or the name of a category the city added."""
    return key in QuotaCategory.values or ContactCategory.objects.filter(name=key).exists()


UNKNOWN_CATEGORY = "联系类别“{}”不存在：请先在“联系类别”中添加，或选用内置的类别。"


def category_label(key: str) -> str:
    """What a category key reads as: a built-in's label; an added category is keyed by its name."""
    return QuotaCategory(key).label if key in QuotaCategory.values else key


class QuotaRule(models.Model):
    """For one year and one kind of team: how many targets of a category, at least and at most."""

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.CASCADE, related_name="quota_rules")
    team_kind = models.CharField("专班类型", max_length=12, choices=TeamKind.choices)
    # one of the seven QuotaCategory keys or the name of a ContactCategory (liaison/compliance/categories.py)
    category = models.CharField("联系类别", max_length=40)
    minimum = models.PositiveSmallIntegerField("最少")
    maximum = models.PositiveSmallIntegerField("最多", null=True, blank=True, help_text="不设上限请留空")
    contact_interval_days = models.PositiveSmallIntegerField(
        "联系间隔(天)", null=True, blank=True, help_text="每个对象至少每隔多少天联系一次；不要求请留空"
    )

    class Meta:
        verbose_name = "联系定额"
        verbose_name_plural = "联系定额"
        ordering = ["year", "team_kind", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "team_kind", "category"],
                name="one_rule_per_year_kind_category",
                violation_error_message="该年度该类专班的这一类别已有定额。",
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=models.F("minimum")),
                name="quota_max_not_below_min",
                violation_error_message="最多不能小于最少。",
            ),
        ]

    def __str__(self) -> str:
        upper = f"–{self.maximum}" if self.maximum is not None else " 以上"
        return f"{self.year.year} {self.get_team_kind_display()} {self.category_label} {self.minimum}{upper}"

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    def clean(self) -> None:
        if self.category and not is_known_category(self.category):
            raise ValidationError({"category": UNKNOWN_CATEGORY.format(self.category)})


class VisitQuota(models.Model):
    """The yearly minimum of grassroots visits (下基层) for one kind of team (seed 000 §四.5 says "每年下基层不少于
    10次" without saying whose): per team, per person in such a team, or both. Only the team's minimum is part
    of 达标; a person's own count is measured against theirs in the duty report."""

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.CASCADE, related_name="visit_quotas")
    team_kind = models.CharField("专班类型", max_length=12, choices=TeamKind.choices)
    minimum = models.PositiveSmallIntegerField(
        "专班每年下基层最少次数", null=True, blank=True, help_text="不要求请留空"
    )
    person_minimum = models.PositiveSmallIntegerField(
        "每人每年下基层最少次数", null=True, blank=True, help_text="专班成员本人的最少次数；不要求请留空"
    )

    class Meta:
        verbose_name = "下基层定额"
        verbose_name_plural = "下基层定额"
        ordering = ["year", "team_kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "team_kind"], name="one_visit_quota_per_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.year.year} {self.get_team_kind_display()} 下基层 ≥ {self.minimum}（每人 ≥ {self.person_minimum}）"


class TeamQuerySet(models.QuerySet):
    def in_year_order(self) -> TeamQuerySet:
        """Leader teams first, then department teams, each in the order of their leads."""
        return self.order_by(
            models.Case(models.When(kind=TeamKind.LEADER, then=0), default=1),
            "lead__order",
            "lead__id",
        )

    def for_year_list(self) -> TeamQuerySet:
        return (
            self.in_year_order()
            .select_related("lead", "lead__department", "year")
            .prefetch_related(models.Prefetch("members", queryset=Staff.objects.order_by("order", "id")))
        )

    def search(self, text: str) -> TeamQuerySet:
        """Teams whose name or lead's name contains the text, in characters, full pinyin or initials
        ("wjg", "wangjianguo" and "王建国" find 王建国专班).

        A name left as the default "<lead>专班" is matched through the lead's stored pinyin keys (with the
        surname readings); the few names typed by hand have no stored keys and are converted here, once
        per process and name.
        """
        query = (text or "").strip()
        if not query:
            return self
        if len(query) > SEARCH_MAX:
            return self.none()
        condition = Q(name__icontains=query) | Q(lead__name__icontains=query)
        latin = normalize_query(query)
        if latin and re.fullmatch(r"[a-z0-9]+", latin):
            condition |= Q(lead__name_pinyin__icontains=latin) | Q(lead__name_initials__icontains=latin)
            custom = (
                self.prefetch_related(None)
                .exclude(name=Concat("lead__name", Value("专班")))
                .values_list("pk", "name")
                .order_by()
            )
            matched = [pk for pk, name in custom if any(latin in key for key in _name_keys(name))]
            if matched:
                condition |= Q(pk__in=matched)
        return self.filter(condition)


@functools.lru_cache(maxsize=4096)
def _name_keys(name: str) -> tuple[str, str]:
    return pinyin_keys(name)


class Team(Versioned):
    """A special team (专班): a leader or department head with staff, owning targets for a year."""

    year = models.ForeignKey(Year, verbose_name="年度", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("专班名称", max_length=50, blank=True, help_text="留空则为“负责人姓名专班”")
    kind = models.CharField("专班类型", max_length=12, choices=TeamKind.choices, editable=False)
    lead = models.ForeignKey(
        Staff, verbose_name="专班负责人", on_delete=models.PROTECT, related_name="led_teams"
    )
    members = models.ManyToManyField(Staff, verbose_name="专班成员", blank=True, related_name="member_teams")
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = "专班"
        verbose_name_plural = "专班"
        ordering = ["year", "kind", "lead__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "lead"],
                name="one_team_per_lead_per_year",
                violation_error_message="此人本年度已牵头一个专班。",
            ),
            models.UniqueConstraint(
                fields=["year", "name"],
                name="unique_team_name_per_year",
                violation_error_message="本年度已有同名专班。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = (self.name or "").strip() or f"{self.lead.name}专班"
        kind = team_kind_for(self.lead)
        if kind is not None:
            self.kind = kind
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("liaison:team_detail", args=[self.pk])

    def clean(self) -> None:
        if self.lead_id is not None and team_kind_for(self.lead) is None:
            raise ValidationError({"lead": "专班负责人必须是领导班子成员或部室负责人。"})
        if not (self.name or "").strip() and self.lead_id is not None:
            self.name = f"{self.lead.name}专班"


def team_kind_for(lead: Staff) -> str | None:
    """领导班子成员 lead 领导专班, 部室负责人 lead 部室专班 (seed 000 §五.1–2); nobody else leads a team."""
    return {Position.LEADERSHIP: TeamKind.LEADER, Position.DEPARTMENT_HEAD: TeamKind.DEPARTMENT}.get(
        lead.position
    )


class EndReason(models.TextChoices):
    TRANSFERRED = "transferred", "调离"
    RETIRED = "retired", "退休"
    DISSOLVED = "dissolved", "撤销"
    ADJUSTED = "adjusted", "调整"
    OTHER = "other", "其他"


class AssignmentQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> AssignmentQuerySet:
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gt=day))

    def in_force_at_year_end(self) -> AssignmentQuerySet:
        """What the review counts (docs/workbook.md): still in force on 31 December of the team's year."""
        return self.filter(end_date__isnull=True)

    def with_targets(self) -> AssignmentQuerySet:
        return self.select_related("organization", "scientist", "created_by__staff", "ended_by__staff")


class NamesTarget:
    """For rows that point at exactly one target, an organisation or a scientist (Assignment, ContactTarget)."""

    @property
    def target(self):
        return self.organization or self.scientist

    @property
    def target_name(self) -> str:
        if self.organization_id:
            return self.organization.name
        return self.scientist.name if self.scientist_id else ""


class Assignment(NamesTarget, Versioned):
    """A target (an organisation or a scientist) assigned to a team for the team's year.

    Ending an assignment keeps it: the year's record of who was to contact whom is never lost.
    """

    team = models.ForeignKey(Team, verbose_name="专班", on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="基层组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="科技工作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    category = models.CharField("联系类别", max_length=40, blank=True, help_text="留空表示不计入定额")
    category_overridden = models.BooleanField("类别经人工指定", default=False)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=12, choices=EndReason.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, help_text="调整原因等")
    end_note = models.CharField("终止说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="终止人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    ended_at = models.DateTimeField("终止时间", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "联系对象"
        verbose_name_plural = "联系对象"
        ordering = ["team", "category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(scientist__isnull=True))
                | (Q(organization__isnull=True) & Q(scientist__isnull=False)),
                name="assignment_exactly_one_target",
                violation_error_message="联系对象必须是一个基层组织或一名科技工作者。",
            ),
            models.UniqueConstraint(
                fields=["team", "organization"],
                condition=Q(end_date__isnull=True, organization__isnull=False),
                name="org_in_force_once_per_team",
                violation_error_message="该组织已是本专班的联系对象。",
            ),
            models.UniqueConstraint(
                fields=["team", "scientist"],
                condition=Q(end_date__isnull=True, scientist__isnull=False),
                name="scientist_in_force_once_per_team",
                violation_error_message="该科技工作者已是本专班的联系对象。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
                violation_error_message="终止日期不能早于起始日期。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="assignment_end_has_reason",
                violation_error_message="终止联系对象必须填写日期和原因。",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "end_date"], name="assignment_team_end"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.target_name}"

    @property
    def is_in_force(self) -> bool:
        return self.end_date is None

    @property
    def category_label(self) -> str:
        """The category as it reads ("" when the target counts toward no quota)."""
        return category_label(self.category) if self.category else ""

    def clean_fields(self, exclude=None) -> None:
        super().clean_fields(exclude)
        if self.category and not is_known_category(self.category):
            raise ValidationError({"category": UNKNOWN_CATEGORY.format(self.category)})


auditlog.register(Year, exclude_fields=["version"])
auditlog.register(ContactCategory, exclude_fields=["version"])
auditlog.register(QuotaRule)
auditlog.register(VisitQuota)
auditlog.register(Team, exclude_fields=["version"], m2m_fields={"members"})
auditlog.register(Assignment, exclude_fields=["version"])
