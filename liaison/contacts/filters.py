"""Filters of the contact-record and demand lists (GET parameters, so a filtered list can be bookmarked)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone

from common.picker import PickerFilterSetMixin, PickFilter
from common.pinyin import normalize_query, search_by_name
from liaison.compliance import figures
from liaison.models import (
    OPEN_DEMAND_STATUSES,
    ContactMethod,
    ContactRecord,
    Demand,
    DemandKind,
    DemandStatus,
    Staff,
    Team,
    Topic,
    Year,
)


def team_label(team: Team) -> str:
    return f"{team.year.year} · {team.name}"


def search_teams(teams: QuerySet[Team], text: str) -> QuerySet[Team]:
    return teams.search(text)


def search_staff(staff: QuerySet[Staff], text: str) -> QuerySet[Staff]:
    return search_by_name(staff, text)


def staff_detail(staff: Staff) -> str:
    return staff.department.name if staff.department else staff.get_position_display()


def team_picker(suggest: str, *, filter_class: type[PickFilter] = PickFilter, **kwargs) -> PickFilter:
    """专班 picked by typing; the page narrows the rows to the teams the user may see (set_picker_queryset)."""
    return filter_class(
        label="专班",
        queryset=Team.objects.none(),
        search=search_teams,
        noun="专班",
        empty_label="全部专班",
        placeholder="专班、负责人姓名或拼音",
        label_from_instance=team_label,
        detail_from_instance=lambda t: t.get_kind_display(),
        suggest_url=reverse_lazy(f"liaison:{suggest}", args=["team"]),
        **kwargs,
    )


def staff_picker(suggest: str, *, label: str, name: str, **kwargs) -> PickFilter:
    """An active staff member picked by typing (name, pinyin, initials), shown with their department."""
    return PickFilter(
        label=label,
        queryset=Staff.objects.active().select_related("department"),
        search=search_staff,
        noun="人员",
        empty_label="全部人员",
        placeholder="姓名、拼音或首字母",
        detail_from_instance=staff_detail,
        suggest_url=reverse_lazy(f"liaison:{suggest}", args=[name]),
        **kwargs,
    )


class RecordFilter(PickerFilterSetMixin, django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
        label="年度",
        queryset=Year.objects.all(),
        to_field_name="year",
        field_name="team__year",
        empty_label="全部年度",
    )
    team = team_picker("record_filter_suggest")
    method = django_filters.ChoiceFilter(
        label="联系方式", choices=ContactMethod.choices, empty_label="全部方式"
    )
    target = django_filters.CharFilter(
        label="联系对象",
        method="filter_target",
        widget=forms.TextInput(attrs={"placeholder": "名称、姓名或拼音", "type": "search"}),
    )
    participant = staff_picker(
        "record_filter_suggest", label="参加人员", name="participant", field_name="participants"
    )
    date_from = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    grassroots = django_filters.ChoiceFilter(
        label="下基层", choices=[("1", "是"), ("0", "否")], method="filter_grassroots", empty_label="不限"
    )

    class Meta:
        model = ContactRecord
        fields: list[str] = []

    def __init__(self, data=None, *args, teams=None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        if teams is not None:
            self.set_picker_queryset("team", teams)

    def filter_target(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        latin = normalize_query(text)
        condition = Q(targets__organization__name__icontains=text) | Q(
            targets__scientist__name__icontains=text
        )
        if latin.isascii() and latin.isalnum():
            for field in ("organization", "scientist"):
                condition |= Q(**{f"targets__{field}__name_pinyin__icontains": latin})
                condition |= Q(**{f"targets__{field}__name_initials__icontains": latin})
        return queryset.filter(pk__in=ContactRecord.objects.filter(condition).values("pk"))

    def filter_grassroots(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(grassroots=value == "1")


class TeamDemandsFilter(PickFilter):
    """One team's demands, with the open ones carried over from its lead's earlier teams (the figures count
    them: figures.carried_over_demands)."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        team = getattr(value, "obj", None)
        if team is None:
            return super().filter(qs, value)
        carried = Q(
            status__in=OPEN_DEMAND_STATUSES,
            record__team__lead_id=team.lead_id,
            record__team__year__year__lt=team.year.year,
        )
        return qs.filter(Q(record__team=team) | carried)


class DemandFilter(PickerFilterSetMixin, django_filters.FilterSet):
    # The dashboard's demand figures open these lists: 年度 is what the year's figures count (raised in the
    # year, plus the open ones carried over into it), 提出年度 only those raised in it (诉求热点).
    year = django_filters.ModelChoiceFilter(
        label="年度",
        queryset=Year.objects.all(),
        to_field_name="year",
        method="filter_year",
        empty_label="全部年度",
        help_text="含上年结转、仍未办结的诉求",
    )
    raised = django_filters.ModelChoiceFilter(
        label="提出年度",
        queryset=Year.objects.all(),
        to_field_name="year",
        method="filter_raised",
        empty_label="全部",
    )
    topic = django_filters.ChoiceFilter(
        label="联系内容", choices=Topic.choices, method="filter_topic", empty_label="全部内容"
    )
    kind = django_filters.ChoiceFilter(label="类别", choices=DemandKind.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="状态", choices=DemandStatus.choices, empty_label="全部状态")
    state = django_filters.ChoiceFilter(
        label="办理情况",
        choices=[("open", "未办结"), ("overdue", "已超期"), ("closed", "已办结/无法办理")],
        method="filter_state",
        empty_label="不限",
    )
    handler = staff_picker("demand_filter_suggest", label="承办人", name="handler")
    team = team_picker("demand_filter_suggest", field_name="record__team", filter_class=TeamDemandsFilter)

    class Meta:
        model = Demand
        fields: list[str] = []

    def __init__(self, data=None, *args, teams=None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        if teams is not None:
            self.set_picker_queryset("team", teams)

    def filter_year(self, queryset: QuerySet, name: str, value: Year) -> QuerySet:
        return figures.demands_of_year(value, queryset)

    def filter_raised(self, queryset: QuerySet, name: str, value: Year) -> QuerySet:
        return figures.raised_in(value, queryset)

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(figures.on_topic(value))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(timezone.localdate())
        if value == "closed":
            return queryset.exclude(status__in=OPEN_DEMAND_STATUSES)
        return queryset
