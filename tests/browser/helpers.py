"""Steps shared by the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, username: str) -> None:
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def assert_fits_phone_width(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (
        f"{page.url} scrolls sideways at {width[1]} px: content is {width[0]} px wide"
    )
