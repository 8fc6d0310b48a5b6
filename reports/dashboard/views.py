"""The leadership dashboard page."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homes import status as homes
from liaison.models import Year
from reports.dashboard.services import SORT_KEYS, build_dashboard, hot_topics, latest_demands


# Not in the request's transaction: refreshing stored figures takes row locks (liaison/compliance/team_figures.py)
# that would otherwise be held until the page is rendered, queueing every other page and write on them.
@transaction.non_atomic_requests
@permission_required("reports.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = list(Year.objects.order_by("-year"))
    wanted = request.GET.get("year", "")
    if wanted:
        year = next((y for y in years if str(y.year) == wanted), None)
        if year is None:
            raise Http404
    else:
        year = next((y for y in years if y.year == today.year), years[0] if years else None)
    if year is None:
        return render(request, "reports/dashboard/dashboard.html", {"board": None, "years": years})
    board = build_dashboard(year, today)
    sort, page = board.team_page(request.GET.get("sort", ""), request.GET.get("page"))
    columns = [
        {
            "key": key,
            "label": label,
            "sort": f"-{key}" if sort == key else key,
            "current": sort.removeprefix("-") == key,
            "descending": sort == f"-{key}",
        }
        for key, (label, _) in SORT_KEYS.items()
    ]
    return render(
        request,
        "reports/dashboard/dashboard.html",
        {
            "board": board,
            "years": years,
            "year": year,
            "page": page,
            "sort": sort,
            "columns": columns,
            "charts": board.chart_data(list(page.object_list)),
            "latest": latest_demands(year),
            "hot": hot_topics(year, board.raised),
            "homes": homes.summary(year.year),
        },
    )
