"""Pages of the yearly adjustment (年度调整): open next year's plan from this year's, change targets and teams
with a reason, team leads' proposals, and next year against this year. Thin views over
reports/cycle/adjustments.py; everyone logged in reads, the liaison office changes, a team's lead proposes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Prefetch, When
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from experts.models import Scientist
from liaison.compliance import categories, figures, quotas
from liaison.models import Assignment, EndReason, Staff, Team, Year, YearStatus
from liaison.plan import services as plans
from liaison.plan.views import team_page
from orgs.models import Organization
from reports.cycle import adjustments
from reports.cycle.comparison import compare_years
from reports.cycle.forms import AddForm, CloseTeamForm, DecisionForm, ProposalForm, RemoveForm, TeamChangeForm
from reports.models import ChangeProposal, PlanChange, ProposalStatus, TeamOrigin
from reports.review.views import get_year

MANAGE = "liaison.manage_plan"
PROPOSE = "reports.propose_change"
PROPOSALS_LISTED = 50  # on the year's adjustment page, the pending ones first; each team's page has its own


def apply_errors(form: Form, error: ValidationError) -> None:
    """Put a rule's ValidationError on the form, so the page shows it beside what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _team(pk: int) -> Team:
    return get_object_or_404(
        Team.objects.select_related("year", "lead__department", "lead__user").prefetch_related(
            Prefetch("members", queryset=Staff.objects.select_related("department").order_by("order", "id"))
        ),
        pk=pk,
    )


def _target_kwargs(target: Organization | Scientist) -> dict:
    if isinstance(target, Organization):
        return {"organization": target}
    return {"scientist": target}


# --- the year's adjustment ------------------------------------------------------------------------------


