"""Pages of the year's plan: years, quota rules, teams, assignments, the plan tables, coverage gaps."""

from __future__ import annotations

import hashlib
import time

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common import picker
from common.actors import actor_name
from common.limits import parse_id
from common.views import paginate
from experts.models import Scientist
from liaison.compliance import categories, quotas, team_figures
from liaison.models import (
    Assignment,
    ContactCategory,
    PlannedContact,
    PlanStatus,
    QuotaCategory,
    QuotaRule,
    Staff,
    Team,
    TeamKind,
    VisitQuota,
    Year,
    YearStatus,
    overdue_condition,
)
from liaison.people.access import sees_all_records, staff_of, team_ids_of
from liaison.plan import services as plans
from liaison.plan.forms import (
    AssignmentAddForm,
    AssignmentEndForm,
    CategoryForm,
    QuotaRuleFormSet,
    RulesGuardForm,
    TeamForm,
    VisitQuotaFormSet,
    YearCreateForm,
    YearStart,
)
from liaison.plan.signals import team_page_sections, year_carry_over
from liaison.plan.targets import search_targets
from liaison.schedule import services as schedule
from orgs.models import Organization

MANAGE = "liaison.manage_plan"


def _year(year: int) -> Year:
    return get_object_or_404(Year, year=year)


def _apply_errors(form, error: ValidationError) -> None:
    """Attach a rule's ValidationError to the form so the page re-renders with the user's input."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- years ----------------------------------------------------------------------------------------------


CREATED_YEARS = "plan.years_created"  # session key: {page token: year} of the years this session created
CREATING_YEAR = (
    "plan.creating-year"  # cache key prefix: a page's token claimed by the submit creating its year
)
CLAIM_SECONDS = 600


def _year_created_under(claim: str, wait: float = 15.0) -> int | None:
    """The year the submit holding this page's claim created, once it has (0 while it is still creating; the
    claim is gone when it failed): None when it failed or took longer than `wait` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        year = cache.get(claim)
        if year is None:
            return None
        if year:
            return year
        time.sleep(0.1)
    return None


def _create_year(request: HttpRequest, form: YearCreateForm) -> Year:
    """A blank year (rules copied, plans.year_create), or one carried over from the year before by the
    yearly adjustment's own service, reached through the signal it listens to (liaison/plan/signals.py)."""
    if form.cleaned_data["start"] != YearStart.CARRY:
        return plans.year_create(year=form.cleaned_data["year"])
    answers = [
        year
        for _receiver, year in year_carry_over.send(
            sender=Year, source=form.cleaned_data["source"], by=request.user
        )
        if isinstance(year, Year)
    ]
    if not answers:
        raise ValidationError({"start": "暂时无法延续上一年度，请选择“空白年度”。"})
    return answers[0]


