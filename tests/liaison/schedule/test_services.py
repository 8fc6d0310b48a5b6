"""Planned contacts: the rules of an item, 已逾期, and how logging a contact completes an item."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.contacts import services as contacts
from liaison.models import (
    ContactRecord,
    PlannedContact,
    PlanStatus,
    RecordStatus,
    is_overdue,
    overdue_condition,
    state_label,
)
from liaison.schedule import services as schedule
from tests.factories import ScientistFactory, StaffFactory
from tests.liaison.contacts.factories import log

pytestmark = pytest.mark.django_db
D = datetime.date


def test_overdue_means_still_planned_and_before_today(past):
    y = past.year.year
    late = past.plan(D(y, 3, 1))
    on_the_day = past.plan(D(y, 3, 10))
    cancelled = past.plan(D(y, 2, 1))
    schedule.plan_cancel(item=cancelled)
    done = past.plan(D(y, 2, 2), past.org)
    log(past.team, past.member, [past.org], day=D(y, 2, 2))
    done.refresh_from_db()
    today = D(y, 3, 10)
    assert [is_overdue(i, today) for i in (late, on_the_day, cancelled, done)] == [True, False, False, False]
    assert list(PlannedContact.objects.filter(overdue_condition(today))) == [late]
    assert [state_label(i, today) for i in (late, on_the_day, cancelled, done)] == [
        "已逾期",
        "计划中",
        "已取消",
        "已完成",
    ]


class TestRulesOfAnItem:
    def test_target_must_be_the_teams(self, future):
        with pytest.raises(ValidationError) as error:
            future.plan(D(future.year.year, 5, 1), ScientistFactory(name="外人"))
        assert error.value.message_dict["target"] == ["只能计划联系本专班在册的联系对象。"]
        assert not PlannedContact.objects.exists()

    def test_goers_are_of_the_team(self, future):
        stranger = StaffFactory(name="路人")
        with pytest.raises(ValidationError) as error:
            future.plan(D(future.year.year, 5, 1), goers=[stranger])
        assert error.value.message_dict["goers"] == ["参加人员须是本专班的负责人或成员。"]

    def test_someone_goes(self, future):
        with pytest.raises(ValidationError) as error:
            schedule.plan_save(
                item=PlannedContact(team=future.team, date=D(future.year.year, 5, 1), method="survey"),
                target=future.expert,
                goers=[],
            )
        assert error.value.message_dict["goers"] == ["请至少选择一名参加人员。"]

    def test_date_in_the_teams_year_and_not_past(self, future):
        y = future.year.year
        with pytest.raises(ValidationError) as error:
            future.plan(D(y + 1, 1, 2))
        assert error.value.message_dict["date"] == [f"计划日期须在专班所属的 {y} 年度内。"]
        with pytest.raises(ValidationError) as error:
            schedule.plan_save(
                item=PlannedContact(team=future.team, date=D(y, 3, 1), method="survey"),
                target=future.expert,
                goers=[future.member],
                today=D(y, 3, 2),
            )
        assert error.value.message_dict["date"] == ["计划日期不能早于今天。"]

    def test_cancel_is_one_way(self, future):
        item = future.plan(D(future.year.year, 5, 1))
        schedule.plan_cancel(item=item)
        with pytest.raises(ValidationError, match="该计划已取消，不能取消。"):
            schedule.plan_cancel(item=item)
        with pytest.raises(ValidationError, match="不能再修改"):
            schedule.plan_save(item=item, target=future.expert, goers=[future.member])


class TestLoggingCompletes:
    def test_earliest_open_item_of_the_target_within_a_week_after(self, past):
        y = past.year.year
        first = past.plan(D(y, 3, 5))
        second = past.plan(D(y, 3, 6))
        far = past.plan(D(y, 4, 1))
        other_target = past.plan(D(y, 3, 5), past.org)
        record = log(past.team, past.member, [past.expert], day=D(y, 3, 1))  # 4 days before the first
        states = {i.pk: (i.status, i.record_id) for i in PlannedContact.objects.all()}
        assert states[first.pk] == (PlanStatus.DONE, record.pk)
        assert states[second.pk] == (PlanStatus.PLANNED, None)
        assert states[far.pk] == (PlanStatus.PLANNED, None)
        assert states[other_target.pk] == (PlanStatus.PLANNED, None)

    def test_a_record_more_than_a_week_before_completes_nothing(self, past):
        y = past.year.year
        item = past.plan(D(y, 3, 9))
        log(past.team, past.member, [past.expert], day=D(y, 3, 1))  # 8 days before
        item.refresh_from_db()
        assert item.status == PlanStatus.PLANNED

    def test_the_item_logged_from_comes_first_whatever_its_date(self, past):
        y = past.year.year
        early = past.plan(D(y, 3, 1))
        chosen = past.plan(D(y, 6, 1))
        record = contacts.record_save(
            record=ContactRecord(
                team=past.team, date=D(y, 3, 1), method="survey", summary="走访", author=past.member
            ),
            targets=[past.expert],
            participants=[past.member],
            plan=chosen,
        )
        early.refresh_from_db()
        chosen.refresh_from_db()
        assert (chosen.status, chosen.record_id) == (PlanStatus.DONE, record.pk)
        assert early.status == PlanStatus.PLANNED

    def test_deleting_the_record_reopens(self, past):
        y = past.year.year
        item = past.plan(D(y, 3, 1))
        record = log(past.team, past.member, [past.expert], day=D(y, 3, 1))
        contacts.record_delete(record=record, reason="记错了", by=past.member.user)
        item.refresh_from_db()
        assert (item.status, item.record_id) == (PlanStatus.PLANNED, None)

    def test_a_draft_or_a_record_without_the_target_reopens(self, past):
        y = past.year.year
        item = past.plan(D(y, 3, 1))
        record = log(past.team, past.member, [past.expert], day=D(y, 3, 1))
        record.refresh_from_db()
        contacts.record_save(record=record, targets=[past.expert], participants=[past.member], draft=True)
        item.refresh_from_db()
        assert record.status == RecordStatus.DRAFT
        assert item.status == PlanStatus.PLANNED
        contacts.record_save(record=record, targets=[past.expert], participants=[past.member])
        item.refresh_from_db()
        assert (item.status, item.record_id) == (PlanStatus.DONE, record.pk)
        contacts.record_save(record=record, targets=[past.org], participants=[past.member])
        item.refresh_from_db()
        assert item.status == PlanStatus.PLANNED

    def test_another_teams_record_completes_nothing(self, past):
        from tests.liaison.plan.factories import make_leader, make_team

        y = past.year.year
        item = past.plan(D(y, 3, 1))
        other_lead = make_leader("赵领导", username="zhaoling")
        other = make_team(past.year, other_lead)
        log(other, other_lead, [past.expert], day=D(y, 3, 1))
        item.refresh_from_db()
        assert item.status == PlanStatus.PLANNED

    def test_cancelled_items_are_not_completed(self, past):
        y = past.year.year
        item = past.plan(D(y, 3, 1))
        schedule.plan_cancel(item=item)
        log(past.team, past.member, [past.expert], day=D(y, 3, 1))
        item.refresh_from_db()
        assert item.status == PlanStatus.CANCELLED
