"""The record export reads its records in chunks that never split a team's day, and each chunk's targets,
participants and demands by the chunk's range (reports/workbook/exports.py, record_table): whatever the
chunk size, the same rows; and the queries grow with the chunks, not with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import ContactRecord, Year
from reports.workbook import exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(seeded_once, db) -> Year:
    return Year.objects.order_by("-year").first()


def rows(year: Year) -> list[list]:
    return list(exports.record_table(year).rows)


def test_every_chunk_size_gives_the_same_rows(year, monkeypatch):
    whole = rows(year)  # CHUNK = 2000: the demo's year in one chunk
    records = ContactRecord.objects.completed().filter(team__year=year)
    assert len(whole) == records.count() > 700
    # the demo has teams with several records on one day, so chunks of 1 and 2 must keep them together
    keys = list(records.order_by("date", "team__name", "id").values_list("date", "team__name"))
    assert len(set(keys)) < len(keys)
    assert sum(1 for row in whole if row[4]) == len(whole)  # every record names its targets
    assert any(row[9] for row in whole)  # and some have demands
    for size in (1, 2, 7, 100):
        monkeypatch.setattr(exports, "CHUNK", size)
        assert rows(year) == whole, size


def test_queries_grow_with_the_chunks_not_the_rows(year, monkeypatch):
    records = ContactRecord.objects.completed().filter(team__year=year)
    keys = len(set(records.values_list("date", "team__name")))
    monkeypatch.setattr(exports, "CHUNK", 100)
    with CaptureQueriesContext(connection) as captured:
        n = len(rows(year))
    chunks = -(-n // 100)  # about one chunk per 100 rows: a team's day is never cut, so a few more rows each
    # namesakes, the records (one query, or one per CHUNK rows of a server-side cursor), 3 per chunk
    assert len(captured) <= 2 + 2 * chunks + 3 * chunks
    assert len(captured) < n / 10
    assert keys > chunks
