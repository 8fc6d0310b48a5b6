"""本周计划 on 我的工作 and the weekly digest's planned contacts: the coming week and those 已逾期."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from liaison.models import PlannedContact
from liaison.schedule import services as schedule
from reports.digest.services import send_weekly_digest
from tests.liaison.contacts.factories import log

pytestmark = pytest.mark.django_db
D = datetime.date


def test_week_of_is_monday_to_sunday():
    assert schedule.week_of(D(2026, 12, 9)) == (D(2026, 12, 7), D(2026, 12, 13))  # a Wednesday
    assert schedule.week_of(D(2026, 12, 7)) == (D(2026, 12, 7), D(2026, 12, 13))
    assert schedule.week_of(D(2026, 12, 13)) == (D(2026, 12, 7), D(2026, 12, 13))


def test_person_week_this_weeks_and_overdue_of_the_person(past):
    y = past.year.year
    # a Wednesday in the past year: the week is Monday..Sunday around it
    wednesday = D(y, 6, 1) + datetime.timedelta(days=(2 - D(y, 6, 1).weekday()) % 7)
    monday = wednesday - datetime.timedelta(days=2)
    late = past.plan(monday - datetime.timedelta(days=10))
    this_week = past.plan(wednesday + datetime.timedelta(days=3))  # Saturday
    next_week = past.plan(wednesday + datetime.timedelta(days=5))
    others = past.plan(wednesday, goers=[past.lead])
    cancelled = past.plan(wednesday)
    schedule.plan_cancel(item=cancelled)
    done = past.plan(monday, past.org)
    log(past.team, past.member, [past.org], day=monday)
    items = schedule.person_week(past.member, wednesday)
    assert [i.pk for i in items] == [late.pk, done.pk, this_week.pk]
    assert [i.overdue for i in items] == [True, False, False]
    assert not {next_week.pk, others.pk} & {i.pk for i in items}


def test_my_work_shows_the_week(future, staff_client):
    # a plan of next year is never this week: the section says so, and lists what is
    text = staff_client.get(reverse("liaison:my_work")).content.decode()
    assert "本周计划" in text
    assert "本周没有工作计划。" in text


def test_digest_lists_the_coming_week_and_overdue_for_the_lead_the_goer_and_the_office(past, liaison_officer):
    y = past.year.year
    for person in (past.lead, past.member, liaison_officer):
        person.user.email = f"{person.user.username}@example.org"
        person.user.save()
    today = D(y, 6, 10)
    past.plan(D(y, 6, 1), method="symposium")
    past.plan(D(y, 6, 16))  # the seventh day from today: in the coming week
    past.plan(D(y, 6, 17), past.org)  # the eighth: not yet
    send_weekly_digest(today=today)
    by_subject = {m.subject.split("（")[0] + "|" + m.to[0]: m.body for m in mail.outbox}
    lead_mail = by_subject[f"联系工作周报|{past.lead.user.email}"]
    assert f"未来一周的工作计划（1）：06-16 {past.expert.name}（调查了解，{past.member.name}）" in lead_mail
    assert f"已逾期的工作计划（1）：06-01 {past.expert.name}（开展座谈，{past.member.name}）" in lead_mail
    assert past.org.name not in lead_mail.split("【")[1].split("未来一周")[1]
    mine = by_subject[f"工作计划提醒|{past.member.user.email}"]
    assert f"未来一周（1）：\n  06-16 {past.expert.name}" in mine
    assert f"已逾期（1）：\n  06-01 {past.expert.name}" in mine
    office = by_subject[f"联系工作周报·汇总|{liaison_officer.user.email}"]
    assert "已逾期的工作计划 1 项" in office
    assert PlannedContact.objects.count() == 3
