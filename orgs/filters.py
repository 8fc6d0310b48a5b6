from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy

from common.filters import RegistryFilterSet
from common.picker import Picked, PickerFilterSetMixin, PickFilter
from orgs.models import Organization, OrgKind


def search_organizations(organizations: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    return organizations.search(text)


class OrganizationFilter(PickerFilterSetMixin, RegistryFilterSet):
    kind = django_filters.ChoiceFilter(label="类别", choices=OrgKind.choices, empty_label="全部类别")
    # A province has about a hundred county associations: picked by typing once there are more than 50.
    county = PickFilter(
        label="上级/区县",
        queryset=Organization.objects.filter(kind=OrgKind.DISTRICT).order_by("name_pinyin", "id"),
        search=search_organizations,
        method="filter_county",
        noun="区县",
        empty_label="全部区县",
        placeholder="区县名称、拼音或首字母",
        suggest_url=reverse_lazy("orgs:filter_suggest", args=["county"]),
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_county(self, queryset: QuerySet, name: str, value: Picked | None) -> QuerySet:
        """A county's own association, everything located in it, and its direct children (of every county
        the typed text matches, when none is picked)."""
        if not value:
            return queryset
        if value.obj is not None:
            return queryset.filter(Q(pk=value.obj.pk) | Q(county=value.obj) | Q(parent=value.obj))
        counties = value.matches.values("pk")
        return queryset.filter(Q(pk__in=counties) | Q(county__in=counties) | Q(parent__in=counties))
