"""One row per run of a long piece of work: what, who, when, how far, and what came of it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class JobKind(models.TextChoices):
    IMPORT = "import", "导入工作簿"
    EXPORT_RECORDS = "export_records", "导出年度联系记录与诉求"
    EXPORT_ALL = "export_all", "导出年度全部数据"
    DUTY_SUMMARY = "duty_summary", "生成述职汇总表"
    DUTY_PDFS = "duty_pdfs", "批量生成述职报告 PDF"
    PLAN_WORKBOOK = "plan_workbook", "生成党组审定分工表"
    DIGEST = "digest", "生成/发送本周简报"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


STALE = "任务已中断：处理进程停止、超时或一直没有开始，结果未保存。导入未写入任何数据，请重新提交。"


def job_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField("任务", max_length=20, choices=JobKind.choices)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    title = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    counts = models.JSONField("进度", default=dict, blank=True)
    message = models.TextField("失败原因", blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    input_file = models.FileField("上传的文件", upload_to=job_path, max_length=300, blank=True)
    result_file = models.FileField("结果文件", upload_to=job_path, max_length=300, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_by_user_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stale(self) -> bool:
        """Still 进行中 long after the longest a job may run (the worker's hard time limit): its worker died.
        Still 排队中 as long after it was submitted: no worker is taking jobs (or the server restarted)."""
        limit = datetime.timedelta(seconds=settings.JOBS_STALE_AFTER)
        if self.status == JobStatus.RUNNING and self.started_at is not None:
            return timezone.now() - self.started_at > limit
        if self.status == JobStatus.QUEUED:
            return timezone.now() - self.created_at > limit
        return False
