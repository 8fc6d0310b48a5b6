"""Logging visits on a phone with no connection (issue 21 §1, §2): the service worker serves the form, visits wait
in 待同步 (IndexedDB) and arrive exactly once when the connection returns; a refused one is corrected and sent
again; an expired session asks for a new login and keeps the queue."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import BrowserContext, Page, expect

from liaison.models import Attachment, ContactRecord
from liaison.plan import services as plans
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, today
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = "/liaison/records/new/"


@pytest.fixture
def team(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    for name in ("单志强", "曾国华"):
        plans.assignment_add(
            team=team,
            by=None,
            scientist=ScientistFactory(name=name),
            start_date=datetime.date(today().year, 1, 1),
        )
    return team


def _open_form_online(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + FORM)
    log_in(page, username)
    expect(page.get_by_role("heading", name="记录联系工作")).to_be_visible()
    # the page cached itself, its files and the team's targets; the service worker controls it
    page.wait_for_selector("html[data-offline-ready='1']")
    for _ in range(100):  # (wait_for_function evaluates a string: the page's CSP forbids it)
        if page.evaluate("() => navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the service worker never took control of the page")


def _go_offline(page: Page, context: BrowserContext) -> None:
    context.set_offline(True)
    page.reload()  # served by the service worker from its cache
    expect(page.get_by_role("heading", name="记录联系工作")).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_visible()
    page.wait_for_selector("html[data-offline-ready='1']")


def test_two_visits_logged_offline_arrive_exactly_once(
    page: Page, context: BrowserContext, live_server, dept_staff, team, console_errors
):
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 41.8057, "longitude": 123.4315, "accuracy": 12})
    _open_form_online(page, live_server, dept_staff.user.username)
    _go_offline(page, context)

    # first visit: a target, a photo and the position (asked for only when ticked)
    page.get_by_label("单志强").check()
    page.get_by_label("联系形式").select_option("visit")
    page.get_by_label("情况摘要").fill("离线记录：到实验室了解项目进展")
    page.get_by_label("记录当前位置").check()
    expect(page.locator("#location-status")).to_contain_text(
        "已记录：纬度 41.80570，经度 123.43150（精度约 12 米）"
    )
    page.get_by_label("照片或 PDF").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#outbox-flash")).to_contain_text("已存入待同步")
    expect(page.get_by_test_id("outbox")).to_contain_text("单志强")
    expect(page.locator("#outbox-count")).to_have_text("1")

    # second visit, no photo, no position
    page.get_by_label("曾国华").check()
    page.get_by_label("情况摘要").fill("离线记录：电话了解需求")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#outbox-count")).to_have_text("2")
    expect(page.get_by_test_id("outbox")).to_contain_text("曾国华")
    expect(page.get_by_test_id("outbox").get_by_text("待发送")).to_have_count(2)
    assert_fits_phone_width(page)
    assert not ContactRecord.objects.exists()

    # the connection returns: both are sent, once each
    context.set_offline(False)
    expect(page.get_by_test_id("synced")).to_have_count(2)
    expect(page.get_by_test_id("outbox")).to_be_hidden()
    records = {r.summary: r for r in ContactRecord.objects.all()}
    assert sorted(records) == ["离线记录：到实验室了解项目进展", "离线记录：电话了解需求"]
    with_photo = records["离线记录：到实验室了解项目进展"]
    assert [t.target_name for t in with_photo.targets.all()] == ["单志强"]
    assert [a.original_name for a in Attachment.objects.all()] == ["现场.png"]
    assert Attachment.objects.get().record == with_photo
    assert (float(with_photo.latitude), float(with_photo.longitude), with_photo.accuracy) == (
        41.8057,
        123.4315,
        12,
    )
    assert with_photo.located_at is not None
    assert with_photo.author == dept_staff
    assert records["离线记录：电话了解需求"].latitude is None
    assert all(r.client_key for r in records.values())

    # back online later: nothing is sent twice
    page.reload()
    page.wait_for_selector("html[data-offline-ready='1']")
    expect(page.get_by_test_id("outbox")).to_be_hidden()
    assert ContactRecord.objects.count() == 2

    # the record page shows where and when
    page.goto(live_server.url + with_photo.get_absolute_url())
    expect(page.get_by_test_id("location")).to_contain_text("纬度 41.80570，经度 123.43150")

    # logging out empties the offline caches and the cached teams, targets and people
    page.goto(live_server.url + FORM)
    page.wait_for_selector("html[data-offline-ready='1']")
    assert sorted(page.evaluate("() => caches.keys()")) == ["kexie-form", "kexie-static"]
    assert page.evaluate(COUNT_CACHED_TEAMS) == 1
    page.evaluate("() => document.querySelector(\"form[action$='/logout/']\").requestSubmit()")
    page.wait_for_url(lambda url: "/liaison/" not in url)
    assert page.evaluate("() => caches.keys()") == []
    assert page.evaluate(COUNT_CACHED_TEAMS) == 0
    assert not console_errors, console_errors


COUNT_CACHED_TEAMS = """() => new Promise((resolve) => {
  const request = indexedDB.open("kexie-offline", 1);
  request.onsuccess = () => {
    const count = request.result.transaction("data").objectStore("data").count();
    count.onsuccess = () => resolve(count.result);
  };
})"""


def test_a_refused_visit_stays_with_its_reason_and_is_sent_once_corrected(
    page: Page, context: BrowserContext, live_server, dept_staff, team, console_errors
):
    _open_form_online(page, live_server, dept_staff.user.username)
    _go_offline(page, context)
    page.get_by_label("单志强").check()
    page.get_by_label("地点").fill("辽川理工大学")  # no summary, and a "photo" that is not one: refused
    page.get_by_label("照片或 PDF").set_input_files(
        files=[{"name": "假照片.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00 not an image"}]
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#outbox-count")).to_have_text("1")

    context.set_offline(False)
    outbox = page.get_by_test_id("outbox")
    expect(outbox.get_by_test_id("reasons")).to_contain_text(
        "情况摘要：请填写情况摘要（存草稿时可暂不填写）。"
    )
    expect(outbox.get_by_test_id("reasons")).to_contain_text(
        "照片或 PDF：附件“假照片.jpg”不是照片或 PDF 文件。"
    )
    expect(outbox.get_by_text("未通过，请修改")).to_be_visible()
    assert not ContactRecord.objects.exists()

    # still there after closing the tab
    page.close()
    page = context.new_page()
    page.goto(live_server.url + FORM)
    page.wait_for_selector("html[data-offline-ready='1']")
    outbox = page.get_by_test_id("outbox")
    expect(outbox.get_by_test_id("reasons")).to_contain_text("请填写情况摘要")

    outbox.get_by_role("link", name="修改").click()
    expect(page.locator("#queued-errors")).to_contain_text("情况摘要：请填写情况摘要")
    expect(page.get_by_label("单志强")).to_be_checked()
    expect(page.get_by_label("地点")).to_have_value("辽川理工大学")
    expect(page.locator("#queued-errors")).to_contain_text("已附文件：假照片.jpg")
    page.get_by_test_id("drop-files").click()
    page.get_by_label("情况摘要").fill("补上摘要后重新发送")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("synced")).to_have_count(1)
    expect(page.get_by_test_id("outbox")).to_be_hidden()
    record = ContactRecord.objects.get()
    assert (record.summary, record.place) == ("补上摘要后重新发送", "辽川理工大学")
    assert [t.target_name for t in record.targets.all()] == ["单志强"]
    assert not Attachment.objects.exists()


def test_an_expired_session_asks_to_log_in_again_and_keeps_the_queue(
    page: Page, context: BrowserContext, live_server, dept_staff, team, console_errors
):
    _open_form_online(page, live_server, dept_staff.user.username)
    _go_offline(page, context)
    page.get_by_label("曾国华").check()
    page.get_by_label("情况摘要").fill("会话过期前离线记录")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#outbox-count")).to_have_text("1")

    Session.objects.all().delete()  # the session expired meanwhile
    context.set_offline(False)
    expect(page.locator("#outbox-status")).to_contain_text("登录已过期")
    expect(page.locator("#outbox-count")).to_have_text("1")
    assert not ContactRecord.objects.exists()

    # log in again in a new tab (a new login rotates the CSRF token), come back, send
    login = context.new_page()
    login.goto(live_server.url + "/login/")
    log_in(login, dept_staff.user.username)
    login.close()
    page.get_by_role("button", name="立即同步").click()
    expect(page.get_by_test_id("synced")).to_have_count(1)
    assert ContactRecord.objects.get().summary == "会话过期前离线记录"
