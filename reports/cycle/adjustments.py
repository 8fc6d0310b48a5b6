"""The yearly adjustment (年度调整, seed 000 §六.1: 每年底集中调整一次联系对象) and changes after approval.

The liaison office opens next year's plan from this year's (teams, leads, members, quota rules and the
targets in force at year end, as a draft), then removes, adds and replaces targets, changes a team's lead
or members, adds or closes teams. Team leads propose changes for their own team; the office accepts or
rejects them. Every change writes a PlanChange row (who, when, why) in the same transaction, and goes
through liaison.plans, which refuses any change while the plan is submitted (locked).
The same functions make the recorded adjustments of an approved plan (动态管理).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

from experts.models import Scientist
from liaison.models import Assignment, EndReason, Staff, Team, Year, YearStatus
from liaison.plan import services as plans
from liaison.plan.signals import year_carry_over
from orgs.models import Organization
from reports.models import (
    ChangeKind,
    ChangeProposal,
    PlanChange,
    ProposalKind,
    ProposalStatus,
    TeamOrigin,
)

CARRIED_NOTE = "延续上年"
REASON_REQUIRED = "请填写调整原因。"
REASON_MAX = 200  # the assignment's note holds the reason too


# What a list of change proposals shows of each: who proposed and decided, and the targets it names.
PROPOSAL_RELATED = (
    "proposed_by__staff",
    "decided_by__staff",
    "assignment__organization",
    "assignment__scientist",
    "organization",
    "scientist",
)


def target_key(organization: Organization | None = None, scientist: Scientist | None = None) -> str:
    """ "org:<id>" or "sci:<id>": how a target is named in a change's details and on the comparison."""
    return f"org:{organization.pk}" if organization is not None else f"sci:{scientist.pk}"


def assignment_key(assignment: Assignment) -> str:
    if assignment.organization_id:
        return f"org:{assignment.organization_id}"
    return f"sci:{assignment.scientist_id}"


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": f"调整原因请控制在 {REASON_MAX} 字以内。"})
    return text


def _record(
    *,
    year: Year,
    team: Team | None,
    kind: str,
    reason: str,
    by: User | None,
    team_name: str = "",
    category: str = "",
    old_target: str = "",
    new_target: str = "",
    details: dict | None = None,
    proposal: ChangeProposal | None = None,
) -> PlanChange:
    change = PlanChange(
        year=year,
        team=team,
        team_name=team_name or (team.name if team else ""),
        kind=kind,
        category=category,
        old_target=old_target[:120],
        new_target=new_target[:120],
        reason=reason,
        details=details or {},
        proposal=proposal,
        by=by,
    )
    change.full_clean()
    change.save()
    return change


# --- opening next year ----------------------------------------------------------------------------------


@transaction.atomic
def plan_open_next(*, source: Year, by: User | None) -> Year:
    """Open next year's draft plan from this year's: quota rules, teams (lead, name, members still in post,
    notes) and the targets in force at this year's end, starting 1 January, noted 延续上年.

    Refuses when next year already has teams (the adjustment was opened before). When next year exists
    without teams (created on the years page), its quota rules are kept as the office set them.
    Targets deactivated in the registry are left behind, each recorded as a removal with its reason.
    """
    number = source.year + 1
    # two openings from one year (two clicks, two pages) queue here; the second then finds the teams
    Year.objects.select_for_update().filter(pk=source.pk).first()
    target = Year.objects.select_for_update().filter(year=number).first()
    if target is not None and Team.objects.filter(year=target).exists():
        raise ValidationError(f"{number} 年度已有专班，年度调整已经开启。")
    if target is not None and target.status != YearStatus.DRAFT:
        raise ValidationError(f"{number} 年度分工已{target.get_status_display()}，不能再从上年度开启调整。")
    sources = list(Team.objects.filter(year=source).for_year_list())
    if not sources:
        raise ValidationError(f"{source}没有专班，无从开启下一年度的调整。")
    if target is None:
        target = Year(year=number)
        target.full_clean()
        target.save()
        plans.copy_rules(source=source, target=target)
    carried = 0
    for old in sources:
        team, left = plans.team_carry_over(source=old, year=target, by=by, note=CARRIED_NOTE)
        TeamOrigin.objects.create(team=team, source=old)
        carried += team.assignments.count()
        for a in left:
            _record(
                year=target,
                team=team,
                kind=ChangeKind.REMOVE,
                reason=f"{a.target_name}已在名录中停用，未延续。",
                by=by,
                category=a.category,
                old_target=a.target_name,
                details={"target": assignment_key(a), "automatic": True},
            )
    _record(
        year=target,
        team=None,
        team_name="全部专班",
        kind=ChangeKind.OPEN,
        reason=f"年度调整：由 {source.year} 年度延续",
        by=by,
        details={
            "source": source.year,
            "teams": len(sources),
            "assignments": carried,
            "text": f"由 {source.year} 年度延续 {len(sources)} 个专班、{carried} 个联系对象",
        },
    )
    return target


