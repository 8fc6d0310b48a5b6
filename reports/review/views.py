"""The year-end review page (年度考评) and its JSON: the liaison office and leadership."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from common.limits import parse_id
from common.views import paginate
from liaison.compliance import team_figures
from liaison.models import TeamKind, Year
from liaison.plan import services as plans
from reports.review.services import build_review, review_rows, with_leads

VIEW_REVIEW = "reports.view_review"
FILTERS = {"": "全部", "leader": "领导专班", "department": "部室专班", "short": "未达标"}
# Cards per page: a city's teams fit on one or two pages; a province's 2,000 are paged.
TEAMS_PER_PAGE = 20


def get_year(year: int) -> Year:
    return get_object_or_404(Year, year=year)


# Not in the request's transaction: refreshing stored figures takes row locks (liaison/compliance/team_figures.py)
# that would otherwise be held until the page is rendered, queueing every other page and write on them.
@transaction.non_atomic_requests
@require_GET
@permission_required(VIEW_REVIEW, raise_exception=True)
def review(request: HttpRequest, year: int) -> HttpResponse:
    """Per team: each category's assigned/contacted/min/max, grassroots visits, targets never contacted, open
    demands, compliant or not, and the shortfalls (reports/review/services.py, the same as `manage.py review`)."""
    the_year = get_year(year)
    team_figures.refresh(the_year)
    stored = team_figures.of_year(the_year)
    summary = stored.aggregate(
        total=Count("team"),
        compliant=Count("team", filter=Q(compliant=True)),
        never_contacted=Sum("uncontacted"),
        visits_short=Count("team", filter=Q(visits_short=True)),
        open_demands=Sum("open_demands"),
    )
    show = request.GET.get("show", "")
    team = request.GET.get("team", "")
    team_pk = parse_id(team)
    if team_pk is not None:  # one team, as the dashboard links to it
        show, shown = "", stored.filter(team_id=team_pk)
    elif show in TeamKind.values:
        shown = stored.filter(team__kind=show)
    elif show == "short":
        shown = stored.filter(compliant=False)
    else:
        show, shown = "", stored
    ids = shown.order_by(*team_figures.IN_YEAR_ORDER).values_list("team_id", flat=True)
    page = paginate(request, ids, TEAMS_PER_PAGE)
    page.object_list = with_leads(review_rows(the_year, list(page.object_list), names=True))
    return render(
        request,
        "reports/review/review.html",
        {
            "year": the_year,
            "page": page,
            "one_team": team_pk is not None,
            "total": summary["total"],
            "compliant": summary["compliant"],
            "never_contacted": summary["never_contacted"] or 0,
            "visits_short": summary["visits_short"],
            "open_demands": summary["open_demands"] or 0,
            "show": show,
            "filters": FILTERS.items(),
            "leads_without_team": plans.leads_without_team(the_year),
        },
    )


@transaction.non_atomic_requests  # as review
@require_GET
@permission_required(VIEW_REVIEW, raise_exception=True)
def review_json(request: HttpRequest, year: int) -> JsonResponse:
    """The same review as `manage.py review YEAR --json` (docs/workbook.md), as a download."""
    the_year = get_year(year)
    response = JsonResponse(
        build_review(the_year),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="review-{the_year.year}.json"'
    return response
