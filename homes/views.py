"""Pages of the homes (科技工作者之家, seed 002).

Everyone who works here reads ("homes.view_homes"); the liaison office and admin fill in any checklist and
name 联系点 / 示范点; a grassroots account opens and fills in only its own organisation's home (homes/rules.py).
Refusals: not allowed to see → 403 for a working account, 404 for a grassroots account asking for another
organisation; allowed to read only → 403 on every change; wrong method → 405.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.actors import actor_name
from common.files import serve_upload
from common.limits import parse_id
from common.views import paginate
from common.xlsx_writer import XlsxWriter
from homes import services, status
from homes.filters import HomeFilter
from homes.forms import CheckForm, DesignationForm, WithdrawForm
from homes.models import FIRST_YEAR, POINT_HINTS, HomeCheck, HomeDesignation, HomeEvidence, Point
from liaison.people.access import Role, role_of
from orgs.models import Organization

VIEW_ALL = "homes.view_homes"
VIEW_ONE = "homes.view_home"
FILL = "homes.fill_checklist"
DESIGNATE = "homes.manage_designations"


# --- years ------------------------------------------------------------------------------------------------


def years_shown(year: int) -> list[int]:
    """The years a page offers: this year and last, every year with a checklist, and the year shown."""
    this_year = timezone.localdate().year
    stored = set(HomeCheck.objects.order_by().values_list("year", flat=True).distinct())
    return sorted({this_year, this_year - 1, year, *stored}, reverse=True)


def year_of(request: HttpRequest) -> int:
    """?year=, default this year; a year that is no number or out of range is a 404."""
    text = request.GET.get("year", "")
    if not text:
        return timezone.localdate().year
    year = parse_id(text)
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


def editable_year(year: int) -> int:
    """A checklist is filled in for this year or an earlier one, never a year to come."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


# --- access -----------------------------------------------------------------------------------------------


def get_home_for_user(request: HttpRequest, pk: int) -> Organization:
    """The organisation whose home the user may see: 404 for an organisation that can have no home and for a
    grassroots account's look at another organisation, 403 for an account that sees no homes at all."""
    organization = get_object_or_404(Organization.objects.select_related("county", "parent"), pk=pk)
    if not status.can_have_home(organization):
        raise Http404
    if not request.user.has_perm(VIEW_ONE, organization):
        if role_of(request.user) == Role.GRASSROOTS:
            raise Http404
        raise PermissionDenied
    return organization


def get_home_for_filling(request: HttpRequest, pk: int) -> Organization:
    organization = get_home_for_user(request, pk)
    if not request.user.has_perm(FILL, organization):
        raise PermissionDenied
    return organization


# --- the list, its export and the roll-up ----------------------------------------------------------------


def _filtered(request: HttpRequest, year: int) -> HomeFilter:
    rows = status.with_home_state(status.home_organizations(), year).select_related("county", "parent")
    return HomeFilter(
        request.GET, queryset=rows.order_by(status.kind_rank(), "name_pinyin", "id"), years=years_shown(year)
    )


def done_points(organization_ids: list[int], year: int) -> dict[int, dict[str, HomeCheck]]:
    """The done points of the organisations in `year`, by organisation and point (one query)."""
    found: dict[int, dict[str, HomeCheck]] = defaultdict(dict)
    for check in HomeCheck.objects.filter(organization_id__in=organization_ids, year=year, done=True).only(
        "organization_id", "point", "date"
    ):
        found[check.organization_id][check.point] = check
    return found


