"""The weekly digest: one message per person, with what each needs to act on."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from liaison.plan import services as plans
from reports.digest.services import send_weekly_digest
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def setup(dept_staff, liaison_officer):
    year = make_year(2026)
    lead_a, lead_b = make_leader("王主席"), make_leader("李副主席")
    for person in (lead_a, lead_b, liaison_officer):
        person.user.email = f"{person.user.username}@example.org"
        person.user.save()
    a = make_team(year, lead_a, members=[dept_staff])
    b = make_team(year, lead_b)
    seen, silent = ScientistFactory(name="已联系专家"), ScientistFactory(name="未联系专家")
    for s in (seen, silent):
        plans.assignment_add(team=a, by=None, scientist=s, start_date=datetime.date(2026, 1, 1))
    record = log(a, dept_staff, [seen], day=datetime.date(2026, 3, 1))
    raise_demand(record, dept_staff.user, text="逾期的用房诉求", due_date=datetime.date(2026, 4, 1))
    log(a, dept_staff, [seen], day=datetime.date(2026, 3, 2), summary="", draft=True)
    return a, b


def test_one_message_per_person_with_their_figures(setup, liaison_officer):
    result = send_weekly_digest(today=TODAY)
    assert sorted(result.sent) == ["刘联络", "李副主席", "王主席"]
    assert len(mail.outbox) == 3
    by_recipient = {m.to[0]: m for m in mail.outbox}
    lead = by_recipient["lead王主席@example.org"].body
    assert "未联系专家" in lead
    assert "已联系专家" not in lead
    assert "下基层：1 次（最少 10 次）" in lead
    assert "未完成的草稿：1 条" in lead
    assert "逾期的用房诉求" in lead
    assert "李副主席专班" not in lead  # a lead gets only their own team
    rollup = by_recipient["lianluo@example.org"]
    assert "汇总" in rollup.subject
    assert "王主席专班" in rollup.body
    assert "李副主席专班" in rollup.body
    assert "超期诉求 1 件" in rollup.body


def test_people_without_email_are_reported_not_mailed(setup, liaison_officer):
    liaison_officer.user.email = ""
    liaison_officer.user.save()
    result = send_weekly_digest(today=TODAY)
    assert result.skipped == ["刘联络"]
    assert len(mail.outbox) == 2


def test_dry_run_sends_nothing(setup, capsys):
    call_command("weekly_digest", "--dry-run", "--date", "2026-06-01")
    assert mail.outbox == []
    assert "将发送 3 封周报" in capsys.readouterr().out
