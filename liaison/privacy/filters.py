"""Filters of the personal-data view log: whose (name, pinyin or initials), who, what, from and to."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from common.pinyin import normalize_query
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
        field_name="at",
        lookup_expr="date__gte",
        widget=DateInput(),
        error_messages={"invalid": "请输入有效的日期，如 2026-03-01。"},
    )
    end = django_filters.DateFilter(
        label="截止日期",
        field_name="at",
        lookup_expr="date__lte",
        widget=DateInput(),
        error_messages={"invalid": "请输入有效的日期，如 2026-03-31。"},
    )

    class Meta:
        model = PersonalDataView
        fields: list[str] = []

    def filter_whose(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Views that showed a person of that name, and every export of whole registries (they held
        everyone)."""
        text = value.strip()
        key = normalize_query(text)
        match = Q(name__icontains=text)
        if key:
            match |= Q(name_pinyin__contains=key) | Q(name_initials__contains=key)
        subjects = PersonalDataSubject.objects.filter(match, view=OuterRef("pk"))
        return queryset.filter(Q(Exists(subjects)) | Q(everyone=True))

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        return queryset.filter(Q(username__icontains=text) | Q(user_label__icontains=text))