@receiver(year_carry_over, dispatch_uid="reports.cycle.adjustments.year_carry_over")
def _carry_over(sender, source: Year, by: User | None, **kwargs) -> Year:
    """The years page's 延续上一年度: the same opening as the adjustment's, not a second copy of it."""
    return plan_open_next(source=source, by=by)


# --- targets --------------------------------------------------------------------------------------------


def _ensure_open(year: Year) -> None:
    plans.ensure_editable(year)


def _end_date_for(assignment: Assignment):
    """Today inside the year; for a plan not yet in force, its first day (the target never takes effect)."""
    return max(plans.default_start_date(assignment.team.year), assignment.start_date)


@transaction.atomic
def target_remove(
    *,
    assignment: Assignment,
    by: User | None,
    reason: str,
    end_reason: str = EndReason.ADJUSTED,
    proposal: ChangeProposal | None = None,
) -> PlanChange:
    """Remove a target from a team (the assignment ends and stays as history); a reason is required."""
    text = _reason(reason)
    team = assignment.team
    _ensure_open(team.year)
    if assignment.end_date is not None:
        raise ValidationError("该联系对象已终止。")
    plans.assignment_end(
        assignment=assignment, by=by, reason=end_reason, end_date=_end_date_for(assignment), note=text
    )
    return _record(
        year=team.year,
        team=team,
        kind=ChangeKind.REMOVE,
        reason=text,
        by=by,
        category=assignment.category,
        old_target=assignment.target_name,
        details={"target": assignment_key(assignment), "end_reason": end_reason, "assignment": assignment.pk},
        proposal=proposal,
    )


@transaction.atomic
def target_add(
    *,
    team: Team,
    by: User | None,
    reason: str,
    organization: Organization | None = None,
    scientist: Scientist | None = None,
    category: str | None = None,
    proposal: ChangeProposal | None = None,
) -> PlanChange:
    """Add a target to a team, with the reason."""
    text = _reason(reason)
    _ensure_open(team.year)
    if (organization is None) == (scientist is None):
        raise ValidationError({"target": "请选择一个基层组织或一名科技工作者。"})
    assignment = plans.assignment_add(
        team=team, by=by, organization=organization, scientist=scientist, category=category, note=text
    )
    return _record(
        year=team.year,
        team=team,
        kind=ChangeKind.ADD,
        reason=text,
        by=by,
        category=assignment.category,
        new_target=assignment.target_name,
        details={"target": assignment_key(assignment), "assignment": assignment.pk},
        proposal=proposal,
    )


@transaction.atomic
def target_replace(
    *,
    assignment: Assignment,
    by: User | None,
    reason: str,
    organization: Organization | None = None,
    scientist: Scientist | None = None,
    category: str | None = None,
    proposal: ChangeProposal | None = None,
) -> PlanChange:
    """Replace one target of a team by another in one step: the old assignment ends, the new one starts."""
    text = _reason(reason)
    team = assignment.team
    _ensure_open(team.year)
    if (organization is None) == (scientist is None):
        raise ValidationError({"target": "请选择用来替换的基层组织或科技工作者。"})
    if assignment.end_date is not None:
        raise ValidationError("被替换的联系对象已终止。")
    new_key = target_key(organization, scientist)
    if new_key == assignment_key(assignment):
        raise ValidationError({"target": "替换对象不能与原对象相同。"})
    old_name = assignment.target_name
    new_name = (organization or scientist).name
    plans.assignment_end(
        assignment=assignment,
        by=by,
        reason=EndReason.ADJUSTED,
        end_date=_end_date_for(assignment),
        note=f"由“{new_name}”替换：{text}"[:REASON_MAX],
    )
    added = plans.assignment_add(
        team=team,
        by=by,
        organization=organization,
        scientist=scientist,
        category=category,
        note=f"替换“{old_name}”：{text}"[:REASON_MAX],
    )
    return _record(
        year=team.year,
        team=team,
        kind=ChangeKind.REPLACE,
        reason=text,
        by=by,
        category=added.category,
        old_target=old_name,
        new_target=new_name,
        details={
            "old": assignment_key(assignment),
            "new": new_key,
            "old_assignment": assignment.pk,
            "new_assignment": added.pk,
        },
        proposal=proposal,
    )


