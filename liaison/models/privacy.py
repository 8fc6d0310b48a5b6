"""The log of views of personal data (issue 17 §4): who saw whose phone and email, when, where, on which page
or in which export. Written by liaison/privacy/log.py, read by the liaison office and the auditor, purged after
DJANGO_PERSONAL_DATA_LOG_DAYS by `manage.py purge_access_log`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubjectKind(models.TextChoices):
    SCIENTIST = "scientist", "科技工作者"
    OFFICER = "officer", "组织负责人"
    ORGANIZATION = "organization", "基层组织联系人"


class PersonalDataView(models.Model):
    """One page view or one export that showed unmasked contact details: one row, whatever the number of
    people (their rows are PersonalDataSubject, written with one bulk insert). An export of whole registries
    names no one: `everyone` is set, `summary` names the registries and `people_count` how many they held."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查看人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, db_index=True)
    user_label = models.CharField("查看人", max_length=200, help_text="查看时的姓名和用户名")
    what = models.CharField("查看内容", max_length=80, db_index=True)
    path = models.CharField("地址", max_length=500, blank=True)
    client_ip = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    people_count = models.PositiveIntegerField("人数", default=0)
    everyone = models.BooleanField("整个名册", default=False, help_text="导出了整个名册，不逐人记录")
    summary = models.CharField("查看对象", max_length=300, blank=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["what", "at"], name="pdview_what_at"),
            # the whole-registry exports, which every search by whose includes
            models.Index(fields=["at"], condition=models.Q(everyone=True), name="pdview_everyone_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_label} {self.what} {self.summary}"


class PersonalDataSubject(models.Model):
    """A person whose contact details one view showed, with the name at the time (for the log's 'whose')."""

    # DO_NOTHING: the log is never edited, only purged, and the purge deletes the people first, so both
    # deletes are single statements (a cascade would first read every old row's id into memory)
    view = models.ForeignKey(
        PersonalDataView, verbose_name="查看记录", on_delete=models.DO_NOTHING, related_name="subjects"
    )
    kind = models.CharField("类别", max_length=20, choices=SubjectKind.choices)
    object_id = models.PositiveBigIntegerField("编号")
    name = models.CharField("姓名/名称", max_length=200)
    name_pinyin = models.CharField("拼音", max_length=400, blank=True)
    name_initials = models.CharField("拼音首字母", max_length=100, blank=True)

    class Meta:
        verbose_name = "被查看人"
        verbose_name_plural = "被查看人"
        ordering = ["view", "id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="pdsubject_kind_object")]

    def __str__(self) -> str:
        return self.name