@require_GET
def adjustment(request: HttpRequest, year: int) -> HttpResponse:
    """The draft plan's teams with their quota check, open proposals and recorded changes."""
    the_year = get_year(year)
    previous = Year.objects.filter(year=the_year.year - 1).annotate(team_count=Count("teams")).first()
    teams = list(Team.objects.filter(year=the_year).for_year_list())
    checks = quotas.check_teams(teams, the_year)
    pending = dict(
        ChangeProposal.objects.filter(team__year=the_year, status=ProposalStatus.PENDING)
        .values("team_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("team_id", "n")
    )
    changed = dict(
        PlanChange.objects.filter(year=the_year, team__isnull=False)
        .values("team_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("team_id", "n")
    )
    rows = [
        {
            "team": team,
            "check": checks[team.pk],
            "targets": sum(c.assigned for c in checks[team.pk].categories) + checks[team.pk].uncounted,
            "pending": pending.get(team.pk, 0),
            "changes": changed.get(team.pk, 0),
        }
        for team in teams
    ]
    locked = the_year.status == YearStatus.SUBMITTED
    can_manage = request.user.has_perm(MANAGE)
    return render(
        request,
        "reports/cycle/adjustment.html",
        {
            "year": the_year,
            "previous": previous,
            "rows": rows,
            "short_count": sum(1 for r in rows if not r["check"].compliant),
            "pending_total": sum(pending.values()),
            "recent": list(PlanChange.objects.filter(year=the_year).select_related("by__staff")[:8]),
            "proposals": list(
                ChangeProposal.objects.filter(team__year=the_year)
                .select_related("team", *adjustments.PROPOSAL_RELATED)
                .order_by(
                    Case(When(status=ProposalStatus.PENDING, then=0), default=1), "-proposed_at", "-id"
                )[:PROPOSALS_LISTED]
            ),
            "locked": locked,
            "can_manage": can_manage and not locked,
            "can_open": can_manage
            and not teams
            and the_year.status == YearStatus.DRAFT
            and previous is not None
            and previous.team_count > 0,
        },
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def open_next(request: HttpRequest, year: int) -> HttpResponse:
    """Open next year's plan from this year's (``year`` is this year, the source)."""
    source = get_year(year)
    try:
        target = adjustments.plan_open_next(source=source, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(source)
    messages.success(
        request,
        f"已开启 {target.year} 年度调整：由 {source.year} 年度延续专班、成员、联系定额和年末在册的联系对象，"
        "状态为编制中。",
    )
    return redirect("reports:adjustment", year=target.year)


# --- one team -------------------------------------------------------------------------------------------


def _team_context(request: HttpRequest, team: Team, **forms) -> dict:
    year = team.year
    locked = year.status == YearStatus.SUBMITTED
    assignments = list(
        Assignment.objects.in_force_at_year_end()
        .filter(team=team)
        .select_related("organization", "scientist")
        .order_by("category", "organization__name_pinyin", "scientist__name_pinyin", "id")
    )
    counts: dict[str, int] = {}
    for a in assignments:
        counts[a.category] = counts.get(a.category, 0) + 1
    check = quotas.check_plan(quotas.rules_for_year(year).get(team.kind, {}), counts)
    origin = TeamOrigin.objects.filter(team=team).select_related("source__year").first()
    # Each target's contacts of the year (a plan drafted ahead, before its year begins: those of the team it
    # was carried over from, in that team's year, which is what the adjustment weighs), one grouped query;
    # and the other teams of the same kind that have it too (plans.shared_targets).
    worked, contacts_year = team, year
    if origin is not None and timezone.localdate() < year.first_day:
        worked, contacts_year = origin.source, origin.source.year
    contacts = figures.target_contacts(contacts_year, [worked.pk])
    shared = plans.shared_targets(year, team=team)
    for a in assignments:
        key = adjustments.assignment_key(a)
        a.contacts, a.last_contact = contacts.get((worked.pk, key), (0, None))
        a.shared_with = shared.get(
            ("organization", a.organization_id) if a.organization_id else ("scientist", a.scientist_id), []
        )
    by_category = check.by_category()
    groups = [
        {
            "label": label,
            "check": by_category.get(category),
            "items": [a for a in assignments if a.category == category],
        }
        for category, label in [*categories.choices(), ("", "不计入定额")]
        if category in by_category or any(a.category == category for a in assignments)
    ]
    remove_form = forms.get("remove_form")
    proposal_form = forms.get("proposal_form")
    return {
        "team": team,
        "year": year,
        "members": list(team.members.all()),
        "check": check,
        "groups": groups,
        "locked": locked,
        "can_manage": request.user.has_perm(MANAGE) and not locked,
        "can_propose": request.user.has_perm(PROPOSE, team) and adjustments.proposals_open(year),
        "origin": origin,
        "contacts_year": contacts_year,
        "proposals": list(team.change_proposals.select_related(*adjustments.PROPOSAL_RELATED)),
        "changes": list(PlanChange.objects.filter(team=team).select_related("by__staff")[:50]),
        "visit_minimum": quotas.visit_minimums(year).get(team.kind),
        "end_reasons": EndReason.choices,
        "remove_form": remove_form,
        "remove_for": str(remove_form["assignment"].value()) if remove_form else "",
        "add_form": forms.get("add_form") or AddForm(team=team),
        "proposal_form": proposal_form,
        "proposal_for": (
            str(proposal_form["assignment"].value())
            if proposal_form is not None and proposal_form["kind"].value() == "remove"
            else ""
        ),
        "proposal_kind": proposal_form["kind"].value() if proposal_form is not None else "",
        "replace_choices": assignments,
        "close_form": forms.get("close_form") or CloseTeamForm(),
        "decision_form": DecisionForm(),
    }


def _render_team(request: HttpRequest, team: Team, **forms) -> HttpResponse:
    return render(request, "reports/cycle/adjust_team.html", _team_context(request, team, **forms))


@require_GET
def adjust_team(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_team(request, _team(pk))


@require_POST
@permission_required(MANAGE, raise_exception=True)
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(pk)
    form = RemoveForm(request.POST, team=team)
    if form.is_valid():
        assignment = form.cleaned_data["assignment"]
        try:
            adjustments.target_remove(
                assignment=assignment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                end_reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已从{team.name}移除“{assignment.target_name}”。")
            return redirect("reports:adjust_team", pk=team.pk)
    messages.error(request, "未能移除，请根据提示修改。")
    return _render_team(request, team, remove_form=form)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a target, or put it in the place of an existing one (替换)."""
    team = _team(pk)
    form = AddForm(request.POST, team=team)
    if form.is_valid():
        target, old = form.cleaned_data["target"], form.cleaned_data["replaces"]
        common = {
            "by": request.user,
            "reason": form.cleaned_data["reason"],
            "category": form.chosen_category(),
            **_target_kwargs(target),
        }
        try:
            if old is not None:
                adjustments.target_replace(assignment=old, **common)
            else:
                adjustments.target_add(team=team, **common)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if old is not None:
                messages.success(request, f"已用“{target.name}”替换“{old.target_name}”。")
            else:
                messages.success(request, f"已将“{target.name}”加入{team.name}。")
            return redirect("reports:adjust_team", pk=team.pk)
    messages.error(request, "未能保存，请根据提示修改。")
    return _render_team(request, team, add_form=form)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def team_close(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(pk)
    form = CloseTeamForm(request.POST)
    if form.is_valid():
        year, name = team.year, team.name
        try:
            adjustments.team_close(team=team, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已撤销{name}。")
            return redirect("reports:adjustment", year=year.year)
    messages.error(request, "未能撤销专班，请根据提示修改。")
    return _render_team(request, team, close_form=form)


def _locked_redirect(request: HttpRequest, year: Year, to) -> HttpResponse | None:
    if year.status == YearStatus.SUBMITTED:
        messages.error(request, plans.LOCKED_MESSAGE)
        return redirect(to)
    return None


@permission_required(MANAGE, raise_exception=True)
def team_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a team's lead, members, name or notes, with the reason."""
    team = _team(pk)
    refused = _locked_redirect(request, team.year, team)
    if refused:
        return refused
    form = TeamChangeForm(request.POST or None, instance=team, year=team.year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if form.claim():  # refused when someone changed the team since the page was opened
                    adjustments.team_update(
                        team=team,
                        by=request.user,
                        reason=data["reason"],
                        lead=data["lead"],
                        members=data["members"],
                        name=data["name"],
                        notes=data["notes"],
                    )
                    messages.success(request, f"已调整{team.name}。")
                    return redirect("reports:adjust_team", pk=team.pk)
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "reports/cycle/team_change.html", {"form": form, "year": team.year, "team": team})


@permission_required(MANAGE, raise_exception=True)
def team_new(request: HttpRequest, year: int) -> HttpResponse:
    """Set up a new team in the plan (e.g. for a new leader), with the reason."""
    the_year = get_year(year)
    refused = _locked_redirect(request, the_year, the_year)
    if refused:
        return refused
    form = TeamChangeForm(request.POST or None, year=the_year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = adjustments.team_add(
                year=the_year,
                by=request.user,
                reason=data["reason"],
                lead=data["lead"],
                members=data["members"],
                name=data["name"],
                notes=data["notes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已新设{change.team_name}。")
            return redirect("reports:adjust_team", pk=change.team_id)
    return render(request, "reports/cycle/team_change.html", {"form": form, "year": the_year, "team": None})


# --- proposals ------------------------------------------------------------------------------------------


@require_POST
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A team's lead or member proposes a change for their team (nobody else may), from the adjustment page
    or from the team's page (``back=team``), where the answer returns: the page again, or with the errors
    beside what was typed."""
    team = _team(pk)
    if not request.user.has_perm(PROPOSE, team):
        raise PermissionDenied
    from_team_page = request.POST.get("back") == "team"
    form = ProposalForm(request.POST, team=team)
    if form.is_valid():
        kind = form.proposal_kind()
        target = form.cleaned_data.get("target") if kind in ("add", "replace") else None
        try:
            adjustments.proposal_create(
                team=team,
                by=request.user,
                kind=kind,
                reason=form.cleaned_data["reason"],
                assignment=form.cleaned_data.get("assignment") if kind in ("remove", "replace") else None,
                **(_target_kwargs(target) if target is not None else {}),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "建议已提交组织联络部，处理结果会显示在“调整与建议”中。")
            if from_team_page:
                return redirect(f"{team.get_absolute_url()}#proposals")
            return redirect("reports:adjust_team", pk=team.pk)
    messages.error(request, "未能提交建议，请根据提示修改。")
    if from_team_page:
        return team_page(request, team.pk, section_forms={"proposal_form": form})
    return _render_team(request, team, proposal_form=form)


def _decide(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    proposal = get_object_or_404(ChangeProposal.objects.select_related("team"), pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if accept:
            adjustments.proposal_accept(proposal=proposal, by=request.user, note=note)
        else:
            adjustments.proposal_reject(proposal=proposal, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已采纳该建议并完成调整。" if accept else "已将该建议标记为不采纳。")
    return redirect("reports:adjust_team", pk=proposal.team_id)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)


# --- comparison -----------------------------------------------------------------------------------------


@require_GET
def compare(request: HttpRequest, year: int) -> HttpResponse:
    """Next year against this year, per team, and the quota check of the plan."""
    the_year = get_year(year)
    comparison = compare_years(the_year)
    return render(
        request,
        "reports/cycle/compare.html",
        {
            "year": the_year,
            "comparison": comparison,
            "kept": comparison.total("kept"),
            "added": comparison.total("added"),
            "removed": comparison.total("removed"),
            "replaced": comparison.total("replaced"),
        },
    )
