from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from common.picker import PickerFilterSetMixin, PickFilter
from common.pinyin import search_by_name
from liaison.models import Department, Position, Staff


def search_departments(departments: QuerySet[Department], text: str) -> QuerySet[Department]:
    return departments.filter(name__icontains=text)


class StaffFilter(PickerFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音或首字母", "type": "search"}),
    )
    # A city has a dozen departments (a select); a province's hundreds are picked by typing part of the name.
    department = PickFilter(
        label="部室",
        queryset=Department.objects.all(),
        search=search_departments,
        noun="部室",
        empty_label="全部部室",
        placeholder="部室名称",
        suggest_url=reverse_lazy("liaison:staff_filter_suggest", args=["department"]),
    )
    position = django_filters.ChoiceFilter(label="岗位", choices=Position.choices, empty_label="全部岗位")

    class Meta:
        model = Staff
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_by_name(queryset, value)
