"""工作计划 on a phone (375 px): a member plans a visit for today, finds it under 本周计划 on 我的工作,
completes it from there with the prefilled record form, and sees it 已完成 in the team's plan."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from liaison.models import PlannedContact, PlanStatus
from liaison.plan import services as plans
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, today
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    plans.assignment_add(
        team=team,
        by=None,
        scientist=ScientistFactory(name="单志强"),
        start_date=datetime.date(today().year, 1, 1),
    )
    return team


def test_plan_then_complete_from_my_work(page: Page, live_server, dept_staff, team, console_errors):
    page.goto(live_server.url + f"/liaison/teams/{team.pk}/schedule/new/")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", name="新增工作计划")).to_be_visible()
    scientist = team.assignments.get().scientist
    page.get_by_label("联系对象").select_option(f"sci:{scientist.pk}")
    page.get_by_label("计划日期").fill(today().isoformat())
    page.get_by_label("联系方式").select_option("survey")
    expect(page.get_by_label(dept_staff.name)).to_be_checked()  # whoever plans goes, unless unticked
    page.get_by_label("备注").fill("了解项目进展")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存工作计划")).to_be_visible()
    assert_fits_phone_width(page)

    page.goto(live_server.url + "/liaison/my-work/")
    week = page.get_by_test_id("week-plan")
    expect(week).to_contain_text("单志强 · 调查了解")
    week.get_by_role("link", name="完成").click()
    expect(page.get_by_test_id("plan-item")).to_contain_text("完成计划")
    expect(page.get_by_label("单志强")).to_be_checked()
    page.get_by_label("联系形式").select_option("visit")
    page.get_by_label("情况摘要").fill("到实验室了解项目进展")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("saved-panel")).to_contain_text("联系记录已保存")

    item = PlannedContact.objects.get()
    assert item.status == PlanStatus.DONE
    page.goto(live_server.url + f"/liaison/teams/{team.pk}/schedule/?show=done")
    expect(page.get_by_test_id("plan-items")).to_contain_text("已完成")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors
