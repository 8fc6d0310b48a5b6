"""Demo of the third layer (面, seed 000 §五.3): grassroots accounts and this year's filings (备案) in every
state, and scientists the association keeps in touch with three ways (点、线、面).

- 基层账号: three organisations file on their own logins (demo.data.GRASSROOTS_LOGINS, password kexie2026,
  no change asked at first login, printed by `seed_demo` with the other demo logins);
- filings: most organisations sent their division to the office as a spreadsheet, which the office imported
  (the 备案 sheet, through the workbook importer, as `manage.py import_workbook` does) and confirmed; one was
  filed by the office on the organisation's behalf; the three with accounts filed themselves: one revised
  after it was confirmed (two revisions), one with a scientist it proposes as new (pending), one sent back
  with the office's comment; two are drafts not yet filed;
- three scientists who are targets of a leader team and are on a grassroots officer's line are also given to
  a department team (with a visit recorded, so the team still contacts every target): linked three ways.

Every write goes through liaison/filing/services.py, the importer, or the plan and contact services' rows as
demo/plan.py writes them. Deterministic (sorted inputs, seeded choices) and idempotent: nothing is written
when the year has filings already.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from demo.data import DEMO_PASSWORD, GRASSROOTS_LOGINS, Tally
from experts.models import Scientist
from liaison.compliance import categories
from liaison.contacts import services as contacts
from liaison.filing import services as filings
from liaison.models import (
    Assignment,
    ContactRecord,
    Filing,
    GrassrootsAccount,
    Team,
    TeamKind,
    Year,
)
from orgs.models import Officer, OfficerPost, Organization, Tenure
from reports.workbook.exports import Table, write_workbook
from reports.workbook.imports import import_workbook
from reports.workbook.imports.format import FILINGS, headers

# Sent in as spreadsheets and imported by the office; the first four then confirmed.
IMPORTED_CONFIRMED = ["清源县科协", "辽川理工大学科协", "辽川医科大学科协", "辽川中医药大学科协"]
IMPORTED_FILED = ["辽川市医学会", "石门镇科协"]
ON_BEHALF = "辽川市农业科学院科协"  # filed by the office for an organisation that does not log in
DRAFTS = ["红旗镇科协", "辽川建筑大学科协"]  # started, not filed
REVISED, PROPOSING, SENT_BACK = (org for _username, org, _holder in GRASSROOTS_LOGINS)
SEND_BACK_COMMENT = "请补充兼职副主席的联系分工；每位负责人联系的科技工作者请核实工作单位后再报备。"
PROPOSED = {
    "name": "宋雨桐",
    "employer": "辽川大学",
    "title": "讲师",
    "category": "young",
    "notes": "本校新引进的青年教师，从事储能材料研究，尚未录入市科协名册。",
}
THREE_WAY = 3  # scientists linked by a leader team, a department team and a grassroots officer


def seed_grassroots_accounts(tally: Tally) -> list[dict[str, Any]]:
    """The demo's 基层账号, with the demo password set on every run (as seed_logins does for the others)."""
    users = get_user_model().objects
    logins = []
    for username, org_name, holder in GRASSROOTS_LOGINS:
        organization = Organization.objects.get(name=org_name)
        user, created = users.get_or_create(username=username, defaults={"first_name": holder})
        account = GrassrootsAccount.objects.filter(user=user).first()
        if account is None:
            GrassrootsAccount.objects.create(
                user=user, organization=organization, holder=holder, must_change_password=False
            )
            tally.created += 1
        elif (account.organization_id, account.holder, account.must_change_password) != (
            organization.pk,
            holder,
            False,
        ):
            account.organization, account.holder, account.must_change_password = organization, holder, False
            account.save()
            tally.updated += 1
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        logins.append(
            {"username": username, "password": DEMO_PASSWORD, "organization": org_name, "holder": holder}
        )
    return logins


def seed_demo_filings(*, year: int, office: User | None) -> dict[str, int]:
    """This year's filings in every state and the three-way links. Must run inside the caller's transaction,
    after the plan (demo/plan.py) and the grassroots accounts."""
    created = {"filings": 0, "lines": 0, "three_way": 0}
    the_year = Year.objects.filter(year=year).first()
    if the_year is None or Filing.objects.filter(year=the_year).exists():
        return created
    leader_targets = set(
        Assignment.objects.in_force_at_year_end()
        .filter(team__year=the_year, team__kind=TeamKind.LEADER, scientist__isnull=False)
        .values_list("scientist_id", flat=True)
    )
    orgs = {o.name: o for o in Organization.objects.filter(name__in=_named_organizations())}
    accounts = {
        a.organization.name: a.user for a in GrassrootsAccount.objects.select_related("organization", "user")
    }

    # Imported from the spreadsheets the organisations sent in: the 备案 sheet, as the office would.
    rows = []
    for name in IMPORTED_CONFIRMED + IMPORTED_FILED:
        for line in division(orgs[name], leader_targets):
            rows.append(_sheet_row(year, line))
    buffer = io.BytesIO()
    write_workbook([Table(FILINGS, headers(FILINGS), rows)], buffer)
    result = import_workbook(buffer.getvalue(), by=office)
    if result.problems:
        raise RuntimeError("演示备案导入失败：" + "；".join(str(p) for p in result.problems[:5]))
    for filing in Filing.objects.filter(year=the_year, organization__name__in=IMPORTED_CONFIRMED):
        filings.confirm_revision(filing.in_force, office)

    # Filed by the office on behalf of an organisation that does not log in.
    filings.file_lines(orgs[ON_BEHALF], the_year, division(orgs[ON_BEHALF], leader_targets), office)

    # Filed by the organisations themselves.
    org, user = orgs[REVISED], accounts[REVISED]
    lines = division(org, leader_targets)
    first = _file(org, the_year, lines[:-1], user)
    filings.confirm_revision(first, office)
    draft = filings.open_draft(first.filing, user)  # 修订: a scientist added after the filing was confirmed
    filings.add_line(draft, lines[-1])
    filings.file_revision(draft, user)

    org, user = orgs[PROPOSING], accounts[PROPOSING]
    filing = filings.filing_for(org, the_year, user)
    draft = filings.open_draft(filing, user)
    for line in division(org, leader_targets):
        filings.add_line(draft, line)
    proposal = filings.propose_scientist(org, user, **PROPOSED)
    secretary = _officers(org)[-1]
    filings.add_line(draft, filings.Line(secretary, proposal=proposal))
    filings.file_revision(draft, user)

    org, user = orgs[SENT_BACK], accounts[SENT_BACK]
    revision = _file(org, the_year, division(org, leader_targets), user)
    filings.send_back(revision, office, SEND_BACK_COMMENT)

    # Drafts not yet filed.
    for name in DRAFTS:
        filing = filings.filing_for(orgs[name], the_year, office)
        draft = filings.open_draft(filing, office)
        for line in division(orgs[name], leader_targets)[:2]:
            filings.add_line(draft, line)

    created["filings"] = Filing.objects.filter(year=the_year).count()
    created["lines"] = sum(len(f.in_force.entries.all()) for f in _in_force(the_year))
    created["three_way"] = link_three_ways(the_year, leader_targets, office)
    return created


