"""A team lead, on a phone, keeps the text of his duty report (述职正文, issue 21 §4): he edits the draft and
saves it; when his figures move he is told, regenerates the draft beside his text, takes it in and saves it.
Figures of the hand-built year of tests/reports/duty/test_duty.py."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from reports.duty.models import DutyNarrative
from reports.duty.narrative import paragraphs
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.reports.duty.test_duty import build_duty_data, rec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINE = "本人牵头张主席专班，全年走访区县科协和院士专家。"
NEW_WORK = "全年参加联系记录6条，其中调查了解2条、开展座谈1条、看望慰问2条、参与活动1条；本人下基层2次。"


def test_a_lead_keeps_his_text_and_takes_in_a_new_draft(page: Page, live_server, console_errors):
    data = build_duty_data()
    report_url = f"{live_server.url}/reports/duty/2025/{data.zhang.pk}/"
    page.goto(report_url)
    log_in(page, "zhangzhuxi")
    page.goto(report_url)
    narrative = page.get_by_test_id("duty-narrative")
    expect(narrative.get_by_test_id("narrative-state")).to_have_text("草稿 · 尚未保存")
    expect(narrative).to_contain_text("记录科技工作者反映的诉求3件，已办结1件，未办结2件。")
    expect(page.get_by_test_id("narrative-signature")).to_contain_text("述职人：张主席")
    assert_fits_phone_width(page)

    narrative.get_by_role("link", name="修改并保存草稿").click()
    expect(page.get_by_role("heading", name="编辑述职正文")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_label("述职正文").fill(MINE)
    page.get_by_label("自我评价与努力方向").fill("下基层还不够，明年补上。")
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/reports/duty/2025/{data.zhang.pk}/$"))
    expect(narrative.get_by_test_id("narrative-state")).to_have_text("已保存")
    expect(narrative).to_contain_text(MINE)
    expect(page.get_by_test_id("narrative-moved")).to_have_count(0)

    # a new grassroots visit moves his figures: the kept text stays, a new draft is offered
    rec(data.team_a, datetime.date(2025, 10, 8), data.zhang, [data.records["r3"].targets.get().organization])
    page.reload()
    expect(page.get_by_test_id("narrative-moved")).to_be_visible()
    expect(narrative).to_contain_text(MINE)
    page.get_by_test_id("narrative-moved").get_by_role("link", name="重新生成草稿").click()
    expect(page.get_by_test_id("new-draft")).to_contain_text(NEW_WORK)
    expect(page.get_by_label("述职正文")).to_have_value(MINE)
    page.get_by_role("button", name="用新草稿替换正文（保存前可修改）").click()
    expect(page.get_by_test_id("draft-taken")).to_be_visible()
    expect(page.get_by_label("述职正文")).to_have_value(re.compile(re.escape(NEW_WORK)))
    expect(page.get_by_label("自我评价与努力方向")).to_have_value("下基层还不够，明年补上。")
    assert paragraphs(DutyNarrative.objects.get().text) == [MINE]  # not saved yet
    assert_fits_phone_width(page)
    page.get_by_role("button", name="保存", exact=True).click()

    expect(narrative).to_contain_text(NEW_WORK)
    expect(page.get_by_test_id("narrative-moved")).to_have_count(0)
    assert not console_errors, console_errors
