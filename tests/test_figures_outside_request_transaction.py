"""The pages that refresh the stored team figures run outside the request's transaction (issue 17 §6).

Refreshing takes row locks on the year's totals and the teams' figures (liaison/compliance/team_figures.py).
Inside ATOMIC_REQUESTS those locks were held until the page had been rendered, so under load every other
page that refreshed figures, and every record saved for those teams, queued behind it (seconds: the load
test's dashboards waited 3 s a request on the lock). These views are marked non-atomic, so the refresh
commits at once."""

from __future__ import annotations

import pytest
from django.urls import resolve

PAGES = [
    "/reports/dashboard/",
    "/reports/years/2026/review/",
    "/reports/years/2026/review.json",
    "/liaison/years/2026/",
    "/liaison/teams/1/",
    "/liaison/my-teams/",
]


@pytest.mark.parametrize("url", PAGES)
def test_figure_pages_do_not_hold_the_request_transaction(url):
    assert resolve(url).func._non_atomic_requests == {"default"}


def test_pages_that_write_stay_in_the_request_transaction():
    for url in ("/liaison/records/new/", "/liaison/records/1/edit/", "/liaison/teams/1/edit/"):
        assert not getattr(resolve(url).func, "_non_atomic_requests", set())
