"""Who a survey is sent to (issue 20 §1): the year's team targets (chosen teams or all) or the whole registry,
narrowed by talent category, organisation (employer or grassroots association, by name) and county."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from experts.models import Scientist
from liaison.models import Assignment
from surveys.models import Survey


def candidates(survey: Survey, chosen: dict) -> QuerySet[Scientist]:
    """The active scientists the filters name who are not yet invited to the survey (`chosen`: SendForm's
    cleaned data)."""
    found = Scientist.objects.active()
    if chosen.get("source", "targets") == "targets":
        targets = Assignment.objects.filter(
            team__year__year=survey.year, end_date__isnull=True, scientist__isnull=False
        )
        if chosen.get("teams"):
            targets = targets.filter(team__in=chosen["teams"])
        found = found.filter(pk__in=targets.values("scientist_id"))
    if chosen.get("categories"):
        found = found.filter(category__in=chosen["categories"])
    text = (chosen.get("organization") or "").strip()
    if text:
        found = found.filter(Q(employer__icontains=text) | Q(organization__name__icontains=text))
    county = chosen.get("county")
    if county is not None:
        found = found.filter(Q(organization=county) | Q(organization__county=county))
    return found.exclude(pk__in=survey.invitations.values("scientist_id"))
