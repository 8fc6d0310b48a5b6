from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from orgs.models import Organization, OrgKind

ACTIVE_CHOICES = [("1", "在用"), ("0", "已停用"), ("all", "全部")]


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "名称、拼音或首字母", "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label="类别", choices=OrgKind.choices, empty_label="全部类别")
    county = django_filters.ModelChoiceFilter(
        label="上级/区县",
        queryset=Organization.objects.filter(kind=OrgKind.DISTRICT).order_by("name_pinyin"),
        method="filter_county",
        empty_label="全部区县",
    )
    active = django_filters.ChoiceFilter(
        label="状态", choices=ACTIVE_CHOICES, method="filter_active", empty_label=None
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("active", "1")
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        """A county's own association, everything located in it, and its direct children."""
        return queryset.filter(Q(pk=value.pk) | Q(county=value) | Q(parent=value))

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "all":
            return queryset
        return queryset.filter(is_active=value == "1")
