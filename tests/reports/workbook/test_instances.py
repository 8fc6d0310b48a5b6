"""reports/workbook/imports/instances.py: an object built from values in field order is the object the
keyword constructor builds."""

from __future__ import annotations

import datetime

import pytest

from liaison.models import ContactRecord, RecordStatus
from reports.workbook.imports.instances import Instances
from tests.factories import StaffFactory
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_same_record_as_the_keyword_constructor():
    team = make_team(make_year(2026), make_leader("王主席", "wangzhuxi"))
    author = StaffFactory(name="赵磊")
    given = {
        "team": team,
        "date": datetime.date(2026, 3, 5),
        "method": "survey",
        "topics": ["difficulties"],
        "summary": "走访。",
        "author": author,
        "status": RecordStatus.DONE,
    }
    built = Instances(ContactRecord)(**given)
    expected = ContactRecord(**given)
    assert values(built) == values(expected)
    # the related objects are cached as assigning them caches them: reading them costs no query
    assert built.team is team
    assert built.author is author
    assert built.team_id == team.pk
    assert built.pk is None
    assert built._state.adding


def test_a_callable_default_is_fresh_for_each_object():
    build = Instances(ContactRecord)
    first, second = build(summary="一"), build(summary="二")
    assert first.topics == second.topics == []
    first.topics.append("difficulties")
    assert second.topics == []
    assert (first.summary, second.summary, first.status) == ("一", "二", ContactRecord().status)