def year_list(request: HttpRequest) -> HttpResponse:
    """The years, and (for the liaison office) the form creating one: blank or 延续上一年度, in one step.

    A second submit of the same page (a double click, a reload) finds the year the first created under the
    page's token — in the session, or in the cache when it came while the first was still creating — and
    goes there: nothing is created twice. Two pages submitted at once queue on the previous
    year's row (carried over: the second finds the teams) or meet at the year's unique constraint (blank); the
    second is told the year exists, never an error page."""
    form = YearCreateForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        token = request.POST.get("once", "")
        done = request.session.get(CREATED_YEARS, {}).get(token) if token else None
        # A second submit that arrives while the first is still creating (a double click on a busy server)
        # read the session before the first saved it: the page's token is claimed in the shared cache too,
        # and the second waits there for the first's year.
        # (the token hashed: it comes from the page and may be anything, of any length)
        claim = (
            f"{CREATING_YEAR}:{request.user.pk}:{hashlib.sha256(token.encode()).hexdigest()}"
            if token
            else None
        )
        if done is None and claim is not None and not cache.add(claim, 0, CLAIM_SECONDS):
            done = _year_created_under(claim)
        if done is not None and Year.objects.filter(year=done).exists():
            messages.info(request, f"{done} 年度已创建，重复提交未再创建。")
            return redirect("liaison:year_detail", year=done)
        if form.is_valid():
            number = form.cleaned_data["year"]
            try:
                with transaction.atomic():
                    year = _create_year(request, form)
            except ValidationError as error:
                _apply_errors(form, error)
                if claim is not None:
                    cache.delete(claim)
            except IntegrityError:  # the same year created by a concurrent request
                form.add_error("year", f"{number} 年度已存在。")
                if claim is not None:
                    cache.delete(claim)
            else:
                if claim is not None:
                    cache.set(claim, year.year, CLAIM_SECONDS)
                if token:
                    created = dict(list(request.session.get(CREATED_YEARS, {}).items())[-9:])
                    created[token] = year.year
                    request.session[CREATED_YEARS] = created
                teams = year.teams.count()
                if form.cleaned_data["start"] == YearStart.CARRY:
                    messages.success(
                        request,
                        f"已创建 {year.year} 年度：由 {year.year - 1} 年度延续 {teams} 个专班及其成员、联系定额和"
                        "年末在册的联系对象，状态为编制中，请逐项调整。",
                    )
                else:
                    messages.success(
                        request, f"已创建 {year.year} 年度，定额已按上一年度（或制度规定）生成，请核对。"
                    )
                return redirect(year)
        elif claim is not None:  # nothing was created: the page may be sent again, corrected
            cache.delete(claim)
    years = Year.objects.annotate(team_count=Count("teams")).order_by("-year")
    return render(
        request,
        "liaison/plan/year_list.html",
        {"years": years, "form": form, "can_manage": request.user.has_perm(MANAGE)},
    )


TEAMS_PER_PAGE = 50  # a city's 20–60 teams fit on one page (or two); a province's 2,000 do not
# 达标 as the review means it (the stored figures), never "the quota counts are filled" (配额齐全)
TEAM_STATUSES = [("ok", "达标"), ("short", "未达标")]


