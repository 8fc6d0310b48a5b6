from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from common.filters import RegistryFilterSet
from orgs.models import Organization, OrgKind


class OrganizationFilter(RegistryFilterSet):
    kind = django_filters.ChoiceFilter(label="类别", choices=OrgKind.choices, empty_label="全部类别")
    county = django_filters.ModelChoiceFilter(
        label="上级/区县",
        queryset=Organization.objects.filter(kind=OrgKind.DISTRICT).order_by("name_pinyin"),
        method="filter_county",
        empty_label="全部区县",
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_county(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        """A county's own association, everything located in it, and its direct children."""
        return queryset.filter(Q(pk=value.pk) | Q(county=value) | Q(parent=value))
