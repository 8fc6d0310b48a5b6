"""The hub on a scientist's page (issue 18 §1) on the hand-built history of factories.py: the timeline, its
order, filters, paging and who sees which record; the teams of this year and last; the demands; the next
contact due; the occasions; the 记录 buttons; and a query count that does not grow with the history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from liaison.models import ContactRecord
from reports.hub.services import TIMELINE_PAGE_SIZE
from tests.conftest import count_queries
from tests.liaison.filing.factories import client_for, make_account
from tests.reports.hub.factories import more_records

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return reverse("experts:detail", args=[case.zhang.pk])


def _summaries(response) -> list[str]:
    html = response.content.decode()
    part = html[html.index('data-testid="timeline"') :]
    return re.findall(r'<p class="mb-1 overflow-wrap-anywhere">([^<]*)</p>', part)


# --- the timeline ---------------------------------------------------------------------------------------


def test_liaison_office_sees_every_record_naming_the_scientist_newest_first(liaison_client, case):
    response = liaison_client.get(url(case))
    assert response.status_code == 200
    assert _summaries(response) == ["节日慰问", "李主席专班走访", "走访了解科研进展", "座谈交流"]
    html = response.content.decode()
    assert "联系记录（4 条）" in html
    assert "看望慰问（全国科技工作者日）" in html
    assert "草稿未完成" not in html
    assert "其他人的记录" not in html


def test_a_record_shows_who_went_the_method_form_and_its_demands(liaison_client, case):
    html = liaison_client.get(url(case)).content.decode()
    record = html[html.index("2026-03-10") : html.index("走访了解科研进展")]
    assert "调查了解" in record
    assert "登门拜访" in record
    assert "王主席" in record
    after = html[html.index("走访了解科研进展") : html.index("座谈交流")]
    assert "诉求：实验室用房紧张" in after
    assert "待办" in after


def test_staff_do_not_see_another_teams_record_in_the_timeline(staff_client, case):
    response = staff_client.get(url(case))
    assert _summaries(response) == ["节日慰问", "走访了解科研进展"]
    assert "李主席专班走访" not in response.content.decode()
    # and indeed they could not open it
    assert staff_client.get(case.r4.get_absolute_url()).status_code == 404


def test_the_timeline_filters_by_year_and_method(liaison_client, case):
    assert _summaries(liaison_client.get(url(case), {"year": "2025"})) == ["座谈交流"]
    assert _summaries(liaison_client.get(url(case), {"method": "greeting"})) == ["节日慰问"]
    both = liaison_client.get(url(case), {"year": "2026", "method": "survey"})
    assert _summaries(both) == ["李主席专班走访", "走访了解科研进展"]


def test_a_bad_filter_value_answers_with_the_page_not_an_error(liaison_client, case):
    response = liaison_client.get(url(case), {"year": "abc", "method": "<x>", "page": "zz"})
    assert response.status_code == 200
    assert "张院士" in response.content.decode()


def test_the_timeline_is_paged_newest_first(liaison_client, case):
    more_records(case.team_a, case.wang, case.zhang, TIMELINE_PAGE_SIZE)  # 14 records in all
    first = liaison_client.get(url(case))
    assert _summaries(first)[:2] == ["节日慰问", "李主席专班走访"]
    assert len(_summaries(first)) == TIMELINE_PAGE_SIZE
    assert "1 / 2" in first.content.decode()
    second = liaison_client.get(url(case), {"page": 2})
    assert len(_summaries(second)) == 4
    assert _summaries(second)[-1] == "座谈交流"


def test_the_timelines_page_links_keep_the_filter(liaison_client, case):
    more_records(case.team_a, case.wang, case.zhang, TIMELINE_PAGE_SIZE)
    html = liaison_client.get(url(case), {"year": "2026"}).content.decode()
    assert "?year=2026&amp;page=2#timeline" in html


# --- teams, due dates, occasions, demands ---------------------------------------------------------------


def test_teams_of_this_year_and_last(staff_client, case):
    html = staff_client.get(url(case)).content.decode()
    this = html[html.index('data-testid="teams-2026"') :]
    this = this[: this.index("</ul>")]
    assert "王主席专班" in this
    assert "李主席专班" not in this  # 李主席专班 of 2026 has him on a record, not as a target
    last = html[html.index('data-testid="teams-2025"') :]
    last = last[: last.index("</ul>")]
    assert "李主席专班" in last


def test_next_contact_due_is_the_interval_after_the_last_contact(staff_client, case):
    # interval 90 days; last counted contact of 王主席专班: 2026-06-01; 2026-06-01 + 90 days = 2026-08-30,
    # before today (2026-12-06): the stretch 06-01 → 12-06 (188 days) is longer than 90, so 超期
    html = staff_client.get(url(case)).content.decode()
    due = html[html.index('data-testid="due"') :]
    due = due[: due.index("</div>")]
    assert "联系间隔 90 天" in due
    assert "最近联系 2026-06-01" in due
    assert "下次联系不晚于 <strong>2026-08-30</strong>" in due
    assert "超期" in due


def test_next_contact_due_without_any_contact_counts_from_the_assignments_start(staff_client, case):
    ContactRecord.objects.filter(team=case.team_a).update(is_deleted=True, deleted_reason="测试")
    case.team_a.assignments.update(start_date="2026-11-01")
    from liaison.models import ContactTarget

    ContactTarget.objects.filter(team=case.team_a).update(counts=False)
    # no contact: 2026-11-01 + 90 days = 2027-01-30, not yet passed, not overdue
    html = staff_client.get(url(case)).content.decode()
    due = html[html.index('data-testid="due"') :]
    due = due[: due.index("</div>")]
    assert "本年度尚未联系" in due
    assert "2027-01-30" in due
    assert "超期" not in due


def test_no_due_date_where_the_rules_set_no_interval(staff_client, case):
    from liaison.models import QuotaRule

    QuotaRule.objects.update(contact_interval_days=None)
    html = staff_client.get(url(case)).content.decode()
    assert 'data-testid="due"' not in html
    assert "下次联系不晚于" not in html


def test_occasions_birthday_spring_festival_and_30_may(staff_client, case):
    html = staff_client.get(url(case)).content.decode()
    part = html[html.index('data-testid="occasions"') :]
    part = part[: part.index("</ul>")]
    # today 2026-12-06: birthday 12-20 (14 days), 春节 2027-02-06 (62 days), 30 May 2027 (175 days)
    assert (
        part.index("生日 2026-12-20")
        < part.index("春节 2027-02-06")
        < part.index("全国科技工作者日 2027-05-30")
    )
    assert "14 天后" in part
    assert "62 天后" in part
    assert "175 天后" in part


def test_a_lunar_birthday_is_converted_to_the_solar_date(staff_client, case):
    case.zhang.birth_date = "1958-01-15"
    case.zhang.birthday_lunar = True
    case.zhang.save()
    # lunar 1/15 of 2026 fell on 2026-03-03 (passed); of 2027: 春节 2027-02-06 + 14 days = 2027-02-20
    html = staff_client.get(url(case)).content.decode()
    assert "生日（农历） 2027-02-20" in html


def test_demands_with_status_open_first(liaison_client, case):
    html = liaison_client.get(url(case)).content.decode()
    part = html[html.index('data-testid="demands"') :]
    part = part[: part.index("</ul>")]
    assert (
        part.index("待办")
        < part.index("实验室用房紧张")
        < part.index("已办结")
        < part.index("人才引进政策咨询")
    )
    assert "提出的诉求（2 件）" in html


def test_staff_see_only_the_demands_they_may_open(staff_client, case):
    html = staff_client.get(url(case)).content.decode()
    assert "实验室用房紧张" in html
    assert "人才引进政策咨询" not in html  # raised on 李主席专班 (2025)'s record
    assert staff_client.get(case.demand_closed.get_absolute_url()).status_code == 404


# --- 记录 buttons ---------------------------------------------------------------------------------------


def test_the_log_button_opens_the_form_with_team_and_target_chosen(staff_client, case):
    html = staff_client.get(url(case)).content.decode()
    buttons = html[html.index('data-testid="log-buttons"') :]
    href = re.search(r'href="([^"]+)">记录（王主席专班）', buttons).group(1).replace("&amp;", "&")
    assert href == f"{reverse('liaison:record_create')}?team={case.team_a.pk}&target=sci:{case.zhang.pk}"
    form = staff_client.get(href)
    assert form.status_code == 200
    assert form.context["form"].initial["team"] == case.team_a
    checked = re.findall(r'name="targets" value="([^"]+)"[^>]*checked', form.content.decode())
    assert checked == [f"sci:{case.zhang.pk}"]


def test_the_birthday_button_prefills_a_greeting(staff_client, case):
    html = staff_client.get(url(case)).content.decode()
    part = html[html.index('data-testid="occasions"') :]
    href = re.search(r'href="([^"]+occasion=birthday)"', part).group(1).replace("&amp;", "&")
    form = staff_client.get(href)
    assert form.context["form"].initial["method"] == "greeting"
    assert form.context["form"].initial["occasion"] == "birthday"


def test_no_log_button_for_an_account_without_a_staff_record(admin_client_, case):
    html = admin_client_.get(url(case)).content.decode()
    assert 'data-testid="log-buttons"' not in html
    assert "记录慰问" not in html


def test_a_user_not_on_the_scientists_teams_gets_a_plain_log_button(liaison_client, case):
    html = liaison_client.get(url(case)).content.decode()
    assert f'{reverse("liaison:record_create")}?target=sci:{case.zhang.pk}">记录联系工作' in html


# --- refusals and cost ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, case):
    response = client.get(url(case))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_grassroots_account_is_refused(case):
    assert client_for(make_account(case.town, "jiceng")).get(url(case)).status_code == 403


def test_an_account_without_a_role_sees_no_record(outsider_client, case):
    response = outsider_client.get(url(case))
    assert response.status_code == 200  # the registry is read by everyone logged in
    html = response.content.decode()
    assert "还没有您可查看的联系记录。" in html
    assert "没有您可查看的诉求。" in html
    assert 'data-testid="log-buttons"' not in html


def test_an_unknown_scientist_is_404(liaison_client, case):
    assert liaison_client.get(reverse("experts:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["liaison_client", "staff_client"])
def test_query_count_does_not_grow_with_the_history(request, case, persona):
    client = request.getfixturevalue(persona)
    more_records(case.team_a, case.wang, case.zhang, 3)
    small = count_queries(client, url(case))
    more_records(case.team_a, case.wang, case.zhang, 27)
    for record in ContactRecord.objects.filter(summary__startswith="补充记录")[:5]:
        from tests.liaison.contacts.factories import raise_demand

        raise_demand(record, case.wang.user, raised_by_scientist=case.zhang)
    assert count_queries(client, url(case)) == small
