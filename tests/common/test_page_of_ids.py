"""common.views.page_of_ids: a page of a list's keys and the total, read by one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from common.views import page_of_ids
from experts.models import Scientist
from tests.factories import ScientistFactory

NAMES = {"甲一": "jiayi", "乙二": "yier", "丙三": "bingsan", "丁四": "dingsi", "戊五": "wuwu"}


@pytest.fixture
def five(db):
    people = {name: ScientistFactory(name=name).pk for name in NAMES}
    # in pinyin order: bingsan, dingsi, jiayi, wuwu, yier
    return Scientist.objects.order_by("name_pinyin", "id"), people


def page(queryset, number=None, per_page=2):
    request = RequestFactory().get("/", {} if number is None else {"page": number})
    return page_of_ids(request, queryset, per_page)


def test_a_page_of_keys_in_order_with_the_total_in_one_query(five):
    queryset, people = five
    with CaptureQueriesContext(connection) as queries:
        second = page(queryset, 2)
    assert len(queries.captured_queries) == 1
    assert list(second.object_list) == [people["甲一"], people["戊五"]]
    assert (second.number, second.paginator.count, second.paginator.num_pages) == (2, 5, 3)
    assert second.has_previous()
    assert second.has_next()


def test_a_page_past_the_end_gives_the_last_page(five):
    queryset, people = five
    last = page(queryset, 9)
    assert (last.number, list(last.object_list), last.paginator.count) == (3, [people["乙二"]], 5)


@pytest.mark.parametrize("number", ["abc", "0", "-3", ""])
def test_a_page_number_that_is_no_page_gives_the_first(five, number):
    queryset, people = five
    first = page(queryset, number)
    assert (first.number, list(first.object_list)) == (1, [people["丙三"], people["丁四"]])


def test_an_empty_list(db):
    empty = page(Scientist.objects.none().order_by("id"), 4)
    assert (empty.number, list(empty.object_list), empty.paginator.count) == (1, [], 0)