def _named_organizations() -> list[str]:
    accounts = [org for _username, org, _holder in GRASSROOTS_LOGINS]
    return [*IMPORTED_CONFIRMED, *IMPORTED_FILED, ON_BEHALF, *DRAFTS, *accounts]


def _in_force(year: Year) -> Iterable[Filing]:
    return (
        Filing.objects.filter(year=year, in_force__isnull=False)
        .select_related("in_force")
        .prefetch_related("in_force__entries")
    )


def _file(org: Organization, year: Year, lines: list[filings.Line], by: User) -> Any:
    draft = filings.open_draft(filings.filing_for(org, year, by), by)
    for line in lines:
        filings.add_line(draft, line)
    return filings.file_revision(draft, by)


def _officers(org: Organization) -> list[Officer]:
    """The officers who file lines: the four 长 and other part-time vice-chairs are among them."""
    return list(org.officers.order_by("order", "id"))


def division(org: Organization, leader_targets: set[int]) -> list[filings.Line]:
    """A plausible division for an organisation: its officers in turn, each with scientists of the
    organisation (for a county or township also of those under it; for a society, scientists of its field's
    universities and hospitals), leader-team targets first so that some are linked more than one way."""
    officers = _officers(org)
    own = Scientist.objects.filter(is_active=True).filter(
        Q(organization=org) | Q(organization__parent=org) | Q(organization__county=org)
    )
    pool = sorted(own, key=lambda s: (s.pk not in leader_targets, s.name_pinyin, s.pk))
    if not pool:  # a society: members work elsewhere
        others = list(Scientist.objects.filter(is_active=True).order_by("name_pinyin", "id"))
        pool = random.Random(f"demo-filing-{org.name}").sample(others, k=min(6, len(others)))
    wanted = min(len(pool), 2 * len(officers), 6)
    return [filings.Line(officers[i % len(officers)], scientist=pool[i]) for i in range(wanted)]


def _sheet_row(year: int, line: filings.Line) -> list[Any]:
    officer, scientist = line.officer, line.scientist
    tenure = Tenure(officer.tenure).label if officer.tenure else ""
    return [
        year,
        officer.organization.name,
        officer.name,
        OfficerPost(officer.post).label,
        tenure,
        scientist.name,
        scientist.employer,
    ]


def link_three_ways(year: Year, leader_targets: set[int], office: User | None) -> int:
    """Give a few scientists who are leader-team targets and on a grassroots line in force to a department
    team too, with a visit of that team recorded (so the team has contacted every target it holds)."""
    on_lines = set(filings.lines_in_force(year).values_list("scientist_id", flat=True))
    chosen = list(
        Scientist.objects.filter(pk__in=on_lines & leader_targets).order_by("name_pinyin", "id")[:THREE_WAY]
    )
    teams = list(
        Team.objects.filter(year=year, kind=TeamKind.DEPARTMENT)
        .select_related("lead")
        .order_by("lead__department__order", "id")[: len(chosen)]
    )
    day = min(datetime.date(year.year, 3, 20), timezone.localdate())
    linked = 0
    for scientist, team in zip(chosen, teams, strict=False):
        if Assignment.objects.filter(team=team, scientist=scientist).exists():
            continue
        Assignment.objects.create(
            team=team,
            scientist=scientist,
            category=categories.default_category(scientist=scientist),
            start_date=year.first_day,
            created_by=office,
            note="学会学术活动需要，部室专班同时联系。",
        )
        contacts.record_save(
            record=ContactRecord(
                team=team,
                date=max(day, year.first_day),
                method="survey",
                channel="visit",
                grassroots=False,
                place=scientist.employer,
                summary=f"到{scientist.employer}走访{scientist.name}，了解科研团队建设和学术交流需求。",
                topics=["policy", "advice"],
                author=team.lead,
            ),
            targets=[scientist],
            participants=[team.lead],
        )
        linked += 1
    return linked
