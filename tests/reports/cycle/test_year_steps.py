"""The year's steps joined up (issue 18 §3), on hand-built data:

- a year without a plan compares with nothing, on every page that shows the comparison;
- the team's adjustment page shows each target's contacts of the year and the last one, and warns beside a
  target that another team of the same kind has too, naming it — in a fixed number of queries;
- the submit dialog names the teams that will fall short of the quota, with their shortfalls;
- a team's lead and members propose from the team's page (调整与建议), in a draft year and during the year;
  the proposal lands in the liaison office's list with its status; everyone else is refused.
"""

from __future__ import annotations

import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Team, TeamKind, Year, YearStatus
from liaison.plan import services as plans
from liaison.plan.services import RuleSpec
from orgs.models import OrgKind
from reports.cycle import adjustments
from reports.cycle.comparison import compare_years
from reports.cycle.party_workbook import plan_workbook_bytes
from reports.models import ChangeKind, ChangeProposal, PlanChange, ProposalStatus
from tests.conftest import count_queries
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.pages import form_data
from tests.reports.cycle.factories import NEXT, THIS, make_cycle
from tests.reports.review.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


def target_item(page: str, name: str) -> str:
    """The <li> of one target on the adjustment page (its name, contacts and warning)."""
    match = re.search(rf'<li[^>]*data-target-name="{re.escape(name)}".*?</li>', page, re.S)
    assert match, name
    return match.group(0)


def day(month: int, date: int) -> datetime.date:
    return datetime.date(THIS, month, date)


# --- no comparison without a plan -----------------------------------------------------------------------


class TestNoComparisonWithoutAPlan:
    def test_a_new_blank_year_shows_no_comparison_on_any_page(self, liaison_client, cycle):
        plans.year_create(year=NEXT)  # 空白年度: no teams
        comparison = compare_years(Year.objects.get(year=NEXT))
        assert not comparison.available
        assert comparison.teams == []  # not last year's two teams as if closed
        compare = liaison_client.get(reverse("reports:compare", args=[NEXT])).content.decode()
        assert f"{NEXT} 年度还没有专班，暂无与上年度的对照。" in compare
        assert 'data-testid="compare-totals"' not in compare
        assert 'data-testid="compare-team"' not in compare
        assert "撤销" not in compare
        year_page = liaison_client.get(reverse("liaison:year_detail", args=[NEXT])).content.decode()
        assert reverse("reports:compare", args=[NEXT]) not in year_page
        approval = liaison_client.get(reverse("reports:approval", args=[NEXT])).content.decode()
        assert "本年度还没有专班。" in approval
        assert "查看与上年度的对照" not in approval
        book = load_workbook(io.BytesIO(plan_workbook_bytes(Year.objects.get(year=NEXT))))
        assert book["调整情况"]["A4"].value == f"{NEXT} 年度还没有专班，暂无与上年度的对照。"

    def test_a_year_after_one_without_teams_says_last_year_has_no_data(self, liaison_client, cycle):
        plans.year_create(year=NEXT)
        later = plans.year_create(year=NEXT + 1)
        make_team(later, make_leader("孙副主席"))
        text = liaison_client.get(reverse("reports:compare", args=[NEXT + 1])).content.decode()
        assert f"上一年度无数据：{NEXT} 年度没有分工，无可对照的内容。" in text
        assert "新设" not in text  # no team is "new" against a year that had none
        assert "孙副主席专班" in text  # still named where it falls short of the quota
        assert 'data-testid="short-teams"' in text

    def test_a_carried_year_still_compares(self, liaison_client, cycle, liaison_officer):
        adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
        text = liaison_client.get(reverse("reports:compare", args=[NEXT])).content.decode()
        assert 'data-testid="compare-team"' in text
        assert f"{NEXT} 年度分工与 {THIS} 年度对照" in text
        year_page = liaison_client.get(reverse("liaison:year_detail", args=[NEXT])).content.decode()
        assert reverse("reports:compare", args=[NEXT]) in year_page


# --- the adjustment page: contacts and shared targets ---------------------------------------------------


