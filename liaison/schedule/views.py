"""Pages of planned contacts (工作计划): a team's plan, its add/edit/cancel, the month calendars of a team
and of a person, and the plan as .xlsx and .ics."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.views import paginate
from liaison.models import CalendarFeed, PlannedContact, PlanStatus, Staff, Team, overdue_condition
from liaison.people.access import staff_of
from liaison.schedule import calendar, exports
from liaison.schedule import services as schedule
from liaison.schedule.forms import PlannedContactForm

ICS_TYPE = "text/calendar; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWS = {"open": "计划中", "overdue": "已逾期", "done": "已完成", "cancelled": "已取消", "all": "全部"}


def _team(request: HttpRequest, pk: int) -> Team:
    """A team whose plan the user may see, or 404 (another team's id reveals nothing)."""
    team = get_object_or_404(Team.objects.select_related("year", "lead"), pk=pk)
    if not schedule.can_view_team_plan(request.user, team):
        raise Http404
    return team


def _item(request: HttpRequest, pk: int) -> PlannedContact:
    item = get_object_or_404(
        PlannedContact.objects.select_related(
            "team", "team__year", "team__lead", "organization", "scientist"
        ),
        pk=pk,
    )
    if not schedule.can_view_team_plan(request.user, item.team):
        raise Http404
    return item


def _person(request: HttpRequest, pk: int) -> Staff:
    person = get_object_or_404(Staff, pk=pk)
    if not schedule.can_view_person(request.user, person):
        raise Http404
    return person


def attachment(content: bytes, filename: str, content_type: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


# --- the team's plan ---------------------------------------------------------------------------------------


def team_plan(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    show = show if show in SHOWS else "open"
    items = PlannedContact.objects.filter(team=team)
    counts = items.aggregate(
        open=Count("pk", filter=Q(status=PlanStatus.PLANNED)),
        overdue=Count("pk", filter=overdue_condition(today)),
        done=Count("pk", filter=Q(status=PlanStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=PlanStatus.CANCELLED)),
    )
    counts["all"] = sum(counts[k] for k in ("open", "done", "cancelled"))
    if show == "overdue":
        items = items.filter(overdue_condition(today))
    elif show != "all":
        items = items.filter(status={"open": PlanStatus.PLANNED, "done": PlanStatus.DONE}.get(show, show))
    page = paginate(request, items.for_list())
    for item in page:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "liaison/schedule/team_plan.html",
        {
            "team": team,
            "page": page,
            "show": show,
            "show_label": SHOWS[show],
            "shows": [(key, label, counts[key]) for key, label in SHOWS.items()],
            "can_plan": schedule.can_plan_for(request.user, team),
            "today": today,
        },
    )


def _form(request: HttpRequest, team: Team, item: PlannedContact) -> PlannedContactForm:
    return PlannedContactForm(
        request.POST or None,
        instance=item,
        targets=schedule.team_targets(team),
        people=schedule.team_people(team),
        initial=_initial(request, team, item),
    )


def _initial(request: HttpRequest, team: Team, item: PlannedContact) -> dict:
    if item.pk is not None or request.method == "POST":
        return {}
    me = staff_of(request.user)
    initial: dict = {"goers": [me.pk] if me is not None else []}
    target = request.GET.get("target", "")
    if target:
        initial["target"] = target
    return initial


def plan_edit(request: HttpRequest, pk: int | None = None, team_pk: int | None = None) -> HttpResponse:
    if pk is not None:
        item = _item(request, pk)
        team = item.team
    else:
        team = _team(request, team_pk)
        item = PlannedContact(team=team)
    if not schedule.can_plan_for(request.user, team):
        raise PermissionDenied
    if item.pk is not None and item.status != PlanStatus.PLANNED:
        messages.info(request, f"该计划{item.get_status_display()}，不能再修改。")
        return redirect("liaison:team_plan", pk=team.pk)
    form = _form(request, team, item)
    if request.method == "POST" and form.is_valid():
        saved = None
        try:
            with transaction.atomic():
                if form.claim():
                    saved = schedule.plan_save(
                        item=form.save(commit=False),
                        target=form.cleaned_data["target"],
                        goers=list(form.cleaned_data["goers"]),
                        by=request.user,
                    )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        if saved is not None:
            messages.success(request, f"已保存工作计划（{saved.date:%Y-%m-%d} {saved.target_name}）。")
            return redirect(f"{reverse('liaison:team_plan', args=[team.pk])}?show=open")
    return render(request, "liaison/schedule/plan_form.html", {"form": form, "team": team, "item": item})


def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    return plan_edit(request, team_pk=pk)


@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not schedule.can_plan_for(request.user, item.team):
        raise PermissionDenied
    try:
        schedule.plan_cancel(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已取消计划（{item.date:%Y-%m-%d} {item.target_name}）。")
    return redirect("liaison:team_plan", pk=item.team_id)


# --- calendars ----------------------------------------------------------------------------------------------


def _calendar(request: HttpRequest, items, default: datetime.date) -> calendar.Month:
    today = timezone.localdate()
    month = calendar.month_grid(calendar.parse_month(request.GET.get("month"), default), today)
    start, end = month.span
    return calendar.fill(month, items.filter(date__gte=start, date__lte=end).for_list(), today)


def team_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    today = timezone.localdate()
    default = today if today.year == team.year.year else team.year.first_day
    month = _calendar(request, PlannedContact.objects.filter(team=team), default)
    return render(
        request,
        "liaison/schedule/calendar.html",
        {
            "team": team,
            "month": month,
            "title": f"{team.name} · 工作计划日历",
            "can_plan": schedule.can_plan_for(request.user, team),
            "ics_url": reverse("liaison:team_plan_ics", args=[team.pk]),
            "page_url": reverse("liaison:team_calendar", args=[team.pk]),
        },
    )


def my_calendar(request: HttpRequest) -> HttpResponse:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return person_calendar(request, me.pk)


def person_calendar(request: HttpRequest, pk: int, extra: dict | None = None) -> HttpResponse:
    person = _person(request, pk)
    month = _calendar(request, PlannedContact.objects.filter(goers=person), timezone.localdate())
    own = person == staff_of(request.user)
    return render(
        request,
        "liaison/schedule/calendar.html",
        {
            "person": person,
            "own": own,
            "feed": CalendarFeed.objects.filter(staff=person).first() if own else None,
            **(extra or {}),
            "month": month,
            "title": f"{person.name} · 我的工作计划"
            if person == staff_of(request.user)
            else f"{person.name} · 工作计划",
            "ics_url": reverse("liaison:person_plan_ics", args=[person.pk]),
            # the month links: also right on the page the subscription's POST answers with
            "page_url": reverse(
                "liaison:my_calendar" if own else "liaison:person_calendar", args=[] if own else [person.pk]
            ),
        },
    )


# --- files ----------------------------------------------------------------------------------------------------


def team_plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    items = PlannedContact.objects.filter(team=team).for_list()
    content = exports.team_plan_xlsx(team.name, items.iterator(chunk_size=500), timezone.localdate())
    return attachment(
        content,
        f"{team.year.year}年度{team.name}工作计划.xlsx",
        XLSX_TYPE,
        f"plan-{team.year.year}-{team.pk}.xlsx",
    )


def team_plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    items = PlannedContact.objects.filter(team=team).for_list()
    content = exports.ics(f"{team.name}工作计划", items.iterator(chunk_size=500))
    return attachment(content, f"{team.name}工作计划.ics", ICS_TYPE, f"plan-team-{team.pk}.ics")


def person_plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    items = schedule.person_items(person, timezone.localdate())
    content = exports.ics(f"{person.name}的工作计划", items.iterator(chunk_size=500))
    return attachment(content, f"{person.name}工作计划.ics", ICS_TYPE, f"plan-person-{person.pk}.ics")


@require_POST
def feed_manage(request: HttpRequest) -> HttpResponse:
    """订阅: make (or make anew) or stop the secret address of one's own calendar. A new address is shown
    on the page this once (only its digest is kept), so this answers with the page, not a redirect."""
    me = staff_of(request.user)
    if me is None:
        raise Http404
    if request.POST.get("action") == "revoke":
        if schedule.feed_revoke(staff=me):
            messages.success(request, "已停用日历订阅，原订阅地址不再显示任何计划。")
        return redirect("liaison:my_calendar")
    token = schedule.feed_create(staff=me)
    url = request.build_absolute_uri(reverse("liaison:plan_feed", args=[token]))
    return person_calendar(request, me.pk, {"feed_url": url})


@login_not_required
@never_cache
@require_GET
def plan_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribed calendar (no login: phone calendars cannot log in). A token that names nobody — never
    made, made anew, stopped, or a person no longer active — gets an empty calendar, so a revoked
    subscription empties itself on the phone rather than keeping stale plans."""
    person = schedule.feed_owner(token)
    items = schedule.person_items(person, timezone.localdate()) if person is not None else []
    name = f"{person.name}的工作计划" if person is not None else "工作计划"
    response = HttpResponse(exports.ics(name, items), content_type=ICS_TYPE)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
