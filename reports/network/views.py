"""The network pages (点、线、面) and the office's year overview of filings: the liaison office, leadership and
admin ("reports.view_network"); the reminder emails: the office and admin ("reports.send_filing_reminders").
Every count opens the list behind it, read through the same functions (reports/network/links.py, filings.py)."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.limits import parse_id
from common.personal_data import Kind, Person
from common.views import page_of_ids, paginate
from common.xlsx_writer import XlsxWriter
from experts.models import Scientist
from liaison.models import FILING_KINDS, Year
from liaison.privacy import log as privacy_log
from liaison.privacy.rule import contact_visible_ids
from orgs.models import Organization, OrgKind
from reports.network import filings, links
from reports.network.filters import BlankSpotFilter, FilingOverviewFilter, NetworkScientistFilter, gap_of

VIEW_NETWORK = "reports.view_network"
SEND_REMINDERS = "reports.send_filing_reminders"
# The confirmation step names at most this many organisations without an address (the export has them all).
NAMED_UNREACHABLE = 100


def get_year(year: int) -> Year:
    return get_object_or_404(Year, year=year)


def _years() -> list[int]:
    return list(Year.objects.order_by("-year").values_list("year", flat=True))


@require_GET
@permission_required(VIEW_NETWORK, raise_exception=True)
def network(request: HttpRequest, year: int) -> HttpResponse:
    """The year's network: scientists by number of links and by layers, organisations with no filing in force,
    and seed 004's blank spots per county (or, for one county, per township)."""
    the_year = get_year(year)
    summary = links.summarize(the_year)
    without_filing = filings.not_in_force(the_year)
    by_kind = dict(without_filing.order_by().values_list("kind").annotate(n=Count("id")))
    county = None
    county_pk = parse_id(request.GET.get("county", ""))
    if county_pk is not None:
        county = get_object_or_404(Organization, pk=county_pk, kind=OrgKind.DISTRICT)
    return render(
        request,
        "reports/network/network.html",
        {
            "year": the_year,
            "years": _years(),
            "summary": summary,
            "buckets": [(b, summary.by_count[b]) for b in links.COUNT_BUCKETS],
            "combinations": [(c, summary.by_layers[c]) for c in links.LAYER_COMBINATIONS],
            "without_filing": sum(by_kind.values()),
            "without_filing_by_kind": [(k.value, k.label, by_kind.get(k.value, 0)) for k in FILING_KINDS],
            "county": county,
            "county_rows": None if county else filings.county_rollup(the_year),
            "township_rows": filings.township_rollup(the_year, county) if county else None,
        },
    )


@require_GET
@permission_required(VIEW_NETWORK, raise_exception=True)
def network_scientists(request: HttpRequest, year: int) -> HttpResponse:
    """The scientists behind a count: with no link (the default), with a number of links, or linked by one
    combination of layers; filterable by talent category, organisation and county."""
    the_year = get_year(year)
    filterset = NetworkScientistFilter(
        request.GET, queryset=Scientist.objects.active().select_related("organization__county")
    )
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    wanted_links, wanted_layers = data.get("links") or "", data.get("layers") or ""
    if wanted_links == "0":
        wanted_links = ""
    if not wanted_links and not wanted_layers:
        page = paginate(request, filterset.qs.exclude(links.linked_q(the_year)).order_by("name_pinyin", "id"))
        shown_links: dict[int, links.Links] = {}
    else:
        # A count of linked scientists: the same tally as the page's figure, in registry order. The tally is a
        # grouped subquery (~80 ms at N = 100,000): the page's ids and the total in one query, then those rows.
        chosen = links.linked_where(the_year, links=wanted_links, layers=wanted_layers)
        page = page_of_ids(
            request,
            filterset.qs.filter(pk__in=chosen).order_by("name_pinyin", "id"),
            rows=Scientist.objects.select_related("organization__county"),
        )
        shown_links = links.links_by_scientist(the_year, [s.pk for s in page.object_list])
    for s in page.object_list:
        s.links = shown_links.get(s.pk)
    return render(
        request,
        "reports/network/scientists.html",
        {
            "year": the_year,
            "years": _years(),
            "filter": filterset,
            "page": page,
            "unlinked": not wanted_links and not wanted_layers,
            "wanted_links": wanted_links,
            "wanted_layers": wanted_layers,
        },
    )


