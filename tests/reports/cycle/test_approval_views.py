"""Pages of the approval workflow and the history: who may act, forms that keep input, the scan, the log."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from liaison.models import Team, Year, YearStatus
from liaison.plan import services as plans
from reports.cycle import adjustments, approval
from reports.models import PlanApproval, PlanTransition
from tests.conftest import count_queries
from tests.factories import OrganizationFactory
from tests.reports.cycle.factories import THIS, make_cycle
from tests.reports.cycle.test_approval import PDF

pytestmark = pytest.mark.django_db

READERS = ["leader_client", "staff_client", "outsider_client"]


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


def url(name: str, year: int = THIS) -> str:
    return reverse(f"reports:{name}", args=[year])


def status() -> str:
    return Year.objects.get(year=THIS).status


class TestApprovalPage:
    def test_everyone_reads_where_the_plan_stands(self, staff_client, cycle):
        text = staff_client.get(url("approval")).content.decode()
        assert "编制中：组织联络部汇总调整" in text
        assert "报审</button>" not in text  # the submit form is the office's

    def test_the_office_walks_the_plan_through(self, liaison_client, cycle):
        page = liaison_client.get(url("approval")).content.decode()
        assert '2 个专班，其中 <strong class="text-danger">2</strong> 个按现有对象配额不足' in page
        response = liaison_client.post(url("plan_submit"), {"note": "请党组审定"})
        assert response.status_code == 302
        assert status() == YearStatus.SUBMITTED
        missing = liaison_client.post(url("plan_withdraw"), {"reason": ""})
        assert missing.status_code == 200
        assert "请填写撤回原因" in missing.content.decode()
        liaison_client.post(url("plan_withdraw"), {"reason": "补充高校院所"})
        assert status() == YearStatus.DRAFT
        liaison_client.post(url("plan_submit"), {})
        response = liaison_client.post(
            url("plan_approve"),
            {
                "approved_on": timezone.localdate().isoformat(),
                "document_number": "沈科协〔2026〕37号",
                "scanned_file": SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response.status_code == 302
        assert status() == YearStatus.APPROVED
        text = liaison_client.get(url("approval")).content.decode()
        assert "沈科协〔2026〕37号" in text
        assert "纪要.pdf" in text
        assert [t.action_label for t in PlanTransition.objects.filter(year__year=THIS)] == [
            "登记审定",
            "报审",
            "撤回报审",
            "报审",
        ]
        assert "撤回报审</strong>（已报审 → 编制中）：补充高校院所" in text

    def test_approval_form_keeps_input_and_explains(self, liaison_client, cycle):
        liaison_client.post(url("plan_submit"), {})
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = liaison_client.post(
            url("plan_approve"), {"approved_on": tomorrow, "document_number": "第3次党组会"}
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "审定日期不能晚于今天" in text
        assert 'value="第3次党组会"' in text
        assert "文号应写作“发文机关代字〔年份〕序号号”，如：辽川科协〔" in text
        bad = SimpleUploadedFile("纪要.pdf", b"hello", content_type="application/pdf")
        response = liaison_client.post(
            url("plan_approve"),
            {
                "approved_on": timezone.localdate().isoformat(),
                "document_number": "沈科协〔2026〕37号",
                "scanned_file": bad,
            },
        )
        assert "文件内容与扩展名不符" in response.content.decode()
        assert status() == YearStatus.SUBMITTED

    def test_the_example_is_the_association_s_own_short_name(self, liaison_client, cycle, settings):
        settings.ASSOCIATION_SHORT_NAME = "竹山县科协"
        liaison_client.post(url("plan_submit"), {})
        text = liaison_client.get(url("approval")).content.decode()
        assert f"竹山县科协〔{THIS}〕12号" in text
        assert "沈科协" not in text

    def test_the_scan_is_served_to_office_and_leadership_only(
        self, liaison_client, leader_client, staff_client, cycle, liaison_officer
    ):
        approval.plan_submit(year=cycle.year, by=liaison_officer.user)
        approval.plan_approve(
            year=cycle.year,
            by=liaison_officer.user,
            approved_on=timezone.localdate(),
            document_number="沈科协〔2026〕37号",
            scanned_file=SimpleUploadedFile("纪要.pdf", PDF),
        )
        response = leader_client.get(url("approval_scan"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert staff_client.get(url("approval_scan")).status_code == 403
        PlanApproval.objects.update(scanned_file="")
        assert liaison_client.get(url("approval_scan")).status_code == 404

    @pytest.mark.parametrize("client_name", READERS)
    def test_others_cannot_move_the_plan(self, request, client_name, cycle):
        client = request.getfixturevalue(client_name)
        assert client.post(url("plan_submit"), {}).status_code == 403
        assert status() == YearStatus.DRAFT
        Year.objects.filter(year=THIS).update(status=YearStatus.SUBMITTED)
        assert client.post(url("plan_withdraw"), {"reason": "x"}).status_code == 403
        approve = {"approved_on": timezone.localdate().isoformat(), "document_number": "x"}
        assert client.post(url("plan_approve"), approve).status_code == 403
        assert status() == YearStatus.SUBMITTED
        Year.objects.filter(year=THIS).update(status=YearStatus.APPROVED)
        assert client.post(url("plan_archive"), {}).status_code == 403
        assert status() == YearStatus.APPROVED
        assert not PlanTransition.objects.exists()

    def test_actions_need_post_and_a_real_year(self, liaison_client, cycle):
        for name in ["plan_submit", "plan_withdraw", "plan_approve", "plan_archive"]:
            assert liaison_client.get(url(name)).status_code == 405, name
        assert liaison_client.get(url("approval", 1999)).status_code == 404
        assert liaison_client.post(url("plan_submit", 1999)).status_code == 404

    def test_a_step_out_of_order_is_explained(self, liaison_client, cycle):
        response = liaison_client.post(url("plan_withdraw"), {"reason": "x"})
        assert response.status_code == 200
        assert "只有已报审的分工可以撤回" in response.content.decode()


class TestHistory:
    def test_shows_transitions_changes_and_audited_values(self, liaison_client, cycle, liaison_officer):
        approval.plan_submit(year=cycle.year, by=liaison_officer.user, note="请审定")
        approval.plan_withdraw(year=cycle.year, by=liaison_officer.user, reason="补充对象")
        team = Team.objects.select_related("year").get(pk=cycle.wang.pk)
        adjustments.target_add(
            team=team,
            by=liaison_officer.user,
            reason="补充高校",
            organization=OrganizationFactory(name="辽川大学科协", kind="university"),
        )
        plans.team_save(team=team, members=[])
        response = liaison_client.get(url("history"))
        text = response.content.decode()
        assert "撤回报审" in text
        assert "补充对象" in text
        assert "新增“辽川大学科协”（高校院所科协）" in text
        assert "原因或说明：补充高校" in text
        assert "专班成员：移除 陈干部、离职干部" in text or "专班成员：移除 离职干部、陈干部" in text
        assert "刘联络" in text
        assert ".None" not in text  # reverse relations logged with a new row are not its values
        only = liaison_client.get(url("history"), {"show": "workflow"})
        assert {e.source for e in only.context["page"].object_list} == {"workflow"}

    def test_is_paginated_newest_first(self, liaison_client, cycle, liaison_officer):
        team = Team.objects.select_related("year").get(pk=cycle.wang.pk)
        for i in range(30):
            adjustments.target_add(
                team=team, by=liaison_officer.user, reason=f"第{i}个", organization=OrganizationFactory()
            )
        first = liaison_client.get(url("history")).context["page"]
        assert first.paginator.num_pages > 1
        assert first.object_list[0].at >= first.object_list[-1].at
        second = liaison_client.get(url("history"), {"page": 2}).context["page"]
        assert first.object_list[-1].at >= second.object_list[0].at

    def test_runs_a_fixed_number_of_queries(self, liaison_client, cycle, liaison_officer):
        team = Team.objects.select_related("year").get(pk=cycle.wang.pk)
        adjustments.target_add(
            team=team, by=liaison_officer.user, reason="一", organization=OrganizationFactory()
        )
        few = count_queries(liaison_client, url("history"))
        approval.plan_submit(year=cycle.year, by=liaison_officer.user)
        approval.plan_withdraw(year=cycle.year, by=liaison_officer.user, reason="补充")
        for i in range(10):
            adjustments.target_add(
                team=team, by=liaison_officer.user, reason=f"{i}", organization=OrganizationFactory()
            )
        assert count_queries(liaison_client, url("history")) == few

    @pytest.mark.parametrize("client_name", ["staff_client", "outsider_client"])
    def test_staff_and_outsiders_are_refused(self, request, client_name, cycle):
        assert request.getfixturevalue(client_name).get(url("history")).status_code == 403

    def test_leadership_reads_it(self, leader_client, cycle):
        assert leader_client.get(url("history")).status_code == 200
