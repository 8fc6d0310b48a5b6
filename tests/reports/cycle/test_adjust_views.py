"""Pages of the yearly adjustment: what each role sees and may do, forms that keep input, locks, refusals,
the comparison page, and fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import Assignment, Team, Year, YearStatus
from liaison.plan import services as plans
from orgs.models import OrgKind
from reports.cycle import adjustments, approval
from reports.models import ChangeKind, ChangeProposal, PlanChange, ProposalStatus
from tests.conftest import count_queries
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory
from tests.liaison.plan.factories import make_leader
from tests.pages import form_data
from tests.reports.cycle.factories import NEXT, THIS, make_cycle

pytestmark = pytest.mark.django_db

READERS = ["leader_client", "staff_client", "outsider_client"]


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


@pytest.fixture
def opened(cycle, liaison_officer):
    return adjustments.plan_open_next(source=cycle.year, by=liaison_officer.user)


@pytest.fixture
def wang(opened, leader):
    return Team.objects.get(year=opened, lead=leader)


@pytest.fixture
def li(opened, cycle):
    return Team.objects.get(year=opened, lead=cycle.li.lead)


def target(team: Team, name: str) -> Assignment:
    return team.assignments.in_force_at_year_end().get(organization__name=name)


class TestOpenNext:
    def test_liaison_office_opens_next_year(self, liaison_client, cycle):
        response = liaison_client.post(reverse("reports:open_next", args=[THIS]))
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:adjustment", args=[NEXT])
        assert Team.objects.filter(year__year=NEXT).count() == 2
        again = liaison_client.post(reverse("reports:open_next", args=[THIS]), follow=True)
        assert f"{NEXT} 年度已有专班，年度调整已经开启" in again.content.decode()

    @pytest.mark.parametrize("client_name", READERS)
    def test_others_cannot_open_it(self, request, client_name, cycle):
        client = request.getfixturevalue(client_name)
        assert client.post(reverse("reports:open_next", args=[THIS])).status_code == 403
        assert not Year.objects.filter(year=NEXT).exists()

    def test_opening_needs_post(self, liaison_client, cycle):
        assert liaison_client.get(reverse("reports:open_next", args=[THIS])).status_code == 405

    def test_the_year_page_offers_it_to_the_office_only(self, liaison_client, staff_client, cycle):
        url = reverse("liaison:year_detail", args=[THIS])
        assert f"开启 {NEXT} 年度调整" in liaison_client.get(url).content.decode()
        assert f"开启 {NEXT} 年度调整" not in staff_client.get(url).content.decode()

    def test_an_empty_next_year_offers_the_opening(self, liaison_client, cycle):
        plans.year_create(year=NEXT)
        text = liaison_client.get(reverse("reports:adjustment", args=[NEXT])).content.decode()
        assert f"由 {THIS} 年度开启调整" in text


class TestOverview:
    def test_lists_teams_with_their_quota_check(self, staff_client, opened):
        response = staff_client.get(reverse("reports:adjustment", args=[NEXT]))
        text = response.content.decode()
        assert "王领导专班" in text
        assert "李部长专班" in text
        assert "配额不足" in text  # a plan's check is about the quota, not 达标
        assert "开启调整" in text  # the recorded opening is the latest change
        assert "新设专班" not in text

    def test_runs_a_fixed_number_of_queries(self, liaison_client, opened, liaison_officer):
        url = reverse("reports:adjustment", args=[NEXT])
        few = count_queries(liaison_client, url)
        for i in range(6):
            change = adjustments.team_add(
                year=opened, by=liaison_officer.user, reason="新任", lead=make_leader(f"新{i}"), members=[]
            )
            adjustments.target_add(
                team=change.team, by=liaison_officer.user, reason="新增", organization=OrganizationFactory()
            )
        assert count_queries(liaison_client, url) == few


class TestTeamPage:
    def test_the_office_sees_the_change_forms(self, liaison_client, wang):
        text = liaison_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert "确认移除" in text
        assert "保存调整" in text
        assert "撤销本专班" in text
        assert "建议移除" not in text
        assert (
            f'延续自 <a href="{Team.objects.get(year__year=THIS, lead=wang.lead).get_absolute_url()}">'
            in text
        )

    def test_the_lead_sees_proposal_forms_for_their_own_team_only(self, leader_client, wang, li):
        own = leader_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert "建议移除" in own
        assert "建议新增或替换联系对象" in own
        assert "确认移除" not in own
        other = leader_client.get(reverse("reports:adjust_team", args=[li.pk])).content.decode()
        assert "建议移除" not in other
        assert "提交建议" not in other

    def test_a_member_proposes_but_does_not_change(self, staff_client, wang):
        text = staff_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert "和平区科协" in text
        assert "确认移除" not in text
        assert "提交建议" in text  # 陈干部 is a member of 王领导专班 (issue 18 §3: lead and members propose)

    def test_others_only_read(self, outsider_client, wang):
        text = outsider_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert "和平区科协" in text
        assert "确认移除" not in text
        assert "提交建议" not in text

    def test_runs_a_fixed_number_of_queries(self, leader_client, wang, leader, liaison_officer):
        url = reverse("reports:adjust_team", args=[wang.pk])
        adjustments.proposal_create(team=wang, by=leader.user, kind="other", reason="一")
        adjustments.target_add(
            team=wang, by=liaison_officer.user, reason="一", organization=OrganizationFactory()
        )
        few = count_queries(leader_client, url)
        for i in range(5):
            adjustments.target_add(
                team=wang,
                by=liaison_officer.user,
                reason=f"{i}",
                scientist=ScientistFactory(category="frontline"),
            )
            adjustments.proposal_create(team=wang, by=leader.user, kind="other", reason=f"{i}")
        assert count_queries(leader_client, url) == few

    def test_unknown_team_is_404(self, staff_client, opened):
        assert staff_client.get(reverse("reports:adjust_team", args=[999999])).status_code == 404


class TestOfficeChanges:
    def test_remove_with_a_reason(self, liaison_client, wang, liaison_officer):
        assignment = target(wang, "和平区科协")
        response = liaison_client.post(
            reverse("reports:target_remove", args=[wang.pk]),
            {"assignment": assignment.pk, "end_reason": "dissolved", "reason": "区划调整撤并"},
        )
        assert response.status_code == 302
        change = PlanChange.objects.get(kind=ChangeKind.REMOVE, old_target="和平区科协")
        assert (change.reason, change.by) == ("区划调整撤并", liaison_officer.user)
        page = liaison_client.get(response["Location"]).content.decode()
        assert "移除“和平区科协”" in page

    def test_remove_without_a_reason_explains_and_keeps_the_choice(self, liaison_client, wang):
        assignment = target(wang, "和平区科协")
        response = liaison_client.post(
            reverse("reports:target_remove", args=[wang.pk]),
            {"assignment": assignment.pk, "end_reason": "transferred", "reason": ""},
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "请填写调整原因" in text
        assert '<option value="transferred" selected>' in text
        assert assignment.__class__.objects.get(pk=assignment.pk).end_date is None

    def test_add_and_replace(self, liaison_client, wang):
        new = OrganizationFactory(kind=OrgKind.ENTERPRISE, name="辽川重工科协")
        response = liaison_client.post(
            reverse("reports:target_add", args=[wang.pk]), {"target": f"org:{new.pk}", "reason": "重点企业"}
        )
        assert response.status_code == 302
        assert wang.assignments.get(organization=new).note == "重点企业"
        other = ScientistFactory(name="钱院士", category="academician")
        old = wang.assignments.get(scientist__name="张院士")
        response = liaison_client.post(
            reverse("reports:target_add", args=[wang.pk]),
            {"target": f"sci:{other.pk}", "replaces": old.pk, "reason": "调往外省"},
        )
        assert response.status_code == 302
        change = PlanChange.objects.get(kind=ChangeKind.REPLACE)
        assert (change.old_target, change.new_target) == ("张院士", "钱院士")

    def test_add_without_a_target_keeps_the_reason(self, liaison_client, wang):
        response = liaison_client.post(reverse("reports:target_add", args=[wang.pk]), {"reason": "重点企业"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "请先搜索并选择" in text
        assert "重点企业</textarea>" in text

    def test_change_the_lead_and_members(self, liaison_client, wang, dept_staff):
        url = reverse("reports:team_change", args=[wang.pk])
        page = liaison_client.get(url)
        assert page.status_code == 200
        opened = form_data(page.content, "version")  # the version and values the page was opened with
        successor = make_leader("孙主席")
        missing = liaison_client.post(
            url, {**opened, "lead": successor.pk, "name": wang.name, "members": [dept_staff.pk]}
        )
        assert missing.status_code == 200
        assert "请填写调整原因" in missing.content.decode()
        response = liaison_client.post(
            url,
            {
                **opened,
                "lead": successor.pk,
                "name": wang.name,
                "members": [dept_staff.pk],
                "reason": "王领导退休",
            },
        )
        assert response.status_code == 302
        wang.refresh_from_db()
        assert (wang.lead, wang.name) == (successor, "孙主席专班")

    def test_new_team_and_closing_one(self, liaison_client, opened, li):
        newcomer = make_leader("新领导")
        response = liaison_client.post(
            reverse("reports:team_new", args=[NEXT]),
            {"lead": newcomer.pk, "name": "", "reason": "新任副主席"},
        )
        assert response.status_code == 302
        assert Team.objects.filter(year=opened, lead=newcomer).exists()
        missing = liaison_client.post(reverse("reports:team_close", args=[li.pk]), {"reason": ""})
        assert missing.status_code == 200
        assert "请填写撤销原因" in missing.content.decode()
        response = liaison_client.post(reverse("reports:team_close", args=[li.pk]), {"reason": "部室撤并"})
        assert response.status_code == 302
        assert not Team.objects.filter(pk=li.pk).exists()


class TestProposals:
    def test_the_lead_proposes_and_the_office_accepts(self, leader_client, liaison_client, wang):
        assignment = target(wang, "和平区科协")
        url = reverse("reports:proposal_create", args=[wang.pk])
        missing = leader_client.post(url, {"kind": "remove", "assignment": assignment.pk, "reason": ""})
        assert missing.status_code == 200
        assert "请填写理由" in missing.content.decode()
        response = leader_client.post(
            url, {"kind": "remove", "assignment": assignment.pk, "reason": "已撤并"}
        )
        assert response.status_code == 302
        proposal = ChangeProposal.objects.get()
        assert proposal.summary == "移除“和平区科协”"
        assert leader_client.post(reverse("reports:proposal_accept", args=[proposal.pk])).status_code == 403
        response = liaison_client.post(
            reverse("reports:proposal_accept", args=[proposal.pk]), {"note": "同意"}
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decision_note) == (ProposalStatus.ACCEPTED, "同意")
        assignment.refresh_from_db()
        assert assignment.end_date is not None

    def test_a_proposal_to_add_in_place_of_another(self, leader_client, wang):
        new = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
        old = target(wang, "辽川市医学会")
        response = leader_client.post(
            reverse("reports:proposal_create", args=[wang.pk]),
            {"kind": "add", "target": f"org:{new.pk}", "assignment": old.pk, "reason": "换一个学会"},
        )
        assert response.status_code == 302
        assert ChangeProposal.objects.get().summary == "以“辽川市药学会”替换“辽川市医学会”"

    def test_rejecting_needs_a_reason(self, leader_client, liaison_client, wang):
        leader_client.post(
            reverse("reports:proposal_create", args=[wang.pk]), {"kind": "other", "reason": "增加成员"}
        )
        proposal = ChangeProposal.objects.get()
        response = liaison_client.post(reverse("reports:proposal_reject", args=[proposal.pk]), follow=True)
        assert "请填写不采纳的理由" in response.content.decode()
        liaison_client.post(reverse("reports:proposal_reject", args=[proposal.pk]), {"note": "人手不足"})
        assert ChangeProposal.objects.get().status == ProposalStatus.REJECTED

    @pytest.mark.parametrize("client_name", ["outsider_client", "liaison_client"])
    def test_only_the_teams_lead_and_members_propose(self, request, client_name, wang):
        client = request.getfixturevalue(client_name)
        response = client.post(
            reverse("reports:proposal_create", args=[wang.pk]), {"kind": "other", "reason": "x"}
        )
        assert response.status_code == 403
        assert not ChangeProposal.objects.exists()

    def test_a_lead_cannot_propose_for_another_team(self, leader_client, li):
        response = leader_client.post(
            reverse("reports:proposal_create", args=[li.pk]), {"kind": "other", "reason": "x"}
        )
        assert response.status_code == 403


@pytest.mark.parametrize("client_name", READERS)
def test_readers_cannot_change_the_plan(request, client_name, opened, wang, li, leader):
    client = request.getfixturevalue(client_name)
    proposal = adjustments.proposal_create(team=wang, by=leader.user, kind="other", reason="增加成员")
    assignment = target(wang, "和平区科协")
    new = OrganizationFactory()
    posts = [
        (reverse("reports:target_remove", args=[wang.pk]), {"assignment": assignment.pk, "reason": "x"}),
        (reverse("reports:target_add", args=[wang.pk]), {"target": f"org:{new.pk}", "reason": "x"}),
        (reverse("reports:team_change", args=[wang.pk]), {"lead": wang.lead_id, "reason": "x"}),
        (reverse("reports:team_new", args=[NEXT]), {"lead": make_leader("新").pk, "reason": "x"}),
        (reverse("reports:team_close", args=[li.pk]), {"reason": "x"}),
        (reverse("reports:proposal_accept", args=[proposal.pk]), {}),
        (reverse("reports:proposal_reject", args=[proposal.pk]), {"note": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    for url in [reverse("reports:team_change", args=[wang.pk]), reverse("reports:team_new", args=[NEXT])]:
        assert client.get(url).status_code == 403, url
    assert Team.objects.filter(year=opened).count() == 2
    assert not PlanChange.objects.exclude(kind__in=[ChangeKind.OPEN, ChangeKind.REMOVE]).exists()
    assert ChangeProposal.objects.get().status == ProposalStatus.PENDING


def test_state_changes_need_post(liaison_client, wang):
    for name in ["target_remove", "target_add", "team_close", "proposal_create"]:
        assert liaison_client.get(reverse(f"reports:{name}", args=[wang.pk])).status_code == 405, name


class TestLocked:
    @pytest.fixture
    def locked(self, opened, liaison_officer):
        approval.plan_submit(year=opened, by=liaison_officer.user)
        return opened

    def test_changes_to_a_submitted_plan_are_refused_with_the_reason(self, liaison_client, locked, wang):
        assignment = target(wang, "和平区科协")
        response = liaison_client.post(
            reverse("reports:target_remove", args=[wang.pk]), {"assignment": assignment.pk, "reason": "x"}
        )
        assert response.status_code == 200
        assert "已报审，处于锁定状态" in response.content.decode()
        assignment.refresh_from_db()
        assert assignment.end_date is None
        page = liaison_client.get(reverse("reports:adjust_team", args=[wang.pk])).content.decode()
        assert 'data-testid="locked"' in page
        assert "确认移除" not in page
        response = liaison_client.get(reverse("reports:team_change", args=[wang.pk]), follow=True)
        assert "已报审，处于锁定状态" in response.content.decode()

    def test_the_plan_pages_are_locked_too(self, liaison_client, locked, wang):
        page = liaison_client.get(wang.get_absolute_url()).content.decode()
        assert 'data-testid="locked"' in page
        assert "添加联系对象" not in page
        response = liaison_client.post(
            reverse("liaison:assignment_add", args=[wang.pk]), {"target": f"org:{OrganizationFactory().pk}"}
        )
        assert "已报审，处于锁定状态" in response.content.decode()


class TestComparePage:
    def test_shows_changes_with_reasons_and_the_quota_check(self, staff_client, wang, li, liaison_officer):
        adjustments.target_remove(
            assignment=target(wang, "和平区科协"), by=liaison_officer.user, reason="区划调整"
        )
        adjustments.team_close(team=li, by=liaison_officer.user, reason="部室撤并")
        text = staff_client.get(reverse("reports:compare", args=[NEXT])).content.decode()
        assert f"{NEXT} 年度分工与 {THIS} 年度对照" in text
        assert "区划调整" in text
        assert "部室撤并" in text
        assert "撤销" in text
        assert "报审前请注意" in text
        assert "停用学会" in text

    def test_runs_a_fixed_number_of_queries(self, staff_client, opened, wang, liaison_officer, dept_staff):
        url = reverse("reports:compare", args=[NEXT])
        adjustments.target_remove(assignment=target(wang, "和平区科协"), by=liaison_officer.user, reason="x")
        few = count_queries(staff_client, url)
        for i in range(6):
            head = StaffFactory(name=f"部长{i}", department=dept_staff.department, position="department_head")
            change = adjustments.team_add(
                year=opened, by=liaison_officer.user, reason="新设", lead=head, members=[]
            )
            adjustments.target_add(
                team=change.team, by=liaison_officer.user, reason="新增", organization=OrganizationFactory()
            )
        adjustments.target_remove(
            assignment=target(wang, "辽川市医学会"), by=liaison_officer.user, reason="y"
        )
        assert count_queries(staff_client, url) == few
        assert few <= 20


def test_an_approved_plan_is_changed_on_the_adjustment_pages(liaison_client, cycle, liaison_officer):
    approval.plan_submit(year=cycle.year, by=liaison_officer.user)
    approval.plan_approve(
        year=cycle.year,
        by=liaison_officer.user,
        approved_on=timezone.localdate(),
        document_number="沈科协〔2026〕37号",
    )
    assert Year.objects.get(pk=cycle.year.pk).status == YearStatus.APPROVED
    response = liaison_client.get(reverse("liaison:team_edit", args=[cycle.wang.pk]))
    assert response["Location"] == reverse("reports:adjust_team", args=[cycle.wang.pk])
    response = liaison_client.post(
        reverse("reports:target_remove", args=[cycle.wang.pk]),
        {"assignment": cycle.wang.assignments.get(organization=cycle.heping).pk, "reason": "年中撤并"},
    )
    assert response.status_code == 302
    history = liaison_client.get(reverse("reports:history", args=[THIS])).content.decode()
    assert "年中撤并" in history
