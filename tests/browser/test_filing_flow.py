"""A grassroots officer, on a phone, logs in with the one-time password the liaison office gave, chooses a
password, picks a scientist by pinyin, proposes one the registry lacks, and files (issue 16)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from liaison.filing import accounts
from liaison.models import FilingStatus, GrassrootsAccount
from tests.browser.helpers import assert_fits_phone_width
from tests.factories import OfficerFactory, ScientistFactory
from tests.liaison.plan.factories import make_year, org
from tests.services import shots_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = shots_dir()
NEW_PASSWORD = "Jixie-xuehui-2026"


def test_officer_files_on_a_phone(page: Page, live_server, console_errors):
    make_year(2026)
    society = org(name="辽川市机械工程学会")
    OfficerFactory(organization=society, name="孙主席", post="chair", tenure="concurrent")
    ScientistFactory(name="李明", employer="辽川理工大学")
    ScientistFactory(name="黎敏", employer="辽川重机集团")
    account = accounts.create_account(
        organization=society, username="jixie", holder="周秘书长", email="", by=None
    )
    one_time = accounts.hand_out_password(account).password

    page.goto(live_server.url + "/")
    page.get_by_label("用户名").fill("jixie")
    page.get_by_label("密码").fill(one_time)
    page.get_by_role("button", name="登录", exact=True).click()

    # the first login goes to the change-password page, whatever was asked for
    expect(page).to_have_url(re.compile(r"/password/change/$"))
    assert_fits_phone_width(page)
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(rf"/filing/org/{society.pk}/2026/$"))
    assert_fits_phone_width(page)
    page.get_by_role("button", name="开始填报 2026 年备案").click()
    expect(page.get_by_test_id("status")).to_have_text("第1版 · 草稿")

    # pick a scientist by pinyin initials: the matches appear as the officer types
    add = page.locator("form[action$='/add/']")
    add.get_by_label("科技工作者").fill("lm")
    expect(add.get_by_text("李明 · 辽川理工大学")).to_be_visible()
    add.get_by_text("李明 · 辽川理工大学").click()
    assert_fits_phone_width(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "filing-pick-375.png"), full_page=True)
    add.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("line").filter(has_text="李明")).to_have_count(1)

    # propose a scientist the registry lacks
    page.get_by_text("名录中没有？申请新增科技工作者").click()
    propose = page.locator("form[action$='/propose/']")
    propose.get_by_label("姓名").fill("赵新人")
    propose.get_by_label("工作单位").fill("辽川农科院")
    propose.get_by_label("手机").fill("139 1234 5678")
    propose.get_by_role("button", name="申请新增").click()
    expect(page.get_by_test_id("line").filter(has_text="赵新人")).to_contain_text("待确认")
    assert_fits_phone_width(page)

    page.get_by_role("button", name="报备", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("第1版 · 已报备")
    assert_fits_phone_width(page)
    page.screenshot(path=str(SHOTS / "filing-filed-375.png"), full_page=True)

    account = GrassrootsAccount.objects.get(pk=account.pk)
    assert account.must_change_password is False
    filing = society.filings.get()
    assert filing.in_force.status == FilingStatus.FILED
    assert sorted(
        e.scientist.name if e.scientist else e.proposal.name for e in filing.in_force.entries.all()
    ) == [
        "李明",
        "赵新人",
    ]
    assert console_errors == []
