"""What the office decided about likely duplicate scientists: pairs it said are two people, and merges.

Registered with the experts app from experts/models.py (an app's models live in its models module).
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DuplicateDismissal(models.Model):
    """A pair the office marked "不是重复": the finder does not list it again. The two ids are plain numbers,
    not foreign keys, so that a merge or an undo never has to move or cascade them (a pair with a deleted
    record is never a candidate anyway)."""

    first_id = models.PositiveBigIntegerField("记录一")
    second_id = models.PositiveBigIntegerField("记录二")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="标记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("标记时间", auto_now_add=True)

    class Meta:
        verbose_name = "非重复标记"
        verbose_name_plural = "非重复标记"
        constraints = [
            models.UniqueConstraint(fields=["first_id", "second_id"], name="dismissal_pair_once"),
            models.CheckConstraint(condition=Q(first_id__lt=F("second_id")), name="dismissal_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class MergeRecord(models.Model):
    """One merge: `kept` absorbed the scientist `absorbed_id`, whose full row is in `absorbed_row`.

    `moved` lists every row that named the absorbed record and now names the kept one, as [model label, pk,
    field, old value]; `deleted` holds the rows deleted because the kept record already had their twin (a
    unique constraint), serialised whole, in the order they were deleted; `kept_changes` the kept record's
    fields the office took from the absorbed one, {field: [old, new]}. Undo (experts/duplicates/merge.py)
    reads them back."""

    kept = models.ForeignKey(
        "experts.Scientist",
        verbose_name="保留的记录",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kept_name = models.CharField("保留的姓名", max_length=50)
    absorbed_id = models.PositiveBigIntegerField("并入的记录编号", db_index=True)
    absorbed_name = models.CharField("并入的姓名", max_length=50)
    absorbed_row = models.JSONField("并入记录的全部字段")
    moved = models.JSONField("转到保留记录的关联行", default=list)
    deleted = models.JSONField("因重复删除的关联行", default=list)
    kept_changes = models.JSONField("保留记录改用的字段", default=dict)
    moved_count = models.PositiveIntegerField("转移的关联行数", default=0)
    deleted_count = models.PositiveIntegerField("删除的关联行数", default=0)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="合并人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField("合并时间", auto_now_add=True, db_index=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "科技工作者合并"
        verbose_name_plural = "科技工作者合并"
        ordering = ["-merged_at", "-id"]
        permissions = [
            ("merge_scientist", "查找并合并重复的科技工作者"),
            ("undo_scientist_merge", "撤销科技工作者合并"),
        ]

    def __str__(self) -> str:
        return f"{self.absorbed_name}（{self.absorbed_id}）并入 {self.kept_name}"


auditlog.register(MergeRecord, exclude_fields=["absorbed_row", "moved", "deleted", "kept_changes"])
auditlog.register(DuplicateDismissal)
