"""The nominations' rules (awards/services.py) on hand-built data: the one-way steps, each once; the quota of
报送; the deadline; one nomination per award and scientist; a team of the award's year; exactly one nominator."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services as awarding
from awards.models import Nomination, NominationStep, State
from tests.awards.factories import make_award, nominated
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, today
from tests.liaison.plan.factories import make_team, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return make_team(make_year(2026))


@pytest.fixture
def lead_user(team):
    return team.lead.user


def test_a_nomination_starts_at_tuijian_with_its_first_step(team, lead_user):
    award = make_award()
    n = nominated(award, team=team, by=lead_user)
    assert n.state == State.NOMINATED
    assert [(s.from_state, s.to_state, s.by) for s in n.steps.all()] == [("", "nominated", lead_user)]


def test_the_whole_way_to_an_award(team, lead_user, liaison_officer):
    n = nominated(make_award(), team=team, by=lead_user)
    for state in ("passed", "submitted", "awarded"):
        n = awarding.move(nomination=n, to_state=state, by=liaison_officer.user, note=f"说明{state}")
    assert n.state == "awarded"
    assert n.version == 4  # created at 1, each step one more
    steps = list(n.steps.values_list("from_state", "to_state", "note"))
    assert steps == [
        ("", "nominated", ""),
        ("nominated", "passed", "说明passed"),
        ("passed", "submitted", "说明submitted"),
        ("submitted", "awarded", "说明awarded"),
    ]


@pytest.mark.parametrize(
    ("steps", "to_state"),
    [
        ((), "submitted"),  # not before the review
        ((), "awarded"),
        (("rejected",), "passed"),  # 初审未通过 is an outcome
        (("passed",), "rejected"),  # no way back
        (("passed",), "nominated"),
        (("passed", "submitted", "awarded"), "not_awarded"),
        (("passed", "submitted", "not_awarded"), "awarded"),
        ((), "no-such-state"),
    ],
)
def test_steps_are_one_way(team, lead_user, liaison_officer, steps, to_state):
    n = nominated(make_award(), team=team, by=lead_user, steps=steps, office=liaison_officer.user)
    before = n.state
    with pytest.raises(ValidationError, match="不能改为"):
        awarding.move(nomination=n, to_state=to_state, by=liaison_officer.user)
    assert Nomination.objects.get(pk=n.pk).state == before


def test_the_same_step_taken_twice_at_once_happens_once(team, lead_user, liaison_officer):
    """Two officers opened the page while it was 推荐; both press 初审通过 — or one passes, the other rejects.
    The second conditional UPDATE finds the state moved and changes nothing."""
    n = nominated(make_award(), team=team, by=lead_user)
    first = Nomination.objects.get(pk=n.pk)
    second = Nomination.objects.get(pk=n.pk)  # the other officers' stale copies, still 推荐
    third = Nomination.objects.get(pk=n.pk)
    awarding.move(nomination=first, to_state="passed", by=liaison_officer.user)
    with pytest.raises(ValidationError, match="已被他人处理（现为“初审通过”）"):
        awarding.move(nomination=second, to_state="rejected", by=liaison_officer.user)
    with pytest.raises(ValidationError, match="已被他人处理"):
        awarding.move(nomination=third, to_state="passed", by=liaison_officer.user)
    assert Nomination.objects.get(pk=n.pk).state == "passed"
    assert NominationStep.objects.filter(nomination=n, to_state__in=["passed", "rejected"]).count() == 1


def test_submission_stops_at_the_quota_with_a_message_naming_it(team, lead_user, liaison_officer):
    office = liaison_officer.user
    award = make_award(quota=2)
    done = nominated(award, team=team, by=lead_user, steps=["passed", "submitted", "awarded"], office=office)
    nominated(award, team=team, by=lead_user, steps=["passed", "submitted"], office=office)
    third = nominated(award, team=team, by=lead_user, steps=["passed"], office=office)
    assert awarding.quota_used(award) == 2  # 获奖 still holds its place
    with pytest.raises(ValidationError) as refused:
        awarding.move(nomination=third, to_state="submitted", by=office)
    assert refused.value.messages == ["报送名额已满：“青年科技奖”可报送 2 名，已报送 2 名，不能再报送。"]
    assert Nomination.objects.get(pk=third.pk).state == "passed"
    # the quota is data: the office raises it, and the third goes
    award.quota = 3
    award.save()
    assert awarding.move(nomination=third, to_state="submitted", by=office).state == "submitted"
    assert done.award.nominations.filter(state__in=["submitted", "awarded", "not_awarded"]).count() == 3


def test_rejected_and_pending_nominations_use_no_quota(team, lead_user, liaison_officer):
    award = make_award(quota=1)
    nominated(award, team=team, by=lead_user, steps=["rejected"], office=liaison_officer.user)
    nominated(award, team=team, by=lead_user, steps=["passed"], office=liaison_officer.user)
    nominated(award, team=team, by=lead_user)
    assert awarding.quota_used(award) == 0


def test_the_deadline_day_takes_nominations_the_day_after_does_not(team, lead_user):
    assert nominated(make_award(name="当日截止", deadline=today()), team=team, by=lead_user).pk
    closed = make_award(name="昨日截止", deadline=today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="推荐已于 .* 截止"):
        nominated(closed, team=team, by=lead_user)
    assert not closed.nominations.exists()


def test_an_inactive_award_takes_no_nominations(team, lead_user):
    with pytest.raises(ValidationError, match="已停用"):
        nominated(make_award(active=False), team=team, by=lead_user)


def test_a_scientist_is_nominated_once_per_award(team, lead_user):
    award = make_award()
    person = ScientistFactory(name="赵院士")
    nominated(award, team=team, by=lead_user, scientist=person)
    other_team = make_team(team.year, StaffFactory(name="陈部长", department=None, position="leadership"))
    with pytest.raises(ValidationError, match="赵院士已被推荐参评“青年科技奖”，不能重复推荐"):
        nominated(award, team=other_team, by=other_team.lead.user, scientist=person)
    # another award is another nomination
    assert nominated(make_award(name="优秀科技工作者"), team=team, by=lead_user, scientist=person).pk


def test_the_team_must_be_of_the_awards_year(team, lead_user):
    with pytest.raises(ValidationError, match="只能以 2027 年度的专班推荐"):
        nominated(make_award(year=2027), team=team, by=lead_user)


def test_exactly_one_nominator(team, lead_user):
    award = make_award()
    with pytest.raises(ValidationError, match="一个专班或一个基层组织"):
        nominated(award, team=team, organization=OrganizationFactory(), by=lead_user)
    with pytest.raises(ValidationError, match="一个专班或一个基层组织"):
        nominated(award, by=lead_user)


def test_a_scientist_out_of_the_registry_cannot_be_nominated(team, lead_user):
    gone = ScientistFactory(is_active=False)
    with pytest.raises(ValidationError, match="已不在册"):
        nominated(make_award(), team=team, by=lead_user, scientist=gone)


def test_filed_counts_by_person_and_year(team, lead_user, liaison_officer):
    """Hand count: the lead files 3 for 2026 (one awarded, one not) and 1 for 2025; the organisation's
    account is another person."""
    office = liaison_officer.user
    award = make_award()
    nominated(award, team=team, by=lead_user, steps=["passed", "submitted", "awarded"], office=office)
    nominated(award, team=team, by=lead_user, steps=["passed", "submitted", "not_awarded"], office=office)
    nominated(award, team=team, by=lead_user)
    old_team = make_team(make_year(2025), team.lead)
    nominated(make_award(year=2025), team=old_team, by=lead_user)
    assert awarding.filed_counts(2026) == {lead_user.pk: (3, 1)}
    assert awarding.filed_counts(2025) == {lead_user.pk: (1, 0)}
    assert awarding.filed_counts(2024) == {}


def test_the_reason_is_required_and_bounded_in_the_service_too(team, lead_user):
    award = make_award()
    with pytest.raises(ValidationError, match="请填写推荐理由"):
        awarding.nominate(award=award, scientist=ScientistFactory(), team=team, by=lead_user, reason="  ")
    with pytest.raises(ValidationError, match="最多 2000 个字（现有 2001 个）"):
        awarding.nominate(
            award=award, scientist=ScientistFactory(), team=team, by=lead_user, reason="长" * 2001
        )
    assert not award.nominations.exists()