@require_GET
@permission_required(VIEW_NETWORK, raise_exception=True)
def network_places(request: HttpRequest, year: int) -> HttpResponse:
    """The townships and villages behind a blank-spot count: no filing in force, no team contact, or either."""
    the_year = get_year(year)
    filterset = BlankSpotFilter(
        request.GET, queryset=filings.grassroots_places(the_year).select_related("parent", "county")
    )
    places = filings.blank_spot_filter(filterset.qs, gap_of(filterset)).order_by("kind", "name_pinyin", "id")
    page = paginate(request, places)
    return render(
        request,
        "reports/network/places.html",
        {
            "year": the_year,
            "years": _years(),
            "filter": filterset,
            "page": page,
            "gap_labels": filings.GAP_LABELS,
        },
    )


@require_GET
@permission_required(VIEW_NETWORK, raise_exception=True)
def filing_overview(request: HttpRequest, year: int) -> HttpResponse:
    """Every organisation of the filing kinds with the state of its filing for the year."""
    the_year = get_year(year)
    rows = filings.overview(the_year)
    filterset = FilingOverviewFilter(request.GET, queryset=rows)
    counts = filings.state_counts(rows)
    page = paginate(request, filterset.qs)
    for o in page.object_list:
        o.state_label = filings.STATE_LABELS[o.filing_state]
        o.state_badge = filings.STATE_BADGES[o.filing_state]
    return render(
        request,
        "reports/network/filings.html",
        {
            "year": the_year,
            "years": _years(),
            "filter": filterset,
            "page": page,
            "counts": [(state, filings.STATE_LABELS[state], n) for state, n in counts.items()],
            "total": sum(counts.values()),
            "reminded": filings.not_in_force(the_year).count(),
            "not_in_force": filings.NOT_IN_FORCE,
            "can_remind": request.user.has_perm(SEND_REMINDERS),
        },
    )


@require_GET
@permission_required(VIEW_NETWORK, raise_exception=True)
def reminder_export(request: HttpRequest, year: int) -> FileResponse:
    """The reminder list as .xlsx: organisations with no filing in force, with their contact details (masked
    for those the personal-data rule does not show them to; logged like every export of contact details)."""
    the_year = get_year(year)
    organizations = (
        filings.with_filing_state(filings.not_in_force(the_year), the_year)
        .select_related("county")
        .order_by(*filings.FILING_ORDER)
    )
    ids = list(organizations.values_list("pk", flat=True))
    visible = contact_visible_ids(request.user, Kind.ORGANIZATION, ids)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    with XlsxWriter(handle) as book:
        book.add_sheet(
            f"{the_year.year}年度未报备",
            filings.REMINDER_HEADERS,
            filings.reminder_rows(organizations, visible),
            filings.REMINDER_WIDTHS,
        )
    handle.seek(0)
    shown = (
        Organization.objects.filter(pk__in=visible)
        .exclude(contact_phone="", contact_email="")
        .order_by("name_pinyin", "pk")
        .values_list("pk", "name")
    )
    privacy_log.log_request(
        request, "reports:network_reminder_export", [Person(Kind.ORGANIZATION, pk, n) for pk, n in shown]
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{the_year.year}年度备案提醒名单_{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@transaction.non_atomic_requests  # mail goes out once, whatever happens to the request afterwards
@require_http_methods(["GET", "POST"])
@permission_required(SEND_REMINDERS, raise_exception=True)
def send_reminders(request: HttpRequest, year: int) -> HttpResponse:
    """发送提醒: GET shows how many organisations will be emailed and which have no address; POST sends."""
    the_year = get_year(year)
    if request.method == "POST":
        result = filings.send_reminders(the_year)
        if result.organizations:
            messages.success(
                request,
                f"已向 {result.organizations} 个组织发送备案提醒（{result.addresses} 个邮箱）。"
                + (f"另有 {result.unreachable} 个组织没有邮箱，请电话联系。" if result.unreachable else ""),
            )
        else:
            messages.info(request, "没有可发送提醒的组织：未报备的组织都没有登记邮箱。")
        return redirect("reports:network_filings", the_year.year)
    reachable, unreachable = filings.reminder_recipients(the_year)
    return render(
        request,
        "reports/network/remind.html",
        {
            "year": the_year,
            "years": _years(),
            "reachable": reachable,
            "addresses": sum(len(r.addresses) for r in reachable),
            "unreachable": unreachable[:NAMED_UNREACHABLE],
            "unreachable_count": len(unreachable),
        },
    )
