"""Leadership opens the dashboard: the charts are drawn, and a figure leads to the list behind it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.reports.dashboard.test_dashboard import year_2026  # noqa: F401  (the hand-built year, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_charts_and_links_figures(page: Page, live_server, leader, year_2026, console_errors):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/reports/dashboard/?year=2026")
    log_in(page, leader.user.username)
    expect(page.get_by_role("heading", name="2026 年度联系工作概况")).to_be_visible()
    for chart in ("chart-records", "chart-visits"):
        canvas = page.locator(f"#{chart}")
        expect(canvas).to_be_visible()
        drawn = page.evaluate(
            """id => { const c = document.getElementById(id); const chart = window.Chart.getChart(c);
                       return !!chart && c.width > 0 && c.height > 0 && chart.data.datasets.length > 0; }""",
            chart,
        )
        assert drawn, chart
    # per-team table, sorted on the server: 未联系 ascending, then descending puts 李部长专班 first
    rows = page.get_by_test_id("team-table").locator("tbody tr")
    page.get_by_test_id("team-table").get_by_role("link", name="未联系").click()
    expect(page).to_have_url(re.compile(r"sort=uncontacted"))
    expect(rows.first).to_contain_text("王主席专班")
    page.get_by_test_id("team-table").get_by_role("link", name="未联系").click()
    expect(page).to_have_url(re.compile(r"sort=-uncontacted"))
    expect(rows.first).to_contain_text("李部长专班")
    expect(page.get_by_test_id("team-table").locator("th[aria-sort=descending]")).to_contain_text("未联系")

    page.get_by_test_id("stat-records").click()
    expect(page).to_have_url(re.compile(r"/liaison/records/\?year=2026$"))
    expect(page.locator("table tbody tr")).to_have_count(4)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/reports/dashboard/?year=2026")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors


def test_on_a_phone_the_uncontacted_figure_opens_the_named_targets(
    page: Page,
    live_server,
    leader,
    year_2026,  # noqa: F811
    console_errors,
):
    """375 px: 已分配未联系 (1: 李部长专班's 学会Z) opens the list of exactly that target, with its team and
    who to call, and neither page scrolls sideways; the per-team chart draws one horizontal bar per team."""
    page.goto(live_server.url + "/reports/dashboard/?year=2026")
    log_in(page, leader.user.username)
    expect(page.get_by_test_id("stat-uncontacted")).to_contain_text("1")
    horizontal = page.evaluate(
        """() => { const chart = window.Chart.getChart(document.getElementById("chart-visits"));
                   return chart.options.indexAxis; }"""
    )
    assert horizontal == "y"
    assert_fits_phone_width(page)
    page.get_by_test_id("stat-uncontacted").click()
    expect(page).to_have_url(re.compile(r"/liaison/years/2026/targets/uncontacted/$"))
    expect(page.get_by_role("heading", name="2026 年度已分配未联系的联系对象")).to_be_visible()
    rows = page.get_by_test_id("targets").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("学会Z")
    expect(rows.first).to_contain_text("李部长专班")
    expect(rows.first).to_contain_text("负责人 李部长")
    expect(rows.first).to_contain_text("从未联系")
    expect(page.get_by_test_id("count")).to_contain_text("共 1 个对象")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors
