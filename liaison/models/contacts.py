"""Contact records (联系记录), their targets and attachments, and the demands people raise (诉求).

A record belongs to a team and names targets and participants (docs/domain.md, "Words kept apart"). Each
target is a ContactTarget row that also carries the record's team, date and whether it counts, so the
common questions ("contacted this year?", "last contact") are one indexed lookup (docs/design.md).
"""

from __future__ import annotations

from pathlib import PurePath

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse

from common.concurrency import Versioned
from common.files import EXTENSIONS
from common.occasions import festival_for

from .people import Department, Staff
from .plan import NamesTarget, Team


class ContactMethod(models.TextChoices):
    """联系方式 (seed 000 §四)."""

    SURVEY = "survey", "调查了解"
    SYMPOSIUM = "symposium", "开展座谈"
    GREETING = "greeting", "看望慰问"
    EVENT = "event", "参与活动"
    FRIENDSHIP = "friendship", "广泛交友"


class ContactChannel(models.TextChoices):
    """联系形式: how the contact was made."""

    VISIT = "visit", "登门拜访"
    PHONE = "phone", "电话"
    MESSAGE = "message", "短信/微信"
    EMAIL = "email", "邮件"
    ONLINE = "online", "线上"
    MEETING = "meeting", "会议"
    OTHER = "other", "其他"


class Occasion(models.TextChoices):
    """Occasions of a greeting (seed 000 §四.3, seed 001)."""

    SPRING_FESTIVAL = "spring_festival", "春节"
    WORKERS_DAY = "workers_day", "全国科技工作者日"
    BIRTHDAY = "birthday", "生日"
    ILLNESS = "illness", "患病慰问"
    ACHIEVEMENT = "achievement", "重大成就祝贺"
    OTHER_HOLIDAY = "other_holiday", "其他节日"


class Topic(models.TextChoices):
    """联系内容 (seed 000 §三)."""

    POLICY = "policy", "宣传政策"
    DIFFICULTIES = "difficulties", "了解困难"
    ADVICE = "advice", "建言献策"
    COOPERATION = "cooperation", "科研合作"
    COMMENDATION = "commendation", "举荐表彰"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    DONE = "done", "已完成"


class ContactRecordQuerySet(models.QuerySet):
    def alive(self) -> ContactRecordQuerySet:
        return self.filter(is_deleted=False)

    def completed(self) -> ContactRecordQuerySet:
        """What counts as work: completed and not deleted (drafts count for nothing)."""
        return self.filter(is_deleted=False, status=RecordStatus.DONE)

    def grassroots_visits(self, year) -> ContactRecordQuerySet:
        """THE definition of a grassroots visit (下基层, seed 000 §四.5): a completed record marked 下基层,
        of a team of the year, dated in the year. The review, the dashboard, 我的工作 and the digest count these."""
        return self.completed().filter(
            grassroots=True, team__year=year, date__gte=year.first_day, date__lte=year.last_day
        )

    def for_list(self) -> ContactRecordQuerySet:
        return self.select_related("team", "team__year", "author").prefetch_related(
            "participants",
            models.Prefetch(
                "targets",
                queryset=ContactTarget.objects.select_related("organization", "scientist").order_by("id"),
            ),
        )


