"""我的工作 on a phone (issue 18 §5): 只看未联系 keeps the targets the page marks 今年未联系, and the reminders say
"近 30 天无生日" rather than nothing. People are marked 在册 / 已停用 in the registries.

王主席专班 (陈干部 a member) has three scientists: 单志强 contacted this year, 曾国华 and 李青 not.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.plan import services as plans
from tests.conftest import count_queries
from tests.factories import ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    for name in ("单志强", "曾国华", "李青"):
        plans.assignment_add(
            team=team,
            by=None,
            scientist=ScientistFactory(name=name),
            start_date=datetime.date(today().year, 1, 1),
        )
    return team


@pytest.fixture
def contacted(team, dept_staff):
    shan = team.assignments.get(scientist__name="单志强").scientist
    return log(team, dept_staff, [shan], day=datetime.date(today().year, 1, 1))


class TestOnlyUncontacted:
    def test_all_by_default_only_uncontacted_when_asked(self, staff_client, team, contacted):
        url = reverse("liaison:my_work")
        everyone = staff_client.get(url).content.decode()
        assert "3 个联系对象，今年尚未联系 2 个" in everyone
        assert all(name in everyone for name in ("单志强", "曾国华", "李青"))
        assert f'href="{url}?uncontacted=1"' in everyone
        response = staff_client.get(url, {"uncontacted": "1"})
        rows = response.context["teams"][0].rows
        assert [row.assignment.scientist.name for row in rows] == ["李青", "曾国华"]  # by pinyin
        html = response.content.decode()
        assert "单志强" not in html
        assert "3 个联系对象，今年尚未联系 2 个" in html  # the team's figure is still of all its targets
        assert 'aria-current="true">只看未联系</a>' in html

    def test_everyone_contacted_says_so(self, staff_client, team, dept_staff):
        log(
            team,
            dept_staff,
            [a.scientist for a in team.assignments.all()],
            day=datetime.date(today().year, 1, 1),
        )
        html = staff_client.get(reverse("liaison:my_work"), {"uncontacted": "1"}).content.decode()
        assert "今年的联系对象都已联系过。" in html

    def test_query_count_does_not_grow_with_targets(self, staff_client, team, contacted):
        url = reverse("liaison:my_work")
        few = count_queries(staff_client, url, {"uncontacted": "1"})
        for n in range(6):
            plans.assignment_add(
                team=team,
                by=None,
                scientist=ScientistFactory(name=f"新对象{n}"),
                start_date=datetime.date(today().year, 1, 1),
            )
        assert count_queries(staff_client, url, {"uncontacted": "1"}) == few


class TestBirthdays:
    def test_no_birthday_within_30_days_is_said(self, staff_client, team):
        html = staff_client.get(reverse("liaison:my_work")).content.decode()
        assert "近 30 天无生日" in html

    def test_a_birthday_within_30_days_is_listed_instead(self, staff_client, team):
        li = team.assignments.get(scientist__name="李青").scientist
        soon = today() + datetime.timedelta(days=10)
        li.birth_date = soon.replace(year=soon.year - 48)  # 48 years back: a leap day stays a leap day
        li.save()
        html = staff_client.get(reverse("liaison:my_work")).content.decode()
        assert "李青 生日" in html
        assert "近 30 天无生日" not in html


class TestInRegister:
    def test_scientists_and_staff_are_marked_in_register(self, liaison_client, dept_staff):
        ScientistFactory(name="单志强")
        gone = ScientistFactory(name="钱停用", is_active=False)
        html = liaison_client.get(reverse("experts:list"), {"active": "all"}).content.decode()
        assert '<span class="badge text-bg-success">在册</span>' in html
        assert '<span class="badge text-bg-secondary">已停用</span>' in html
        assert "在用" not in html
        assert gone.name in html
        StaffFactory(name="孙离开", is_active=False)
        staff = liaison_client.get(reverse("liaison:staff_list"), {"active": "all"}).content.decode()
        assert "在册" in staff
        assert "在职" not in staff
        assert "已离岗" not in staff

    def test_organisations_keep_in_use(self, liaison_client):
        from tests.factories import OrganizationFactory

        OrganizationFactory(name="和平区科协")
        html = liaison_client.get(reverse("orgs:list")).content.decode()
        assert '<span class="badge text-bg-success">在用</span>' in html
