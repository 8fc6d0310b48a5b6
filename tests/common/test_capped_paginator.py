"""common.views.CappedPaginator: pages over the first `cap` rows, counting no further than cap + 1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.views import CappedPaginator
from experts.models import Scientist
from tests.factories import ScientistFactory


@pytest.fixture
def five(db):
    for name in ("甲一", "乙二", "丙三", "丁四", "戊五"):
        ScientistFactory(name=name)
    return Scientist.objects.order_by("name_pinyin", "id")


def test_more_rows_than_the_cap(five):
    paginator = CappedPaginator(five, 2, cap=3)
    assert paginator.count == 3
    assert paginator.capped
    assert paginator.num_pages == 2
    # bingsan, dingsi, jiayi | wuwu, yier are past the cap
    assert [s.name for s in paginator.page(1)] == ["丙三", "丁四"]
    assert [s.name for s in paginator.page(2)] == ["甲一"]
    assert [s.name for s in paginator.get_page(9)] == ["甲一"]


@pytest.mark.parametrize("cap", [5, 6, 100])
def test_no_more_rows_than_the_cap(five, cap):
    paginator = CappedPaginator(five, 2, cap=cap)
    assert paginator.count == 5
    assert not paginator.capped
    assert paginator.num_pages == 3


def test_counts_once_with_a_limit(five):
    paginator = CappedPaginator(five, 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "LIMIT 4" in sql
    assert "ORDER BY" not in sql
