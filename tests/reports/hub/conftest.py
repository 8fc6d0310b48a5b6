"""The hub's tests run on a fixed today (2026-12-06): "this year" and "last year", the next due date and the
occasions are then worked out by hand in the tests, whatever day the suite runs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.reports.hub.factories import TODAY, build_case


@pytest.fixture(autouse=True)
def today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def case(dept_staff, today):
    return build_case(dept_staff)
