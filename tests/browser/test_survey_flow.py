"""Filling in a survey on a phone (375 px): a team member opens the contact record, fills the scientist's
questionnaire in two sittings (a draft, then the submission) and finds it on the record; a scientist answers
through the one-time link."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from liaison.plan import services as plans
from surveys import services
from surveys.models import Invitation, InvitationState
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.factories import ScientistFactory, today
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year
from tests.surveys.factories import invite, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    scientist = ScientistFactory(name="单志强", employer="沈北理工大学")
    plans.assignment_add(
        team=team, by=None, scientist=scientist, start_date=datetime.date(today().year, 1, 1)
    )
    invite(make_survey(), scientist)
    return log(team, dept_staff, [scientist], day=today())


def test_staff_fill_in_a_survey_during_a_contact(page: Page, live_server, dept_staff, record, console_errors):
    page.goto(live_server.url + record.get_absolute_url())
    log_in(page, dept_staff.user.username)
    section = page.get_by_test_id("record-surveys")
    expect(section).to_contain_text("单志强")
    expect(section).to_contain_text("未填")
    assert_fits_phone_width(page)

    section.get_by_role("link", name="填写问卷").click()
    expect(page.get_by_role("heading", name="2026年科技工作者状况调查")).to_be_visible()
    expect(page.get_by_text("本次填写将记入")).to_be_visible()
    assert_fits_phone_width(page)

    # first sitting: one answer, kept as a draft
    page.get_by_label("科研院所").check()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("invitation-state")).to_have_text("草稿")
    expect(page.get_by_label("科研院所")).to_be_checked()
    assert Invitation.objects.get().state == InvitationState.DRAFT

    # second sitting: a required answer missing is asked for, what was typed stays
    page.get_by_label("经费").check()
    page.get_by_label("子女教育").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("最希望科协提供的一项服务").fill("政策解读")
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_text("此题必答。")).to_be_visible()
    expect(page.get_by_label("最希望科协提供的一项服务")).to_have_value("政策解读")
    assert_fits_phone_width(page)

    page.get_by_label(re.compile("每周平均工作时长")).fill("52")
    page.get_by_role("button", name="提交问卷").click()
    expect(page).to_have_url(re.compile(rf"/liaison/records/{record.pk}/$"))
    section = page.get_by_test_id("record-surveys")
    expect(section).to_contain_text("已提交")
    expect(section).to_contain_text("本次联系中填写")
    assert_fits_phone_width(page)

    invitation = Invitation.objects.get()
    assert invitation.state == InvitationState.SUBMITTED
    assert invitation.record_id == record.pk
    assert {
        a.question.kind: (a.choices, a.number, a.text) for a in invitation.answers.select_related("question")
    } == {
        "single": ([1], None, ""),
        "multiple": ([0, 2], None, ""),
        "scale": ([], 4, ""),
        "number": ([], 52, ""),
        "short": ([], None, "政策解读"),
    }
    assert not console_errors, console_errors


def test_a_scientist_answers_by_link_on_a_phone(page: Page, live_server, record, console_errors):
    invitation = Invitation.objects.get()
    token = services.link_make(invitation=invitation)
    page.goto(f"{live_server.url}/surveys/a/{token}/")
    expect(page.get_by_text("单志强，您好")).to_be_visible()
    assert_fits_phone_width(page)
    page.get_by_label("企业").check()
    page.get_by_label("住房").check()
    page.get_by_label("5（很满意）").check()
    page.get_by_label(re.compile("每周平均工作时长")).fill("45")
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_test_id("public-message")).to_contain_text("问卷已提交")
    assert_fits_phone_width(page)
    page.goto(f"{live_server.url}/surveys/a/{token}/")
    expect(page.get_by_test_id("public-message")).to_contain_text("链接无效")
    assert Invitation.objects.get().channel == "link"
    assert not console_errors, console_errors
