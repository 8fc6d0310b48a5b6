"""The hub on an organisation's page (issue 18 §1): its own timeline and teams, its sub-organisations'
activity (of the records the user may see) and the officers who keep in touch by its filing, on the
hand-built county of factories.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from liaison.plan import services as plans
from tests.conftest import count_queries
from tests.liaison.contacts.factories import log
from tests.liaison.filing.factories import client_for, filed_filing, make_account
from tests.reports.hub.factories import D, more_records

pytestmark = pytest.mark.django_db


def url(org) -> str:
    return reverse("orgs:detail", args=[org.pk])


def section(html: str, testid: str) -> str:
    part = html[html.index(f'data-testid="{testid}"') :]
    return part[: part.index("</section>")]


def test_an_organisations_timeline_lists_the_records_naming_it(liaison_client, case):
    html = liaison_client.get(url(case.town)).content.decode()
    timeline = section(html, "timeline")
    assert timeline.index("城关镇回访") < timeline.index("城关镇座谈")
    assert "联系记录（2 条）" in timeline
    assert "东村镇调研" not in timeline


def test_sub_organisations_activity_for_the_liaison_office(liaison_client, case):
    html = liaison_client.get(url(case.county)).content.decode()
    part = section(html, "children-activity")
    rows = re.findall(r"<tr><td[^>]*><a [^>]*>([^<]+)</a></td><td[^>]*>(\d+)</td><td>([^<]+)</td></tr>", part)
    # newest contact first: 东村镇 2026-08-01 (1 record), 城关镇 2026-07-01 (2 records)
    assert rows == [("东村镇科协", "1", "2026-08-01"), ("城关镇科协", "2", "2026-07-01")]
    latest = part[part.index("下级组织最近的联系记录") :]
    assert latest.index("2026-08-01") < latest.index("2026-07-01") < latest.index("2026-05-10")


def test_sub_organisations_activity_counts_only_what_staff_may_see(staff_client, case):
    html = staff_client.get(url(case.county)).content.decode()
    part = section(html, "children-activity")
    rows = re.findall(r"<tr><td[^>]*><a [^>]*>([^<]+)</a></td><td[^>]*>(\d+)</td><td>([^<]+)</td></tr>", part)
    assert rows == [("城关镇科协", "2", "2026-07-01"), ("东村镇科协", "0", "—")]
    assert "2026-08-01" not in part


def test_last_years_records_are_not_this_years_activity(liaison_client, case):
    log(case.team_b_last, case.li, [case.town], day=D(2025, 12, 30), summary="去年的走访")
    html = liaison_client.get(url(case.county)).content.decode()
    part = section(html, "children-activity")
    assert '城关镇科协</a></td><td class="text-end">2</td>' in part


def test_an_organisation_without_children_has_no_activity_section(liaison_client, case):
    assert 'data-testid="children-activity"' not in liaison_client.get(url(case.town)).content.decode()


def test_officers_who_keep_in_touch_by_the_filing_in_force(liaison_client, case):
    filed_filing(case.county, case.this, officer_name="孙主席", scientist_name="李工")
    html = liaison_client.get(url(case.county)).content.decode()
    part = section(html, "keeping-officers")
    assert "2026 年度备案" in part
    assert "主席 孙主席 · 联系 1 位科技工作者" in part
    # and the officer list of the registry is still there
    assert "孙主席" in html[html.index("负责人") :]


def test_an_organisations_teams_and_log_button(staff_client, case):
    plans.assignment_add(team=case.team_a, by=None, organization=case.town)
    html = staff_client.get(url(case.town)).content.decode()
    assert "王主席专班" in section(html, "hub")
    href = f"{reverse('liaison:record_create')}?team={case.team_a.pk}&amp;target=org:{case.town.pk}"
    assert href in html
    form = staff_client.get(href.replace("&amp;", "&"))
    checked = re.findall(r'name="targets" value="([^"]+)"[^>]*checked', form.content.decode())
    assert checked == [f"org:{case.town.pk}"]


def test_an_organisation_has_no_birthday_but_the_festivals(liaison_client, case):
    part = liaison_client.get(url(case.town)).content.decode()
    part = part[part.index('data-testid="occasions"') :]
    part = part[: part.index("</ul>")]
    assert "春节 2027-02-06" in part
    assert "生日" not in part


def test_anonymous_is_sent_to_login(client, case):
    assert client.get(url(case.county)).status_code == 302


def test_a_grassroots_account_is_refused_even_its_own_organisations_page(case):
    assert client_for(make_account(case.town, "jiceng")).get(url(case.town)).status_code == 403


def test_an_unknown_organisation_is_404(liaison_client, case):
    assert liaison_client.get(reverse("orgs:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["liaison_client", "staff_client"])
def test_query_count_does_not_grow_with_the_history(request, case, persona):
    client = request.getfixturevalue(persona)
    more_records(case.team_a, case.wang, case.town, 3)
    small = count_queries(client, url(case.county)), count_queries(client, url(case.town))
    more_records(case.team_a, case.wang, case.town, 27)
    more_records(case.team_b, case.li, case.village_town, 10)
    assert (count_queries(client, url(case.county)), count_queries(client, url(case.town))) == small
