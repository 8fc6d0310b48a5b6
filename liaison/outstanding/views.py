"""已分配未联系 and 超过联系间隔未联系: the targets behind the figures, filterable by team and category, paged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from common.limits import parse_id
from common.views import page_of_ids
from liaison.models import Assignment, Team, Year
from liaison.outstanding import services
from liaison.people.access import sees_all_records, staff_of, team_ids_of


def _visible_team_ids(request: HttpRequest, year: Year) -> list[int] | None:
    """None: every team of the year (leadership, the liaison office, admin); else the user's teams of the
    year. Refused to accounts without a staff record (grassroots, the three administrators, nobody)."""
    if sees_all_records(request.user):
        return None
    if staff_of(request.user) is None:
        raise PermissionDenied
    return list(Team.objects.filter(year=year, pk__in=team_ids_of(request.user)).values_list("pk", flat=True))


# Not in the request's transaction, as every page that refreshes stored figures (liaison/plan/views.py).
@transaction.non_atomic_requests
def target_list(request: HttpRequest, year: int, which: str) -> HttpResponse:
    listing = services.LISTS.get(which)
    if listing is None:
        raise Http404
    the_year = get_object_or_404(Year, year=year)
    visible = _visible_team_ids(request, the_year)
    errors = []
    team = None
    raw_team = request.GET.get("team", "").strip()
    if raw_team:
        team_id = parse_id(raw_team)
        if team_id is None:
            errors.append("专班参数无效，已显示全部专班。")
        else:
            team = get_object_or_404(Team.objects.select_related("lead"), pk=team_id, year=the_year)
            if visible is not None and team.pk not in visible:
                raise PermissionDenied
    category = request.GET.get("category", "")
    if category and category not in dict(services.category_choices()):
        errors.append("联系类别无效，已显示全部类别。")
        category = ""
    team_ids = [team.pk] if team is not None else visible
    by_team = services.figure_by_team(which, the_year, visible)
    # The page's ids and the total from one query, then those rows with what the list shows: the list's
    # filter is a few thousand stored ids (~3,900 for the whole year at N = 100,000), sent once, not three times
    ordered = services.for_list(services.assignments(which, the_year, team_ids), category, shown=False)
    page = page_of_ids(request, ordered, rows=services.for_list(Assignment.objects.all()))
    return render(
        request,
        "liaison/outstanding/target_list.html",
        {
            "year": the_year,
            "listing": listing,
            "lists": services.LISTS.values(),
            "page": page,
            "team": team,
            "category": category,
            "categories": services.category_choices(),
            "by_team": by_team,
            "figure": sum(row["n"] for row in by_team if team is None or row["team_id"] == team.pk),
            "errors": errors,
            "own_teams_only": visible is not None,
        },
    )
