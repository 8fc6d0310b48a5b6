"""The list of homes: by county, township, state of the year, flag and name (GET parameters, bookmarkable)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from homes.status import STATE_LABELS
from orgs.models import Organization, OrgKind

FLAG_CHOICES = [
    ("contact_point", "联系点"),
    ("demo_point", "示范点"),
    ("any", "联系点或示范点"),
    ("neither", "都不是"),
]


def counties() -> QuerySet[Organization]:
    return Organization.objects.active().filter(kind=OrgKind.DISTRICT).order_by("name_pinyin", "id")


def townships() -> QuerySet[Organization]:
    return Organization.objects.active().filter(kind=OrgKind.TOWNSHIP).order_by("name_pinyin", "id")


class HomeFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label="年度", method="filter_nothing", empty_label=None)
    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "名称、拼音或首字母", "type": "search"}),
    )
    county = django_filters.ModelChoiceFilter(
        label="所在区县", queryset=counties(), empty_label="全部区县", method="filter_county"
    )
    township = django_filters.ModelChoiceFilter(
        label="乡镇（街道）", queryset=townships(), empty_label="全部乡镇", method="filter_township"
    )
    state = django_filters.ChoiceFilter(
        label="建设情况", choices=list(STATE_LABELS.items()), empty_label="全部", method="filter_state"
    )
    flag = django_filters.ChoiceFilter(
        label="联系点/示范点", choices=FLAG_CHOICES, empty_label="不限", method="filter_flag"
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [(str(y), f"{y} 年度") for y in years]
        self.form.fields["county"].queryset = counties()
        self.form.fields["township"].queryset = townships()

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # the year is read by the view, which annotates the list for it

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        """The county association itself and everything located in the county."""
        return queryset.filter(Q(pk=value.pk) | Q(county=value)) if value else queryset

    def filter_township(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        """The township association and its villages."""
        return queryset.filter(Q(pk=value.pk) | Q(parent=value, kind=OrgKind.VILLAGE)) if value else queryset

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(home_state=value) if value else queryset

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "contact_point":
            return queryset.filter(contact_point=True)
        if value == "demo_point":
            return queryset.filter(demo_point=True)
        if value == "any":
            return queryset.filter(Q(contact_point=True) | Q(demo_point=True))
        if value == "neither":
            return queryset.filter(contact_point=False, demo_point=False)
        return queryset
