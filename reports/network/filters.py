"""The filters of the network's lists: scientists (by links, talent category, organisation, county) and
organisations (the filing overview: kind, county, state; the blank spots: county, kind, gap)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from common.limits import parse_id
from experts.filters import ScientistFilter
from liaison.models import FILING_KINDS
from orgs.models import Organization, OrgKind
from reports.network.filings import GAP_LABELS, NOT_IN_FORCE, STATE_LABELS
from reports.network.links import COUNT_BUCKETS, LAYER_COMBINATIONS

LINK_CHOICES = [(b, "无任何联系" if b == "0" else f"{b} 个联系") for b in COUNT_BUCKETS]
LAYER_CHOICES = [(c, f"仅{c}" if len(c) == 1 else c) for c in LAYER_COMBINATIONS]


def counties() -> QuerySet[Organization]:
    return Organization.objects.active().filter(kind=OrgKind.DISTRICT).order_by("name_pinyin", "id")


class CountyFilter(django_filters.ModelChoiceFilter):
    """所在区县: the county itself or anything located in it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", "所在区县")
        kwargs.setdefault("queryset", counties())
        kwargs.setdefault("empty_label", "全部区县")
        super().__init__(*args, **kwargs)


class NetworkScientistFilter(ScientistFilter):
    """The registry's filter plus the network's: how many links, which layers, the county. Neither links nor
    layers asked: the scientists with no link (the list the network page sends people to first)."""

    links = django_filters.ChoiceFilter(
        label="联系数", choices=LINK_CHOICES, empty_label="不限", method="filter_nothing"
    )
    layers = django_filters.ChoiceFilter(
        label="联系层级", choices=LAYER_CHOICES, empty_label="不限", method="filter_nothing"
    )
    county = CountyFilter(method="filter_county")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("discipline", "academician", "birthday", "active"):
            self.filters.pop(name, None)  # the network counts active scientists only
            self.form.fields.pop(name, None)

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # read by the view, which picks the scientists the count is of

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(Q(organization=value) | Q(organization__county=value)) if value else queryset


class FilingOverviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": "名称、拼音或首字母", "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label="类别", choices=[(k.value, k.label) for k in FILING_KINDS], empty_label="全部类别"
    )
    county = CountyFilter(method="filter_county")
    state = django_filters.ChoiceFilter(
        label="备案状态",
        choices=[*STATE_LABELS.items(), (NOT_IN_FORCE, "无生效备案（应提醒）")],
        empty_label="全部状态",
        method="filter_state",
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(Q(pk=value.pk) | Q(county=value)) if value else queryset

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NOT_IN_FORCE:
            return queryset.filter(in_force_pk__isnull=True)
        return queryset.filter(filing_state=value) if value else queryset


class BlankSpotFilter(django_filters.FilterSet):
    county = CountyFilter(method="filter_county")
    kind = django_filters.ChoiceFilter(
        label="层级",
        choices=[
            (OrgKind.TOWNSHIP.value, OrgKind.TOWNSHIP.label),
            (OrgKind.VILLAGE.value, OrgKind.VILLAGE.label),
        ],
        empty_label="乡镇和村",
    )
    township = django_filters.CharFilter(method="filter_township", widget=forms.HiddenInput)
    gap = django_filters.ChoiceFilter(
        label="空白点", choices=list(GAP_LABELS.items()), empty_label="无备案或无联系", method="filter_gap"
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(county=value) if value else queryset

    def filter_township(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        pk = parse_id(value)
        return queryset.filter(Q(pk=pk) | Q(parent_id=pk)) if pk is not None else queryset

    def filter_gap(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied always, in the view (an empty choice means either gap)


def gap_of(filterset: BlankSpotFilter) -> str:
    return (
        filterset.form.cleaned_data.get("gap", "") if filterset.is_bound and filterset.form.is_valid() else ""
    )
