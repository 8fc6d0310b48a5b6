"""Merging two records of one scientist who were both nominated to the same award (awards/merging.py): the
merge keeps the kept record's nomination and deletes the other's twin, so it is refused when the other went
further (submitted, won), and goes through — the twin kept for the undo — when it did not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from awards.models import Nomination, State
from experts.duplicates import services as duplicates
from tests.awards.factories import make_award, nominated
from tests.factories import ScientistFactory
from tests.liaison.plan.factories import make_team, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(liaison_officer):
    team = make_team(make_year(2026))
    kept = ScientistFactory(name="王建", employer="沈阳化工研究院")
    absorbed = ScientistFactory(name="王建", employer="沈阳化工研究院有限公司")
    award = make_award()
    return {"team": team, "kept": kept, "absorbed": absorbed, "award": award, "office": liaison_officer.user}


def test_a_merge_that_would_drop_an_award_won_is_refused_and_changes_nothing(pair):
    by = pair["team"].lead.user
    nominated(pair["award"], team=pair["team"], by=by, scientist=pair["kept"])
    won = nominated(
        pair["award"],
        team=pair["team"],
        by=by,
        scientist=pair["absorbed"],
        steps=("passed", "submitted", "awarded"),
        office=pair["office"],
    )
    with pytest.raises(ValidationError, match="「2026年度青年科技奖」.*请改为保留另一条记录"):
        duplicates.merge(kept=pair["kept"], absorbed=pair["absorbed"], by=pair["office"])
    won.refresh_from_db()
    assert (won.scientist_id, won.state) == (pair["absorbed"].pk, State.AWARDED)
    assert Nomination.objects.count() == 2

    # the other way round keeps the award: the absorbed record's plain nomination is the one set aside
    record = duplicates.merge(kept=pair["absorbed"], absorbed=pair["kept"], by=pair["office"])
    assert list(Nomination.objects.values_list("scientist_id", "state")) == [(pair["absorbed"].pk, "awarded")]
    assert record.deleted_count == 2  # the nomination and its first step, kept for the undo


def test_when_the_kept_nomination_went_as_far_the_merge_goes_through(pair):
    by = pair["team"].lead.user
    nominated(
        pair["award"],
        team=pair["team"],
        by=by,
        scientist=pair["kept"],
        steps=("passed",),
        office=pair["office"],
    )
    nominated(
        pair["award"],
        team=pair["team"],
        by=by,
        scientist=pair["absorbed"],
        steps=("passed",),
        office=pair["office"],
    )
    duplicates.merge(kept=pair["kept"], absorbed=pair["absorbed"], by=pair["office"])
    assert list(Nomination.objects.values_list("scientist_id", "state")) == [(pair["kept"].pk, "passed")]


def test_nominations_to_different_awards_both_move_to_the_kept_record(pair):
    by = pair["team"].lead.user
    other = make_award(name="科技创新奖")
    nominated(pair["award"], team=pair["team"], by=by, scientist=pair["kept"])
    nominated(
        other,
        team=pair["team"],
        by=by,
        scientist=pair["absorbed"],
        steps=("passed", "submitted", "awarded"),
        office=pair["office"],
    )
    duplicates.merge(kept=pair["kept"], absorbed=pair["absorbed"], by=pair["office"])
    assert sorted(Nomination.objects.values_list("award__name", "scientist_id")) == [
        ("科技创新奖", pair["kept"].pk),
        ("青年科技奖", pair["kept"].pk),
    ]