@require_GET
@permission_required(VIEW_ALL, raise_exception=True)
def home_list(request: HttpRequest) -> HttpResponse:
    """Every association with the year's checklist: five ticks, 已建成 or n/5, 联系点 / 示范点."""
    year = year_of(request)
    filterset = _filtered(request, year)
    counts = status.state_counts(filterset.qs)
    page = paginate(request, filterset.qs)
    points = done_points([o.pk for o in page.object_list], year)
    for o in page.object_list:
        o.ticks = [(p, p in points.get(o.pk, {})) for p in Point]
        o.state_label = status.STATE_LABELS[o.home_state]
        o.state_badge = status.STATE_BADGES[o.home_state]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "homes/home_list.html",
        {
            "year": year,
            "filter": filterset,
            "page": page,
            "counts": [(s, status.STATE_LABELS[s], n) for s, n in counts.items()],
            "total": sum(counts.values()),
            "points": list(Point),
            "point_count": status.POINT_COUNT,
            "export_query": query.urlencode(),
        },
    )


EXPORT_HEADERS = [
    "组织名称",
    "类别",
    "所在区县",
    "上级组织",
    *(f"{p.label}（日期）" for p in Point),
    "已到位项数",
    "建设情况",
    "联系点",
    "示范点",
]
EXPORT_WIDTHS = [36, 22, 18, 24, *([14] * len(Point)), 10, 10, 8, 8]


def export_rows(organizations, year: int):
    """The export's rows, read through the same functions as the list (its filters applied)."""
    organizations = list(organizations)
    points = done_points([o.pk for o in organizations], year)
    for o in organizations:
        done = points.get(o.pk, {})
        yield [
            o.name,
            o.get_kind_display(),
            o.county.name if o.county_id else (o.name if o.kind == "district" else ""),
            o.parent.name if o.parent_id else "",
            *(done[p].date if p in done else "" for p in Point),
            o.points_done,
            status.STATE_LABELS[o.home_state],
            "是" if o.contact_point else "",
            "是" if o.demo_point else "",
        ]