# Not in the request's transaction: refreshing stored figures takes row locks (liaison/compliance/team_figures.py)
# that would otherwise be held until the page is rendered, queueing every other page and write on them.
@transaction.non_atomic_requests
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The teams of a year, one row each with its 达标 badge (the review's compliant, read from the stored
    team figures) and its 配额 badge (whether the targets fill the quota ranges), 50 to a page; filtered by
    kind (tabs), by name or lead in characters or pinyin (`q`) and by 达标 (`status`), in any combination.

    The summary is year-wide and the whole page runs a fixed number of queries whatever the number of
    teams: 达标 is counted and filtered in the database over the stored figures (refreshed first), the quota
    check of the page's teams comes from grouped counts (quotas.check_teams), members are loaded for the
    page's teams only.
    """
    the_year = _year(year)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TeamKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in dict(TEAM_STATUSES) else ""
    q = request.GET.get("q", "").strip()

    team_figures.refresh(the_year)
    by_kind = {
        row["team__kind"]: (row["compliant"], row["n"])
        for row in team_figures.of_year(the_year)
        .values("team__kind")
        .annotate(n=Count("team"), compliant=Count("team", filter=Q(compliant=True)))
        .order_by()
    }
    teams = Team.objects.filter(year=the_year).for_year_list().select_related("figures")
    if kind:
        teams = teams.filter(kind=kind)
    if q:
        teams = teams.search(q)
    if status:
        teams = teams.filter(figures__compliant=status == "ok")
    page = paginate(request, teams, per_page=TEAMS_PER_PAGE)
    # the quota check of the page's teams only (counting the targets of all 2,000 took ~60 ms at 100,000)
    checks = quotas.check_teams(list(page.object_list), the_year)
    kind_compliant, kind_count = by_kind.get(kind, (0, 0))
    # the targets behind a row's figures open for everyone who sees every team, else for one's own teams
    page_ids = {team.pk for team in page.object_list}
    target_teams = page_ids if sees_all_records(request.user) else page_ids & team_ids_of(request.user)
    return render(
        request,
        "liaison/plan/year_detail.html",
        {
            "year": the_year,
            "page": page,
            "rows": [(team, team.figures, checks[team.pk]) for team in page.object_list],
            "kind": kind,
            "kinds": TeamKind.choices,
            "status": status,
            "statuses": TEAM_STATUSES,
            "q": q,
            "team_count": sum(n for _, n in by_kind.values()),
            "compliant_count": sum(compliant for compliant, _ in by_kind.values()),
            "short_count": sum(n - compliant for compliant, n in by_kind.values()),
            "target_teams": target_teams,
            "kind_label": TeamKind(kind).label if kind else "",
            "kind_count": kind_count,
            "kind_compliant_count": kind_compliant,
            "shared_count": plans.shared_target_count(the_year),
            "leads_without_team": plans.leads_without_team(the_year),
            "can_manage": request.user.has_perm(MANAGE),
            "next_year": Year.objects.filter(year=the_year.year + 1)
            .annotate(team_count=Count("teams"))
            .first(),
        },
    )


@permission_required(MANAGE, raise_exception=True)
def rules_edit(request: HttpRequest, year: int) -> HttpResponse:
    the_year = _year(year)
    if the_year.status != YearStatus.DRAFT:
        messages.error(
            request, f"{the_year}分工{the_year.get_status_display()}，联系定额随分工一并报审，不能再修改。"
        )
        return redirect("liaison:rules", year=the_year.year)
    rule_qs = QuotaRule.objects.filter(year=the_year).order_by("team_kind", "category")
    visit_qs = VisitQuota.objects.filter(year=the_year).order_by("team_kind")
    rules = QuotaRuleFormSet(request.POST or None, queryset=rule_qs, prefix="rules")
    visits = VisitQuotaFormSet(request.POST or None, queryset=visit_qs, prefix="visits")
    guard = RulesGuardForm(request.POST or None, instance=the_year, prefix="year")
    if request.method == "POST" and guard.is_valid() and rules.is_valid() and visits.is_valid():
        with transaction.atomic():
            if not guard.claim():
                return render(
                    request,
                    "liaison/plan/rules_form.html",
                    {"year": the_year, "rules": rules, "visits": visits, "guard": guard},
                )
            for form in rules.forms:
                form.instance.year = the_year
            rules.save()
            visits.save()
            for kind in TeamKind.values:  # a year always has a visit minimum for both kinds of team
                VisitQuota.objects.get_or_create(year=the_year, team_kind=kind, defaults={"minimum": 0})
        messages.success(request, f"已保存 {the_year} 的联系定额。")
        return redirect("liaison:rules", year=the_year.year)
    return render(
        request,
        "liaison/plan/rules_form.html",
        {"year": the_year, "rules": rules, "visits": visits, "guard": guard},
    )


def category_list(request: HttpRequest) -> HttpResponse:
    """联系类别: the seven built-in categories and those the city added, with what each takes."""
    return render(
        request,
        "liaison/plan/categories.html",
        {
            "builtin": QuotaCategory.choices,
            "added": categories.added(),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@permission_required(MANAGE, raise_exception=True)
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a category, or change what an added one takes (its name keys it and stays)."""
    instance = get_object_or_404(ContactCategory, pk=pk) if pk is not None else None
    form = CategoryForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.claim():
                    category, _outcome = plans.category_save(
                        name=instance.name if instance else form.cleaned_data["name"],
                        target_type=instance.target_type if instance else form.cleaned_data["target_type"],
                        takes=form.cleaned_data["takes"],
                    )
                    messages.success(request, f"已保存联系类别“{category.name}”。")
                    return redirect("liaison:category_list")
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "liaison/plan/category_form.html", {"form": form, "instance": instance})


