"""The request that changed a team's figures recomputes them once its response is out
(liaison/compliance/after_response.py): the next reader finds them current; a refused save, a write outside
a request and a rolled-back write leave nothing to do."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from liaison.models import ContactRecord, TeamFigures
from liaison.plan import services as plans
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit must really run

TODAY = timezone.localdate()


@pytest.fixture
def setting(dept_staff):
    team = make_team(make_year(TODAY.year), make_leader("王主席"), members=[dept_staff])
    scientist = ScientistFactory(name="单志强")
    plans.assignment_add(team=team, by=None, scientist=scientist)
    return team, scientist


def _post(team, scientist, summary: str) -> dict:
    return {
        "team": team.pk,
        "date": TODAY.isoformat(),
        "method": "survey",
        "channel": "visit",
        "grassroots": "on",
        "summary": summary,
        "targets": [f"sci:{scientist.pk}"],
        "demands-TOTAL_FORMS": "0",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "10",
    }


def figures(team) -> TeamFigures:
    return TeamFigures.objects.get(team=team)


def test_a_saved_record_leaves_its_team_current_with_the_new_count(staff_client, setting):
    team, scientist = setting
    before = figures(team).version
    response = staff_client.post(reverse("liaison:record_create"), _post(team, scientist, "了解实验室建设"))
    assert response.status_code == 302
    stored = figures(team)
    assert stored.version > before  # the write bumped it …
    assert stored.is_current  # … and the request recomputed it after answering
    assert (stored.assigned, stored.uncontacted, stored.visits) == (1, 0, 1)


def test_a_refused_save_and_a_write_outside_a_request_leave_the_figures_to_the_next_reader(
    staff_client, dept_staff, setting
):
    team, scientist = setting
    staff_client.get(reverse("liaison:my_work"))  # any page: nothing pending
    response = staff_client.post(reverse("liaison:record_create"), _post(team, scientist, ""))
    assert response.status_code == 200  # 情况摘要 is required: nothing saved
    assert not ContactRecord.objects.exists()
    log(team, dept_staff, [scientist], day=TODAY)  # a service call, as a job or a command makes
    assert not figures(team).is_current


def test_a_rolled_back_write_refreshes_nothing(setting, dept_staff):
    from django.core.signals import request_finished, request_started

    team, scientist = setting
    computed = figures(team).computed_version  # not computed yet: nobody has read them

    def write_then_fail() -> None:
        with transaction.atomic():
            log(team, dept_staff, [scientist], day=TODAY)
            raise RuntimeError

    request_started.send(sender=None)
    with pytest.raises(RuntimeError):
        write_then_fail()
    request_finished.send(sender=None)
    assert not ContactRecord.objects.exists()
    assert figures(team).computed_version == computed  # no recompute was left behind by the rollback
