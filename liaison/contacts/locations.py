"""Where visits were logged (issue 21 §2): for the liaison office, the year's records with a grassroots
organisation as target, by county and township (from the targets' organisations), and how many of them carried
the device's location. A list, not a map; two queries for the groups and a page of records whatever the size."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.views import paginate
from liaison.models import ContactRecord, ContactTarget
from liaison.people.access import sees_all_records
from orgs.models import Organization, OrgKind

NO_COUNTY = "未归属区县（市级组织等）"


def _county_of_target() -> Case:
    return Case(
        When(organization__kind=OrgKind.DISTRICT, then=F("organization_id")),
        default=F("organization__county_id"),
        output_field=IntegerField(),
    )


def _township_of_target() -> Case:
    return Case(
        When(organization__kind=OrgKind.TOWNSHIP, then=F("organization_id")),
        When(organization__kind=OrgKind.VILLAGE, then=F("organization__parent_id")),
        default=None,
        output_field=IntegerField(),
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


def record_locations(request: HttpRequest) -> HttpResponse:
    if not sees_all_records(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    first, last = today.replace(year=year, month=1, day=1), today.replace(year=year, month=12, day=31)
    targets = ContactTarget.objects.filter(
        counts=True, organization__isnull=False, date__gte=first, date__lte=last
    ).annotate(county_ref=_county_of_target(), township_ref=_township_of_target())
    groups = list(
        targets.values("county_ref", "township_ref")
        .annotate(
            records=Count("record_id", distinct=True),
            located=Count("record_id", filter=Q(record__latitude__isnull=False), distinct=True),
        )
        .order_by("county_ref", "township_ref")
    )
    ids = {g["county_ref"] for g in groups} | {g["township_ref"] for g in groups}
    names = dict(Organization.objects.filter(pk__in=ids - {None}).values_list("pk", "name"))
    for g in groups:
        g["county"] = names.get(g["county_ref"], NO_COUNTY)
        g["township"] = names.get(g["township_ref"], "")
    groups.sort(key=lambda g: (g["county_ref"] is None, g["county"], g["township"]))

    county, township = _int(request.GET.get("county")), _int(request.GET.get("township"))
    only_located = request.GET.get("located") == "1"
    page, chosen = None, ""
    if county is not None or township is not None:
        chosen_targets = targets
        if county == 0:  # the row of targets under no county (city-level societies, enterprises …)
            chosen_targets = chosen_targets.filter(county_ref__isnull=True)
        elif county is not None:
            chosen_targets = chosen_targets.filter(county_ref=county)
        if township == 0:  # the county's own row: targets in no township (the county association itself …)
            chosen_targets = chosen_targets.filter(township_ref__isnull=True)
        elif township is not None:
            chosen_targets = chosen_targets.filter(township_ref=township)
        records = ContactRecord.objects.completed().filter(pk__in=chosen_targets.values("record_id"))
        if only_located:
            records = records.filter(latitude__isnull=False)
        page = paginate(request, records.for_list())
        chosen_names = Organization.objects.filter(pk__in=[county, township]).values_list("name", flat=True)
        chosen = " · ".join([NO_COUNTY] * (county == 0) + list(chosen_names))
    return render(
        request,
        "liaison/contacts/record_locations.html",
        {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "groups": groups,
            "page": page,
            "chosen": chosen,
            "county": county,
            "township": township,
            "only_located": only_located,
        },
    )
