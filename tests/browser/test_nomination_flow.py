"""举荐 on a phone (375 px): a staff member nominates a scientist for their team with a reason and a PDF; the
liaison office passes the review (初审通过) and submits it (报送); the scientist's page lists it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from awards.models import Nomination
from tests.awards.factories import make_award
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, today
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("AWARDS_SHOTS")  # a folder to keep screenshots in, when asked


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def setting(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    ScientistFactory(name="李晓明", employer="辽川农科院")
    ScientistFactory(name="王小梅", employer="辽川大学")
    award = make_award(name="辽川市青年科技奖", year=today().year, quota=1)
    return team, award


def test_staff_nominates_and_the_office_submits(
    page: Page, live_server, dept_staff, liaison_officer, setting, tmp_path, console_errors
):
    team, award = setting
    page.goto(live_server.url + "/awards/")
    log_in(page, dept_staff.user.username)
    expect(page.get_by_role("heading", name="举荐与表彰")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_role("link", name=re.compile("辽川市青年科技奖")).click()
    expect(page.get_by_test_id("quota-used")).to_have_text("0 / 1")
    page.get_by_test_id("nominate").click()

    expect(page.get_by_role("heading", name="推荐科技工作者")).to_be_visible()
    expect(page.get_by_label("推荐专班")).to_have_value(str(team.pk))  # the only team: chosen already
    page.get_by_placeholder(re.compile("姓名、拼音或首字母")).fill("lxm")
    match = page.get_by_role("radio", name=re.compile("李晓明"))
    expect(match).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("王小梅"))).to_have_count(0)
    match.check()
    page.get_by_label("推荐理由").fill("主持玉米新品种选育，成果在全市推广。")
    pdf = tmp_path / "推荐表.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("推荐材料（照片或 PDF）").set_input_files(str(pdf))
    assert_fits_phone_width(page)
    shot(page, "nominate-375")
    page.get_by_test_id("submit").click()

    expect(page.get_by_text("已推荐李晓明参评“辽川市青年科技奖”，待组织联络部初审。")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("推荐")
    expect(page.get_by_test_id("attachments")).to_contain_text("推荐表.pdf")
    expect(page.get_by_test_id("actions")).to_have_count(0)  # the office's buttons are not the staff's
    assert_fits_phone_width(page)
    shot(page, "nomination-staff-375")
    nomination = Nomination.objects.get()
    assert (nomination.team, nomination.nominated_by, nomination.scientist.name) == (
        team,
        dept_staff.user,
        "李晓明",
    )

    # the liaison office reviews and submits it, on a phone too
    page.context.clear_cookies()
    page.goto(live_server.url + nomination.get_absolute_url())
    log_in(page, liaison_officer.user.username)
    page.get_by_label(re.compile("说明")).fill("材料齐全")
    page.get_by_test_id("move-passed").click()
    expect(page.get_by_test_id("state")).to_have_text("初审通过")
    page.get_by_test_id("move-submitted").click()
    expect(page.get_by_test_id("state")).to_have_text("报送")
    expect(page.get_by_test_id("steps")).to_contain_text("材料齐全")
    assert_fits_phone_width(page)
    shot(page, "nomination-office-375")
    assert Nomination.objects.get().state == "submitted"

    page.goto(live_server.url + f"/experts/{nomination.scientist_id}/")
    expect(page.get_by_test_id("scientist-awards")).to_contain_text("辽川市青年科技奖")
    expect(page.get_by_test_id("scientist-awards")).to_contain_text("报送")
    assert not console_errors, console_errors
