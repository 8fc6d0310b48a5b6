"""Demands follow their step (issue 18 §4): the step form asks only the chosen step's fields, a hand-over reads
已交办 and tells the person or department (email, 我的工作 "交办给我"), and the history reads naturally.

The people: 陈干部 (科普部) logs a visit of 王主席专班 where 单志强 raises a demand; 周干部 and 吴部长 (its head)
work in 科技服务部; 刘联络 of 组织联络部 hands demands over.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from liaison.contacts import services as contacts
from liaison.models import Demand, Position
from tests.conftest import _client_for
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory, UserFactory, today
from tests.liaison.contacts.factories import log, raise_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(team, dept_staff):
    scientist = ScientistFactory(name="单志强")
    record = log(team, dept_staff, [scientist], day=today())
    return raise_demand(record, dept_staff.user, text="实验室用房紧张", raised_by_scientist=scientist)


@pytest.fixture
def service_department(db):
    return DepartmentFactory(name="科技服务部")


@pytest.fixture
def zhou(service_department):
    user = UserFactory(username="zhou")
    user.email = "zhou@kexie.example"
    user.save()
    return StaffFactory(user=user, name="周干部", department=service_department)


@pytest.fixture
def wu(service_department):
    user = UserFactory(username="wu")
    user.email = "wu@kexie.example"
    user.save()
    return StaffFactory(
        user=user, name="吴部长", department=service_department, position=Position.DEPARTMENT_HEAD
    )


def post_step(client, demand, **fields):
    demand.refresh_from_db()
    data = {"date": today().isoformat(), "version": demand.version, **fields}
    return client.post(demand.get_absolute_url(), data)


def history(client, demand) -> list[str]:
    """The lines of 办理过程 as a user reads them (tags dropped, spaces squeezed)."""
    html = client.get(demand.get_absolute_url()).content.decode()
    lines = re.findall(r'<li class="border-top py-1" data-testid="demand-step">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


class TestStepForm:
    def test_assign_without_whom_is_refused_in_chinese_and_keeps_the_text(self, liaison_client, demand):
        response = post_step(liaison_client, demand, kind="assign", text="请两周内答复")
        assert response.status_code == 200
        html = response.content.decode()
        assert "交办请选择承办的干部或部室。" in html
        assert "请两周内答复</textarea>" in html  # what was typed is still there
        demand.refresh_from_db()
        assert demand.status == "pending"
        assert [a.kind for a in demand.actions.all()] == ["register"]
        assert mail.outbox == []

    def test_revisit_asks_no_handler_and_ignores_one_posted(self, liaison_client, demand, zhou):
        contacts.demand_act(demand=demand, kind="reply", by=None, text="已协调解决", status="done")
        response = post_step(
            liaison_client, demand, kind="revisit", satisfied="1", text="很满意", handler=zhou.pk
        )
        assert response.status_code == 302
        demand.refresh_from_db()
        assert (demand.status, demand.revisit_satisfied, demand.handler) == ("done", True, None)
        assert mail.outbox == []

    def test_revisit_without_satisfied_is_explained(self, liaison_client, demand):
        contacts.demand_act(demand=demand, kind="reply", by=None, text="已协调解决", status="done")
        response = post_step(liaison_client, demand, kind="revisit", text="电话回访")
        assert "回访请选择提出人是否满意。" in response.content.decode()
        assert "电话回访</textarea>" in response.content.decode()

    def test_each_field_says_which_steps_show_it(self, liaison_client, demand):
        html = liaison_client.get(demand.get_absolute_url()).content.decode()
        assert 'data-steps="assign"><div id="div_id_handler"' in html
        assert 'data-steps="assign"><div id="div_id_department"' in html
        assert 'data-steps="revisit"><div id="div_id_satisfied"' in html
        assert 'data-steps="progress reply"><div id="div_id_status"' in html
        # a demand not handed over yet offers 交办 first
        assert '<option value="assign" selected>交办</option>' in html

    def test_refused_to_those_who_may_not_handle_it(self, staff_client, outsider_client, demand, zhou):
        # 陈干部 is a member of the team, not its lead, and not the handler: may see, may not act
        assert post_step(staff_client, demand, kind="assign", handler=zhou.pk).status_code == 403
        assert post_step(outsider_client, demand, kind="assign", handler=zhou.pk).status_code == 404
        demand.refresh_from_db()
        assert (demand.status, demand.handler) == ("pending", None)
        assert mail.outbox == []


class TestHandOver:
    def test_to_a_person_reads_assigned_and_mails_them(self, liaison_client, demand, zhou, wu):
        due = today() + datetime.timedelta(days=14)
        response = post_step(
            liaison_client,
            demand,
            kind="assign",
            handler=zhou.pk,
            due_date=due.isoformat(),
            text="请两周内答复",
            status="done",  # not a field of 交办: ignored
        )
        assert response.status_code == 302
        demand.refresh_from_db()
        assert (demand.status, demand.handler, demand.due_date) == ("assigned", zhou, due)
        page = liaison_client.get(demand.get_absolute_url()).content.decode()
        assert '<span class="badge text-bg-primary" data-testid="demand-status">已交办</span>' in page
        assert [m.to for m in mail.outbox] == [["zhou@kexie.example"]]
        message = mail.outbox[0]
        assert message.subject == "交办诉求：实验室用房紧张"
        assert "刘联络 将一条诉求交办给您" in message.body
        assert "困难诉求：实验室用房紧张" in message.body
        assert "提出人：单志强" in message.body
        assert f"办理时限：{due:%Y-%m-%d}" in message.body
        assert "交办说明：请两周内答复" in message.body
        assert f"http://testserver{demand.get_absolute_url()}" in message.body

    def test_to_a_department_mails_its_head(self, liaison_client, demand, zhou, wu, service_department):
        post_step(liaison_client, demand, kind="assign", department=service_department.pk)
        demand.refresh_from_db()
        assert (demand.status, demand.handler, demand.handler_department) == (
            "assigned",
            None,
            service_department,
        )
        assert [m.to for m in mail.outbox] == [["wu@kexie.example"]]
        assert "刘联络 将一条诉求交办给科技服务部" in mail.outbox[0].body

    def test_to_a_department_without_head_mails_its_members(self, liaison_client, demand, zhou):
        post_step(liaison_client, demand, kind="assign", department=zhou.department_id)
        assert [m.to for m in mail.outbox] == [["zhou@kexie.example"]]

    def test_no_email_address_still_saves_and_lists(self, liaison_client, demand, dept_staff):
        response = post_step(liaison_client, demand, kind="assign", handler=dept_staff.pk)
        assert response.status_code == 302
        assert mail.outbox == []
        demand.refresh_from_db()
        assert demand.status == "assigned"

    def test_logging_a_record_with_a_demand_handed_over_tells_the_handler(self, staff_client, team, zhou):
        scientist = ScientistFactory(name="曾国华")
        response = staff_client.post(
            reverse("liaison:record_create"),
            {
                "team": team.pk,
                "date": today().isoformat(),
                "method": "survey",
                "channel": "visit",
                "summary": "了解实验室建设",
                "targets": [f"sci:{scientist.pk}"],
                "demands-TOTAL_FORMS": "1",
                "demands-INITIAL_FORMS": "0",
                "demands-MIN_NUM_FORMS": "0",
                "demands-MAX_NUM_FORMS": "10",
                "demands-0-kind": "difficulty",
                "demands-0-text": "希望对接企业",
                "demands-0-handler": zhou.pk,
            },
        )
        assert response.status_code == 302
        demand = Demand.objects.get()
        assert demand.status == "assigned"
        assert [m.to for m in mail.outbox] == [["zhou@kexie.example"]]
        assert "陈干部 将一条诉求交办给您" in mail.outbox[0].body


class TestMyWork:
    def test_handed_to_me_shows_to_the_handler_only(self, liaison_client, demand, zhou, dept_staff):
        post_step(liaison_client, demand, kind="assign", handler=zhou.pk)
        url = reverse("liaison:my_work")
        mine = _client_for(zhou.user).get(url).content.decode()
        assert "交办给我（1）" in mine
        assert "困难诉求：实验室用房紧张" in mine
        assert "已交办" in mine
        others = _client_for(dept_staff.user).get(url).content.decode()
        assert "交办给我（0）" in others
        assert "实验室用房紧张" not in others

    def test_handed_to_my_department_shows_to_its_members(
        self, liaison_client, demand, zhou, wu, dept_staff, service_department
    ):
        post_step(liaison_client, demand, kind="assign", department=service_department.pk)
        url = reverse("liaison:my_work")
        for person in (zhou, wu):
            page = _client_for(person.user).get(url).content.decode()
            assert "交办给我（1）" in page
            assert "交办科技服务部" in page
        assert "交办给我（0）" in _client_for(dept_staff.user).get(url).content.decode()

    def test_closed_demands_leave_the_list(self, liaison_client, demand, zhou):
        post_step(liaison_client, demand, kind="assign", handler=zhou.pk)
        contacts.demand_act(demand=demand, kind="reply", by=zhou.user, text="已解决", status="done")
        page = _client_for(zhou.user).get(reverse("liaison:my_work")).content.decode()
        assert "交办给我（0）" in page
        assert "没有交办给您或您部室的待办诉求。" in page


class TestHistory:
    def test_each_step_reads_naturally(self, liaison_client, demand, zhou, service_department):
        post_step(liaison_client, demand, kind="assign", department=service_department.pk, text="请研究")
        post_step(liaison_client, demand, kind="assign", handler=zhou.pk)
        zhou_client = _client_for(zhou.user)
        post_step(zhou_client, demand, kind="progress", text="已联系科技局")
        demand.refresh_from_db()
        assert demand.status == "in_progress"
        post_step(zhou_client, demand, kind="reply", text="已落实实验用房", status="done")
        post_step(liaison_client, demand, kind="revisit", satisfied="1", text="表示感谢")
        day = f"{today():%Y-%m-%d}"
        assert history(liaison_client, demand) == [
            f"{day} 陈干部 登记 → 待办",
            f"{day} 刘联络 交办给 科技服务部：请研究 → 已交办",
            f"{day} 刘联络 交办给 周干部 → 已交办",
            f"{day} 周干部 办理：已联系科技局 → 办理中",
            f"{day} 周干部 反馈：已落实实验用房 → 已办结",
            f"{day} 刘联络 回访：满意，表示感谢 → 已办结",
        ]

    def test_a_closed_demand_is_not_handed_over_again(self, liaison_client, demand, zhou):
        contacts.demand_act(demand=demand, kind="reply", by=None, text="已解决", status="done")
        response = post_step(liaison_client, demand, kind="assign", handler=zhou.pk)
        assert "诉求已办结，不能再交办。" in response.content.decode()
        demand.refresh_from_db()
        assert (demand.status, demand.handler) == ("done", None)
        assert mail.outbox == []