class TestTargetsOnTheAdjustmentPage:
    def test_each_target_shows_its_contacts_of_the_year_and_the_last(self, liaison_client, cycle, dept_staff):
        record(cycle.wang, day(3, 3), dept_staff, [cycle.heping])
        record(cycle.wang, day(5, 8), dept_staff, [cycle.heping, cycle.zhang])
        record(cycle.wang, day(6, 1), dept_staff, [cycle.medical], draft=True)  # a draft counts for nothing
        record(cycle.li, day(7, 1), dept_staff, [cycle.heping])  # another team's record is not wang's contact
        page = liaison_client.get(reverse("reports:adjust_team", args=[cycle.wang.pk])).content.decode()
        assert f"{THIS} 年联系 2 次 · 最近 {THIS}-05-08" in target_item(page, "和平区科协")
        assert f"{THIS} 年联系 1 次 · 最近 {THIS}-05-08" in target_item(page, "张院士")
        assert f"{THIS} 年尚未联系" in target_item(page, "辽川市医学会")
        # the page's badge is the plan's quota check, not 达标 (which needs the stored figures)
        assert 'data-testid="quota-badge">配额不足' in page
        assert 'data-testid="badge"' not in page

    def test_a_plan_drafted_ahead_shows_the_contacts_of_the_team_it_came_from(
        self, liaison_client, cycle, dept_staff, liaison_officer
    ):
        record(cycle.wang, day(4, 9), dept_staff, [cycle.heping])
        adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)
        wang = Team.objects.get(year__year=NEXT, lead=cycle.wang.lead)
        page = liaison_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert f"各对象下方是其在 {THIS} 年的联系情况" in page
        assert f"{THIS} 年联系 1 次 · 最近 {THIS}-04-09" in target_item(page, "和平区科协")
        assert f"{THIS} 年尚未联系" in target_item(page, "张院士")

    def test_a_target_of_another_team_of_the_same_kind_is_warned_beside_it(self, liaison_client, cycle):
        li_fu = make_team(cycle.year, make_leader("李副主席"))  # a leader team, as 王领导专班
        plans.assignment_add(team=li_fu, by=None, organization=cycle.heping)
        plans.assignment_add(team=li_fu, by=None, scientist=cycle.zhang)
        plans.assignment_add(team=cycle.li, by=None, organization=cycle.medical)  # a department team: allowed
        page = liaison_client.get(reverse("reports:adjust_team", args=[cycle.wang.pk])).content.decode()
        assert "注意：也是同类专班“李副主席专班”的联系对象" in target_item(page, "和平区科协")
        assert "注意：也是同类专班“李副主席专班”的联系对象" in target_item(page, "张院士")
        assert "注意" not in target_item(page, "辽川市医学会")
        other = liaison_client.get(reverse("reports:adjust_team", args=[li_fu.pk])).content.decode()
        assert "注意：也是同类专班“王领导专班”的联系对象" in target_item(other, "和平区科协")
        department = liaison_client.get(reverse("reports:adjust_team", args=[cycle.li.pk])).content.decode()
        assert "注意" not in target_item(department, "辽川市医学会")

    def test_the_page_runs_a_fixed_number_of_queries(self, liaison_client, cycle, dept_staff):
        url = reverse("reports:adjust_team", args=[cycle.wang.pk])
        record(cycle.wang, day(3, 3), dept_staff, [cycle.heping])
        li_fu = make_team(cycle.year, make_leader("李副主席"))
        plans.assignment_add(
            team=li_fu, by=None, organization=cycle.heping
        )  # one of each kind shared already
        plans.assignment_add(team=li_fu, by=None, scientist=cycle.zhang)
        few = count_queries(liaison_client, url)
        for i in range(5):
            society = OrganizationFactory(kind=OrgKind.SOCIETY, name=f"学会{i}")
            expert = ScientistFactory(name=f"专家{i}", category="renowned")
            for team in (cycle.wang, li_fu):
                plans.assignment_add(team=team, by=None, organization=society)
                plans.assignment_add(team=team, by=None, scientist=expert)
            record(cycle.wang, day(4, i + 1), dept_staff, [society, expert])
        page = liaison_client.get(url).content.decode()
        assert f"{THIS} 年联系 1 次 · 最近 {THIS}-04-05" in target_item(page, "学会4")
        assert page.count("注意：也是同类专班“李副主席专班”的联系对象") == 12
        assert count_queries(liaison_client, url) == few


# --- the submit dialog ----------------------------------------------------------------------------------


def confirm_text(page: str) -> str:
    match = re.search(r'data-testid="submit-form"', page)
    assert match
    form = page[page.rfind("<form", 0, match.start()) : match.end()]
    return html.unescape(re.search(r'data-confirm="([^"]*)"', form).group(1))


