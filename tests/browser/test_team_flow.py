"""The liaison office, on a phone, adds a scientist to a team and sees the quota count and badge change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_office_adds_a_scientist_and_the_badge_turns_green(
    page: Page, live_server, liaison_officer, console_errors
):
    year = make_year(2026)
    team = make_team(year, make_leader("王主席"))
    # Everything of the leader quota but one expert: the team falls short by exactly one.
    for kind, n in [
        ("district", 2),
        ("vice_chair_unit", 2),
        ("society", 3),
        ("enterprise", 3),
        ("university", 2),
    ]:
        for i in range(n):
            plans.assignment_add(
                team=team, by=None, organization=OrganizationFactory(kind=kind, name=f"{kind}{i}")
            )
    for i in range(9):
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory(name=f"专家{i}"))
    ScientistFactory(name="单志强", employer="辽川理工大学", category="academician")
    OrganizationFactory(kind=OrgKind.DISTRICT, name="和平区科协")

    page.goto(live_server.url + team.get_absolute_url())
    log_in(page, liaison_officer.user.username)
    # 21 targets, none contacted, no visit: 未达标 for three reasons; the quota is one expert short
    expect(page.get_by_test_id("badge").first).to_have_text("未达标 · 3 项")
    expect(page.get_by_test_id("quota-badge").first).to_have_text("配额不足 · 1 项")
    expect(page.get_by_test_id("count-expert")).to_have_text("9 / ≥ 10")
    expect(page.get_by_test_id("shortfalls")).to_contain_text("知名专家/高层次人才 少 1 名")
    assert_fits_phone_width(page)

    page.get_by_label("搜索基层组织或科技工作者").fill("szq")
    option = page.get_by_label(re.compile("单志强"))
    expect(option).to_be_visible()
    option.check()
    page.get_by_role("button", name="添加", exact=True).click()

    expect(page.get_by_text("已将“单志强”加入王主席专班（知名专家/高层次人才）")).to_be_visible()
    expect(page.get_by_test_id("count-expert")).to_have_text("10 / ≥ 10")
    expect(page.get_by_test_id("quota-badge").first).to_have_text("配额齐全")
    # the quota is filled, but no target is contacted yet and no visit made: still not 达标
    expect(page.get_by_test_id("badge").first).to_have_text("未达标 · 2 项")
    expect(page.get_by_test_id("shortfalls")).not_to_contain_text("知名专家")
    expect(page.get_by_text("添加 单志强")).to_be_visible()
    assert_fits_phone_width(page)

    # The teams list of the year shows the same badges.
    page.goto(live_server.url + year.get_absolute_url())
    row = page.get_by_role("row").filter(has_text="王主席专班")
    expect(row.get_by_test_id("badge")).to_have_text("未达标 · 2 项")
    expect(row.get_by_test_id("quota-badge")).to_have_text("配额齐全")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors


def test_teams_list_is_searched_and_filtered_on_a_phone(page: Page, live_server, dept_staff, console_errors):
    year = make_year(2026)
    make_team(year, make_leader("王主席"))
    make_team(year, make_leader("王副主席"))
    make_team(year, make_leader("李主席"))

    page.goto(live_server.url + year.get_absolute_url())
    log_in(page, dept_staff.user.username)
    expect(page.get_by_text("达标 0 / 3 个专班")).to_be_visible()
    page.get_by_label("搜索专班").fill("wang")
    page.get_by_label("达标", exact=True).select_option("未达标")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page).to_have_url(re.compile(r"(?=.*q=wang)(?=.*status=short)"))
    expect(page.get_by_text("符合条件的专班 2 个")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="李主席专班")).to_have_count(0)
    assert_fits_phone_width(page)

    page.get_by_role("link", name="领导专班").click()  # the tab keeps the search and the status
    expect(page).to_have_url(re.compile(r"(?=.*kind=leader)(?=.*status=short)(?=.*q=wang)"))
    expect(page.get_by_role("row").filter(has_text="王副主席专班")).to_have_count(1)

    page.get_by_label("搜索专班").fill("zzz")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page.get_by_text("没有符合条件的专班。")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_role("link", name="清除筛选条件").click()
    expect(page.get_by_role("row").filter(has_text="李主席专班")).to_have_count(1)
    assert not console_errors, console_errors


def test_team_members_are_added_by_typing(
    page: Page, live_server, liaison_officer, dept_staff, console_errors
):
    """Among many staff the team form's 专班成员 is a search box: a ticked match joins the chosen members and the
    box clears for the next name; saving keeps the old member and adds the new ones."""
    year = make_year(2026)
    team = make_team(year, make_leader("王主席"), members=[dept_staff])
    staff = [StaffFactory(name=f"工作人员{i:02d}", department=dept_staff.department) for i in range(55)]

    page.goto(live_server.url + f"/liaison/teams/{team.pk}/edit/")
    log_in(page, liaison_officer.user.username)
    page.set_viewport_size({"width": 375, "height": 812})
    chosen = page.get_by_test_id("chosen-members")
    expect(chosen.get_by_role("checkbox", name=re.compile("陈干部"))).to_be_checked()
    box = page.get_by_placeholder(re.compile("添加"))
    for text, name in (("gzry07", "工作人员07"), ("工作人员12", "工作人员12")):
        box.fill(text)
        box.press("Enter")  # looks up; does not save
        page.get_by_role("checkbox", name=re.compile(name)).check()
        expect(chosen.get_by_role("checkbox", name=re.compile(name))).to_be_checked()
        expect(box).to_have_value("")
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/edit/$"))
    assert_fits_phone_width(page)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/$"))
    assert set(team.members.all()) == {dept_staff, staff[7], staff[12]}
    assert not console_errors, console_errors
