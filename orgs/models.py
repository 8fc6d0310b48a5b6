"""Grassroots organisations (基层科协组织) and their officers.

The kinds are exactly those of docs/domain.md; county → township → village form a hierarchy (seed 004).
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.concurrency import Versioned
from common.phones import normalize_phone_field, validate_phone
from common.pinyin import pinyin_keys, search_by_name


class OrgKind(models.TextChoices):
    DISTRICT = "district", "区县(市)科协"
    VICE_CHAIR_UNIT = "vice_chair_unit", "兼职副主席单位"
    SOCIETY = "society", "市级学会(协会、研究会)"
    ENTERPRISE = "enterprise", "企业(园区)科协"
    UNIVERSITY = "university", "高校院所科协"
    AGRI_TECH = "agri_tech", "农技协"
    TOWNSHIP = "township", "乡镇(街道)科协"
    VILLAGE = "village", "村(社区)科协"
    OTHER = "other", "其他"


# The parent kind a kind must sit under (seed 004: 县 → 乡镇(街道) → 村(社区)).
REQUIRED_PARENT_KIND = {
    OrgKind.TOWNSHIP: OrgKind.DISTRICT,
    OrgKind.VILLAGE: OrgKind.TOWNSHIP,
}


class OrganizationQuerySet(models.QuerySet):
    def active(self) -> OrganizationQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> OrganizationQuerySet:
        return search_by_name(self, text)

    def for_list(self) -> OrganizationQuerySet:
        """What the list page shows: parent and county in the same query, children counted."""
        return (
            self.select_related("parent", "county")
            .annotate(children_count=models.Count("children", distinct=True))
            .order_by("kind", "name_pinyin", "id")
        )


class Organization(Versioned):
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    county = models.ForeignKey(
        "self",
        verbose_name="所在区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_orgs",
        limit_choices_to={"kind": OrgKind.DISTRICT},
        help_text="组织所在的区县(市)；乡镇、村级组织按上级自动确定。",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])
    # db_default: rows written by COPY at benchmark scale (demo/scale.py) name only the older columns
    contact_email = models.EmailField("联系邮箱", blank=True, db_default="", help_text="接收备案提醒等通知。")
    notes = models.TextField("备注", blank=True)
    is_active = models.BooleanField("在用", default=True, db_index=True)
    name_pinyin = models.CharField("名称拼音", max_length=400, blank=True, editable=False, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=100, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "基层组织"
        verbose_name_plural = "基层组织"
        ordering = ["kind", "name_pinyin"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="org_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = self.name.strip()
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)
        if self.kind == OrgKind.DISTRICT:
            self.county = None
        elif self.parent is not None and self.kind in REQUIRED_PARENT_KIND:
            self.county = self.parent if self.parent.kind == OrgKind.DISTRICT else self.parent.county
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[str] | str] = {}
        try:
            normalize_phone_field(self, "contact_phone")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        required = REQUIRED_PARENT_KIND.get(self.kind)
        # The pages insist on the parent; the workbook import may leave it for later (the published format
        # makes 上级组织 optional), but a parent it names must be of the right kind.
        missing = self.parent is None and getattr(self, "require_parent", True)
        if required and (missing or (self.parent is not None and self.parent.kind != required)):
            errors["parent"] = f"{self.get_kind_display()}的上级组织必须是{OrgKind(required).label}。"
        elif self.parent_id and self._creates_cycle():
            errors["parent"] = "上级组织不能是本组织或其下级组织（层级不能成环）。"
        if self.county_id and self.county.kind != OrgKind.DISTRICT:
            errors["county"] = "所在区县必须是区县(市)科协。"
        if errors:
            raise ValidationError(errors)

    def _creates_cycle(self) -> bool:
        """Walk up from the new parent; meeting ourselves means a cycle. Depth is tiny (≤ 4)."""
        if self.pk is None:
            return False
        seen: set[int] = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False

    @property
    def district(self) -> Organization | None:
        """The county-level association this organisation belongs to, if any."""
        return self if self.kind == OrgKind.DISTRICT else self.county


class FourHeads(models.TextChoices):
    """The "四长" of seed 004, who hold posts in county, township and village associations."""

    HOSPITAL = "hospital", "医院院长"
    SCHOOL = "school", "中小学校长"
    AGRI_STATION = "agri_station", "农技站站长"
    ENTREPRENEUR = "entrepreneur", "科技型企业家"


class Tenure(models.TextChoices):
    """How an officer holds the post (seed 004: 任职 · 兼职 · 挂职)."""

    APPOINTED = "appointed", "任职"
    CONCURRENT = "concurrent", "兼职"
    SECONDED = "seconded", "挂职"


class OfficerPost(models.TextChoices):
    CHAIR = "chair", "主席"
    FULLTIME_VICE_CHAIR = "fulltime_vice_chair", "专职副主席"
    PARTTIME_VICE_CHAIR = "parttime_vice_chair", "兼职副主席"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", "副秘书长"
    OTHER = "other", "其他"


class Officer(models.Model):
    """An officer of a grassroots organisation (seed 000 §五.3: 主席、专(兼)职副主席、秘书长)."""

    organization = models.ForeignKey(
        Organization, verbose_name="所属组织", on_delete=models.CASCADE, related_name="officers"
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=30, choices=OfficerPost.choices)
    job = models.CharField("工作单位及职务", max_length=100, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True, validators=[validate_phone])
    tenure = models.CharField("任职方式", max_length=12, choices=Tenure.choices, blank=True, db_default="")
    four_heads = models.CharField(
        "“四长”", max_length=20, choices=FourHeads.choices, blank=True, db_default=""
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "组织负责人"
        verbose_name_plural = "组织负责人"
        ordering = ["organization", "order", "id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_post_display()} {self.name}"

    def clean(self) -> None:
        normalize_phone_field(self, "phone")


auditlog.register(
    Organization, exclude_fields=["version"], mask_fields=["contact_phone", "contact_email"]
)  # personal data (issue 17 §4)
auditlog.register(Officer, mask_fields=["phone"])
