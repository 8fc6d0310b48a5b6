"""Scientists and engineers (科技工作者): the people the association keeps in touch with."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.functions import Collate, ExtractMonth
from django.urls import reverse
from django.utils import timezone

from common.concurrency import Versioned
from common.phones import normalize_phone_field, validate_phone
from common.pinyin import normalize_query, pinyin_keys, search_by_name
from orgs.models import FourHeads, Organization


class TalentCategory(models.TextChoices):
    ACADEMICIAN = "academician", "院士"
    RENOWNED = "renowned", "知名专家"
    HIGH_LEVEL = "high_level", "高层次人才"
    LEADING = "leading", "学术技术带头人"
    OUTSTANDING = "outstanding", "优秀专家"
    YOUNG = "young", "青年科技人才"
    FRONTLINE = "frontline", "基层一线科技工作者"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ScientistQuerySet(models.QuerySet):
    def active(self) -> ScientistQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> ScientistQuerySet:
        found = search_by_name(self, text, indexed=True)
        if len(normalize_query(text)) >= 3 and connections[self.db].vendor == "postgresql":
            # In the same order (the pinyin keys are lower-case ASCII, which every collation sorts as "C"
            # does), but not by walking the name_pinyin index: with LIMIT 25 PostgreSQL would walk it and
            # check every row until 25 match, 60,000–85,000 rows for "wang" or "zhang" at 100,000
            # scientists (0.5 s), instead of sorting the few thousand the trigram index finds (bench/).
            found = found.order_by(Collate("name_pinyin", "C"), "id")
        return found

    def born_in_month(self, month: int) -> ScientistQuerySet:
        return self.annotate(birth_month=ExtractMonth("birth_date")).filter(birth_month=month)

    def for_list(self) -> ScientistQuerySet:
        return self.select_related("organization")


class Scientist(Versioned):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    birthday_lunar = models.BooleanField(
        "按农历过生日", default=False, help_text="勾选后，出生日期的月、日按农历理解，每年换算为公历提醒。"
    )
    employer = models.CharField("工作单位", max_length=100)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scientists",
        help_text="所在单位对应的基层科协组织（可不填）。",
    )
    post = models.CharField("职务", max_length=100, blank=True)
    title = models.CharField("职称", max_length=50, blank=True)
    discipline = models.CharField("学科领域", max_length=50, blank=True, db_index=True)
    category = models.CharField("人才类别", max_length=20, choices=TalentCategory.choices, db_index=True)
    four_heads = models.CharField("“四长”", max_length=20, choices=FourHeads.choices, blank=True)
    mobile = models.CharField("手机", max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField("邮箱", blank=True)
    notes = models.TextField("备注", blank=True)
    is_active = models.BooleanField("在册", default=True, db_index=True)
    name_pinyin = models.CharField("姓名拼音", max_length=200, blank=True, editable=False, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScientistQuerySet.as_manager()

    class Meta:
        verbose_name = "科技工作者"
        verbose_name_plural = "科技工作者"
        ordering = ["name_pinyin", "id"]
        permissions = [("view_scientist_contact", "查看科技工作者联系方式")]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "employer"],
                name="scientist_unique_name_employer",
                violation_error_message="同一工作单位已有同名的科技工作者。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_pinyin, self.name_initials = pinyin_keys(self.name, person=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", args=[self.pk])

    @property
    def is_academician(self) -> bool:
        return self.category == TalentCategory.ACADEMICIAN

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        self.employer = (self.employer or "").strip()
        normalize_phone_field(self, "mobile")
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": "出生日期不能晚于今天。"})

    def namesake_at_same_employer(self) -> Scientist | None:
        """The existing record with the same name and employer, which the forms link to."""
        return (
            Scientist.objects.filter(name=self.name.strip(), employer=self.employer.strip())
            .exclude(pk=self.pk)
            .first()
        )


auditlog.register(Scientist, exclude_fields=["version"], mask_fields=["mobile", "email"])


# The merge history and the pairs marked "不是重复" (experts/duplicates/), after Scientist they point at.
from experts.duplicates.models import DuplicateDismissal, MergeRecord  # noqa: E402, F401
