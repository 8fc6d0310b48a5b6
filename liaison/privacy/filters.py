"""Filters of the personal-data view log: whose (name, pinyin or initials), who, what, from and to."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from common.pinyin import search_by_name
from liaison.models import PersonalDataSubject, PersonalDataView
from liaison.privacy.log import WHAT_LABELS


class DateInput(forms.DateInput):
    input_type = "date"


class PersonalDataViewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="查看对象",
        method="filter_whose",
        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或首字母", "type": "search"}),
    )
    who = django_filters.CharFilter(
        label="查看人",
        method="filter_who",
        widget=forms.TextInput(attrs={"placeholder": "姓名或用户名"}),
    )
    what = django_filters.ChoiceFilter(
        label="查看内容", choices=list(WHAT_LABELS.items()), empty_label="全部页面和导出"
    )
    start = django_filters.DateFilter(
        label="起始日期",
        method="filter_start",
        widget=DateInput(),
        error_messages={"invalid": "请输入有效的日期，如 2026-03-01。"},
    )
    end = django_filters.DateFilter(
        label="截止日期",
        method="filter_end",
        widget=DateInput(),
        error_messages={"invalid": "请输入有效的日期，如 2026-03-31。"},
    )

    class Meta:
        model = PersonalDataView
        fields: list[str] = []

    def filter_whose(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Views that showed a person of that name (name, pinyin or initials, from the trigram indexes of
        migration liaison 0014 on PostgreSQL), and every export of whole registries (they held everyone)."""
        people = search_by_name(PersonalDataSubject.objects.order_by(), value, indexed=True).values("view_id")
        # one IN over a UNION, not "IN … OR everyone": PostgreSQL then hash-joins however many views match
        # (with the OR it re-reads the matches for every view once they outgrow work_mem)
        whole = PersonalDataView.objects.filter(everyone=True).order_by().values("pk")
        return queryset.filter(pk__in=people.union(whole))

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        return queryset.filter(Q(username__icontains=text) | Q(user_label__icontains=text))

    # Dates are whole local days, compared as times so that the index on `at` answers (at__date would not).
    def filter_start(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(at__gte=_midnight(value))

    def filter_end(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(at__lt=_midnight(value + datetime.timedelta(days=1)))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
