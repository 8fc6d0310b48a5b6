"""Demo of the duplicates finder (issue 20 §4): three pairs of records that look like one person each, each
record with some history, so that the finder lists them and the merge page has something to move:

- 孙立新 / 孙新: the same mobile number (one was typed short);
- 周文博 twice: the same name at the same employer, written with a space once, and the same birth date;
- 李静怡 / 李静仪: the same pinyin, at similar employers (the hospital, and a department of it).

The first of each pair is a target of the first team of the year; the second is named on a contact record of
the second team. Deterministic and idempotent: nothing is written when the first record exists already.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from experts.models import Scientist, TalentCategory
from liaison.contacts import services as contacts
from liaison.models import ContactRecord, Team
from liaison.plan import services as plans
from orgs.models import Organization

PAIRS = [
    (
        {"name": "孙立新", "employer": "辽川市中心医院", "mobile": "13904110017", "title": "主任医师"},
        {"name": "孙新", "employer": "辽川市中心医院急诊科", "mobile": "13904110017"},
    ),
    (
        {"name": "周文博", "employer": "辽川理工大学", "birth_date": datetime.date(1979, 4, 12)},
        {
            "name": "周文博",
            "employer": "辽川 理工大学",
            "birth_date": datetime.date(1979, 4, 12),
            "title": "教授",
        },
    ),
    (
        {"name": "李静怡", "employer": "辽川市第一人民医院", "gender": "F"},
        {"name": "李静仪", "employer": "辽川市第一人民医院心内科", "mobile": "13804110093"},
    ),
]


def seed_demo_duplicates(*, year: int, by: User | None) -> int:
    """Create the three pairs (inside the caller's transaction); the number of records created."""
    if Scientist.objects.filter(name=PAIRS[0][0]["name"], employer=PAIRS[0][0]["employer"]).exists():
        return 0
    teams = list(Team.objects.filter(year__year=year).exclude(members=None).order_by("id")[:2])
    created = 0
    for first, second in PAIRS:
        kept = _scientist(first)
        other = _scientist(second, like=kept)
        created += 2
        if len(teams) < 2:
            continue
        plans.assignment_add(
            team=teams[0], by=by, scientist=kept, start_date=datetime.date(year, 1, 1), note="演示：重复记录"
        )
        author = teams[1].members.order_by("id").first()
        record = ContactRecord(
            team=teams[1],
            date=datetime.date(year, 1, 15),
            method="survey",
            channel="phone",
            grassroots=False,
            summary="电话了解科研项目进展（演示：重复记录）",
            author=author,
        )
        contacts.record_save(record=record, targets=[other], participants=[author])
    return created


def _scientist(values: dict, like: Scientist | None = None) -> Scientist:
    # in the demo, an employer's association is "<employer>科协"; a department's is its hospital's
    organization = Organization.objects.filter(name=f"{values['employer'].replace(' ', '')}科协").first()
    organization = organization or (like.organization if like else None)
    scientist = Scientist(category=TalentCategory.FRONTLINE, organization=organization, **values)
    scientist.full_clean()
    scientist.save()
    return scientist
