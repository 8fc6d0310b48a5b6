"""The dashboard's "科技工作者之家 已建成 X / Y" with 联系点 / 示范点 (reports/dashboard), read through
homes/status.py, on the hand-built case: 4 of 8 complete in 2026, one 联系点, one 示范点."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from homes.models import Point
from tests.conftest import count_queries, listed
from tests.homes.factories import build_world, designate, mark, place
from tests.liaison.plan.factories import make_year

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture
def world():
    make_year(2026)
    return build_world()


def figure(text: str, testid: str) -> tuple[str, str]:
    """The link and the number of a figure on the page."""
    match = re.search(rf'href="([^"]+)" data-testid="{testid}">(?:<span[^>]*>)?([^<]+)<', text)
    return match.group(1).replace("&amp;", "&"), match.group(2).strip()


def test_the_figure_and_its_lists(liaison_client, world):
    text = liaison_client.get(URL, {"year": 2026}).content.decode()
    assert "科技工作者之家 已建成" in text
    complete_url, complete = figure(text, "stat-homes")
    total_url, total = figure(text, "stat-homes-total")
    contact_url, contact = figure(text, "stat-contact-points")
    demo_url, demo = figure(text, "stat-demo-points")
    assert (complete, total, contact, demo) == ("4", "8", "联系点 1", "示范点 1")
    # each number opens the list of what it counts
    assert listed(liaison_client.get(complete_url)) == {
        "一街道科协",
        "一社区科协",
        "甲区电子企业科协",
        "化工学会",
    }
    assert len(liaison_client.get(total_url).context["page"].paginator.object_list) == 8
    assert listed(liaison_client.get(contact_url)) == {"一街道科协"}
    assert listed(liaison_client.get(demo_url)) == {"一社区科协"}


def test_another_year(leader_client, world):
    make_year(2025)
    text = leader_client.get(URL, {"year": 2025}).content.decode()
    assert figure(text, "stat-homes")[1] == "1"  # 甲区科协
    assert figure(text, "stat-contact-points")[1] == "联系点 2"


def test_the_figure_costs_the_same_queries_at_any_size(liaison_client, world):
    count_queries(liaison_client, URL, {"year": 2026})  # the first read of a year builds its stored figures
    first = count_queries(liaison_client, URL, {"year": 2026})
    for i in range(25):
        town = place(f"新{i}镇科协", "township", world["B"])
        mark(town, 2026, list(Point)[: i % 6])
        designate(town, "demo_point", 2026)
    assert count_queries(liaison_client, URL, {"year": 2026}) == first
    text = liaison_client.get(URL, {"year": 2026}).content.decode()
    # i % 6 == 5 for i = 5, 11, 17, 23: four more complete homes
    assert figure(text, "stat-homes")[1] == "8"
    assert figure(text, "stat-homes-total")[1] == "33"
