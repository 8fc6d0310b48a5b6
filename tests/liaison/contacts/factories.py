"""Builders for contact records and demands, through the same services the pages use."""

from __future__ import annotations

import datetime

from liaison.contacts import services as contacts
from liaison.models import ContactRecord, Demand


def log(
    team,
    author,
    targets,
    *,
    day=None,
    method="survey",
    channel="visit",
    grassroots=True,
    draft=False,
    **extra,
):
    record = ContactRecord(
        team=team,
        date=day or datetime.date(team.year.year, 3, 10),
        method=method,
        channel=channel,
        grassroots=grassroots,
        summary=extra.pop("summary", "走访了解科研进展"),
        author=author,
        **extra,
    )
    return contacts.record_save(record=record, targets=list(targets), participants=[author], draft=draft)


def raise_demand(record, by, **fields):
    demand = Demand(
        record=record,
        kind=fields.pop("kind", "difficulty"),
        text=fields.pop("text", "实验室用房紧张"),
        **fields,
    )
    return contacts.demand_create(demand=demand, by=by)
