"""The text of a duty report (述职正文), kept per person and year: drafted from the year's figures
(reports/duty/narrative.py), then edited and kept by the person (or the liaison office).

`basis` is the draft the text was last started from: when the figures move, the fresh draft differs from it
and the page offers the new one beside the kept text, never replacing it unasked.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from common.concurrency import Versioned

NARRATIVE_MAX = 10000  # characters of the narrative: a few pages of an official report, a long draft included
ASSESSMENT_MAX = 2000  # the self-assessment paragraph


class DutyNarrative(Versioned):
    staff = models.ForeignKey(
        "liaison.Staff", verbose_name="述职人", on_delete=models.CASCADE, related_name="duty_narratives"
    )
    year = models.ForeignKey(
        "liaison.Year", verbose_name="年度", on_delete=models.CASCADE, related_name="duty_narratives"
    )
    text = models.TextField("述职正文", max_length=NARRATIVE_MAX)
    self_assessment = models.TextField("自我评价与努力方向", max_length=ASSESSMENT_MAX, blank=True)
    basis = models.TextField("所依据的草稿", blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("保存时间", auto_now=True)

    class Meta:
        verbose_name = "述职正文"
        verbose_name_plural = "述职正文"
        ordering = ["-year__year", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="duty_narrative_once")]

    def __str__(self) -> str:
        return f"{self.staff} {self.year.year} 年度述职正文"


auditlog.register(DutyNarrative, exclude_fields=["version", "basis"])
