"""A grassroots officer, on a phone, opens its organisation's 科技工作者之家 from the navigation, fills in a
point with a photo, and sees the home complete; the list and the organisation's home fit 375 px (issue 20 §3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homes.models import HomeCheck, HomeEvidence, Point
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import today
from tests.homes.factories import mark, place
from tests.liaison.filing.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_grassroots_fills_in_its_home_on_a_phone(page: Page, live_server, console_errors):
    year = today().year
    county = place("和平区科协", "district")
    town = place("集贤街道科协", "township", county)
    mark(town, year, list(Point)[:4])
    make_account(town, "jixian")

    page.goto(live_server.url + "/")
    log_in(page, "jixian")
    page.get_by_role("button", name="展开导航").click()
    page.get_by_role("link", name="科技工作者之家").click()
    expect(page.get_by_test_id("home-state")).to_have_text("建设中 4/5")
    assert_fits_phone_width(page)

    page.locator('[data-point="rules"]').get_by_role("link", name="填写").click()
    expect(page.get_by_role("heading", name="制度到位")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_label("已到位").check()
    page.get_by_label("到位日期").fill(f"{year}-01-15")
    page.get_by_label("说明").fill("已建立活动制度和经费管理办法")
    page.get_by_label("佐证材料（照片或 PDF）").set_input_files(
        files=[{"name": "制度.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/homes/org/{town.pk}/\?year={year}$"))
    expect(page.get_by_test_id("home-state")).to_have_text("已建成")
    expect(page.locator('[data-point="rules"]')).to_contain_text("已建立活动制度和经费管理办法")
    expect(page.locator('[data-point="rules"]').get_by_role("link", name="制度.png")).to_be_visible()
    assert_fits_phone_width(page)
    assert HomeCheck.objects.get(organization=town, year=year, point="rules").done
    assert HomeEvidence.objects.get().original_name == "制度.png"
    assert not console_errors, console_errors


def test_list_and_rollup_fit_a_phone(page: Page, live_server, liaison_officer, console_errors):
    year = today().year
    county = place("和平区科协", "district")
    town = place("集贤街道科协", "township", county)
    village = place("集贤社区科协", "village", town)
    mark(town, year)
    mark(village, year, list(Point)[:2])
    page.goto(live_server.url + "/homes/")
    log_in(page, liaison_officer.user.username)
    expect(page.get_by_test_id("home-list")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_role("link", name="区县 → 乡镇 → 村汇总").click()
    expect(page.get_by_test_id("rollup-total")).to_contain_text("已建成 1 个")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors
