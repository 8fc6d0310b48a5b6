"""Merging two records of one scientist (experts/duplicates) when both were nominated to the same award.

A nomination is once per award and scientist, so the generic merge keeps the kept record's nomination and
deletes the absorbed one's twin (kept whole in the MergeRecord, restored by an undo). That loses nothing while
the kept nomination has gone at least as far; if the absorbed one went further — submitted, or won — the one
that stays would understate what happened, so that merge is refused, naming the awards, and the office merges
the other way round (keeping the other record), where the further nomination stays.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from awards.models import Nomination, State
from experts.models import Scientist

# How far a nomination went: the outcome of a merge keeps the one that went further.
PROGRESS = {
    State.REJECTED: 0,
    State.NOMINATED: 1,
    State.PASSED: 2,
    State.SUBMITTED: 3,
    State.NOT_AWARDED: 4,
    State.AWARDED: 5,
}


def refuse_losing_a_further_nomination(sender, kept: Scientist, absorbed: Scientist, **kwargs) -> None:
    rows = Nomination.objects.filter(scientist__in=[kept.pk, absorbed.pk]).values_list(
        "award_id", "award__year", "award__name", "scientist_id", "state"
    )
    by_award: dict[int, dict[int, str]] = {}
    names: dict[int, str] = {}
    for award_id, year, name, scientist_id, state in rows:
        by_award.setdefault(award_id, {})[scientist_id] = state
        names[award_id] = f"「{year}年度{name}」"
    lost = sorted(
        names[award_id]
        for award_id, states in by_award.items()
        if len(states) == 2 and PROGRESS[states[absorbed.pk]] > PROGRESS[states[kept.pk]]
    )
    if lost:
        raise ValidationError(
            f"两条记录都被推荐参评{'、'.join(lost)}，被合并记录的推荐进展更靠后（如已报送或获奖），"
            "这样合并会删去它。请改为保留另一条记录再合并。"
        )