def rules_view(request: HttpRequest, year: int) -> HttpResponse:
    the_year = _year(year)
    rules = quotas.rules_for_year(the_year)
    table = [
        (
            category,
            label,
            rules.get(TeamKind.LEADER, {}).get(category),
            rules.get(TeamKind.DEPARTMENT, {}).get(category),
        )
        for category, label in categories.choices()
    ]
    return render(
        request,
        "liaison/plan/rules.html",
        {
            "year": the_year,
            "table": table,
            "visits": quotas.visit_minimums(the_year),
            "person_visits": quotas.person_visit_minimums(the_year),
            "intervals": QuotaRule.objects.filter(year=the_year, contact_interval_days__isnull=False),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


# --- teams ----------------------------------------------------------------------------------------------


def _save_team(request: HttpRequest, the_year: Year, team: Team | None) -> HttpResponse:
    form = TeamForm(request.POST or None, instance=team, year=the_year)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.claim():
                    saved = plans.team_save(
                        team=form.save(commit=False), members=form.cleaned_data["members"]
                    )
                    messages.success(request, f"已保存专班“{saved.name}”。")
                    return redirect(saved)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "liaison/plan/team_form.html", {"form": form, "year": the_year, "team": team})


def _closed_for_editing(request: HttpRequest, the_year: Year, team: Team | None) -> HttpResponse | None:
    """A submitted plan is locked; an approved one changes teams only as a recorded adjustment with a reason,
    on the adjustment pages."""
    if the_year.status == YearStatus.SUBMITTED:
        messages.error(request, plans.LOCKED_MESSAGE)
        return redirect(team or the_year)
    if the_year.is_frozen:
        messages.info(request, "本年度分工已审定，专班的变动属于调整，请在这里办理并填写调整原因。")
        if team is not None:
            return redirect("reports:adjust_team", pk=team.pk)
        return redirect("reports:adjustment", year=the_year.year)
    return None


# htmx: matches for the team form's 负责人 search box, for those who manage the plan
team_form_suggest = picker.form_suggestion_view(lambda request: TeamForm(year=Year()), MANAGE)


@permission_required(MANAGE, raise_exception=True)
def team_create(request: HttpRequest, year: int) -> HttpResponse:
    the_year = _year(year)
    return _closed_for_editing(request, the_year, None) or _save_team(request, the_year, None)


@permission_required(MANAGE, raise_exception=True)
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("year", "lead__department"), pk=pk)
    return _closed_for_editing(request, team.year, team) or _save_team(request, team.year, team)


def _team_page_context(request: HttpRequest, team: Team, add_form=None, section_forms=None) -> dict:
    assignments = list(
        Assignment.objects.filter(team=team)
        .with_targets()
        .order_by("category", "organization__name_pinyin", "scientist__name_pinyin")
    )
    in_force = [a for a in assignments if a.is_in_force]
    rules = quotas.rules_for_year(team.year).get(team.kind, {})
    counts: dict[str, int] = {}
    for a in in_force:
        counts[a.category] = counts.get(a.category, 0) + 1
    check = quotas.check_plan(rules, counts)
    by_category = check.by_category()
    groups = []
    for category, label in categories.choices():
        items = [a for a in in_force if a.category == category]
        if items or category in by_category:
            groups.append(
                {"category": category, "label": label, "check": by_category.get(category), "items": items}
            )
    uncounted = [a for a in in_force if a.category == ""]
    history = sorted(
        [
            {"when": a.created_at, "event": "added", "a": a, "actor": actor_name(a.created_by)}
            for a in assignments
        ]
        + [
            {"when": a.ended_at, "event": "ended", "a": a, "actor": actor_name(a.ended_by)}
            for a in assignments
            if a.ended_at
        ],
        key=lambda entry: entry["when"],
        reverse=True,
    )
    locked = team.year.status == YearStatus.SUBMITTED
    can_manage = request.user.has_perm(MANAGE) and not locked
    today = timezone.localdate()
    planned = PlannedContact.objects.filter(team=team).aggregate(
        open=Count("pk", filter=Q(status=PlanStatus.PLANNED)),
        overdue=Count("pk", filter=overdue_condition(today)),
    )
    return {
        "locked": locked,
        "is_lead": team.lead.user_id == request.user.pk,
        "team": team,
        "check": check,
        "figures": team_figures.current(team.year, [team.pk])[team.pk],
        "can_view_review": request.user.has_perm("reports.view_review"),
        # the targets behind the figures: everyone who sees every team, or the team's own lead and members
        "sees_targets": sees_all_records(request.user) or team.pk in team_ids_of(request.user),
        "groups": groups,
        "uncounted": uncounted,
        "history": history,
        "members": list(team.members.all()),
        "can_manage": can_manage,
        "add_form": add_form or AssignmentAddForm(),
        "end_form": AssignmentEndForm(),
        "visit_minimum": quotas.visit_minimums(team.year).get(team.kind),
        "planned": planned,
        "can_plan": schedule.can_plan_for(request.user, team),
        # sections the apps above add (the 调整与建议 of reports/cycle/team_section.py), in order
        "sections": [
            html
            for _receiver, html in team_page_sections.send(
                sender=Team, request=request, team=team, forms=section_forms or {}
            )
            if html
        ],
    }


