"""The rules of surveys/services.py and surveys/selection.py with hand-built data."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from experts.models import Scientist, TalentCategory
from liaison.plan import services as plans
from orgs.models import OrgKind
from surveys import services
from surveys.models import Answer, AnswerChannel, Invitation, InvitationState, Question, Survey, SurveyState
from surveys.selection import candidates
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year
from tests.surveys.factories import FULL, answer, invite, make_survey, questions

pytestmark = pytest.mark.django_db


def assign(team, scientist, **extra):
    return plans.assignment_add(
        team=team, by=None, scientist=scientist, start_date=datetime.date(team.year.year, 1, 1), **extra
    )


class TestStates:
    def test_a_draft_opens_once_and_closes_once(self):
        survey = make_survey(opened=False)
        assert survey.state == SurveyState.DRAFT
        services.survey_open(survey=survey)
        assert survey.state == SurveyState.OPEN
        with pytest.raises(ValidationError, match="已不是草稿"):
            services.survey_open(survey=survey)
        services.survey_close(survey=survey)
        assert Survey.objects.get().state == SurveyState.CLOSED
        with pytest.raises(ValidationError):
            services.survey_close(survey=survey)
        with pytest.raises(ValidationError, match="已不是草稿"):
            services.survey_open(survey=survey)  # never back

    def test_transitions_are_audited_with_who_made_them(self, liaison_officer, dept_staff):
        survey = make_survey(opened=False)
        services.survey_open(survey=survey, by=liaison_officer.user)
        invitation = invite(survey, ScientistFactory())[0]
        answer(invitation, by=dept_staff.user, **FULL)
        services.survey_close(survey=survey, by=liaison_officer.user)
        moves = [
            (e.changes_dict.get("state"), e.actor)
            for e in LogEntry.objects.get_for_object(survey).order_by("pk")
            if e.action == LogEntry.Action.UPDATE and "state" in e.changes_dict
        ]
        assert moves == [
            (["draft", "open"], liaison_officer.user),
            (["open", "closed"], liaison_officer.user),
        ]
        submitted = LogEntry.objects.get_for_object(invitation).get(action=LogEntry.Action.UPDATE)
        assert (submitted.changes_dict["state"], submitted.actor) == (
            ["pending", "submitted"],
            dept_staff.user,
        )

    def test_a_survey_without_questions_does_not_open(self):
        survey = services.survey_save(
            survey=Survey(title="空问卷", opens_on=today(), closes_on=today()), by=None
        )
        with pytest.raises(ValidationError, match="还没有题目"):
            services.survey_open(survey=survey)
        assert Survey.objects.get().state == SurveyState.DRAFT

    def test_questions_change_only_in_a_draft(self):
        survey = make_survey()
        question = survey.questions.first()
        question.text = "改过的题目"
        with pytest.raises(ValidationError, match="不能再修改"):
            services.question_save(question=question)
        with pytest.raises(ValidationError):
            services.question_delete(question=question)
        with pytest.raises(ValidationError):
            services.question_save(question=Question(survey=survey, kind="short", text="新题"))
        assert survey.questions.count() == 6
        assert Question.objects.get(pk=question.pk).text == "您的工作单位类型"

    def test_a_closed_survey_is_not_edited(self):
        survey = make_survey()
        services.survey_close(survey=survey)
        survey.title = "新名称"
        with pytest.raises(ValidationError, match="已结束"):
            services.survey_save(survey=survey, by=None)

    def test_choice_questions_need_two_distinct_options_and_other_kinds_keep_none(self):
        survey = make_survey(opened=False)
        with pytest.raises(ValidationError):
            services.question_save(
                question=Question(survey=survey, kind="single", text="只有一项", choices=["是"])
            )
        with pytest.raises(ValidationError):
            services.question_save(
                question=Question(survey=survey, kind="multiple", text="重复", choices=["是", "是"])
            )
        saved = services.question_save(
            question=Question(survey=survey, kind="short", text="简答", choices=["x", "y"])
        )
        assert saved.choices == []
        assert saved.order == 7  # after the six of make_survey

    def test_a_scale_needs_bounds(self):
        survey = make_survey(opened=False)
        with pytest.raises(ValidationError):
            services.question_save(
                question=Question(survey=survey, kind="scale", text="量表", scale_min=5, scale_max=1)
            )


class TestSending:
    def test_the_responsible_team_has_the_scientist_as_a_target_in_the_surveys_year(self):
        year = make_year(today().year)
        leader_team = make_team(year, make_leader("王主席"))
        head = StaffFactory(position="department_head", name="李部长")
        department_team = make_team(year, head)
        both, only_department, ended, nobody = (ScientistFactory(name=n) for n in ["甲", "乙", "丙", "丁"])
        assign(department_team, both)
        assign(leader_team, both)
        assign(department_team, only_department)
        ended_assignment = assign(leader_team, ended)
        plans.assignment_end(
            assignment=ended_assignment, by=None, end_date=today(), reason="adjusted", note="调整"
        )
        last_year_team = make_team(make_year(today().year - 1), make_leader("赵主席"))
        assign(last_year_team, nobody)
        survey = make_survey()

        created = services.invitations_create(
            survey=survey, scientists=Scientist.objects.filter(name__in=["甲", "乙", "丙", "丁"]), by=None
        )

        assert created == 4
        teams = dict(survey.invitations.values_list("scientist__name", "team_id"))
        assert teams == {"甲": leader_team.pk, "乙": department_team.pk, "丙": None, "丁": None}

    def test_a_scientist_is_never_invited_twice_and_more_can_be_added_later(self):
        survey = make_survey()
        first, second = ScientistFactory(), ScientistFactory()
        assert (
            services.invitations_create(
                survey=survey, scientists=Scientist.objects.filter(pk=first.pk), by=None
            )
            == 1
        )
        assert services.invitations_create(survey=survey, scientists=Scientist.objects.all(), by=None) == 1
        assert services.invitations_create(survey=survey, scientists=Scientist.objects.all(), by=None) == 0
        assert set(survey.invitations.values_list("scientist_id", flat=True)) == {first.pk, second.pk}
        with pytest.raises(IntegrityError), transaction.atomic():
            Invitation.objects.create(survey=survey, scientist=first)

    def test_only_an_open_survey_is_sent(self):
        draft = make_survey(opened=False)
        ScientistFactory()
        with pytest.raises(ValidationError, match="进行中"):
            services.invitations_create(survey=draft, scientists=Scientist.objects.all(), by=None)
        services.survey_open(survey=draft)
        services.survey_close(survey=draft)
        with pytest.raises(ValidationError, match="进行中"):
            services.invitations_create(survey=draft, scientists=Scientist.objects.all(), by=None)
        assert not Invitation.objects.exists()

    def test_candidates_by_team_category_organisation_and_county(self):
        year = make_year(today().year)
        team_a = make_team(year, make_leader("王主席"))
        team_b = make_team(year, make_leader("赵主席"))
        county = OrganizationFactory(name="沈河区科协", kind=OrgKind.DISTRICT)
        township = OrganizationFactory(name="五里河街道科协", kind=OrgKind.TOWNSHIP, parent=county)
        society = OrganizationFactory(name="市农学会")
        a1 = ScientistFactory(
            name="甲", category=TalentCategory.YOUNG, organization=township, employer="五里河医院"
        )
        a2 = ScientistFactory(
            name="乙", category=TalentCategory.RENOWNED, organization=society, employer="农科院"
        )
        b1 = ScientistFactory(
            name="丙", category=TalentCategory.YOUNG, organization=county, employer="区医院"
        )
        ScientistFactory(name="丁", category=TalentCategory.YOUNG, employer="农业大学")
        ScientistFactory(name="戊", is_active=False)
        assign(team_a, a1)
        assign(team_a, a2)
        assign(team_b, b1)
        survey = make_survey()

        def names(**chosen):
            return set(candidates(survey, chosen).values_list("name", flat=True))

        assert names(source="targets") == {"甲", "乙", "丙"}
        assert names(source="targets", teams=[team_a]) == {"甲", "乙"}
        assert names(source="registry") == {"甲", "乙", "丙", "丁"}
        assert names(source="registry", categories=[TalentCategory.YOUNG]) == {"甲", "丙", "丁"}
        assert names(source="registry", organization="农") == {"乙", "丁"}  # employer or organisation name
        assert names(source="registry", county=county) == {"甲", "丙"}
        invite(survey, a1)
        assert names(source="targets") == {"乙", "丙"}  # the invited are left out


class TestAnswers:
    @pytest.fixture
    def invitation(self):
        survey = make_survey()
        return invite(survey, ScientistFactory(name="单志强"))[0]

    def test_a_draft_keeps_partial_answers_without_the_required_ones(self, invitation):
        answer(invitation, submit=False, single=1, short="想了解人才政策")
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.DRAFT
        assert invitation.submitted_at is None
        stored = services.answers_of(invitation)
        by_kind = questions(invitation.survey)
        assert stored == {by_kind["single"].pk: "1", by_kind["short"].pk: "想了解人才政策"}

    def test_submitting_needs_every_required_answer(self, invitation):
        with pytest.raises(ValidationError, match="必答题") as caught:
            answer(invitation, single=0, multiple=[1])
        assert "您对科研环境的满意度" in str(caught.value)
        assert "其他意见和建议" not in str(caught.value)  # optional
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.PENDING
        assert not Answer.objects.exists()

    def test_a_scientist_answers_once(self, invitation):
        answer(invitation, **FULL)
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.SUBMITTED
        assert invitation.submitted_at is not None
        with pytest.raises(ValidationError, match="已提交"):
            answer(invitation, **{**FULL, "short": "改了"})
        assert Answer.objects.get(question__kind="short").text == "政策解读"

    def test_the_answers_are_stored_by_kind(self, invitation):
        answer(invitation, **{**FULL, "number": Decimal("47.5"), "long": "希望多组织学术交流"})
        stored = {a.question.kind: a for a in Answer.objects.select_related("question")}
        assert stored["single"].choices == [0]
        assert stored["multiple"].choices == [0, 2]
        assert stored["scale"].number == 4
        assert stored["number"].number == Decimal("47.5")
        assert stored["long"].text == "希望多组织学术交流"

    def test_a_save_from_a_stale_copy_is_refused(self, invitation):
        read_at = invitation.version
        answer(invitation, submit=False, single=2)
        with pytest.raises(ValidationError, match="他人保存"):
            services.answers_save(
                invitation=invitation,
                values={questions(invitation.survey)["single"].pk: 0},
                submit=False,
                version=read_at,
                by=None,
                channel=AnswerChannel.CONTACT,
            )
        assert Answer.objects.get().choices == [2]

    def test_no_answers_outside_the_period_or_after_the_end(self, invitation):
        later = invitation.survey.closes_on + datetime.timedelta(days=1)
        with pytest.raises(ValidationError, match="填写期"):
            services.answers_save(
                invitation=invitation,
                values={},
                submit=False,
                version=invitation.version,
                by=None,
                channel="contact",
                today=later,
            )
        services.survey_close(survey=invitation.survey)
        invitation.refresh_from_db()
        with pytest.raises(ValidationError, match="填写期"):
            answer(invitation, submit=False, single=0)

    def test_the_record_must_name_the_scientist(self, invitation, dept_staff):
        team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
        other = log(team, dept_staff, [ScientistFactory(name="别人")], day=today())
        with pytest.raises(ValidationError, match="联系对象中没有"):
            answer(invitation, record=other, **FULL)
        record = log(team, dept_staff, [invitation.scientist], day=today())
        answer(invitation, record=record, by=dept_staff.user, **FULL)
        invitation.refresh_from_db()
        assert invitation.record == record
        assert invitation.channel == AnswerChannel.CONTACT
        assert invitation.submitted_by == dept_staff.user


class TestLinks:
    def test_only_the_hash_of_the_token_is_stored_and_a_new_link_ends_the_old(self):
        survey = make_survey()
        invitation = invite(survey, ScientistFactory())[0]
        first = services.link_make(invitation=invitation)
        invitation.refresh_from_db()
        assert len(first) >= 43
        assert invitation.token_hash == hashlib.sha256(first.encode()).hexdigest()
        assert first not in invitation.token_hash
        assert services.invitation_by_token(first) == invitation
        second = services.link_make(invitation=invitation)
        assert services.invitation_by_token(first) is None
        assert services.invitation_by_token(second) == invitation
        assert services.invitation_by_token("") is None

    def test_submitting_by_the_link_spends_it(self):
        survey = make_survey()
        invitation = invite(survey, ScientistFactory())[0]
        token = services.link_make(invitation=invitation)
        answer(invitation, channel=AnswerChannel.LINK, **FULL)
        assert services.invitation_by_token(token) is None
        with pytest.raises(ValidationError, match="已提交"):
            services.link_make(invitation=Invitation.objects.get())
