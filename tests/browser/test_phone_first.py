"""Phone-first details at 375 px (issue 18 §4, §5): the logging form's actions are one row, the demand step
form shows only the chosen step's fields, and a wide table says that it scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.plan import services as plans
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(dept_staff):
    return make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])


def test_logging_form_actions_are_one_row(page: Page, live_server, dept_staff, team, console_errors):
    page.goto(live_server.url + "/liaison/records/new/")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", name="记录联系工作")).to_be_visible()
    bar = page.get_by_test_id("action-bar")
    boxes = [
        bar.get_by_role("button", name="保存", exact=True).bounding_box(),
        bar.get_by_role("button", name="存草稿").bounding_box(),
        bar.get_by_role("link", name="取消").bounding_box(),
    ]
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one row: the same top
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert boxes[2]["x"] + boxes[2]["width"] <= 375
    assert_fits_phone_width(page)
    # the proposal of a scientist not in the registry folds away until asked for
    expect(page.get_by_label("工作单位")).to_be_hidden()
    page.get_by_text("名录中没有？提议新增科技工作者").click()
    expect(page.get_by_label("工作单位")).to_be_visible()
    assert_fits_phone_width(page)
    assert not console_errors, console_errors


def test_step_form_shows_only_the_chosen_steps_fields(
    page: Page, live_server, liaison_officer, dept_staff, team, console_errors
):
    record = log(team, dept_staff, [ScientistFactory(name="单志强")], day=today())
    demand = raise_demand(record, dept_staff.user, text="实验室用房紧张")
    page.goto(live_server.url + demand.get_absolute_url())
    log_in(page, liaison_officer.user.username)
    form = page.get_by_test_id("step-form")
    expect(form.get_by_label("环节")).to_have_value("assign")  # not handed over yet: 交办 first
    expect(form.get_by_text("交办给（干部）")).to_be_visible()
    expect(form.get_by_text("或交办给（部室）")).to_be_visible()
    expect(form.get_by_label("办理时限")).to_be_visible()
    expect(form.get_by_label("提出人是否满意")).to_be_hidden()
    expect(form.get_by_label("办理后状态")).to_be_hidden()
    assert_fits_phone_width(page)

    form.get_by_label("环节").select_option("revisit")
    expect(form.get_by_label("提出人是否满意")).to_be_visible()
    expect(form.get_by_text("交办给（干部）")).to_be_hidden()
    expect(form.get_by_label("办理时限")).to_be_hidden()

    # 交办 without saying whom: a Chinese error, what was typed kept, still only 交办's fields
    form.get_by_label("环节").select_option("assign")
    form.get_by_label("情况 / 反馈内容").fill("请两周内答复")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_text("交办请选择承办的干部或部室。")).to_be_visible()
    expect(page.get_by_label("情况 / 反馈内容")).to_have_value("请两周内答复")
    expect(page.get_by_label("提出人是否满意")).to_be_hidden()
    expect(page.get_by_test_id("demand-status")).to_have_text("待办")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors


def test_a_wide_table_says_it_scrolls_sideways(page: Page, live_server, liaison_officer, team):
    """The year's plan tables (分工表) are wider than a phone: the box says so until scrolled to its end."""
    plans.assignment_add(team=team, by=None, scientist=ScientistFactory(name="单志强"))
    page.goto(live_server.url + f"/liaison/years/{team.year.year}/plan/")
    log_in(page, liaison_officer.user.username)
    box = page.locator(".table-responsive").first
    expect(box).to_have_class(re.compile(r"\bis-scrollable\b"))
    hint = box.evaluate("b => getComputedStyle(b, '::before').content")
    assert "左右滑动查看" in hint
    box.evaluate("b => b.scrollTo(b.scrollWidth, 0)")
    expect(box).to_have_class(re.compile(r"\bat-end\b"))
    assert_fits_phone_width(page)
    # on a wide screen the same table fits: no hint
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.locator(".table-responsive").first).not_to_have_class(re.compile(r"\bis-scrollable\b"))
