"""The demo's 举荐 (issue 20 §2): two awards of the demo year and eight nominations in every state, seven
from teams and one from the grassroots account hepingqu, all written through awards/services.py.

Deterministic and idempotent: awards are found by name and year, a nomination by award and scientist; a
second run creates nothing."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from awards import services
from awards.models import Award, Nomination, State
from liaison.models import Assignment, GrassrootsAccount, Team

# (name, body, quota, description)
AWARDS = [
    (
        "辽川市青年科技奖",
        "中共辽川市委组织部",
        5,
        "表彰在科研与成果转化中作出突出贡献的 40 周岁以下科技工作者。",
    ),
    ("辽川市优秀科技工作者", "辽川市人力资源和社会保障局", 10, "表彰长期扎根一线、成绩突出的科技工作者。"),
]
# (award index, the steps after 推荐) for the team nominations, in the order of the teams' scientists
TEAM_NOMINATIONS = [
    (0, []),
    (0, [State.PASSED]),
    (0, [State.REJECTED]),
    (0, [State.PASSED, State.SUBMITTED]),
    (1, [State.PASSED, State.SUBMITTED, State.AWARDED]),
    (1, [State.PASSED, State.SUBMITTED, State.AWARDED]),
    (1, [State.PASSED, State.SUBMITTED, State.NOT_AWARDED]),
]
REASONS = [
    "长期从事农业技术推广，带动周边农户增收，成果获省级科技进步奖。",
    "主持完成多项企业技术攻关项目，成果已在本市三家企业转化应用。",
    "扎根基层医疗一线二十年，牵头建立县域远程会诊网络。",
]
GRASSROOTS_USERNAME = "hepingqu"


def seed_demo_awards(*, year: int, office: User | None) -> dict[str, int]:
    """Awards of `year` and their nominations; returns how many of each were created."""
    created = {"awards": 0, "nominations": 0}
    awards = []
    for name, body, quota, description in AWARDS:
        award = Award.objects.filter(name=name, year=year).first()
        if award is None:
            # open until the year's end while the demo nominates; the second award closes afterwards
            award = services.award_save(
                Award(
                    name=name,
                    body=body,
                    year=year,
                    quota=quota,
                    deadline=datetime.date(year, 12, 31),
                    description=description,
                )
            )
            created["awards"] += 1
        awards.append(award)
    teams = list(Team.objects.filter(year__year=year).select_related("lead__user").order_by("id"))
    if not teams:
        return created
    scientists = list(
        Assignment.objects.filter(team__in=teams, scientist__isnull=False, scientist__is_active=True)
        .select_related("scientist", "team__lead__user", "team__year")
        .order_by("team_id", "id")
    )
    used: set[int] = set()
    picked = []
    for (
        assignment
    ) in scientists:  # one scientist per team in turn, so the nominations come from several teams
        if assignment.scientist_id in used or any(a.team_id == assignment.team_id for a in picked[-1:]):
            continue
        used.add(assignment.scientist_id)
        picked.append(assignment)
        if len(picked) == len(TEAM_NOMINATIONS):
            break
    for i, (assignment, (index, steps)) in enumerate(zip(picked, TEAM_NOMINATIONS, strict=False)):
        award = awards[index]
        if Nomination.objects.filter(award=award, scientist=assignment.scientist).exists():
            continue
        nomination = services.nominate(
            award=award,
            scientist=assignment.scientist,
            team=assignment.team,
            by=assignment.team.lead.user,
            reason=REASONS[i % len(REASONS)],
        )
        created["nominations"] += 1
        for state in steps:
            note = "材料齐全，同意报送" if state == State.PASSED else ""
            nomination = services.move(nomination=nomination, to_state=state, by=office, note=note)
    account = (
        GrassrootsAccount.objects.select_related("organization", "user")
        .filter(user__username=GRASSROOTS_USERNAME)
        .first()
    )
    if account is not None:
        candidate = (
            Assignment.objects.filter(scientist__isnull=False, scientist__is_active=True, team__in=teams)
            .exclude(scientist_id__in=Nomination.objects.values("scientist_id"))
            .exclude(scientist_id__in=used)
            .order_by("-id")
            .first()
        )
        if (
            candidate is not None
            and not Nomination.objects.filter(organization=account.organization).exists()
        ):
            services.nominate(
                award=awards[0],
                scientist=candidate.scientist,
                organization=account.organization,
                by=account.user,
                reason="本区优秀青年科技人才，牵头完成社区科普示范项目。",
            )
            created["nominations"] += 1
    # the second award's nominations are over: its deadline passed (a fixed day of the demo year)
    Award.objects.filter(pk=awards[1].pk).update(deadline=datetime.date(year, 10, 31))
    return created