class TestSubmitDialog:
    @pytest.fixture
    def small_rules(self, cycle):
        """王领导专班 (leader) needs 2 districts and has 1; 李部长专班 (department) needs 1 and has it."""
        plans.rules_replace(
            year=cycle.year, team_kind=TeamKind.LEADER, rules=[RuleSpec("district", 2)], visit_minimum=None
        )
        plans.rules_replace(
            year=cycle.year,
            team_kind=TeamKind.DEPARTMENT,
            rules=[RuleSpec("district", 1)],
            visit_minimum=None,
        )
        return cycle

    def test_it_names_the_teams_that_will_fall_short_with_their_shortfalls(self, liaison_client, small_rules):
        page = liaison_client.get(reverse("reports:approval", args=[THIS])).content.decode()
        question = confirm_text(page)
        assert "以下 1 个专班按报审的分工未达到联系定额：\n· 王领导专班：区县(市)科协 少 1 个" in question
        assert "李部长专班" not in question
        assert question.endswith("确定报审？")
        listed = re.search(r'data-testid="short-on-submit".*?</div>', page, re.S).group(0)
        assert "王领导专班</a>：区县(市)科协 少 1 个" in listed
        assert "李部长专班" not in listed

    def test_a_plan_that_meets_every_quota_says_so(self, liaison_client, small_rules):
        plans.assignment_add(
            team=small_rules.wang, by=None, organization=OrganizationFactory(kind="district")
        )
        page = liaison_client.get(reverse("reports:approval", args=[THIS])).content.decode()
        assert "各专班均达到联系定额。" in confirm_text(page)
        assert 'data-testid="short-on-submit"' not in page

    def test_the_dialog_is_the_offices(self, staff_client, small_rules):
        assert (
            'data-testid="submit-form"'
            not in staff_client.get(reverse("reports:approval", args=[THIS])).content.decode()
        )


# --- proposals from the team's page ---------------------------------------------------------------------


def propose(client, team: Team, **data):
    return client.post(reverse("reports:proposal_create", args=[team.pk]), {"back": "team", **data})