# --- teams ----------------------------------------------------------------------------------------------


def _names(people: Iterable[Staff]) -> list[str]:
    return [p.name for p in people]


@transaction.atomic
def team_update(
    *,
    team: Team,
    by: User | None,
    reason: str,
    lead: Staff,
    members: Iterable[Staff] | QuerySet,
    name: str = "",
    notes: str = "",
) -> PlanChange:
    """Change a team's lead, members, name or notes, with the reason; says in Chinese what changed."""
    text = _reason(reason)
    _ensure_open(team.year)
    before = Team.objects.select_related("lead").get(pk=team.pk)
    before_members = {m.pk: m for m in before.members.all()}
    members = [m for m in members if m.pk != lead.pk]
    name = (name or "").strip()
    if lead.pk != before.lead_id and name == before.name == f"{before.lead.name}专班":
        name = ""  # the default name follows the new lead
    team.lead, team.name, team.notes = lead, name, (notes or "").strip()
    plans.team_save(team=team, members=members)
    after_ids = {m.pk for m in members}
    added = [m for m in members if m.pk not in before_members]
    removed = [m for pk, m in before_members.items() if pk not in after_ids]
    parts = []
    if before.lead_id != lead.pk:
        parts.append(f"负责人由{before.lead.display_title}改为{lead.display_title}")
    if added:
        parts.append("增加成员" + "、".join(_names(added)))
    if removed:
        parts.append("减少成员" + "、".join(_names(removed)))
    if before.name != team.name:
        parts.append(f"名称由“{before.name}”改为“{team.name}”")
    if before.notes != team.notes:
        parts.append("修改备注")
    if not parts:
        raise ValidationError("专班没有任何改动。")
    return _record(
        year=team.year,
        team=team,
        kind=ChangeKind.TEAM_UPDATE,
        reason=text,
        by=by,
        details={
            "text": "；".join(parts),
            "old_lead": before.lead.display_title,
            "new_lead": lead.display_title,
            "members_added": _names(added),
            "members_removed": _names(removed),
        },
    )


@transaction.atomic
def team_add(
    *,
    year: Year,
    by: User | None,
    reason: str,
    lead: Staff,
    members: Iterable[Staff] | QuerySet,
    name: str = "",
    notes: str = "",
) -> PlanChange:
    """Set up a new team (e.g. for a new leader), with the reason."""
    text = _reason(reason)
    _ensure_open(year)
    team = plans.team_save(
        team=Team(year=year, lead=lead, name=(name or "").strip(), notes=(notes or "").strip()),
        members=[m for m in members if m.pk != lead.pk],
    )
    return _record(
        year=year,
        team=team,
        kind=ChangeKind.TEAM_ADD,
        reason=text,
        by=by,
        details={"text": f"新设{team.name}（负责人{lead.display_title}）", "new_lead": lead.display_title},
    )


@transaction.atomic
def team_close(*, team: Team, by: User | None, reason: str) -> PlanChange:
    """Close a team that has no contact records (e.g. its leader left): the team and its targets go; the
    change keeps its name, lead and targets."""
    text = _reason(reason)
    year = team.year
    _ensure_open(year)
    targets = [a.target_name for a in team.assignments.in_force_at_year_end().with_targets()]
    origin = TeamOrigin.objects.filter(team=team).values_list("source_id", flat=True).first()
    name, lead = team.name, team.lead.display_title
    plans.team_delete(team=team)
    return _record(
        year=year,
        team=None,
        team_name=name,
        kind=ChangeKind.TEAM_CLOSE,
        reason=text,
        by=by,
        details={
            "text": f"撤销{name}（负责人{lead}，联系对象 {len(targets)} 个）",
            "old_lead": lead,
            "targets": targets,
            "source_team": origin,
        },
    )


# --- proposals of team leads and members ----------------------------------------------------------------


def may_propose(user: User, team: Team) -> bool:
    """The team's lead and members propose changes for their team (the rule "reports.propose_change")."""
    return user.is_authenticated and user.has_perm("reports.propose_change", team)


PROPOSAL_STATUSES = (YearStatus.DRAFT, YearStatus.SUBMITTED, YearStatus.APPROVED)
PROPOSALS_CLOSED = "{year}分工已归档，不能再提出调整建议。"


