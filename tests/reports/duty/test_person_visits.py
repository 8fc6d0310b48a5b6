"""Grassroots visits per person (seed 000 §四.5 "每年下基层不少于10次" does not say whose): the rules may set a
minimum per team, per person, or both; the duty report measures the person's own count against theirs,
and only the team's minimum is part of 达标."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import VisitQuota
from reports.duty.services import duty_report
from reports.workbook.imports import import_workbook
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_team
from tests.reports.workbook.workbooks import xlsx

pytestmark = pytest.mark.django_db


def test_a_person_minimum_only_is_measured_in_the_duty_report(liaison_client, dept_staff, liaison_officer):
    rules = [
        ["年度", "专班类型", "项目", "最少"],
        [2026, "部室专班", "市级学会", 0],
        [2026, "部室专班", "个人下基层", 3],
    ]
    assert import_workbook(xlsx({"联系定额": rules})).ok
    quota = VisitQuota.objects.get(year__year=2026, team_kind="department")
    assert (quota.minimum, quota.person_minimum) == (None, 3)  # no team minimum, three visits each
    team = make_team(quota.year, liaison_officer, members=[dept_staff])
    person = ScientistFactory()
    log(team, dept_staff, [person], day=datetime.date(2026, 3, 1))
    log(team, dept_staff, [person], day=datetime.date(2026, 4, 1))
    log(team, liaison_officer, [person], day=datetime.date(2026, 5, 1))  # the lead's, not dept_staff's

    report = duty_report(dept_staff, quota.year)
    assert (report.grassroots, report.grassroots_minimum, report.grassroots_short) == (2, 3, True)
    assert "其中下基层 2 次（每人不少于 3 次）" in report.summary_sentence
    lead = duty_report(liaison_officer, quota.year)
    assert (lead.grassroots, lead.grassroots_short) == (1, True)
    # the team has no visit minimum of its own: not a shortfall of 达标
    assert report.teams[0].review.data["grassroots_visits"] == {"count": 3, "min": None}
    page = liaison_client.get(reverse("reports:duty_report", args=[2026, dept_staff.pk])).content.decode()
    assert 'data-testid="duty-grassroots">2<span class="fs-6 text-body-secondary"> / ≥ 3</span>' in page
    rules_page = liaison_client.get(reverse("liaison:rules", args=[2026])).content.decode()
    assert "每人每年下基层（次）</td><td>—</td><td>≥ 3</td>" in rules_page
