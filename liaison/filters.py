from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from common.pinyin import search_by_name
from liaison.models import Department, Position, Staff


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或首字母", "type": "search"}),
    )
    department = django_filters.ModelChoiceFilter(
        label="部室", queryset=Department.objects.all(), empty_label="全部部室"
    )
    position = django_filters.ChoiceFilter(label="岗位", choices=Position.choices, empty_label="全部岗位")

    class Meta:
        model = Staff
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_by_name(queryset, value)
