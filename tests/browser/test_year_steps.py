"""The year's steps joined up (issue 18 §3), on a phone: the liaison office creates next year 延续上一年度 (with a
double click) and finds last year's teams carried over; the submit dialog names the team that will fall short;
a team's lead proposes a change from the team's page and the office finds it in its list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.models import Team, Year
from orgs.models import OrgKind
from reports.models import ChangeProposal
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import OrganizationFactory
from tests.reports.cycle.factories import NEXT, THIS, make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_creating_next_year_carried_over_and_submitting_it(
    page: Page, live_server, liaison_officer, leader, dept_staff, console_errors
):
    make_cycle(lead=leader, member=dept_staff)
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + "/liaison/years/")
    log_in(page, liaison_officer.user.username)
    form = page.locator("form").filter(has=page.get_by_role("heading", name="创建年度"))
    expect(form.get_by_role("spinbutton", name="年度")).to_have_value(str(NEXT))
    expect(form.get_by_role("radio", name=re.compile("^延续上一年度"))).to_be_checked()
    assert_fits_phone_width(page)
    form.get_by_role("button", name="创建").dblclick()  # the double click creates the year once

    expect(page.get_by_role("heading", name=re.compile(f"{NEXT} 年度专班"))).to_be_visible()
    expect(page.get_by_role("link", name="王领导专班")).to_be_visible()
    expect(page.get_by_role("link", name="李部长专班")).to_be_visible()
    assert_fits_phone_width(page)
    assert Year.objects.filter(year=NEXT).count() == 1
    assert Team.objects.filter(year__year=NEXT).count() == 2

    page.goto(live_server.url + f"/reports/years/{NEXT}/approval/")
    expect(page.get_by_test_id("short-on-submit")).to_contain_text("王领导专班")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="报审", exact=True).click()
    expect(page.get_by_text(f"{NEXT} 年度分工已报审，现已锁定")).to_be_visible()
    assert any("按报审的分工未达到联系定额" in q and "· 王领导专班：" in q for q in questions), questions
    assert console_errors == []


def test_a_team_lead_proposes_from_the_team_page(
    page: Page, live_server, leader, dept_staff, liaison_officer, console_errors
):
    cycle = make_cycle(lead=leader, member=dept_staff)
    OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
    page.goto(live_server.url + cycle.wang.get_absolute_url())
    log_in(page, leader.user.username)
    section = page.get_by_test_id("team-proposals")
    expect(section.get_by_role("heading", name="调整与建议")).to_be_visible()
    section.get_by_label("新增或替换联系对象").check()
    section.get_by_label(re.compile("^建议新增的对象")).fill("药学会")
    section.get_by_label(re.compile("辽川市药学会")).check()
    section.get_by_label("理由").fill("结合明年重点工作联系医药界")
    assert_fits_phone_width(page)
    section.get_by_role("button", name="提交建议").click()

    expect(page.get_by_text("建议已提交组织联络部")).to_be_visible()
    item = page.get_by_test_id("team-proposals").get_by_test_id("proposal").first
    expect(item).to_contain_text("新增“辽川市药学会”")
    expect(item).to_contain_text("待处理")
    assert_fits_phone_width(page)
    assert ChangeProposal.objects.get().proposed_by == leader.user

    page.context.clear_cookies()
    page.goto(live_server.url + f"/reports/years/{THIS}/adjustment/")
    log_in(page, liaison_officer.user.username)
    expect(page.get_by_test_id("proposal-list")).to_contain_text("新增“辽川市药学会”")
    assert_fits_phone_width(page)
    assert console_errors == []
