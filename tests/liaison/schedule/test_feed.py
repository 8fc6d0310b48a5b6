"""订阅: a person's planned contacts at a secret address a phone calendar reads without logging in."""

from __future__ import annotations

import datetime
import hashlib

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from liaison.models import CalendarFeed
from tests.pages import form_data

pytestmark = pytest.mark.django_db
D = datetime.date


def events(content: bytes) -> list:
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


def make_feed(client: Client) -> str:
    page = client.get(reverse("liaison:my_calendar"))
    data = form_data(page.content, "action")
    response = client.post(reverse("liaison:plan_feed_manage"), data)
    assert response.status_code == 200
    # answered with the calendar page itself: its month links still lead to the calendar
    assert f'href="{reverse("liaison:my_calendar")}?month=' in response.content.decode()
    return response.context["feed_url"]


def test_the_address_is_shown_once_and_read_without_login(future, staff_client):
    future.expert.phone = "13800001111"
    future.expert.save()
    future.plan(D(future.year.year, 4, 1))
    url = make_feed(staff_client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(staff=future.member)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in staff_client.get(reverse("liaison:my_calendar")).content.decode()  # shown once
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(e["summary"]) for e in events(response.content)] == [f"调查了解：{future.expert.name}"]
    assert "13800001111" not in response.content.decode()


def test_a_new_address_or_stopping_empties_the_old_one(future, staff_client):
    future.plan(D(future.year.year, 4, 1))
    first = make_feed(staff_client)
    second = make_feed(staff_client)
    assert first != second
    assert events(Client().get(first).content) == []
    assert len(events(Client().get(second).content)) == 1
    staff_client.post(reverse("liaison:plan_feed_manage"), {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    assert events(Client().get(second).content) == []


def test_a_token_naming_nobody_is_an_empty_calendar(db):
    response = Client().get(reverse("liaison:plan_feed", args=["x" * 500]))
    assert response.status_code == 200
    assert events(response.content) == []


def test_an_inactive_persons_feed_is_empty(future, staff_client):
    future.plan(D(future.year.year, 4, 1))
    url = make_feed(staff_client)
    future.member.is_active = False
    future.member.save()
    assert events(Client().get(url).content) == []


def test_only_for_ones_own_calendar(future, outsider_client, leader_client):
    assert outsider_client.post(reverse("liaison:plan_feed_manage")).status_code == 404
    assert leader_client.get(reverse("liaison:plan_feed_manage")).status_code == 405
    page = leader_client.get(reverse("liaison:person_calendar", args=[future.member.pk]))
    assert "订阅到手机日历" not in page.content.decode()  # another's calendar offers no subscription
