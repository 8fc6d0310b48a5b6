"""A liaison officer, on a phone, logs in, registers a scientist and finds them again by pinyin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from experts.models import Scientist, TalentCategory
from orgs.models import OrgKind
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import OrganizationFactory, ScientistFactory
from tests.services import shots_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = shots_dir()


def test_liaison_officer_registers_and_finds_a_scientist(
    page: Page, live_server, liaison_officer, console_errors, static_responses
):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page).to_have_title(re.compile("登录"))
    # Static files load under live_server (plain storage, no manifest names): Bootstrap's CSS answers 200.
    assert any(url.endswith("/bootstrap.min.css") and status == 200 for url, status in static_responses), (
        static_responses
    )

    log_in(page, liaison_officer.user.username)
    expect(page).to_have_url(live_server.url + "/")
    page.set_viewport_size({"width": 1280, "height": 800})  # the shell shows the user in the navbar
    expect(page.get_by_test_id("shell-user")).to_contain_text("刘联络 · 组织联络部")
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(live_server.url + "/experts/new/")
    assert_fits_phone_width(page)
    page.get_by_label("姓名").fill("单志强")
    page.get_by_label("工作单位").fill("辽川理工大学")
    page.get_by_label("人才类别").select_option("renowned")
    page.get_by_label("手机").fill("138 1234 5678")
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page).to_have_url(re.compile(r"/experts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("单志强")
    expect(page.get_by_text("知名专家").first).to_be_visible()
    expect(page.get_by_test_id("contact-details")).to_contain_text("13812345678")

    # Full pinyin, with 单 read as the surname "shan" (not "dan").
    page.goto(live_server.url + "/experts/?q=shanzhiqiang")
    expect(page.get_by_role("row").filter(has_text="单志强")).to_have_count(1)

    # Initials, typed into the search box as a user would.
    search = page.get_by_label("搜索")
    search.fill("szq")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=szq"))
    row = page.get_by_role("row").filter(has_text="单志强")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("辽川理工大学")
    assert_fits_phone_width(page)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "scientist-list-375.png"), full_page=True)

    assert not console_errors, console_errors
    failed = [(url, status) for url, status in static_responses if status >= 400]
    assert not failed, failed


def test_anonymous_user_is_sent_back_to_the_page_asked_for(
    page: Page, live_server, dept_staff, console_errors
):
    page.goto(live_server.url + "/orgs/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/orgs/$"))

    log_in(page, dept_staff.user.username)
    expect(page).to_have_url(live_server.url + "/orgs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("基层组织")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors


def test_organisation_filter_is_picked_by_typing(page: Page, live_server, dept_staff, console_errors):
    """Among many organisations 所属组织 is a search box: typing offers the matches (htmx), the arrow keys and
    Enter pick one, the chosen one shows by name and ✕ clears it; Enter in the box alone filters by the text."""
    OrganizationFactory.create_batch(55)
    university = OrganizationFactory(name="辽川理工大学科协", kind=OrgKind.UNIVERSITY)
    ScientistFactory(name="单志强", organization=university, category=TalentCategory.RENOWNED)
    ScientistFactory(name="李青", category=TalentCategory.YOUNG)

    page.goto(live_server.url + "/experts/")
    log_in(page, dept_staff.user.username)
    page.set_viewport_size({"width": 1280, "height": 800})
    box = page.get_by_label("所属组织")
    box.fill("lgdx")
    match = page.get_by_role("button", name=re.compile("辽川理工大学科协"))
    expect(match).to_be_visible()
    box.press("ArrowDown")
    expect(match).to_be_focused()
    match.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]organization={university.pk}(&|$)"))
    expect(page.get_by_test_id("picked-organization")).to_contain_text("辽川理工大学科协")
    expect(page.get_by_role("row").filter(has_text="单志强")).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="李青")).to_have_count(0)

    page.get_by_role("link", name=re.compile("清除组织")).click()
    expect(page).not_to_have_url(re.compile(r"organization="))
    expect(page.get_by_role("row").filter(has_text="李青")).to_have_count(1)

    # Enter in the box submits the text (the form's first button is the plain 筛选, not a match)
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="更多筛选").click()
    box = page.get_by_label("所属组织")
    box.fill("理工大学")
    expect(page.get_by_role("button", name=re.compile("辽川理工大学科协"))).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"organization_q="))
    expect(page).not_to_have_url(re.compile(r"organization=\d"))
    expect(page.get_by_role("row").filter(has_text="单志强")).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="李青")).to_have_count(0)
    # the filter in use stays unfolded on the phone, with the matches to narrow to one
    expect(page.get_by_label("所属组织")).to_have_value("理工大学")
    expect(page.get_by_role("button", name=re.compile("辽川理工大学科协"))).to_be_visible()
    assert_fits_phone_width(page)
    page.screenshot(path=str(SHOTS / "scientist-organisation-picker-375.png"), full_page=True)
    assert not console_errors, console_errors


def test_scientist_form_picks_the_organisation_by_typing(
    page: Page, live_server, liaison_officer, console_errors
):
    """Among many organisations the form's 所属组织 is a search box: typing offers the matches (htmx) as radio
    buttons, Enter looks them up instead of saving, the picked one is saved and shows by name when editing."""
    OrganizationFactory.create_batch(55)
    university = OrganizationFactory(name="辽川理工大学科协", kind=OrgKind.UNIVERSITY)

    page.goto(live_server.url + "/experts/new/")
    log_in(page, liaison_officer.user.username)
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_label("姓名").fill("单志强")
    page.get_by_label("工作单位").fill("辽川理工大学")
    page.get_by_label("人才类别").select_option("renowned")
    box = page.get_by_label("所属组织")
    box.fill("lgdx")
    box.press("Enter")
    match = page.get_by_role("radio", name=re.compile("辽川理工大学科协"))
    expect(match).to_be_visible()
    expect(page).to_have_url(re.compile(r"/experts/new/$"))  # Enter did not save the form
    match.check()
    assert_fits_phone_width(page)
    page.screenshot(path=str(SHOTS / "scientist-form-organisation-375.png"), full_page=True)
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page).to_have_url(re.compile(r"/experts/\d+/$"))
    expect(page.get_by_text("辽川理工大学科协").first).to_be_visible()
    scientist = Scientist.objects.get(name="单志强")
    assert scientist.organization == university

    page.goto(live_server.url + f"/experts/{scientist.pk}/edit/")
    expect(page.get_by_role("radio", name=re.compile("当前：辽川理工大学科协"))).to_be_checked()
    assert not console_errors, console_errors
