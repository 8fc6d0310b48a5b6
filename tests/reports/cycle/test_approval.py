"""The approval workflow (reports/cycle/approval.py): 编制中 → 已报审 (locked) → 已审定 (frozen) → 已归档, every step
logged; and what may change in a submitted or an approved plan."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.models import Team, Year, YearStatus
from liaison.plan import services as plans
from reports.cycle import adjustments, approval
from reports.cycle.history import History
from reports.models import ChangeKind, PlanApproval, PlanChange, PlanTransition
from tests.factories import OrganizationFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.cycle.factories import THIS, make_cycle

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


@pytest.fixture
def submitted(cycle, liaison_officer):
    approval.plan_submit(year=cycle.year, by=liaison_officer.user, note="报党组审定")
    return cycle


def approve(year, by, **kwargs):
    values = {"approved_on": timezone.localdate(), "document_number": "沈科协〔2026〕37号"} | kwargs
    return approval.plan_approve(year=year, by=by, **values)


class TestTransitions:
    def test_submit_locks_and_logs(self, submitted, liaison_officer):
        year = Year.objects.get(pk=submitted.year.pk)
        assert year.status == YearStatus.SUBMITTED
        step = PlanTransition.objects.get(year=year)
        assert (step.from_status, step.to_status, step.by, step.reason) == (
            "draft",
            "submitted",
            liaison_officer.user,
            "报党组审定",
        )
        assert step.action_label == "报审"

    def test_only_a_draft_with_teams_is_submitted(self, submitted, liaison_officer):
        with pytest.raises(ValidationError, match="只有编制中的分工可以报审"):
            approval.plan_submit(year=submitted.year, by=liaison_officer.user)
        empty = plans.year_create(year=THIS + 3)
        with pytest.raises(ValidationError, match="还没有专班"):
            approval.plan_submit(year=empty, by=liaison_officer.user)

    def test_take_back_needs_a_reason(self, submitted, liaison_officer):
        with pytest.raises(ValidationError, match="撤回报审须填写原因"):
            approval.plan_withdraw(year=submitted.year, by=liaison_officer.user, reason=" ")
        approval.plan_withdraw(year=submitted.year, by=liaison_officer.user, reason="党组要求补充高校院所")
        assert Year.objects.get(pk=submitted.year.pk).status == YearStatus.DRAFT
        back = PlanTransition.objects.filter(year=submitted.year).first()
        assert (back.to_status, back.reason, back.action_label) == (
            "draft",
            "党组要求补充高校院所",
            "撤回报审",
        )

    def test_approve_records_date_number_and_scan(self, submitted, liaison_officer):
        scan = SimpleUploadedFile("党组会议纪要.pdf", PDF, content_type="application/pdf")
        record = approve(submitted.year, liaison_officer.user, scanned_file=scan, note="第3次党组会议")
        assert Year.objects.get(pk=submitted.year.pk).status == YearStatus.APPROVED
        assert record.document_number == "沈科协〔2026〕37号"
        assert record.scanned_name == "党组会议纪要.pdf"
        assert record.scanned_file.read().startswith(b"%PDF")
        step = PlanTransition.objects.filter(year=submitted.year).first()
        assert step.to_status == "approved"
        assert "沈科协〔2026〕37号" in step.reason

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("scan.exe", b"MZ", "PDF、JPG 或 PNG"),
            ("scan.pdf", b"not a pdf", "文件内容与扩展名不符"),
        ],
    )
    def test_a_scan_must_really_be_a_pdf_or_image(self, submitted, liaison_officer, name, content, message):
        with pytest.raises(ValidationError, match=message):
            approve(submitted.year, liaison_officer.user, scanned_file=SimpleUploadedFile(name, content))
        assert not PlanApproval.objects.exists()
        assert Year.objects.get(pk=submitted.year.pk).status == YearStatus.SUBMITTED

    def test_approval_needs_a_number_and_a_date_not_in_the_future(self, submitted, liaison_officer):
        with pytest.raises(ValidationError) as error:
            approve(
                submitted.year,
                liaison_officer.user,
                document_number="",
                approved_on=timezone.localdate() + datetime.timedelta(days=1),
            )
        assert error.value.message_dict == {
            "document_number": ["请填写审定文号。"],
            "approved_on": ["审定日期不能晚于今天。"],
        }

    def test_a_draft_cannot_be_approved(self, cycle, liaison_officer):
        with pytest.raises(ValidationError, match="只有已报审的分工可以登记审定"):
            approve(cycle.year, liaison_officer.user)

    def test_an_approved_plan_without_its_record_can_have_it_filled_in(self, cycle, liaison_officer):
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.APPROVED)
        approve(cycle.year, liaison_officer.user)
        assert PlanTransition.objects.get(year=cycle.year).action_label == "补录审定信息"
        with pytest.raises(ValidationError, match="只有已报审"):
            approve(cycle.year, liaison_officer.user)

    def test_archive_only_after_the_year_ended(self, cycle, liaison_officer):
        Year.objects.filter(pk=cycle.year.pk).update(status=YearStatus.APPROVED)
        with pytest.raises(ValidationError, match="年度结束后才能归档"):
            approval.plan_archive(year=cycle.year, by=liaison_officer.user)
        old = plans.year_create(year=THIS - 2)
        Year.objects.filter(pk=old.pk).update(status=YearStatus.APPROVED)
        approval.plan_archive(year=old, by=liaison_officer.user)
        assert Year.objects.get(pk=old.pk).status == YearStatus.ARCHIVED


class TestLocked:
    def test_a_submitted_plan_refuses_every_change(self, submitted, leader, dept_staff):
        team = Team.objects.select_related("year").get(pk=submitted.wang.pk)
        target = OrganizationFactory()
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            plans.assignment_add(team=team, by=None, organization=target)
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            plans.assignment_end(
                assignment=team.assignments.filter(end_date__isnull=True).first(),
                by=None,
                reason="other",
                note="x",
            )
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            plans.team_save(team=team, members=[])
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            make_team(submitted.year, make_leader("新领导"))
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            adjustments.target_add(team=team, by=None, reason="x", organization=target)
        with pytest.raises(ValidationError, match="已报审，处于锁定状态"):
            adjustments.team_close(team=team, by=None, reason="x")
        assert team.members.count() == 2  # 陈干部 and the one who left, as before

    def test_taken_back_it_can_be_changed_again(self, submitted, liaison_officer):
        approval.plan_withdraw(year=submitted.year, by=liaison_officer.user, reason="补充")
        team = Team.objects.select_related("year").get(pk=submitted.wang.pk)
        plans.assignment_add(team=team, by=None, organization=OrganizationFactory())


class TestFrozen:
    def test_after_approval_changes_are_adjustments_with_a_reason_in_the_history(
        self, submitted, liaison_officer
    ):
        approve(submitted.year, liaison_officer.user)
        team = Team.objects.select_related("year").get(pk=submitted.wang.pk)
        target = OrganizationFactory(name="年中新增学会")
        with pytest.raises(ValidationError, match="须填写调整原因"):
            plans.assignment_add(team=team, by=None, organization=target)
        with pytest.raises(ValidationError, match="请填写调整原因"):
            adjustments.target_add(team=team, by=liaison_officer.user, reason="", organization=target)
        adjustments.target_add(team=team, by=liaison_officer.user, reason="年中结对", organization=target)
        change = PlanChange.objects.get(year=submitted.year, kind=ChangeKind.ADD)
        assert (change.new_target, change.reason, change.by) == (
            "年中新增学会",
            "年中结对",
            liaison_officer.user,
        )
        entries = History(submitted.year)[0:50]
        assert any(e.source == "changes" and e.reason == "年中结对" for e in entries)
        assert any(e.source == "workflow" and e.action == "登记审定" for e in entries)


def test_seed_demo_approval_is_done_once(liaison_officer):
    year = plans.year_create(year=THIS)
    assert not approval.seed_demo_approval(year=THIS, by=liaison_officer.user)  # still a draft
    Year.objects.filter(pk=year.pk).update(status=YearStatus.APPROVED)
    assert approval.seed_demo_approval(year=THIS, by=liaison_officer.user)
    assert not approval.seed_demo_approval(year=THIS, by=liaison_officer.user)
    record = PlanApproval.objects.get(year=year)
    assert record.document_number == f"辽川科协〔{THIS}〕12号"
    assert [t.action_label for t in PlanTransition.objects.filter(year=year)] == ["登记审定", "报审"]


class TestBadApprovalInput:
    """Bad input gets a clear Chinese error: a document number without its prefix, year or 号, and an
    approval dated before the plan was submitted."""

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("辽川科协〔2026〕12号", "辽川科协〔2026〕12号"),
            ("辽川科协[2026]012号", "辽川科协〔2026〕12号"),  # brackets as typed on a keyboard
            (" 辽川科协 （2026） 3 号 ", "辽川科协〔2026〕3号"),
        ],
    )
    def test_document_numbers_are_read_and_written_one_way(self, typed, stored):
        assert approval.normalized_document_number(typed) == stored

    @pytest.mark.parametrize(
        "typed", ["〔2026〕12号", "辽川科协〔26〕12号", "辽川科协〔2026〕12", "第3次党组会", "12号"]
    )
    def test_other_text_is_not_a_document_number(self, typed):
        assert approval.normalized_document_number(typed) is None

    def test_an_approval_before_the_submission_is_refused(self, cycle, liaison_officer):
        approval.plan_submit(year=cycle.year, by=liaison_officer.user)
        PlanTransition.objects.filter(year=cycle.year).update(at=timezone.now() - datetime.timedelta(days=3))
        submitted = timezone.localdate() - datetime.timedelta(days=3)
        with pytest.raises(ValidationError) as error:
            approval.plan_approve(
                year=cycle.year,
                by=liaison_officer.user,
                approved_on=submitted - datetime.timedelta(days=1),
                document_number="辽川科协〔2026〕12号",
            )
        assert error.value.message_dict == {
            "approved_on": [f"审定日期不能早于报审日期（{submitted:%Y-%m-%d}）。"]
        }
        approval.plan_approve(
            year=cycle.year,
            by=liaison_officer.user,
            approved_on=submitted,
            document_number="辽川科协〔2026〕12号",
        )