class ContactRecord(Versioned):
    # no index of its own: record_team_date (team, date) leads with it (one index fewer on every record written)
    team = models.ForeignKey(
        Team, verbose_name="专班", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    date = models.DateField("日期", db_index=True)
    method = models.CharField("联系方式", max_length=12, choices=ContactMethod.choices)
    channel = models.CharField("联系形式", max_length=12, choices=ContactChannel.choices, blank=True)
    occasion = models.CharField("慰问时机", max_length=20, choices=Occasion.choices, blank=True)
    # For a 春节 or 全国科技工作者日 greeting: the festival it is for (common.occasions.festival_for), so that
    # a greeting in December counts for the next February's Spring Festival (set on save).
    festival_date = models.DateField("所为节日", null=True, blank=True, editable=False)
    topics = models.JSONField("联系内容", default=list, blank=True)
    participants = models.ManyToManyField(
        Staff, verbose_name="参加人员", related_name="contact_records", blank=True
    )
    grassroots = models.BooleanField("下基层", default=False, help_text="深入基层的走访、调研、座谈等")
    place = models.CharField("地点", max_length=100, blank=True)
    summary = models.TextField("情况摘要", blank=True)
    status = models.CharField("状态", max_length=8, choices=RecordStatus.choices, default=RecordStatus.DONE)
    author = models.ForeignKey(
        Staff, verbose_name="记录人", on_delete=models.PROTECT, related_name="authored_records", null=True
    )
    highlighted = models.BooleanField("述职重点", default=False)
    # A visit logged on a phone, possibly offline (static/js/offline.js): the key its phone generated, so that
    # a resend (the answer was lost, two tabs synced) returns this record instead of making another
    # (liaison/contacts/sync.py); unique, null for records logged on the page online.
    client_key = models.UUIDField("离线记录标识", null=True, blank=True, unique=True, editable=False)
    # Where and when, as the device told it, only if the user asked for it (记录当前位置): lets the liaison
    # office see that a visit to a village happened there (the record page, the list by county/township).
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.PositiveIntegerField("定位精度(米)", null=True, blank=True)
    located_at = models.DateTimeField("定位时间(设备)", null=True, blank=True)
    is_deleted = models.BooleanField("已删除", default=False)
    deleted_reason = models.CharField("删除原因", max_length=200, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ContactRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(summary=""),
                name="completed_record_has_summary",
                violation_error_message="完成的联系记录必须填写情况摘要。",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True, located_at__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, located_at__isnull=False),
                name="record_location_whole",
                violation_error_message="位置须同时包含纬度、经度和定位时间。",
            ),
            models.CheckConstraint(
                condition=Q(is_deleted=False) | ~Q(deleted_reason=""),
                name="deleted_record_has_reason",
                violation_error_message="删除联系记录必须填写原因。",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "date"], name="record_team_date"),
            # Found by bench/run.py on 1,000,000 records (bench/results.md, migrations 0004–0005):
            # the list filtered by method and its count; the dashboard's records by month × method
            # (team and id are key columns rather than INCLUDE: SQLite has no INCLUDE, and check --deploy fails
            # on its warning; as trailing key columns they still let PostgreSQL answer from the index alone)
            models.Index(
                fields=["method", "date", "team", "id"],
                condition=Q(status="done", is_deleted=False),
                name="record_done_method_date",
            ),
            # grassroots visits per team (review, dashboard, my work, digest, duty reports)
            models.Index(
                fields=["team", "date", "id"],
                condition=Q(grassroots=True, status="done", is_deleted=False),
                name="record_grassroots_team_date",
            ),
            # greetings of an occasion (greeting coverage: dashboard, duty reports, bulk greetings)
            models.Index(
                fields=["occasion", "date"], condition=Q(method="greeting"), name="record_greeting_occasion"
            ),
            models.Index(
                fields=["occasion", "festival_date"],
                condition=Q(method="greeting"),
                name="record_greeting_festival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.team} {self.get_method_display()}"

    def save(self, *args, **kwargs) -> None:
        self.festival_date = (
            festival_for(self.occasion, self.date)
            if self.method == ContactMethod.GREETING and self.date
            else None
        )
        if kwargs.get("update_fields") is not None and "festival_date" not in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "festival_date"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("liaison:record_detail", args=[self.pk])

    @property
    def counts(self) -> bool:
        return self.status == RecordStatus.DONE and not self.is_deleted

    @property
    def located(self) -> bool:
        return self.latitude is not None

    def topic_labels(self) -> list[str]:
        return [Topic(t).label for t in self.topics if t in Topic.values]


class ContactTarget(NamesTarget, models.Model):
    """A target named on a record. Team, date and whether it counts are copied from the record (kept in step
    by liaison/contacts/services.py) so that "contacted this year" is an indexed lookup, not a join through records."""

    record = models.ForeignKey(
        ContactRecord, verbose_name="联系记录", on_delete=models.CASCADE, related_name="targets"
    )
    # team, organization and scientist have no index of their own: each leads one of the composite indexes
    # below, which answer the same lookups; three more indexes on ~2 million rows slowed every insert.
    team = models.ForeignKey(
        Team, verbose_name="专班", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField("日期")
    counts = models.BooleanField("计入", default=True, help_text="记录已完成且未删除")
    assigned = models.BooleanField("专班联系对象", default=False, help_text="当日是该专班在册的联系对象")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="基层组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="科技工作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "联系记录对象"
        verbose_name_plural = "联系记录对象"
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(scientist__isnull=True))
                | (Q(organization__isnull=True) & Q(scientist__isnull=False)),
                name="contact_target_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["record", "organization"],
                condition=Q(organization__isnull=False),
                name="record_org_once",
            ),
            models.UniqueConstraint(
                fields=["record", "scientist"],
                condition=Q(scientist__isnull=False),
                name="record_scientist_once",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "organization", "date"], name="ctarget_team_org_date"),
            models.Index(fields=["team", "scientist", "date"], name="ctarget_team_sci_date"),
            models.Index(fields=["scientist", "date"], name="ctarget_sci_date"),
            models.Index(fields=["organization", "date"], name="ctarget_org_date"),
        ]

    def __str__(self) -> str:
        return self.target_name


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under the extension of the type its bytes showed, never the one it was uploaded with."""
    stem = PurePath(filename).stem[:80] or "file"
    return f"records/{instance.record_id}/{stem}{EXTENSIONS.get(instance.content_type, '.bin')}"


class Attachment(models.Model):
    """A photo or PDF of a record, served only to those who may see the record."""

    record = models.ForeignKey(
        ContactRecord, verbose_name="联系记录", on_delete=models.CASCADE, related_name="attachments"
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
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("liaison:attachment", args=[self.pk])


class DemandKind(models.TextChoices):
    DIFFICULTY = "difficulty", "困难诉求"
    SUGGESTION = "suggestion", "意见建议"
    COOPERATION = "cooperation", "项目合作"
    COMMENDATION = "commendation", "举荐表彰"


class DemandStatus(models.TextChoices):
    PENDING = "pending", "待办"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    IMPOSSIBLE = "impossible", "无法办理"


# 已交办 (handed over, not yet taken up) is open like 待办 and 办理中: it counts as 待办诉求 wherever demands
# are counted open, and its handler sees it in 我的工作.
OPEN_DEMAND_STATUSES = (DemandStatus.PENDING, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS)


def demand_open_first() -> Case:
    return Case(When(status__in=OPEN_DEMAND_STATUSES, then=Value(0)), default=Value(1))


def demand_list_order() -> tuple:
    """The demand list's order: open ones first, the soonest due first (no due date last), then the newest.
    The index demand_list_order serves it on PostgreSQL (the planner uses an expression index only for the
    very same expression, hence one function): at N = 100,000 the list reads 25 rows instead of joining and
    sorting 24,000 (~250 ms)."""
    return (demand_open_first(), F("due_date").asc(nulls_last=True), F("id").desc())


class DemandQuerySet(models.QuerySet):
    def open(self) -> DemandQuerySet:
        return self.filter(status__in=OPEN_DEMAND_STATUSES)

    def alive(self) -> DemandQuerySet:
        """Demands of records that were not deleted."""
        return self.filter(record__is_deleted=False)

    def overdue(self, today) -> DemandQuerySet:
        return self.open().filter(due_date__lt=today)

    def in_list_order(self) -> DemandQuerySet:
        return self.order_by(*demand_list_order())

    def for_list(self) -> DemandQuerySet:
        return self.select_related(
            "record",
            "record__team",
            "raised_by_scientist",
            "raised_by_organization",
            "handler",
            "handler_department",
        )


class Demand(Versioned):
    """Something a person raised, followed in a closed loop 登记 → 交办 → 办理 → 反馈 → 回访."""

    record = models.ForeignKey(
        ContactRecord, verbose_name="联系记录", on_delete=models.CASCADE, related_name="demands"
    )
    # The record's team, copied (save() below; a record moved to another team moves its demands,
    # liaison/compliance/signals.py): the stored figures count a few teams' demands on every refresh, and
    # reaching them through the records made PostgreSQL hash-join the whole demand table (4 queries, ~7 ms
    # each at N = 100,000) where this index finds them in a fraction of a millisecond.
    team = models.ForeignKey(
        Team, verbose_name="专班", on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField("类别", max_length=14, choices=DemandKind.choices)
    text = models.TextField("内容")
    raised_by_scientist = models.ForeignKey(
        "experts.Scientist",
        verbose_name="提出人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    raised_by_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="提出单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    raised_by_text = models.CharField("提出人(其他)", max_length=100, blank=True)
    handler = models.ForeignKey(
        Staff,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_demands",
    )
    handler_department = models.ForeignKey(
        Department,
        verbose_name="承办部室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    due_date = models.DateField("办理时限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=DemandStatus.choices, default=DemandStatus.PENDING
    )
    reply = models.TextField("反馈意见", blank=True, help_text="向提出人反馈的办理结果")
    replied_at = models.DateField("反馈日期", null=True, blank=True)
    revisit_date = models.DateField("回访日期", null=True, blank=True)
    revisit_satisfied = models.BooleanField("是否满意", null=True, blank=True)
    revisit_note = models.CharField("回访情况", max_length=200, blank=True)
    closed_at = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DemandQuerySet.as_manager()

    def save(self, *args, **kwargs) -> None:
        # from the record when it is at hand (no query on a step of the demand's workflow)
        if self.record_id is not None and (self.team_id is None or Demand.record.is_cached(self)):
            self.team_id = self.record.team_id
        if kwargs.get("update_fields") is not None and "team" not in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "team"]
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="demand_status_due"),
            # demand_list_order() without NULLS LAST, which SQLite refuses in an index: PostgreSQL puts nulls
            # last in an ascending index anyway, so the index still matches the list's ORDER BY there
            models.Index(demand_open_first(), F("due_date"), F("id").desc(), name="demand_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("liaison:demand_detail", args=[self.pk])

    @property
    def raised_by_name(self) -> str:
        if self.raised_by_scientist_id:
            return self.raised_by_scientist.name
        if self.raised_by_organization_id:
            return self.raised_by_organization.name
        return self.raised_by_text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DEMAND_STATUSES


class DemandActionKind(models.TextChoices):
    REGISTER = "register", "登记"
    ASSIGN = "assign", "交办"
    PROGRESS = "progress", "办理"
    REPLY = "reply", "反馈"
    REVISIT = "revisit", "回访"
    NOTE = "note", "备注"


class DemandAction(models.Model):
    """One dated step in a demand's log."""

    demand = models.ForeignKey(Demand, verbose_name="诉求", on_delete=models.CASCADE, related_name="actions")
    date = models.DateField("日期")
    kind = models.CharField("环节", max_length=10, choices=DemandActionKind.choices)
    text = models.TextField("情况", blank=True)
    # 交办: whom the demand was handed to (a person or a department), as named on that day
    handed_to = models.CharField("交办给", max_length=100, blank=True)
    status_after = models.CharField("办理后状态", max_length=12, choices=DemandStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def sentence(self) -> str:
        """The step as the history reads after the actor's name: "交办给 科技服务部：请于月底前答复",
        "回访：满意"."""
        verb = self.get_kind_display()
        if self.kind == DemandActionKind.ASSIGN and self.handed_to:
            verb = f"{verb}给 {self.handed_to}"
        return f"{verb}：{self.text}" if self.text else verb


auditlog.register(ContactRecord, exclude_fields=["version"], m2m_fields={"participants"})
auditlog.register(Demand, exclude_fields=["version"])