def _team_for_page(pk: int) -> Team:
    return get_object_or_404(
        Team.objects.select_related("year", "lead", "lead__department").prefetch_related(
            Prefetch("members", queryset=Staff.objects.select_related("department").order_by("order", "id"))
        ),
        pk=pk,
    )


def team_page(request: HttpRequest, pk: int, *, section_forms: dict | None = None) -> HttpResponse:
    """The team's page; `section_forms` hands a section's bound form back after a failed post (e.g. a
    proposal without a reason), so the page shows the errors beside what the user typed."""
    team = _team_for_page(pk)
    return render(
        request,
        "liaison/plan/team_detail.html",
        _team_page_context(request, team, section_forms=section_forms),
    )


@transaction.non_atomic_requests  # as year_detail
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return team_page(request, pk)


def _to_adjustment(request: HttpRequest, team: Team) -> HttpResponse:
    """After approval, targets change only as recorded adjustments with a reason (动态管理)."""
    messages.info(request, "本年度分工已审定，请在调整页面写明原因后调整联系对象。")
    return redirect("reports:adjust_team", pk=team.pk)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("year", "lead"), pk=pk)
    if team.year.is_frozen:
        return _to_adjustment(request, team)
    form = AssignmentAddForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            assignment = plans.assignment_add(
                team=team,
                by=request.user,
                organization=target if isinstance(target, Organization) else None,
                scientist=target if isinstance(target, Scientist) else None,
                category=form.chosen_category(),
                start_date=form.cleaned_data["start_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            label = assignment.category_label or "不计入定额"
            messages.success(request, f"已将“{assignment.target_name}”加入{team.name}（{label}）。")
            return redirect(team)
    messages.error(request, "未能添加联系对象，请根据提示修改。")
    return render(
        request, "liaison/plan/team_detail.html", _team_page_context(request, team, add_form=form), status=200
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("team__year", "organization", "scientist"), pk=pk
    )
    if assignment.team.year.is_frozen:
        return _to_adjustment(request, assignment.team)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            plans.assignment_end(
                assignment=assignment,
                by=request.user,
                reason=form.cleaned_data["end_reason"],
                end_date=form.cleaned_data["end_date"],
                note=form.cleaned_data["end_note"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request,
                f"已终止联系对象“{assignment.target_name}”（{assignment.get_end_reason_display()}）。",
            )
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(assignment.team)


@require_GET
def target_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the add-target box: organisations and scientists by name or pinyin, those
    already in force in the team marked."""
    text = request.GET.get("q", "").strip()
    team_id = request.GET.get("team", "")
    results = search_targets(text)
    assigned: set[str] = set()
    if results and parse_id(team_id) is not None:
        in_force = Assignment.objects.in_force_at_year_end().filter(team_id=parse_id(team_id))
        ids = {
            kind: [int(r.value[4:]) for r in results if r.value.startswith(kind)] for kind in ("org:", "sci:")
        }
        assigned = {
            f"org:{i}"
            for i in in_force.filter(organization__in=ids["org:"]).values_list("organization_id", flat=True)
        }
        assigned |= {
            f"sci:{i}"
            for i in in_force.filter(scientist__in=ids["sci:"]).values_list("scientist_id", flat=True)
        }
    return render(
        request, "liaison/plan/_target_results.html", {"results": results, "assigned": assigned, "q": text}
    )


# --- views across teams ---------------------------------------------------------------------------------


def plan_tables(request: HttpRequest, year: int) -> HttpResponse:
    """The plan on screen in the shape of the seed's 附件1 (leader teams) and 附件2 (department teams)."""
    the_year = _year(year)
    teams = list(
        Team.objects.filter(year=the_year)
        .for_year_list()
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.in_force_at_year_end()
                .select_related("organization", "scientist")
                .order_by("organization__name_pinyin", "scientist__name_pinyin"),
                to_attr="current",
            )
        )
    )
    leader_columns = ["district", "vice_chair_unit", "society", "enterprise", "university", "people"]
    department_columns = ["district", "society", "enterprise", "university", "people"]

    def row(team: Team, columns: list[str]) -> dict:
        cells: dict[str, list[str]] = {c: [] for c in columns}
        for a in team.current:
            key = "people" if a.scientist_id else a.category
            if key in cells:
                cells[key].append(a.target_name)
        return {"team": team, "cells": [("、".join(cells[c])) for c in columns]}

    headers = {
        "district": "区县(市)科协",
        "vice_chair_unit": "兼职副主席单位",
        "society": "市级学会(协会、研究会)",
        "enterprise": "企业(园区)科协",
        "university": "高校院所科协",
        "people": "联系专家/基层一线科技工作者",
    }
    sheets = [
        {
            "title": "附件1 市科协领导联系科技工作者分工",
            "headers": [headers[c] for c in leader_columns],
            "rows": [row(t, leader_columns) for t in teams if t.kind == TeamKind.LEADER],
        },
        {
            "title": "附件2 市科协机关部室主要负责同志联系科技工作者分工",
            "headers": [headers[c] for c in department_columns],
            "rows": [row(t, department_columns) for t in teams if t.kind == TeamKind.DEPARTMENT],
        },
    ]
    return render(request, "liaison/plan/plan_tables.html", {"year": the_year, "sheets": sheets})


def coverage_gaps(request: HttpRequest, year: int) -> HttpResponse:
    the_year = _year(year)
    gaps = list(plans.coverage_gaps(the_year))
    groups: dict[str, list[Organization]] = {}
    for org in gaps:
        groups.setdefault(org.get_kind_display(), []).append(org)
    shared = plans.shared_targets(the_year)
    org_names = dict(
        Organization.objects.filter(pk__in=[k[1] for k in shared if k[0] == "organization"]).values_list(
            "pk", "name"
        )
    )
    sci_names = dict(
        Scientist.objects.filter(pk__in=[k[1] for k in shared if k[0] == "scientist"]).values_list(
            "pk", "name"
        )
    )
    shared_rows = [
        ((org_names if field == "organization" else sci_names).get(pk, ""), teams)
        for (field, pk), teams in shared.items()
    ]
    return render(
        request,
        "liaison/plan/coverage_gaps.html",
        {"year": the_year, "groups": groups, "total": len(gaps), "shared_rows": sorted(shared_rows)},
    )


@transaction.non_atomic_requests  # as year_detail
def my_teams(request: HttpRequest) -> HttpResponse:
    """我的专班: the teams the user leads or belongs to, newest year first."""
    staff = staff_of(request.user)
    teams = list(plans.teams_of(staff).prefetch_related("members")) if staff else []
    stored = {}
    for the_year in {t.year for t in teams}:
        stored.update(team_figures.current(the_year, [t.pk for t in teams if t.year_id == the_year.pk]))
    rows = [(team, stored[team.pk], team.lead_id == (staff.pk if staff else None)) for team in teams]
    return render(request, "liaison/plan/my_teams.html", {"rows": rows, "staff": staff})
