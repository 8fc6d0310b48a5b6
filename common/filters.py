"""The filter shared by the registry lists: a name/pinyin search box and an active/inactive choice."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

ACTIVE_CHOICES = [("1", "在用"), ("0", "已停用"), ("all", "全部")]
# People (scientists, staff, officers) are 在册 rather than 在用 (issue 18 §5): a registry of people says so.
PEOPLE_ACTIVE_CHOICES = [("1", "在册"), ("0", "已停用"), ("all", "全部")]


class RegistryFilterSet(django_filters.FilterSet):
    """Search first, the registry's own filters next, state last; lists show active rows unless asked."""

    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "名称、拼音或首字母", "type": "search"}),
    )
    active = django_filters.ChoiceFilter(
        label="状态", choices=ACTIVE_CHOICES, method="filter_active", empty_label=None
    )

    active_choices = ACTIVE_CHOICES  # a registry of people sets PEOPLE_ACTIVE_CHOICES

    def __init__(self, data=None, *args, **kwargs) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("active", "1")
        super().__init__(data, *args, **kwargs)
        self.filters["active"] = self.filters.pop("active")
        self.filters["active"].extra["choices"] = self.active_choices

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "all":
            return queryset
        return queryset.filter(is_active=value == "1")
