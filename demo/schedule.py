"""Demo planned contacts (工作计划): for each team of the demo year, an overdue item, one this week, one
later, and one completed by the team's latest record — so 我的工作's 本周计划, the calendars, the exports and
the digest have something to show. Idempotent: a team that has items already is left alone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from liaison.models import Assignment, ContactRecord, ContactTarget, PlannedContact, PlanStatus, Team, Year


def _people(team: Team) -> list:
    return [team.lead, *team.members.order_by("order", "id")]


@transaction.atomic
def seed_demo_schedule(*, year: int) -> int:
    """Returns how many items it created."""
    the_year = Year.objects.filter(year=year).first()
    if the_year is None:
        return 0
    today = timezone.localdate()

    def clamp(day: datetime.date) -> datetime.date:
        return min(max(day, the_year.first_day), the_year.last_day)

    created = 0
    for team in Team.objects.filter(year=the_year).select_related("lead").order_by("id"):
        if PlannedContact.objects.filter(team=team).exists():
            continue
        people = _people(team)
        targets = [
            a.target
            for a in Assignment.objects.in_force_at_year_end()
            .filter(team=team)
            .select_related("organization", "scientist")
            .order_by("id")[:3]
        ]
        if not targets:
            continue
        plans = [
            (today - datetime.timedelta(days=9), "survey", "了解科研项目进展和困难", people[-1:]),
            (today + datetime.timedelta(days=2), "symposium", "年终座谈，听取意见建议", people[:3]),
            (today + datetime.timedelta(days=12), "greeting", "春节前走访慰问", people[:2]),
        ]
        for (day, method, note, goers), target in zip(plans, targets * 3, strict=False):
            if day.year != year:
                continue
            item = PlannedContact.objects.create(
                team=team,
                date=clamp(day),
                method=method,
                note=note,
                organization=target if target.__class__.__name__ == "Organization" else None,
                scientist=target if target.__class__.__name__ == "Scientist" else None,
            )
            item.goers.set(goers)
            created += 1
        # one completed: the team's latest completed record with a target
        named = (
            ContactTarget.objects.filter(team=team, counts=True)
            .select_related("record")
            .order_by("-date", "-id")
            .first()
        )
        if named is not None:
            record: ContactRecord = named.record
            item = PlannedContact.objects.create(
                team=team,
                date=record.date,
                method=record.method,
                note="按计划完成",
                organization_id=named.organization_id,
                scientist_id=named.scientist_id,
                status=PlanStatus.DONE,
                record=record,
            )
            item.goers.set(record.participants.all()[:3] or people[:1])
            created += 1
    return created
