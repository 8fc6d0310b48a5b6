"""The liaison office, on a phone, runs the year's cycle: opens next year's adjustment, removes a target with a
reason, adds one, submits the plan, records the party group's approval, downloads the workbook and reads it."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from orgs.models import OrgKind
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import OrganizationFactory
from tests.reports.cycle.factories import NEXT, THIS, make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_year_end_cycle_in_a_browser(
    page: Page, live_server, liaison_officer, leader, dept_staff, console_errors
):
    cycle = make_cycle(lead=leader, member=dept_staff)
    OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市药学会")
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm forms

    page.goto(live_server.url + cycle.year.get_absolute_url())
    log_in(page, liaison_officer.user.username)
    page.get_by_role("button", name=f"开启 {NEXT} 年度调整").click()
    expect(page.get_by_text(f"已开启 {NEXT} 年度调整")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(f"{NEXT} 年度联系对象调整"))).to_be_visible()
    assert_fits_phone_width(page)

    page.get_by_role("link", name="王领导专班").click()
    expect(page.get_by_text(f"延续自 {THIS} 年度王领导专班")).to_be_visible()
    assert_fits_phone_width(page)

    # Remove a target: the reason is required.
    item = page.locator("li[data-target-name='和平区科协']")
    item.get_by_text("移除", exact=True).click()
    item.get_by_role("button", name="确认移除").click()
    expect(page.get_by_text("请填写调整原因").first).to_be_visible()
    item = page.locator("li[data-target-name='和平区科协']")
    item.get_by_label("调整原因").fill("该区科协已撤并，不再单独联系")
    item.get_by_role("button", name="确认移除").click()
    expect(page.get_by_text("已从王领导专班移除“和平区科协”")).to_be_visible()
    expect(page.locator("li[data-target-name='和平区科协']")).to_have_count(0)

    # Add one found by the search box.
    form = page.locator("#add-target")
    form.get_by_label("搜索基层组织或科技工作者").fill("药学会")
    form.get_by_label(re.compile("辽川市药学会")).check()
    form.get_by_label("调整原因").fill("结合明年重点工作联系医药界")
    form.get_by_role("button", name="保存调整").click()
    expect(page.get_by_text("已将“辽川市药学会”加入王领导专班")).to_be_visible()
    expect(page.locator("li[data-target-name='辽川市药学会']")).to_be_visible()
    expect(page.get_by_text("该区科协已撤并，不再单独联系").first).to_be_visible()
    assert_fits_phone_width(page)

    # The comparison shows both, with the reasons.
    page.goto(live_server.url + f"/reports/years/{NEXT}/compare/")
    team = page.locator("[data-testid='compare-team'][data-team='王领导专班']")
    expect(team.locator("tr[data-change='removed']").filter(has_text="和平区科协")).to_contain_text(
        "该区科协已撤并"
    )
    expect(team.locator("tr[data-change='added']")).to_contain_text("辽川市药学会")
    assert_fits_phone_width(page)

    # Submit, then record the approval.
    page.goto(live_server.url + f"/reports/years/{NEXT}/approval/")
    page.get_by_role("button", name="报审", exact=True).click()
    expect(page.get_by_text(f"{NEXT} 年度分工已报审，现已锁定")).to_be_visible()
    page.get_by_label("审定文号").fill(f"沈科协〔{NEXT}〕37号")
    expect(page.get_by_label("审定日期")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("button", name="登记审定").click()
    expect(page.get_by_text(f"已登记{NEXT} 年度分工的审定")).to_be_visible()
    expect(page.get_by_test_id("approval-record")).to_contain_text(f"沈科协〔{NEXT}〕37号")
    expect(page.get_by_test_id("transitions")).to_contain_text("报审")
    assert_fits_phone_width(page)

    # Download the workbook for the party group and read it back.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载分工表（Excel）").first.click()
    download = download_info.value
    assert download.suggested_filename == f"{NEXT}年度联系科技工作者分工（报党组审定）.xlsx"
    with open(download.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    leaders = book["附件1"]
    assert leaders["A2"].value == f"{NEXT}年度市科协领导联系科技工作者分工"
    row = [c.value or "" for c in leaders[4]]
    assert row[1] == "王领导（副主席）"
    assert "辽川市药学会" in row[5]
    assert "和平区科协" not in "".join(map(str, row))
    changes = [[c.value or "" for c in r] for r in book["调整情况"].iter_rows(min_row=4)]
    assert [
        "王领导专班",
        "移除联系对象",
        "区县(市)科协",
        "和平区科协",
        "",
        "该区科协已撤并，不再单独联系",
    ] in [r[1:] for r in changes]

    # The history keeps every step.
    page.goto(live_server.url + f"/reports/years/{NEXT}/history/")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("登记审定")
    expect(history).to_contain_text("结合明年重点工作联系医药界")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors
