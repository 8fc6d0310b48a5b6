"""The home's section on the organisation's page (orgs.signals.organization_page_sections; connected in
homes/apps.py): this year's checklist state, 联系点 / 示范点, a link to the home."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from homes import status
from homes.models import HomeCheck, Point
from orgs.models import Organization


def organization_home_section(sender, request: HttpRequest, organization: Organization, **kwargs) -> str:
    if not status.can_have_home(organization) or not request.user.has_perm("homes.view_home", organization):
        return ""
    year = timezone.localdate().year
    state = status.with_home_state(Organization.objects.filter(pk=organization.pk), year).get()
    done = set(
        HomeCheck.objects.filter(organization=organization, year=year, done=True).values_list(
            "point", flat=True
        )
    )
    return render_to_string(
        "homes/_organization_section.html",
        {
            "organization": organization,
            "year": year,
            "state": state,
            "state_label": status.STATE_LABELS[state.home_state],
            "state_badge": status.STATE_BADGES[state.home_state],
            "point_count": status.POINT_COUNT,
            "ticks": [(p, p in done) for p in Point],
        },
        request=request,
    )
