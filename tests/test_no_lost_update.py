"""No lost update (common/concurrency.py): two people open the same edit page; the second save is refused with
what the first changed, keeps what was typed, and saves knowingly when sent again. On PostgreSQL the same
with real concurrent transactions held at the row lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from experts.models import Scientist
from liaison.models import (
    ContactCategory,
    ContactRecord,
    Demand,
    DemandAction,
    Department,
    QuotaRule,
    Staff,
    Team,
)
from orgs.models import Organization
from tests.factories import PASSWORD, OrganizationFactory, ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org
from tests.pages import form_data


@dataclass
class Case:
    url: str
    field: str  # the form field both people change
    label: str  # as the conflict message names it
    before: str
    read: Callable[[], str]  # the value stored now


@pytest.fixture
def year(db):
    return make_year(2026)


@pytest.fixture
def team(year, dept_staff, liaison_officer):
    return make_team(year, make_leader("王主席"), members=[dept_staff, liaison_officer])


def _organization(team):
    o = OrganizationFactory(name="辽川市医学会", address="中山路1号")
    return Case(
        reverse("orgs:edit", args=[o.pk]), "address", "地址", "中山路1号",
        lambda: Organization.objects.get(pk=o.pk).address,
    )  # fmt: skip


def _scientist(team):
    s = ScientistFactory(name="单志强", title="副教授")
    return Case(
        reverse("experts:edit", args=[s.pk]), "title", "职称", "副教授",
        lambda: Scientist.objects.get(pk=s.pk).title,
    )  # fmt: skip


def _staff(team):
    s = Staff.objects.get(name="陈干部")
    s.title = "科员"
    s.save()
    return Case(
        reverse("liaison:staff_edit", args=[s.pk]), "title", "职务", "科员",
        lambda: Staff.objects.get(pk=s.pk).title,
    )  # fmt: skip


def _department(team):
    d = Department.objects.get(name="科普部")
    return Case(
        reverse("liaison:department_edit", args=[d.pk]), "name", "部室名称", "科普部",
        lambda: Department.objects.get(pk=d.pk).name,
    )  # fmt: skip


def _team(team):
    Team.objects.filter(pk=team.pk).update(notes="年初组建")
    return Case(
        reverse("liaison:team_edit", args=[team.pk]), "notes", "备注", "年初组建",
        lambda: Team.objects.get(pk=team.pk).notes,
    )  # fmt: skip


def _record(team):
    r = log(team, Staff.objects.get(name="陈干部"), [org(name="辽川市药学会")], summary="座谈")
    return Case(
        reverse("liaison:record_edit", args=[r.pk]), "summary", "情况摘要", "座谈",
        lambda: ContactRecord.objects.get(pk=r.pk).summary,
    )  # fmt: skip


def _rules(team):
    # the year starts with the seed's rules (11 rows, in the page's order: department first, then leader);
    # the leader teams' 知名专家/高层次人才 rule (at least 10) is the eighth row
    rule = QuotaRule.objects.get(year=team.year, team_kind="leader", category="expert")
    assert rule.minimum == 10
    return Case(
        reverse("liaison:rules_edit", args=[2026]), "rules-7-minimum", "领导专班 · 知名专家/高层次人才",
        "最少 10，不设上限", lambda: f"最少 {QuotaRule.objects.get(pk=rule.pk).minimum}，不设上限",
    )  # fmt: skip


def _category(team):
    c = ContactCategory.objects.create(name="基层科协", target_type="organization", takes=["township"])
    return Case(
        reverse("liaison:category_edit", args=[c.pk]), "org_kinds", "计入", "乡镇(街道)科协",
        lambda: "、".join({"township": "乡镇(街道)科协", "village": "村(社区)科协", "agri_tech": "农技协"}[k]
                         for k in ContactCategory.objects.get(pk=c.pk).takes),
    )  # fmt: skip


def _narrative(team):
    from reports.duty.models import DutyNarrative

    person = next(m for m in team.members.all() if not m.in_liaison_office)
    DutyNarrative(staff=person, year=team.year, text="原来的述职正文").save()
    return Case(
        reverse("reports:duty_narrative", args=[team.year.year, person.pk]), "text", "述职正文", "原来的述职正文",
        lambda: DutyNarrative.objects.get(staff=person).text,
    )  # fmt: skip


# (case, value the first person saves, value the second types, who the second person is)
CASES = {
    "organisation": (_organization, "人民路2号", "解放路3号", "admin"),
    "scientist": (_scientist, "教授", "研究员", "admin"),
    "staff": (_staff, "副部长", "部长", "admin"),
    "department": (_department, "科学普及部", "科普宣传部", "admin"),
    "team": (_team, "三月调整", "四月调整", "admin"),
    "record": (_record, "座谈，谈了用房", "座谈，谈了经费", "author"),
    "rules": (_rules, "12", "14", "admin"),
    "category": (_category, "村(社区)科协", "农技协", "admin"),
    "narrative": (_narrative, "组织联络部改过的正文", "本人改过的正文", "author"),
}


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("name", CASES)
def test_a_stale_save_is_refused_shows_the_change_and_keeps_the_typing(
    name, team, liaison_client, admin_user, dept_staff
):
    make_case, first, second, who = CASES[name]
    case = make_case(team)
    other = _client(admin_user if who == "admin" else dept_staff.user)
    version = "year-version" if name == "rules" else "version"  # the rules page's guard has a prefix
    # both open the page
    mine = form_data(other.get(case.url).content, version)
    theirs = form_data(liaison_client.get(case.url).content, version)
    # 刘联络 saves first
    posted = {"村(社区)科协": "village", "农技协": "agri_tech"}  # the category case ticks a kind by its value
    response = liaison_client.post(case.url, {**theirs, case.field: posted.get(first, first)})
    assert response.status_code == 302, response.content.decode()[:3000]
    # the second save, from the copy opened before, is refused: nothing of it is stored
    response = other.post(case.url, {**mine, case.field: posted.get(second, second)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存未成功：在您编辑期间，刘联络" in page
    shown_first = first if name != "rules" else f"最少 {first}，不设上限"
    assert f"{case.label}：原为“{case.before}”，对方改为“{shown_first}”" in page
    stored = case.read()
    assert stored == shown_first
    # what the second person typed is still in the form, and sending it again saves it knowingly
    again = form_data(page, version)
    assert again[case.field] == posted.get(second, second)
    assert int(again[version]) > int(mine[version])
    assert other.post(case.url, again).status_code == 302
    assert case.read() == (second if name != "rules" else f"最少 {second}，不设上限")


def test_a_save_without_the_version_is_refused(team, liaison_client):
    o = OrganizationFactory(name="辽川市医学会", address="中山路1号")
    url = reverse("orgs:edit", args=[o.pk])
    data = form_data(liaison_client.get(url).content, "version")
    del data["version"]
    response = liaison_client.post(url, {**data, "address": "人民路2号"})
    assert "这条记录在您打开页面之后已被修改，或页面已过期" in response.content.decode()
    assert Organization.objects.get(pk=o.pk).address == "中山路1号"


def test_officers_are_guarded_with_their_organisation(team, liaison_client, admin_user):
    o = OrganizationFactory(name="辽川市医学会")
    o.officers.create(post="chair", name="李主席", phone="")
    url = reverse("orgs:edit", args=[o.pk])
    admin = _client(admin_user)
    mine = form_data(admin.get(url).content, "version")
    theirs = form_data(liaison_client.get(url).content, "version")
    assert liaison_client.post(url, {**theirs, "officers-0-name": "李新主席"}).status_code == 302
    response = admin.post(url, {**mine, "officers-0-name": "李老主席"})
    assert "保存未成功" in response.content.decode()
    assert list(o.officers.values_list("name", flat=True)) == ["李新主席"]


class TestDemandSteps:
    def _demand(self, team, dept_staff):
        record = log(team, dept_staff, [ScientistFactory()])
        return raise_demand(record, dept_staff.user, handler=dept_staff)

    def test_two_people_closing_one_demand_close_it_once(
        self, team, dept_staff, staff_client, liaison_client
    ):
        demand = self._demand(team, dept_staff)
        url = demand.get_absolute_url()
        mine = form_data(staff_client.get(url).content, "seen_action")
        theirs = form_data(liaison_client.get(url).content, "seen_action")
        close = {"kind": "reply", "status": "done"}
        assert liaison_client.post(url, {**theirs, **close, "text": "已协调用房"}).status_code == 302
        response = staff_client.post(url, {**mine, **close, "text": "已解决"})
        page = response.content.decode()
        assert "未保存：在您打开本页之后，这条诉求已有新的办理（现状态：已办结）" in page
        assert "刘联络 反馈：已协调用房" in page
        assert ">\n已解决</textarea>" in page  # what was typed stays
        assert list(
            DemandAction.objects.filter(demand=demand, kind="reply").values_list("text", flat=True)
        ) == ["已协调用房"]

    def test_ending_a_target_twice_is_refused(self, team, liaison_client):
        from liaison.plan import services as plans

        target = plans.assignment_add(team=team, by=None, organization=org(name="辽川市化学会"))
        url = reverse("liaison:assignment_end", args=[target.pk])
        data = {"end_reason": "adjusted", "end_date": "2026-12-31", "end_note": ""}
        assert liaison_client.post(url, data).status_code == 302
        response = liaison_client.post(url, data, follow=True)
        assert "该联系对象已终止。" in response.content.decode()
        target.refresh_from_db()
        assert target.end_date.isoformat() == "2026-12-31"

    def test_deleting_a_record_twice_is_refused(self, team, dept_staff, staff_client):
        record = log(team, dept_staff, [org(name="辽川市物理学会")])
        url = reverse("liaison:record_delete", args=[record.pk])
        assert staff_client.post(url, {"reason": "重复录入"}).status_code == 302
        # the second click finds it deleted: refused, the first reason stays
        assert staff_client.post(url, {"reason": "录错了"}).status_code == 403
        record.refresh_from_db()
        assert record.deleted_reason == "重复录入"


# --- real concurrent transactions (PostgreSQL) ------------------------------------------------------------


def _race(posts: list[Callable[[], int]], hold: Callable[[], None]) -> list[int]:
    """Run `posts` in threads at once while another connection holds the row lock (`hold` takes it), so that
    every request waits at the lock; release it and return each request's status."""
    results: list[int] = [0] * len(posts)
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    hold_cursor = blocker.cursor()
    hold(hold_cursor)

    def run(i: int) -> None:
        try:
            results[i] = posts[i]()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both requests are now waiting on the row lock
    waiting = _waiting_on_locks()
    blocker.commit()
    blocker.close()
    for thread in threads:
        thread.join(30)
    assert waiting >= 1, "no request was waiting on the lock: the race was not exercised"
    return results


