"""A staff member, on a phone, opens a scientist's page (the hub, issue 18 §1): reads the timeline, filters it
by method without JavaScript doing anything but submitting a form, and logs a contact from the 记录 button
with the team and the scientist already chosen."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_reads_filters_and_logs_from_a_scientists_page(page: Page, live_server, dept_staff):
    today = timezone.localdate()  # the app's today, read when the test runs
    year = make_year(today.year)
    lead = make_leader("王主席", "wangzhuxi")
    team = make_team(year, lead, members=[dept_staff])
    zhang = ScientistFactory(name="张院士")
    from liaison.plan import services as plans

    plans.assignment_add(team=team, by=None, scientist=zhang, start_date=year.first_day)
    log(team, lead, [zhang], day=year.first_day, summary="年初走访了解科研进展")
    log(
        team,
        dept_staff,
        [zhang],
        day=max(year.first_day, today - datetime.timedelta(days=1)),
        method="greeting",
        occasion="other_holiday",
        grassroots=False,
        summary="节日慰问送上祝福",
    )

    page.goto(f"{live_server.url}/experts/{zhang.pk}/")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("张院士")
    assert_fits_phone_width(page)

    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("timeline-record")).to_have_count(2)
    expect(timeline.get_by_test_id("timeline-record").first).to_contain_text("节日慰问送上祝福")
    expect(page.get_by_test_id(f"teams-{today.year}")).to_contain_text("王主席专班")

    timeline.get_by_label("联系方式").select_option("greeting")
    timeline.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]method=greeting"))
    expect(page.get_by_test_id("timeline").get_by_test_id("timeline-record")).to_have_count(1)
    assert_fits_phone_width(page)

    page.get_by_test_id("log-buttons").get_by_role("link", name="记录（王主席专班）").click()
    expect(page).to_have_url(re.compile(rf"/liaison/records/new/\?team={team.pk}&target=sci:{zhang.pk}$"))
    expect(page.locator(f'input[name="targets"][value="sci:{zhang.pk}"]')).to_be_checked()
    assert_fits_phone_width(page)
