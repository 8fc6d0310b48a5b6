"""Staff on a phone (375 px): log a visit with a demand, send Spring Festival greetings, close a demand."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from liaison.models import ContactRecord, Demand
from liaison.plan import services as plans
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    for name in ("单志强", "曾国华", "李青"):
        plans.assignment_add(
            team=team,
            by=None,
            scientist=ScientistFactory(name=name),
            start_date=datetime.date(today().year, 1, 1),
        )
    return team


def test_staff_logs_a_visit_with_a_demand(page: Page, live_server, dept_staff, team, console_errors):
    page.goto(live_server.url + "/")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    assert_fits_phone_width(page)

    # The reminder list links each target to a prefilled form.
    page.get_by_role("listitem").filter(has_text="单志强").get_by_role("link", name="记录").click()
    expect(page.get_by_role("heading", name="记录联系工作")).to_be_visible()
    expect(page.get_by_label("单志强")).to_be_checked()
    expect(page.get_by_label("日期")).to_have_value(today().isoformat())
    assert_fits_phone_width(page)

    page.get_by_label("联系形式").select_option("visit")
    expect(page.get_by_label("下基层")).to_be_checked()  # a visit in person counts as a grassroots visit
    page.get_by_label("了解困难").check()
    page.get_by_label("情况摘要").fill("到实验室了解重点项目进展")
    page.locator("summary", has_text="反映的问题和诉求").click()
    expect(page.locator('details:has(summary:has-text("反映的问题和诉求"))')).to_have_attribute("open", "")
    page.get_by_label("反映的问题或建议").fill("实验用房紧张，希望协调")
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.get_by_test_id("saved-panel")).to_contain_text("联系记录已保存")
    expect(page.get_by_role("link", name="再记一条")).to_be_visible()
    expect(page.get_by_text("实验用房紧张，希望协调")).to_be_visible()
    assert_fits_phone_width(page)
    record = ContactRecord.objects.get()
    assert record.grassroots
    assert record.topics == ["difficulties"]
    assert Demand.objects.get().raised_by_scientist.name == "单志强"
    assert not console_errors, console_errors


def test_bulk_spring_festival_greetings(page: Page, live_server, dept_staff, team, console_errors):
    page.goto(live_server.url + f"/liaison/greetings/?team={team.pk}&occasion=spring_festival")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", name="批量慰问")).to_be_visible()
    boxes = page.locator("input[name='scientists']")
    expect(boxes).to_have_count(3)
    for i in range(3):
        expect(boxes.nth(i)).to_be_checked()  # nobody greeted yet: all ticked by default
    page.get_by_label("李青").uncheck()
    page.get_by_label("日期").fill(today().isoformat())
    assert_fits_phone_width(page)
    page.get_by_role("button", name="保存全部慰问记录").click()

    expect(page.get_by_text("已记录 2 位科技工作者的春节慰问")).to_be_visible()
    expect(page.get_by_text("本节已慰问")).to_have_count(2)
    expect(page.get_by_label("李青")).to_be_checked()  # still to greet: ticked for next time
    assert ContactRecord.objects.filter(method="greeting", occasion="spring_festival").count() == 2
    assert not console_errors, console_errors


def test_handler_closes_a_demand_with_a_reply(page: Page, live_server, dept_staff, team, console_errors):
    scientist = team.assignments.get(scientist__name="曾国华").scientist
    record = log(team, dept_staff, [scientist], day=today() - datetime.timedelta(days=10))
    demand = raise_demand(record, dept_staff.user, handler=dept_staff, text="希望对接企业开展合作")

    page.goto(live_server.url + "/")
    log_in(page, dept_staff.user.username)
    page.get_by_role("link", name=re.compile("希望对接企业开展合作")).click()
    expect(page.get_by_test_id("demand-status")).to_have_text("已交办")
    page.get_by_label("环节").select_option("reply")
    page.get_by_label("情况 / 反馈内容").fill("已对接辽川重工，双方签订合作意向")
    page.get_by_label("办理后状态").select_option("done")
    assert_fits_phone_width(page)
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_test_id("demand-status")).to_have_text("已办结")
    expect(page.get_by_test_id("demand-reply")).to_contain_text("已对接辽川重工")
    demand.refresh_from_db()
    assert demand.status == "done"
    assert not console_errors, console_errors


def test_demand_handler_is_picked_by_typing(
    page: Page, live_server, liaison_officer, dept_staff, team, console_errors
):
    """Among many staff 承办人 is a search box on a phone: typing offers the matches (htmx), a tap picks one,
    the chosen one shows by name and ✕ clears it."""
    StaffFactory.create_batch(55)
    other = StaffFactory(name="孙承办")
    record = log(team, dept_staff, [team.assignments.first().scientist])
    raise_demand(record, dept_staff.user, handler=dept_staff, text="实验用房紧张")
    raise_demand(record, dept_staff.user, handler=other, text="希望举办对接会")

    page.goto(live_server.url + "/liaison/demands/")
    log_in(page, liaison_officer.user.username)
    expect(page.get_by_role("heading", name="诉求办理")).to_be_visible()
    page.get_by_role("button", name="更多筛选").click()
    page.get_by_label("承办人").fill("cgb")
    match = page.get_by_role("button", name=re.compile("陈干部"))
    expect(match).to_be_visible()
    assert_fits_phone_width(page)
    match.click()
    expect(page).to_have_url(re.compile(rf"[?&]handler={dept_staff.pk}(&|$)"))
    expect(page.get_by_test_id("picked-handler")).to_contain_text("陈干部")
    expect(page.get_by_role("link", name=re.compile("实验用房紧张"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("希望举办对接会"))).to_have_count(0)
    assert_fits_phone_width(page)

    page.get_by_role("link", name=re.compile("清除人员")).click()
    expect(page).not_to_have_url(re.compile(r"handler="))
    expect(page.get_by_role("link", name=re.compile("希望举办对接会"))).to_be_visible()
    assert not console_errors, console_errors


def test_a_demand_is_handed_to_a_person_found_by_typing(
    page: Page, live_server, dept_staff, team, console_errors
):
    """Among thousands of staff the demand's 交办给 is a search box: typing pinyin shows the matches as radio
    buttons (htmx, in the formset's own field name), one is picked and the demand is saved with it."""
    from tests.factories import DepartmentFactory

    service = DepartmentFactory(name="科技服务部")
    zhou = StaffFactory(name="周志远", department=service)
    for i in range(55):
        StaffFactory(name=f"工作人员{i:02d}", department=service)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + f"/liaison/records/new/?team={team.pk}")
    log_in(page, dept_staff.user.username)
    page.get_by_label("单志强").check()
    page.get_by_label("情况摘要").fill("到实验室了解重点项目进展")
    page.locator("summary", has_text="反映的问题和诉求").click()
    page.get_by_label("反映的问题或建议").fill("希望对接检测平台")
    box = page.locator("input[name='demands-0-handler_q']")
    box.fill("zhouzhi")
    match = page.get_by_role("radio", name=re.compile("周志远（科技服务部）"))
    expect(match).to_be_visible()
    assert_fits_phone_width(page)
    match.check()
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.get_by_test_id("saved-panel")).to_contain_text("联系记录已保存")
    demand = Demand.objects.get()
    assert (demand.text, demand.handler, demand.status) == ("希望对接检测平台", zhou, "assigned")
    assert not console_errors, console_errors
