"""Writing contact records and following demands up (liaison/contacts/services.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.contacts import services as contacts
from liaison.models import ContactRecord, ContactTarget, DemandStatus, RecordStatus
from liaison.plan import services as plans
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

YEAR = 2026
DAY = datetime.date(YEAR, 3, 10)


@pytest.fixture
def team(dept_staff):
    return make_team(make_year(YEAR), make_leader("王主席"), members=[dept_staff])


class TestRecords:
    def test_targets_carry_team_date_and_whether_assigned(self, team, dept_staff):
        assigned, other = ScientistFactory(name="单志强"), ScientistFactory(name="曾国华")
        plans.assignment_add(team=team, by=None, scientist=assigned, start_date=datetime.date(YEAR, 1, 1))
        record = log(team, dept_staff, [assigned, other], day=DAY)
        rows = {
            t.scientist.name: t
            for t in ContactTarget.objects.filter(record=record).select_related("scientist")
        }
        assert rows["单志强"].assigned is True
        assert rows["曾国华"].assigned is False  # counts as work, not toward quota coverage
        assert {(t.team_id, t.date, t.counts) for t in rows.values()} == {(team.pk, DAY, True)}

    def test_author_is_a_participant_by_default(self, team, dept_staff):
        record = log(team, dept_staff, [org()])
        assert list(record.participants.all()) == [dept_staff]

    def test_symposium_is_one_record_with_many_targets(self, team, dept_staff):
        people = [ScientistFactory() for _ in range(6)]
        record = log(team, dept_staff, [*people, org(), org()], method="symposium", channel="meeting")
        assert ContactRecord.objects.count() == 1
        assert record.targets.count() == 8

    def test_completed_record_needs_summary_and_a_target(self, team, dept_staff):
        with pytest.raises(ValidationError) as error:
            log(team, dept_staff, [org()], summary="")
        assert "情况摘要" in str(error.value)
        with pytest.raises(ValidationError) as error:
            log(team, dept_staff, [])
        assert "至少选择一个联系对象" in str(error.value)

    def test_draft_may_be_incomplete_and_counts_for_nothing(self, team, dept_staff):
        record = log(team, dept_staff, [org()], summary="", draft=True)
        assert record.status == RecordStatus.DRAFT
        assert ContactTarget.objects.get(record=record).counts is False
        record.summary = "补充完整"
        contacts.record_save(
            record=record, targets=[t.target for t in record.targets.all()], participants=[dept_staff]
        )
        assert ContactTarget.objects.get(record=record).counts is True

    def test_date_must_fall_in_the_teams_year_and_not_in_the_future(self, team, dept_staff):
        with pytest.raises(ValidationError) as error:
            log(team, dept_staff, [org()], day=datetime.date(YEAR - 1, 12, 31))
        assert "2026 年度内" in str(error.value)

    def test_greeting_needs_an_occasion(self, team, dept_staff):
        with pytest.raises(ValidationError) as error:
            log(team, dept_staff, [ScientistFactory()], method="greeting", channel="phone")
        assert "慰问时机" in str(error.value)

    def test_soft_delete_keeps_the_record_and_stops_counting(self, team, dept_staff):
        record = log(team, dept_staff, [org()])
        with pytest.raises(ValidationError):
            contacts.record_delete(record=record, reason=" ", by=dept_staff.user)
        contacts.record_delete(record=record, reason="重复录入", by=dept_staff.user)
        record.refresh_from_db()
        assert record.is_deleted
        assert record.deleted_reason == "重复录入"
        assert not ContactTarget.objects.filter(record=record, counts=True).exists()


class TestGreetings:
    def test_bulk_greetings_make_one_record_each_and_remember_who_was_greeted(self, team, dept_staff):
        people = [ScientistFactory() for _ in range(3)]
        records = contacts.greetings_create(
            team=team,
            occasion="spring_festival",
            channel="message",
            date=datetime.date(YEAR, 2, 16),
            scientists=people,
            author=dept_staff,
        )
        assert len(records) == 3
        assert records[0].summary == "春节慰问（短信/微信）"
        # 16 February 2026 is the eve of the Spring Festival of 17 February 2026
        assert records[0].festival_date == datetime.date(2026, 2, 17)
        eve = datetime.date(YEAR, 2, 16)
        assert contacts.greeted_scientists(team=team, occasion="spring_festival", day=eve) == {
            p.pk for p in people
        }
        assert contacts.greeted_scientists(team=team, occasion="workers_day", day=eve) == set()
        # in December the greetings logged are for the next festival: nobody greeted for it yet
        december = datetime.date(YEAR, 12, 20)
        assert contacts.greeted_scientists(team=team, occasion="spring_festival", day=december) == set()


class TestDemands:
    @pytest.fixture
    def record(self, team, dept_staff):
        return log(team, dept_staff, [ScientistFactory(name="单志强")])

    def test_registering_logs_register_and_assign(self, record, dept_staff, liaison_officer):
        demand = raise_demand(record, dept_staff.user, handler=liaison_officer)
        steps = [(a.kind, a.status_after, a.handed_to) for a in demand.actions.all()]
        assert steps == [("register", "pending", ""), ("assign", "assigned", "刘联络")]
        assert demand.status == DemandStatus.ASSIGNED
        assert demand.get_status_display() == "已交办"

    def test_the_closed_loop(self, record, dept_staff):
        demand = raise_demand(record, dept_staff.user)
        contacts.demand_act(demand=demand, kind="assign", by=dept_staff.user, handler=dept_staff)
        contacts.demand_act(demand=demand, kind="progress", by=dept_staff.user, text="已协调科技局")
        assert demand.status == DemandStatus.IN_PROGRESS
        with pytest.raises(ValidationError) as error:
            contacts.demand_act(demand=demand, kind="progress", by=dept_staff.user, status="done")
        assert "办结前请先向提出人反馈" in str(error.value)
        with pytest.raises(ValidationError):
            contacts.demand_act(demand=demand, kind="revisit", by=dept_staff.user, satisfied=True)
        contacts.demand_act(
            demand=demand, kind="reply", by=dept_staff.user, text="已落实实验用房", status="done"
        )
        assert (demand.status, demand.reply) == (DemandStatus.DONE, "已落实实验用房")
        assert demand.closed_at is not None
        contacts.demand_act(demand=demand, kind="revisit", by=dept_staff.user, satisfied=True, text="很满意")
        assert demand.revisit_satisfied is True
        assert [a.kind for a in demand.actions.all()] == [
            "register",
            "assign",
            "progress",
            "reply",
            "revisit",
        ]

    def test_overdue(self, record, dept_staff):
        today = datetime.date(YEAR, 6, 1)
        late = raise_demand(record, dept_staff.user, due_date=datetime.date(YEAR, 5, 1))
        raise_demand(record, dept_staff.user, due_date=datetime.date(YEAR, 7, 1))
        from liaison.models import Demand

        assert list(Demand.objects.overdue(today)) == [late]
