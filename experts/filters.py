from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone

from common.filters import PEOPLE_ACTIVE_CHOICES, RegistryFilterSet
from common.picker import PickerFilterSetMixin, PickFilter
from experts.models import Scientist, TalentCategory
from orgs.models import Organization

YES_CHOICES = [("1", "是")]


def search_organizations(organizations: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    return organizations.search(text)


class ScientistFilter(PickerFilterSetMixin, RegistryFilterSet):
    active_choices = PEOPLE_ACTIVE_CHOICES
    category = django_filters.ChoiceFilter(
        label="人才类别", choices=TalentCategory.choices, empty_label="全部类别"
    )
    organization = PickFilter(
        label="所属组织",
        queryset=Organization.objects.active().order_by("kind", "name_pinyin", "id"),
        search=search_organizations,
        noun="组织",
        empty_label="全部组织",
        placeholder="组织名称、拼音或首字母",
        detail_from_instance=lambda o: o.get_kind_display(),
        suggest_url=reverse_lazy("experts:filter_suggest", args=["organization"]),
    )
    discipline = django_filters.CharFilter(label="学科领域", lookup_expr="icontains")
    academician = django_filters.ChoiceFilter(
        label="院士", choices=YES_CHOICES, method="filter_academician", empty_label="不限"
    )
    birthday = django_filters.ChoiceFilter(
        label="生日", choices=[("month", "本月生日")], method="filter_birthday", empty_label="不限"
    )

    class Meta:
        model = Scientist
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["q"].field.widget.attrs["placeholder"] = "姓名、拼音或首字母"

    def filter_academician(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(category=TalentCategory.ACADEMICIAN) if value == "1" else queryset

    def filter_birthday(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.born_in_month(timezone.localdate().month) if value == "month" else queryset
