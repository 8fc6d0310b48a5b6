"""Leadership opens the dashboard: the charts are drawn, and a figure leads to the list behind it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.test_dashboard import year_2026  # noqa: F401  (the hand-built year, as a fixture)

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
    # sortable per-team table: sort by 未联系, descending puts 李部长专班 first
    header = page.get_by_role("button", name="未联系")
    header.click()
    header.click()
    expect(page.locator("table[data-sortable] tbody tr").first).to_contain_text("李部长专班")

    page.get_by_test_id("stat-records").click()
    expect(page).to_have_url(re.compile(r"/liaison/records/\?year=2026$"))
    expect(page.locator("table tbody tr")).to_have_count(4)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/reports/dashboard/?year=2026")
    assert_fits_phone_width(page)
    assert not console_errors, console_errors