@require_GET
@permission_required(VIEW_ALL, raise_exception=True)
def home_export(request: HttpRequest) -> FileResponse:
    """The list as .xlsx, with the list's filters."""
    year = year_of(request)
    filterset = _filtered(request, year)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    with XlsxWriter(handle) as book:
        book.add_sheet(
            f"{year}年度科技工作者之家", EXPORT_HEADERS, export_rows(filterset.qs, year), EXPORT_WIDTHS
        )
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{year}年度科技工作者之家_{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
@permission_required(VIEW_ALL, raise_exception=True)
def home_rollup(request: HttpRequest) -> HttpResponse:
    """County → township → village: associations, complete homes, 联系点, 示范点 (villages are opened as the
    list filtered by their township)."""
    year = year_of(request)
    rows, total = status.rollup(year)
    return render(
        request,
        "homes/home_rollup.html",
        {
            "year": year,
            "years": years_shown(year),
            "rows": rows,
            "total": total,
            "list_url": reverse("homes:list"),
        },
    )


# --- one organisation's home -----------------------------------------------------------------------------


@require_GET
def organization_home(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist of the year (each point with its date, note and evidence) and the designation history."""
    organization = get_home_for_user(request, pk)
    year = year_of(request)
    state = status.with_home_state(Organization.objects.filter(pk=organization.pk), year).get()
    checks = {
        c.point: c
        for c in HomeCheck.objects.filter(organization=organization, year=year)
        .select_related("checked_by__staff")
        .prefetch_related(Prefetch("evidence", queryset=HomeEvidence.objects.order_by("id")))
    }
    for c in checks.values():
        c.checked_by_name = actor_name(c.checked_by) if c.checked_by_id else ""
    items = [(p, POINT_HINTS[p], checks.get(p)) for p in Point]
    designations = list(
        HomeDesignation.objects.filter(organization=organization).order_by("kind", "-year_named")
    )
    for d in designations:
        d.standing = d.year_withdrawn is None
        d.now = d.in_force(year)
    can_designate = request.user.has_perm(DESIGNATE)
    return render(
        request,
        "homes/organization_home.html",
        {
            "organization": organization,
            "year": year,
            "years": years_shown(year),
            "state": state,
            "state_label": status.STATE_LABELS[state.home_state],
            "state_badge": status.STATE_BADGES[state.home_state],
            "point_count": status.POINT_COUNT,
            "items": items,
            "designations": designations,
            "can_fill": request.user.has_perm(FILL, organization) and year <= timezone.localdate().year,
            "can_designate": can_designate,
            "designation_form": DesignationForm() if can_designate else None,
            "withdraw_form": WithdrawForm(initial={"year": timezone.localdate().year})
            if can_designate
            else None,
            "sees_list": request.user.has_perm(VIEW_ALL),
        },
    )


def home_url(organization: Organization, year: int) -> str:
    return f"{reverse('homes:organization', args=[organization.pk])}?year={year}"


@require_http_methods(["GET", "POST"])
def check_edit(request: HttpRequest, pk: int, year: int, point: str) -> HttpResponse:
    """One point of the checklist: done, date, note, evidence; guarded against a save on a stale copy."""
    organization = get_home_for_filling(request, pk)
    year = editable_year(year)
    if point not in Point.values:
        raise Http404
    check = HomeCheck.objects.filter(organization=organization, year=year, point=point).first()
    if check is None:
        check = HomeCheck(organization=organization, year=year, point=point)
    form = CheckForm(request.POST or None, request.FILES or None, instance=check)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.claim():
                    services.check_save(
                        check=form.instance, files=form.cleaned_data["evidence"], by=request.user
                    )
                    messages.success(request, f"已保存“{Point(point).label}”。")
                    return redirect(home_url(organization, year))
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except IntegrityError:
            # two first saves of the same point at once: the other one was stored first
            form.add_error(
                None, "保存未成功：这一项刚刚已由其他人填写。您填写的内容仍在下面，请刷新页面核对后再保存。"
            )
    evidence = list(check.evidence.all()) if check.pk else []
    return render(
        request,
        "homes/check_form.html",
        {
            "organization": organization,
            "year": year,
            "point": Point(point),
            "hint": POINT_HINTS[Point(point)],
            "form": form,
            "check": check,
            "evidence": evidence,
        },
    )


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the home (never from a public media URL); as a download,
    or a photo of a safe type shown under a sandbox (common/files.py)."""
    evidence = get_object_or_404(HomeEvidence.objects.select_related("home_check"), pk=pk)
    get_home_for_user(request, evidence.home_check.organization_id)
    return serve_upload(
        evidence.file.open("rb"), stored_type=evidence.content_type, filename=evidence.original_name
    )


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(HomeEvidence.objects.select_related("home_check"), pk=pk)
    check = evidence.home_check
    organization = get_home_for_filling(request, check.organization_id)
    if check.year > timezone.localdate().year:
        raise Http404
    services.evidence_delete(evidence=evidence, by=request.user)
    messages.success(request, f"已删除佐证材料“{evidence.original_name}”。")
    return redirect(reverse("homes:check_edit", args=[organization.pk, check.year, check.point]))


@require_POST
def designation_add(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_home_for_user(request, pk)
    if not request.user.has_perm(DESIGNATE):
        raise PermissionDenied
    form = DesignationForm(request.POST)
    if form.is_valid():
        try:
            d = services.designation_name(
                organization=organization,
                kind=form.cleaned_data["kind"],
                year_named=form.cleaned_data["year_named"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已命名为{d.get_kind_display()}（{d.year_named} 年）。")
    else:
        messages.error(
            request, "命名未保存：" + "；".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect(home_url(organization, timezone.localdate().year))


@require_POST
def designation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_object_or_404(HomeDesignation, pk=pk)
    organization = get_home_for_user(request, designation.organization_id)
    if not request.user.has_perm(DESIGNATE):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.designation_withdraw(
                designation=designation, year=form.cleaned_data["year"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request, f"已撤销{designation.get_kind_display()}（自 {form.cleaned_data['year']} 年起）。"
            )
    else:
        messages.error(
            request, "撤销未保存：" + "；".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect(home_url(organization, timezone.localdate().year))
