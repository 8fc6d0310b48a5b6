"""The yearly adjustment's rules (reports/cycle/adjustments.py) and the comparison of next year with this year."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liaison.models import Assignment, QuotaRule, Team, Year, YearStatus
from liaison.plan import services as plans
from orgs.models import OrgKind
from reports.cycle import adjustments
from reports.cycle.comparison import compare_years
from reports.models import ChangeKind, ChangeProposal, PlanChange, ProposalStatus, TeamOrigin
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.cycle.factories import NEXT, THIS, make_cycle
from tests.reports.review.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


@pytest.fixture
def opened(cycle, liaison_officer):
    next_year = adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
    return next_year


def team_of(year: Year, lead) -> Team:
    return Team.objects.get(year=year, lead=lead)


def in_force_names(team: Team) -> set[str]:
    return {a.target_name for a in team.assignments.in_force_at_year_end().with_targets()}


class TestOpenNext:
    def test_copies_rules_teams_members_and_targets_in_force(self, cycle, opened, leader, dept_staff):
        assert opened.year == NEXT
        assert opened.status == YearStatus.DRAFT
        assert (
            QuotaRule.objects.filter(year=opened).count() == QuotaRule.objects.filter(year=cycle.year).count()
        )
        wang = team_of(opened, leader)
        assert wang.name == cycle.wang.name == "王领导专班"
        assert list(wang.members.all()) == [dept_staff]  # the member no longer in post is left out
        assert in_force_names(wang) == {"和平区科协", "辽川市医学会", "张院士"}
        for a in wang.assignments.all():
            assert a.start_date.isoformat() == f"{NEXT}-01-01"
            assert a.note == "延续上年"
        assert TeamOrigin.objects.get(team=wang).source == cycle.wang
        assert in_force_names(team_of(opened, cycle.li.lead)) == {"铁西区科协"}

    def test_category_overrides_are_kept(self, cycle, liaison_officer, leader):
        special = OrganizationFactory(kind=OrgKind.AGRI_TECH, name="新民农技协")
        plans.assignment_add(team=cycle.wang, by=None, organization=special, category="district")
        opened = adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
        copied = team_of(opened, leader).assignments.get(organization=special)
        assert copied.category == "district"
        assert copied.category_overridden

    def test_deactivated_targets_are_left_behind_with_a_recorded_reason(self, cycle, opened, leader):
        change = PlanChange.objects.get(year=opened, kind=ChangeKind.REMOVE)
        assert change.old_target == "停用学会"
        assert "停用" in change.reason
        assert change.team == team_of(opened, leader)

    def test_records_who_opened_it(self, opened, liaison_officer):
        change = PlanChange.objects.get(year=opened, kind=ChangeKind.OPEN)
        assert change.by == liaison_officer.user
        assert change.details["teams"] == 2
        assert change.details["assignments"] == 4

    def test_refuses_to_open_twice(self, cycle, opened, liaison_officer):
        with pytest.raises(ValidationError, match=f"{NEXT} 年度已有专班"):
            adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)

    def test_keeps_the_rules_of_an_existing_empty_next_year(self, cycle, liaison_officer):
        existing = plans.year_create(year=NEXT)
        QuotaRule.objects.filter(year=existing, category="district").update(minimum=5, maximum=None)
        opened = adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
        assert opened == existing
        assert QuotaRule.objects.filter(year=opened, category="district", minimum=5).count() == 2

    def test_a_year_without_teams_cannot_be_adjusted(self, liaison_officer):
        empty = plans.year_create(year=THIS)
        with pytest.raises(ValidationError, match="没有专班"):
            adjustments.plan_open_next(source=empty, by=liaison_officer.user)


class TestTargetChanges:
    def test_remove_needs_a_reason(self, opened, leader):
        assignment = team_of(opened, leader).assignments.get(organization__name="和平区科协")
        with pytest.raises(ValidationError, match="请填写调整原因"):
            adjustments.target_remove(assignment=assignment, by=None, reason="  ")
        assignment.refresh_from_db()
        assert assignment.end_date is None

    def test_remove_ends_the_assignment_and_records_who_and_why(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        assignment = team.assignments.get(organization__name="和平区科协")
        change = adjustments.target_remove(
            assignment=assignment, by=liaison_officer.user, reason="该区科协已撤并", end_reason="dissolved"
        )
        assignment.refresh_from_db()
        assert assignment.end_reason == "dissolved"
        assert assignment.end_note == "该区科协已撤并"
        assert assignment.end_date == assignment.start_date  # a plan not yet in force: never takes effect
        assert "和平区科协" not in in_force_names(team)
        assert (change.kind, change.old_target, change.reason, change.by) == (
            ChangeKind.REMOVE,
            "和平区科协",
            "该区科协已撤并",
            liaison_officer.user,
        )
        assert change.at is not None

    def test_add_records_the_reason_on_the_assignment_too(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        new = OrganizationFactory(kind=OrgKind.ENTERPRISE, name="辽川重工科协")
        change = adjustments.target_add(
            team=team, by=liaison_officer.user, reason="明年重点企业", organization=new
        )
        added = team.assignments.get(organization=new)
        assert added.category == "enterprise"
        assert added.note == "明年重点企业"
        assert change.new_target == "辽川重工科协"

    def test_adding_a_target_twice_is_refused_in_chinese(self, opened, leader):
        team = team_of(opened, leader)
        with pytest.raises(ValidationError, match="该组织已是本专班的联系对象"):
            adjustments.target_add(
                team=team, by=None, reason="重复", organization=team.assignments.first().target
            )

    def test_replace_ends_one_and_adds_the_other_in_one_step(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        old = team.assignments.get(scientist__name="张院士")
        new = ScientistFactory(name="钱院士", category="academician")
        change = adjustments.target_replace(
            assignment=old, by=liaison_officer.user, reason="张院士调往外省", scientist=new
        )
        assert in_force_names(team) == {"和平区科协", "辽川市医学会", "钱院士"}
        assert (change.old_target, change.new_target, change.category) == ("张院士", "钱院士", "expert")
        old.refresh_from_db()
        assert "钱院士" in old.end_note

    def test_replacing_a_target_by_itself_is_refused(self, opened, leader, cycle):
        old = team_of(opened, leader).assignments.get(scientist__name="张院士")
        with pytest.raises(ValidationError, match="不能与原对象相同"):
            adjustments.target_replace(assignment=old, by=None, reason="x", scientist=cycle.zhang)


class TestTeamChanges:
    def test_changing_the_lead_renames_a_default_name_and_says_what_changed(
        self, opened, leader, dept_staff, liaison_officer
    ):
        team = team_of(opened, leader)
        successor = make_leader("孙主席")
        change = adjustments.team_update(
            team=team,
            by=liaison_officer.user,
            reason="王主席退休，由孙主席牵头",
            lead=successor,
            members=[dept_staff, liaison_officer],
            name=team.name,
            notes="",
        )
        team.refresh_from_db()
        assert team.lead == successor
        assert team.name == "孙主席专班"
        assert set(team.members.all()) == {dept_staff, liaison_officer}
        assert "负责人由王领导（副主席）改为孙主席（副主席）" in change.details["text"]
        assert "增加成员刘联络" in change.details["text"]

    def test_no_change_is_refused(self, opened, leader, dept_staff):
        team = team_of(opened, leader)
        with pytest.raises(ValidationError, match="没有任何改动"):
            adjustments.team_update(
                team=team, by=None, reason="x", lead=leader, members=[dept_staff], name=team.name, notes=""
            )

    def test_add_a_team_for_a_new_leader(self, opened, liaison_officer):
        newcomer = make_leader("新领导")
        change = adjustments.team_add(
            year=opened, by=liaison_officer.user, reason="新任副主席", lead=newcomer, members=[]
        )
        assert change.team.name == "新领导专班"
        assert change.kind == ChangeKind.TEAM_ADD

    def test_close_a_team_keeps_its_names_in_the_record(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        change = adjustments.team_close(team=team, by=liaison_officer.user, reason="负责人退休")
        assert not Team.objects.filter(pk=team.pk).exists()
        assert not Assignment.objects.filter(team_id=team.pk).exists()
        change.refresh_from_db()
        assert change.team is None
        assert change.team_name == "王领导专班"
        assert set(change.details["targets"]) == {"和平区科协", "辽川市医学会", "张院士"}

    def test_a_team_with_contact_records_cannot_be_closed(self, cycle, leader, dept_staff):
        record(cycle.wang, cycle.year.first_day, dept_staff, [cycle.heping])
        with pytest.raises(ValidationError, match="已有联系记录"):
            adjustments.team_close(team=cycle.wang, by=None, reason="x")


class TestProposals:
    def test_a_lead_or_member_proposes_for_their_own_team_only(self, opened, leader, dept_staff, outsider):
        own = team_of(opened, leader)
        other = Team.objects.filter(year=opened).exclude(pk=own.pk).get()
        new = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
        proposal = adjustments.proposal_create(
            team=own, by=leader.user, kind="add", reason="联系药学界", organization=new
        )
        assert proposal.status == ProposalStatus.PENDING
        by_member = adjustments.proposal_create(team=own, by=dept_staff.user, kind="other", reason="增加成员")
        assert by_member.proposed_by == dept_staff.user  # 陈干部 is a member of 王领导专班
        with pytest.raises(ValidationError, match="只有本专班的负责人和成员"):
            adjustments.proposal_create(team=other, by=leader.user, kind="other", reason="x")
        with pytest.raises(ValidationError, match="只有本专班的负责人和成员"):
            adjustments.proposal_create(team=own, by=outsider, kind="other", reason="x")
        assert ChangeProposal.objects.count() == 2

    def test_the_same_proposal_twice_is_made_once(self, opened, leader):
        team = team_of(opened, leader)
        adjustments.proposal_create(team=team, by=leader.user, kind="other", reason="增加成员")
        with pytest.raises(ValidationError, match="相同的建议已经提交"):
            adjustments.proposal_create(team=team, by=leader.user, kind="other", reason="增加成员")
        assert ChangeProposal.objects.count() == 1

    def test_accepting_makes_the_change_with_the_leads_reason(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        old = team.assignments.get(organization__name="辽川市医学会")
        new = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
        proposal = adjustments.proposal_create(
            team=team,
            by=leader.user,
            kind="replace",
            reason="医学会已由其他专班联系",
            assignment=old,
            organization=new,
        )
        change = adjustments.proposal_accept(proposal=proposal, by=liaison_officer.user)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ACCEPTED
        assert proposal.decided_by == liaison_officer.user
        assert change.proposal == proposal
        assert change.reason == "医学会已由其他专班联系（王领导建议）"
        assert "辽川市药学会" in in_force_names(team)
        with pytest.raises(ValidationError, match="已处理"):
            adjustments.proposal_accept(proposal=proposal, by=liaison_officer.user)

    def test_rejecting_needs_a_reason_and_changes_nothing(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        old = team.assignments.get(organization__name="和平区科协")
        proposal = adjustments.proposal_create(
            team=team, by=leader.user, kind="remove", reason="不再联系", assignment=old
        )
        with pytest.raises(ValidationError, match="不采纳的理由"):
            adjustments.proposal_reject(proposal=proposal, by=liaison_officer.user, note="")
        adjustments.proposal_reject(proposal=proposal, by=liaison_officer.user, note="区县须保留 2 个")
        assert ChangeProposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED
        assert "和平区科协" in in_force_names(team)

    def test_proposals_while_drafting_and_during_the_year_not_once_archived(
        self, cycle, leader, liaison_officer
    ):
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.APPROVED)
        team = Team.objects.get(pk=cycle.wang.pk)
        heping = team.assignments.get(organization__name="和平区科协")
        proposal = adjustments.proposal_create(
            team=team, by=leader.user, kind="remove", reason="已撤并", assignment=heping
        )
        adjustments.proposal_accept(proposal=proposal, by=liaison_officer.user)  # a recorded mid-year change
        heping.refresh_from_db()
        assert heping.end_reason == "adjusted"
        assert heping.end_note == "已撤并（王领导建议）"
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.ARCHIVED)
        team = Team.objects.get(pk=cycle.wang.pk)
        with pytest.raises(ValidationError, match="已归档，不能再提出调整建议"):
            adjustments.proposal_create(team=team, by=leader.user, kind="other", reason="x")


class TestComparison:
    def test_kept_added_removed_replaced_with_reasons(self, opened, leader, liaison_officer):
        team = team_of(opened, leader)
        adjustments.target_remove(
            assignment=team.assignments.get(organization__name="和平区科协"),
            by=liaison_officer.user,
            reason="已撤并",
        )
        adjustments.target_add(
            team=team,
            by=liaison_officer.user,
            reason="重点企业",
            organization=OrganizationFactory(kind=OrgKind.ENTERPRISE, name="辽川重工科协"),
        )
        adjustments.target_replace(
            assignment=team.assignments.get(scientist__name="张院士"),
            by=liaison_officer.user,
            reason="调往外省",
            scientist=ScientistFactory(name="钱院士", category="academician"),
        )
        comparison = compare_years(opened)
        row = next(t for t in comparison.teams if t.team == team)
        assert row.kept == ["辽川市医学会"]
        assert [(c.new, c.reason, c.by) for c in row.added] == [("辽川重工科协", "重点企业", "刘联络")]
        removed = {c.old: c.reason for c in row.removed}
        assert removed["和平区科协"] == "已撤并"
        assert "停用" in removed["停用学会"]
        assert [(c.old, c.new, c.reason) for c in row.replaced] == [("张院士", "钱院士", "调往外省")]
        assert row.status == "changed"
        assert comparison.total("replaced") == 1

    def test_new_and_closed_teams_and_lead_changes(self, opened, leader, liaison_officer, cycle):
        adjustments.team_close(
            team=team_of(opened, cycle.li.lead), by=liaison_officer.user, reason="部室撤并"
        )
        newcomer = make_leader("新领导")
        adjustments.team_add(
            year=opened, by=liaison_officer.user, reason="新任副主席", lead=newcomer, members=[]
        )
        wang = team_of(opened, leader)
        adjustments.team_update(
            team=wang,
            by=liaison_officer.user,
            reason="交接",
            lead=make_leader("孙主席"),
            members=[],
            name=wang.name,
        )
        comparison = compare_years(opened)
        by_status = {t.status: t for t in comparison.teams}
        assert by_status["closed"].name == "李部长专班"
        assert by_status["closed"].team_reasons[0].reason == "部室撤并"
        assert [c.old for c in by_status["closed"].removed] == ["铁西区科协"]
        assert by_status["new"].name == "新领导专班"
        changed = next(t for t in comparison.teams if t.team == wang)
        assert changed.team_changes[0] == "负责人：王领导（副主席） → 孙主席（副主席）"
        assert "减少成员：陈干部、离职干部" in changed.team_changes
        assert comparison.new_teams == 1
        assert comparison.closed_teams == 1

    def test_the_quota_check_of_the_draft_shows_who_would_fall_short(self, opened):
        comparison = compare_years(opened)
        assert {t.name for t in comparison.short_teams} == {"王领导专班", "李部长专班"}

    def test_a_year_without_a_previous_one_compares_with_nothing(self, db):
        year = plans.year_create(year=THIS)
        make_team(year, make_leader("甲"))
        comparison = compare_years(year)
        assert comparison.previous is None
        assert comparison.teams[0].status == "new"