class TestProposalsFromTheTeamPage:
    def test_the_lead_proposes_an_addition_and_it_lands_in_the_offices_list(
        self, leader_client, liaison_client, cycle
    ):
        page = leader_client.get(cycle.wang.get_absolute_url()).content.decode()
        assert 'id="proposal-form"' in page
        assert 'href="#proposals">调整与建议</a>' in page
        pharmacy = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
        response = propose(
            leader_client,
            cycle.wang,
            kind="add",
            target=f"org:{pharmacy.pk}",
            assignment="",
            reason="联系药学界",
        )
        assert response.status_code == 302
        assert response["Location"] == f"{cycle.wang.get_absolute_url()}#proposals"
        proposal = ChangeProposal.objects.get()
        assert (proposal.kind, proposal.organization, proposal.status) == (
            "add",
            pharmacy,
            ProposalStatus.PENDING,
        )
        mine = leader_client.get(cycle.wang.get_absolute_url()).content.decode()
        assert "新增“辽川市药学会”" in mine
        assert "待处理" in mine
        office = liaison_client.get(reverse("reports:adjustment", args=[THIS])).content.decode()
        listed = re.search(r'data-testid="proposal-list".*?</section>', office, re.S).group(0)
        assert "王领导专班" in listed
        assert "新增“辽川市药学会”" in listed
        assert "理由：联系药学界" in listed
        assert "待处理" in listed

    def test_a_member_proposes_a_removal_and_free_text(self, staff_client, cycle):
        heping = cycle.wang.assignments.get(organization=cycle.heping)
        assert (
            propose(
                staff_client, cycle.wang, kind="remove", assignment=heping.pk, reason="已撤并"
            ).status_code
            == 302
        )
        assert propose(staff_client, cycle.wang, kind="other", reason="建议增加一名成员").status_code == 302
        summaries = {p.summary for p in ChangeProposal.objects.all()}
        assert summaries == {"移除“和平区科协”", "其他建议"}
        page = staff_client.get(cycle.wang.get_absolute_url()).content.decode()
        assert "理由：建议增加一名成员" in page

    def test_a_replacement_is_an_addition_naming_the_target_it_replaces(self, leader_client, cycle):
        medical = cycle.wang.assignments.get(organization=cycle.medical)
        pharmacy = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
        propose(
            leader_client,
            cycle.wang,
            kind="add",
            target=f"org:{pharmacy.pk}",
            assignment=medical.pk,
            reason="换",
        )
        assert ChangeProposal.objects.get().summary == "以“辽川市药学会”替换“辽川市医学会”"

    def test_errors_show_on_the_team_page_with_what_was_typed(self, leader_client, cycle):
        response = propose(leader_client, cycle.wang, kind="add", target="", reason="联系药学界，很重要")
        assert response.status_code == 200
        text = response.content.decode()
        assert "请先搜索并选择建议新增的基层组织或科技工作者。" in text
        assert "联系药学界，很重要</textarea>" in text
        assert 'id="proposal-kind-add" checked' in text
        heping = cycle.wang.assignments.get(organization=cycle.heping)
        response = propose(leader_client, cycle.wang, kind="remove", assignment=heping.pk, reason="")
        text = response.content.decode()
        assert "请填写理由。" in text
        assert f'<option value="{heping.pk}" selected>' in text
        assert not ChangeProposal.objects.exists()

    def test_a_double_click_makes_one_proposal(self, leader_client, cycle):
        propose(leader_client, cycle.wang, kind="other", reason="增加成员")
        again = propose(leader_client, cycle.wang, kind="other", reason="增加成员")
        assert again.status_code == 200
        assert "相同的建议已经提交，正在等待组织联络部处理。" in again.content.decode()
        assert ChangeProposal.objects.count() == 1

    def test_during_the_year_a_proposal_is_taken_up_as_a_recorded_adjustment(
        self, leader_client, liaison_client, cycle
    ):
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.APPROVED)
        assert 'id="proposal-form"' in leader_client.get(cycle.wang.get_absolute_url()).content.decode()
        heping = cycle.wang.assignments.get(organization=cycle.heping)
        assert (
            propose(
                leader_client, cycle.wang, kind="remove", assignment=heping.pk, reason="已撤并"
            ).status_code
            == 302
        )
        proposal = ChangeProposal.objects.get()
        year_page = liaison_client.get(reverse("liaison:year_detail", args=[THIS])).content.decode()
        assert f'href="{reverse("reports:adjustment", args=[THIS])}#proposals">调整与建议</a>' in year_page
        office = liaison_client.get(reverse("reports:adjustment", args=[THIS])).content.decode()
        assert "移除“和平区科协”" in re.search(
            r'data-testid="proposal-list".*?</section>', office, re.S
        ).group(0)
        liaison_client.post(reverse("reports:proposal_accept", args=[proposal.pk]), {"note": "同意"})
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ACCEPTED
        change = PlanChange.objects.get(proposal=proposal)
        assert (change.kind, change.old_target, change.reason) == (
            ChangeKind.REMOVE,
            "和平区科协",
            "已撤并（王领导建议）",
        )
        page = leader_client.get(cycle.wang.get_absolute_url()).content.decode()
        assert "已采纳" in page
        assert "同意" in page

    def test_an_archived_year_takes_no_proposals(self, leader_client, cycle):
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.ARCHIVED)
        page = leader_client.get(cycle.wang.get_absolute_url()).content.decode()
        assert 'id="proposal-form"' not in page
        assert "分工已归档，不能再提出调整建议" in page
        response = propose(leader_client, cycle.wang, kind="other", reason="x")
        assert "已归档，不能再提出调整建议" in response.content.decode()
        assert not ChangeProposal.objects.exists()

    @pytest.mark.parametrize("client_name", ["outsider_client", "liaison_client"])
    def test_others_are_refused(self, request, client_name, cycle):
        client = request.getfixturevalue(client_name)
        assert 'id="proposal-form"' not in client.get(cycle.wang.get_absolute_url()).content.decode()
        assert propose(client, cycle.wang, kind="other", reason="x").status_code == 403
        assert not ChangeProposal.objects.exists()

    def test_a_lead_is_refused_for_another_team(self, leader_client, cycle):
        assert 'id="proposal-form"' not in leader_client.get(cycle.li.get_absolute_url()).content.decode()
        assert propose(leader_client, cycle.li, kind="other", reason="x").status_code == 403
        assert not ChangeProposal.objects.exists()

    def test_proposing_needs_post_and_login(self, client, leader_client, cycle):
        url = reverse("reports:proposal_create", args=[cycle.wang.pk])
        assert leader_client.get(url).status_code == 405
        assert client.post(url, {"kind": "other", "reason": "x"}).status_code == 302  # to the login page
        assert not ChangeProposal.objects.exists()

    def test_the_team_page_runs_a_fixed_number_of_queries(self, leader_client, leader, dept_staff, cycle):
        url = cycle.wang.get_absolute_url()
        adjustments.proposal_create(team=cycle.wang, by=leader.user, kind="other", reason="一")
        few = count_queries(leader_client, url)
        for i in range(5):
            society = OrganizationFactory(kind=OrgKind.SOCIETY, name=f"学会{i}")
            plans.assignment_add(team=cycle.wang, by=None, organization=society)
            adjustments.proposal_create(
                team=cycle.wang,
                by=dept_staff.user,
                kind="add",
                reason=f"新增{i}",
                organization=OrganizationFactory(),
            )
            assignment = cycle.wang.assignments.get(organization=society)
            adjustments.proposal_create(
                team=cycle.wang, by=leader.user, kind="remove", reason=f"移除{i}", assignment=assignment
            )
        assert count_queries(leader_client, url) == few
        assert len(form_data(leader_client.get(url).content, "kind")) >= 3
