"""科技工作者之家 (seed 002, "建家交友"): each grassroots association's five-point checklist per year, with
evidence, and its designations as 联系点 / 示范点.

Whether a home is complete is decided in one place only: homes/status.py.
"""

from __future__ import annotations

from pathlib import PurePath

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from common.concurrency import Versioned
from common.files import EXTENSIONS

FIRST_YEAR, LAST_YEAR = 2000, 2100
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class Point(models.TextChoices):
    """The "五个到位" of seed 002 (二.1, 三.2), in the seed's order."""

    ORGANIZATION = "organization", "组织到位"
    VENUE = "venue", "阵地到位"
    FUNDING = "funding", "经费到位"
    PROJECTS = "projects", "项目到位"
    RULES = "rules", "制度到位"


# What each point asks, shown beside it (seed 002: 组织正常运转、活动设施到位、落实工作经费、"讲、比"、
# 金桥工程、厂会协作等项目、建章立制).
POINT_HINTS = {
    Point.ORGANIZATION: "科协组织已成立并正常运转：有负责人、有会员、按期换届。",
    Point.VENUE: "有固定的“科技工作者之家”活动场所和设施，可开展学术交流、科普和成果展示。",
    Point.FUNDING: "工作经费已落实（单位预算、党委政府支持或其他来源）。",
    Point.PROJECTS: "有开展中的活动项目，如“讲、比”竞赛、金桥工程、厂会协作、科技攻关、创新基金。",
    Point.RULES: "工作制度完备：会议、活动、联系科技工作者、经费管理等制度已建立。",
}


class HomeCheck(Versioned):
    """One point of one association's checklist in one year: done or not, since when, with a note."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="home_checks"
    )
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    point = models.CharField("项目", max_length=20, choices=Point.choices)
    done = models.BooleanField("已到位", default=False)
    date = models.DateField("到位日期", null=True, blank=True)
    note = models.TextField("说明", max_length=1000, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "之家建设项目"
        verbose_name_plural = "之家建设项目"
        ordering = ["organization", "-year", "point"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "point"], name="home_check_once"),
            models.CheckConstraint(
                condition=Q(done=False) | Q(date__isnull=False), name="home_check_done_dated"
            ),
        ]
        indexes = [models.Index(fields=["year", "done", "organization"], name="home_check_year_done")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.get_point_display()}"


def evidence_path(instance: HomeEvidence, filename: str) -> str:
    """Stored under the extension of the type its bytes showed, never the one it was uploaded with."""
    stem = PurePath(filename).stem[:80] or "file"
    return f"homes/{instance.home_check.organization_id}/{instance.home_check.year}/{stem}{EXTENSIONS.get(instance.content_type, '.bin')}"


class HomeEvidence(models.Model):
    """A photo or PDF showing a point is in place; served only to those who may see the home."""

    home_check = models.ForeignKey(
        HomeCheck, verbose_name="项目", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
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
        verbose_name = "之家佐证材料"
        verbose_name_plural = "之家佐证材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("homes:evidence", args=[self.pk])


class DesignationKind(models.TextChoices):
    """Seed 002 二.3: 探索建立基层联系点、示范点."""

    CONTACT_POINT = "contact_point", "联系点"
    DEMO_POINT = "demo_point", "示范点"


class HomeDesignation(models.Model):
    """An association named a 联系点 or 示范点 in a year, until it is withdrawn (the year it stops counting)."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="home_designations"
    )
    kind = models.CharField("类别", max_length=20, choices=DesignationKind.choices)
    year_named = models.PositiveSmallIntegerField("命名年度", validators=year_validators)
    year_withdrawn = models.PositiveSmallIntegerField(
        "撤销年度", null=True, blank=True, validators=year_validators, help_text="从该年度起不再是。"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系点/示范点"
        verbose_name_plural = "联系点/示范点"
        ordering = ["organization", "kind", "-year_named"]
        constraints = [
            # one standing designation of a kind per association
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(year_withdrawn__isnull=True),
                name="home_designation_one_standing",
            ),
            models.CheckConstraint(
                condition=Q(year_withdrawn__isnull=True) | Q(year_withdrawn__gt=F("year_named")),
                name="home_designation_withdrawn_after_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()}（{self.year_named}）"

    def in_force(self, year: int) -> bool:
        return self.year_named <= year and (self.year_withdrawn is None or self.year_withdrawn > year)


auditlog.register(HomeCheck, exclude_fields=["version", "updated_at"])
auditlog.register(HomeEvidence)
auditlog.register(HomeDesignation)
