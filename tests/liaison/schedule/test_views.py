"""Pages of planned contacts: who may see and change a team's plan, the form, the calendars, the files."""

from __future__ import annotations

import datetime
import io

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import PlannedContact, PlanStatus
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.liaison.contacts.factories import log
from tests.pages import form_data

pytestmark = pytest.mark.django_db
D = datetime.date


def client_of(staff) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client


@pytest.fixture
def member(future, staff_client):
    return staff_client  # dept_staff is the team's member


class TestWhoMay:
    def test_a_member_plans_through_the_form(self, future, member):
        y = future.year.year
        url = reverse("liaison:plan_create", args=[future.team.pk])
        page = member.get(url)
        assert page.status_code == 200
        data = form_data(page.content, "target")
        data.update(target=f"sci:{future.expert.pk}", date=f"{y}-05-06", method="symposium", note="座谈")
        response = member.post(url, data)
        assert response.status_code == 302
        item = PlannedContact.objects.get()
        assert (item.date, item.scientist, item.method, item.status) == (
            D(y, 5, 6),
            future.expert,
            "symposium",
            PlanStatus.PLANNED,
        )
        assert list(item.goers.all()) == [future.member]  # the form ticks whoever plans
        assert item.created_by == future.member.user

    def test_bad_input_keeps_what_was_typed(self, future, member):
        url = reverse("liaison:plan_create", args=[future.team.pk])
        response = member.post(
            url, {"target": "", "date": "2026-13-40", "method": "survey", "note": "带上材料"}
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "请根据下面的提示修改后再保存" in text
        assert "带上材料" in text
        assert not PlannedContact.objects.exists()

    def test_liaison_office_plans_for_any_team(self, future, liaison_client):
        assert liaison_client.get(reverse("liaison:plan_create", args=[future.team.pk])).status_code == 200

    def test_a_leader_outside_the_team_reads_but_cannot_plan(self, future, leader_client):
        assert leader_client.get(reverse("liaison:team_plan", args=[future.team.pk])).status_code == 200
        assert leader_client.get(reverse("liaison:plan_create", args=[future.team.pk])).status_code == 403
        item = future.plan(D(future.year.year, 5, 1))
        assert leader_client.post(reverse("liaison:plan_cancel", args=[item.pk])).status_code == 403
        item.refresh_from_db()
        assert item.status == PlanStatus.PLANNED

    def test_staff_of_another_team_see_nothing(self, future):
        stranger = client_of(StaffFactory(user=UserFactory(username="other")))
        item = future.plan(D(future.year.year, 5, 1))
        for url in [
            reverse("liaison:team_plan", args=[future.team.pk]),
            reverse("liaison:team_calendar", args=[future.team.pk]),
            reverse("liaison:team_plan_xlsx", args=[future.team.pk]),
            reverse("liaison:team_plan_ics", args=[future.team.pk]),
            reverse("liaison:plan_edit", args=[item.pk]),
            reverse("liaison:person_calendar", args=[future.member.pk]),
            reverse("liaison:person_plan_ics", args=[future.member.pk]),
        ]:
            assert stranger.get(url).status_code == 404, url
        assert stranger.post(reverse("liaison:plan_cancel", args=[item.pk])).status_code == 404
        item.refresh_from_db()
        assert item.status == PlanStatus.PLANNED

    def test_cancel_is_a_post(self, future, member):
        item = future.plan(D(future.year.year, 5, 1))
        assert member.get(reverse("liaison:plan_cancel", args=[item.pk])).status_code == 405
        member.post(reverse("liaison:plan_cancel", args=[item.pk]))
        item.refresh_from_db()
        assert item.status == PlanStatus.CANCELLED


def test_an_edit_on_a_stale_copy_is_refused_with_what_changed(future, member, liaison_client):
    item = future.plan(D(future.year.year, 5, 1))
    url = reverse("liaison:plan_edit", args=[item.pk])
    mine = form_data(member.get(url).content, "target")
    theirs = form_data(liaison_client.get(url).content, "target")
    theirs["note"] = "改为座谈"
    assert liaison_client.post(url, theirs).status_code == 302
    mine["note"] = "带上材料"
    response = member.post(url, mine)
    assert response.status_code == 200
    text = response.content.decode()
    assert "保存未成功" in text
    assert "改为座谈" in text
    assert "带上材料" in text
    item.refresh_from_db()
    assert item.note == "改为座谈"


def test_the_list_marks_overdue_and_offers_to_complete(past, staff_client):
    y = past.year.year
    late = past.plan(D(y, 3, 1))
    page = staff_client.get(reverse("liaison:team_plan", args=[past.team.pk]))
    text = page.content.decode()
    assert "已逾期 1" in text  # the filter's count
    assert f"?plan={late.pk}" in text
    assert 'class="badge text-bg-danger">已逾期' in text


def test_completing_from_the_plan_prefills_and_links_the_record(past, staff_client):
    y = past.year.year
    early = past.plan(D(y, 3, 1))
    chosen = past.plan(D(y, 9, 1), method="symposium")
    url = reverse("liaison:record_create") + f"?plan={chosen.pk}"
    page = staff_client.get(url)
    text = page.content.decode()
    assert "完成计划" in text
    data = form_data(page.content, "plan")
    assert data["plan"] == str(chosen.pk)
    assert data["method"] == "symposium"
    assert data["team"] == str(past.team.pk)
    assert f"sci:{past.expert.pk}" in (
        data["targets"] if isinstance(data["targets"], list) else [data["targets"]]
    )
    data.update(date=f"{y}-03-01", summary="座谈了解进展", channel="meeting")
    response = staff_client.post(reverse("liaison:record_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    chosen.refresh_from_db()
    early.refresh_from_db()
    assert chosen.status == PlanStatus.DONE
    assert early.status == PlanStatus.PLANNED


class TestCalendars:
    def test_team_month_monday_first_with_items_on_their_days(self, future, member):
        y = future.year.year
        future.plan(D(y, 12, 3), method="symposium")
        response = member.get(reverse("liaison:team_calendar", args=[future.team.pk]), {"month": f"{y}-12"})
        month = response.context["month"]
        first = D(y, 12, 1)
        assert month.weeks[0][0].date == first - datetime.timedelta(days=first.weekday())  # a Monday
        assert all(len(week) == 7 for week in month.weeks)
        [day] = month.days_with_items
        assert day.date == D(y, 12, 3)
        assert [i.target_name for i in day.items] == [future.expert.name]
        text = response.content.decode()
        assert f"{y} 年 12 月" in text
        assert f"?month={y}-11" in text
        assert f"?month={y + 1}-01" in text

    def test_overdue_marked_red(self, past, staff_client):
        y = past.year.year
        past.plan(D(y, 3, 2))
        text = staff_client.get(
            reverse("liaison:team_calendar", args=[past.team.pk]), {"month": f"{y}-03"}
        ).content.decode()
        assert "已逾期" in text
        assert "border-danger text-danger" in text

    def test_nonsense_month_is_this_month(self, future, member):
        response = member.get(
            reverse("liaison:team_calendar", args=[future.team.pk]), {"month": "2026-13\x00"}
        )
        assert response.status_code in (200, 400)
        response = member.get(reverse("liaison:team_calendar", args=[future.team.pk]), {"month": "9999-99"})
        assert (
            response.context["month"].first == future.year.first_day
        )  # a team of next year opens at January

    def test_person_sees_own_and_leaders_see_anyones(self, future, member, leader_client, liaison_client):
        future.plan(D(future.year.year, 2, 3))
        own = member.get(reverse("liaison:my_calendar"), {"month": f"{future.year.year}-02"})
        assert own.status_code == 200
        assert len(own.context["month"].days_with_items) == 1
        url = reverse("liaison:person_calendar", args=[future.member.pk])
        for client in (leader_client, liaison_client):
            assert client.get(url, {"month": f"{future.year.year}-02"}).status_code == 200
        lead_url = reverse("liaison:person_calendar", args=[future.lead.pk])
        assert member.get(lead_url).status_code == 404  # a colleague's calendar is not for staff
        # the staff page links to the calendar for those who may open it, and only for them
        staff_page = reverse("liaison:staff_detail", args=[future.lead.pk])
        assert lead_url in leader_client.get(staff_page).content.decode()
        assert lead_url not in member.get(staff_page).content.decode()


class TestFiles:
    def test_ics_all_day_events_with_stable_uids(self, future, member):
        y = future.year.year
        a = future.plan(D(y, 4, 1))
        b = future.plan(D(y, 4, 2), future.org, method="symposium")
        url = reverse("liaison:team_plan_ics", args=[future.team.pk])
        first = member.get(url)
        assert first["Content-Type"] == "text/calendar; charset=utf-8"
        assert b"\r\n" in first.content
        assert b"\n\n" not in first.content
        events = icalendar.Calendar.from_ical(first.content).walk("VEVENT")
        assert [str(e["uid"]) for e in events] == [f"plan-{a.pk}@kexie.plan", f"plan-{b.pk}@kexie.plan"]
        assert [e.decoded("dtstart") for e in events] == [D(y, 4, 1), D(y, 4, 2)]
        assert [e.decoded("dtend") for e in events] == [D(y, 4, 2), D(y, 4, 3)]
        assert "DTSTART;VALUE=DATE:" in first.content.decode()
        assert [str(e["summary"]) for e in events] == [
            f"调查了解：{future.expert.name}",
            f"开展座谈：{future.org.name}",
        ]
        assert all("dtstamp" in e for e in events)
        again = icalendar.Calendar.from_ical(member.get(url).content).walk("VEVENT")
        assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in events]

    def test_ics_of_a_person_names_no_phone(self, future, member):
        future.expert.phone = "13800001111"
        future.expert.save()
        future.plan(D(future.year.year, 4, 1))
        content = member.get(reverse("liaison:person_plan_ics", args=[future.member.pk])).content
        assert "13800001111" not in content.decode()
        assert len(icalendar.Calendar.from_ical(content).walk("VEVENT")) == 1

    def test_xlsx_rows(self, past, staff_client):
        y = past.year.year
        past.plan(D(y, 3, 1), past.org)
        record = log(past.team, past.member, [past.org], day=D(y, 3, 1))
        past.plan(D(y, 3, 2), method="symposium")
        response = staff_client.get(reverse("liaison:team_plan_xlsx", args=[past.team.pk]))
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("计划日期", "星期", "联系对象")
        assert rows[1][8].date() == record.date
        assert rows[1][1:8] == (
            "周" + "一二三四五六日"[D(y, 3, 1).weekday()],
            past.org.name,
            "基层组织",
            "调查了解",
            past.member.name,
            None,
            "已完成",
        )
        assert rows[2][2] == past.expert.name
        assert rows[2][7] == "已逾期"


def test_the_plan_list_and_calendar_take_the_same_queries_for_1_and_20_items(
    future, member, django_assert_max_num_queries
):
    y = future.year.year
    future.plan(D(y, 6, 1))
    urls = [
        reverse("liaison:team_plan", args=[future.team.pk]) + "?show=all",
        reverse("liaison:team_calendar", args=[future.team.pk]) + f"?month={y}-06",
    ]
    counts = []
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert member.get(url).status_code == 200
        counts.append(len(ctx))
    for day in range(2, 21):
        future.plan(D(y, 6, day), future.org if day % 2 else future.expert)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert member.get(url).status_code == 200