def _waiting_on_locks() -> int:
    probe = connections.create_connection("default")
    try:
        with probe.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0]
    finally:
        probe.close()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
class TestConcurrentTransactions:
    def test_two_saves_of_one_organisation_at_once_one_wins(self, liaison_officer, admin_user):
        o = OrganizationFactory(name="辽川市医学会", address="中山路1号")
        url = reverse("orgs:edit", args=[o.pk])
        clients = [_client(liaison_officer.user), _client(admin_user)]
        pages = [form_data(c.get(url).content, "version") for c in clients]
        posts = [
            lambda c=c, p=p, a=a: c.post(url, {**p, "address": a}).status_code
            for c, p, a in zip(clients, pages, ["人民路2号", "解放路3号"], strict=True)
        ]
        table = Organization._meta.db_table
        statuses = _race(
            posts, lambda cur: cur.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [o.pk])
        )
        assert sorted(statuses) == [200, 302]
        winner = ["人民路2号", "解放路3号"][statuses.index(302)]
        assert Organization.objects.get(pk=o.pk).address == winner

    def test_two_closes_of_one_demand_at_once_close_it_once(self, liaison_officer, dept_staff):
        year = make_year(2026)
        team = make_team(year, make_leader("王主席"), members=[dept_staff, liaison_officer])
        record = log(team, dept_staff, [ScientistFactory()])
        demand = raise_demand(record, dept_staff.user, handler=dept_staff)
        url = demand.get_absolute_url()
        clients = [_client(liaison_officer.user), _client(dept_staff.user)]
        pages = [form_data(c.get(url).content, "seen_action") for c in clients]
        posts = [
            lambda c=c, p=p, t=t: c.post(url, {**p, "kind": "reply", "status": "done", "text": t}).status_code
            for c, p, t in zip(clients, pages, ["已协调用房", "已解决"], strict=True)
        ]
        table = Demand._meta.db_table
        statuses = _race(
            posts, lambda cur: cur.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [demand.pk])
        )
        assert sorted(statuses) == [200, 302]
        assert DemandAction.objects.filter(demand=demand, kind="reply").count() == 1
        assert Demand.objects.get(pk=demand.pk).status == "done"

    def test_two_pages_creating_next_year_carried_over_at_once_create_it_once(
        self, liaison_officer, leader, dept_staff
    ):
        from liaison.models import Team, Year
        from tests.reports.cycle.factories import NEXT, make_cycle

        cycle = make_cycle(lead=leader, member=dept_staff)
        url = reverse("liaison:year_list")
        clients = [_client(liaison_officer.user), _client(liaison_officer.user)]
        posts = [
            lambda c=c, t=t: c.post(url, {"year": NEXT, "start": "carry", "once": t}).status_code
            for c, t in zip(clients, ["page-one", "page-two"], strict=True)
        ]
        year_table = cycle.year._meta.db_table
        statuses = _race(
            posts,
            lambda cur: cur.execute(f"SELECT 1 FROM {year_table} WHERE id = %s FOR UPDATE", [cycle.year.pk]),
        )
        assert sorted(statuses) == [200, 302]  # the second is told, no error page
        assert Year.objects.filter(year=NEXT).count() == 1
        assert Team.objects.filter(year__year=NEXT).count() == 2

    def test_two_submissions_of_one_plan_at_once_submit_it_once(self, liaison_officer, leader, dept_staff):
        from reports.models import PlanTransition
        from tests.reports.cycle.factories import THIS, make_cycle

        cycle = make_cycle(lead=leader, member=dept_staff)
        url = reverse("reports:plan_submit", args=[THIS])
        clients = [_client(liaison_officer.user), _client(liaison_officer.user)]
        posts = [lambda c=c: c.post(url, {"note": "报党组审定"}).status_code for c in clients]
        year_table = cycle.year._meta.db_table
        _race(
            posts,
            lambda cur: cur.execute(f"SELECT 1 FROM {year_table} WHERE id = %s FOR UPDATE", [cycle.year.pk]),
        )
        assert PlanTransition.objects.filter(year=cycle.year, to_status="submitted").count() == 1
