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


def test_two_step_pages_keep_the_order_and_the_joined_rows(db):
    from common.views import TwoStepPaginator
    from tests.factories import OrganizationFactory

    society = OrganizationFactory(name="辽川市化工学会")
    for name in ("甲一", "乙二", "丙三", "丁四", "戊五"):
        ScientistFactory(name=name, organization=society if name in ("丁四", "甲一") else None)
    listed = Scientist.objects.select_related("organization").order_by("name_pinyin", "id")
    paginator = TwoStepPaginator(listed, 2)
    # bingsan, dingsi | jiayi, wuwu | yier
    pages = [
        [(s.name, s.organization.name if s.organization else None) for s in paginator.page(n)]
        for n in (1, 2, 3)
    ]
    assert pages == [
        [("丙三", None), ("丁四", "辽川市化工学会")],
        [("甲一", "辽川市化工学会"), ("戊五", None)],
        [("乙二", None)],
    ]
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        names = [s.organization.name for s in page if s.organization]
    assert names == ["辽川市化工学会"]  # joined in the second step: no query per row
    assert len(queries.captured_queries) == 2  # the page's ids, then its rows
    # a values queryset, or a plain list, is paged in one step as Django does
    assert list(TwoStepPaginator(listed.values_list("name", flat=True), 2).page(3)) == ["乙二"]
    assert list(TwoStepPaginator(["a", "b", "c"], 2).page(2)) == ["c"]