def proposals_open(year: Year) -> bool:
    """A team proposes changes while its plan is drafted and during its year (审定后的动态调整); the office
    takes them up when the plan can change. Not once the year is archived."""
    return year.status in PROPOSAL_STATUSES


@transaction.atomic
def proposal_create(
    *,
    team: Team,
    by: User,
    kind: str,
    reason: str,
    assignment: Assignment | None = None,
    organization: Organization | None = None,
    scientist: Scientist | None = None,
) -> ChangeProposal:
    """A team's lead or member proposes a change for their own team, in a draft year or during the year; it
    lands, pending, in the liaison office's list on the adjustment pages. The same proposal made twice (a
    double click) while the first is pending is refused."""
    text = _reason(reason)
    if not may_propose(by, team):
        raise ValidationError("只有本专班的负责人和成员可以为本专班提出调整建议。")
    if not proposals_open(team.year):
        raise ValidationError(PROPOSALS_CLOSED.format(year=team.year))
    errors = {}
    needs_old = kind in (ProposalKind.REMOVE, ProposalKind.REPLACE)
    needs_new = kind in (ProposalKind.ADD, ProposalKind.REPLACE)
    if kind not in ProposalKind.values:
        errors["kind"] = "请选择建议类型。"
    if needs_old and (assignment is None or assignment.team_id != team.pk or assignment.end_date is not None):
        errors["assignment"] = "请选择本专班现有的一个联系对象。"
    if needs_new and (organization is None) == (scientist is None):
        errors["target"] = "请搜索并选择建议新增的基层组织或科技工作者。"
    if errors:
        raise ValidationError(errors)
    proposal = ChangeProposal(
        team=team,
        kind=kind,
        assignment=assignment if needs_old else None,
        organization=organization if needs_new else None,
        scientist=scientist if needs_new else None,
        reason=text,
        proposed_by=by,
    )
    Team.objects.select_for_update().filter(pk=team.pk).first()  # two identical posts queue here
    if ChangeProposal.objects.filter(
        team=team,
        kind=kind,
        assignment=proposal.assignment,
        organization=proposal.organization,
        scientist=proposal.scientist,
        reason=text,
        proposed_by=by,
        status=ProposalStatus.PENDING,
    ).exists():
        raise ValidationError("相同的建议已经提交，正在等待组织联络部处理。")
    proposal.full_clean()
    proposal.save()
    return proposal


def _decide(proposal: ChangeProposal, by: User | None, status: str, note: str) -> None:
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note.strip()[:200]
    proposal.full_clean()
    proposal.save()


@transaction.atomic
def proposal_accept(*, proposal: ChangeProposal, by: User | None, note: str = "") -> PlanChange | None:
    """The liaison office accepts a proposal: the change is made now, recorded with the lead's reason.

    A free-text proposal (其他建议) is marked accepted; the office makes that change itself.
    """
    proposal = (
        ChangeProposal.objects.select_for_update()
        .select_related("team__year", "team__lead")
        .get(pk=proposal.pk)
    )
    if not proposal.is_pending:
        raise ValidationError("该建议已处理。")
    _ensure_open(proposal.team.year)
    reason = f"{proposal.reason}（{proposal.team.lead.name}建议）"
    change = None
    if proposal.kind == ProposalKind.REMOVE:
        if proposal.assignment is None:
            raise ValidationError("建议涉及的联系对象已不存在。")
        change = target_remove(assignment=proposal.assignment, by=by, reason=reason, proposal=proposal)
    elif proposal.kind == ProposalKind.ADD:
        change = target_add(
            team=proposal.team,
            by=by,
            reason=reason,
            organization=proposal.organization,
            scientist=proposal.scientist,
            proposal=proposal,
        )
    elif proposal.kind == ProposalKind.REPLACE:
        if proposal.assignment is None:
            raise ValidationError("建议涉及的联系对象已不存在。")
        change = target_replace(
            assignment=proposal.assignment,
            by=by,
            reason=reason,
            organization=proposal.organization,
            scientist=proposal.scientist,
            proposal=proposal,
        )
    _decide(proposal, by, ProposalStatus.ACCEPTED, note)
    return change


@transaction.atomic
def proposal_reject(*, proposal: ChangeProposal, by: User | None, note: str) -> ChangeProposal:
    """The liaison office declines a proposal, saying why."""
    if not note.strip():
        raise ValidationError({"note": "请填写不采纳的理由。"})
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError("该建议已处理。")
    _decide(proposal, by, ProposalStatus.REJECTED, note)
    return proposal
