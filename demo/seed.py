"""`seed_demo`: the fictional 辽川市科协 (demo/data.py), loaded through the workbook importer.

The registries come from fixtures/demo_workbook.xlsx, written from demo/data.py's data by
`manage.py demo_workbook`, so the import path runs every time anyone starts the app (`make run`). What the
workbook format does not carry (department order and the 组织联络部 flag, officers, the admin account and
demo passwords) and this year's plan, records and demands (demo/plan.py: a plan for the current
year, approved, with retirements and a year of records) are written by liaison's demo code as before; then
the grassroots accounts and this year's filings in every state (demo/filings.py, the imported ones through
the importer's 备案 sheet).

It lives in reports because it calls the importer, and reports sits above liaison (docs/design.md: imports run
kexie → reports → liaison → experts → orgs).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import IO, Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo import data as demo
from demo.awards import seed_demo_awards
from demo.duplicates import seed_demo_duplicates
from demo.duty import seed_demo_narratives
from demo.filings import seed_demo_filings, seed_grassroots_accounts
from demo.homes import seed_demo_homes
from demo.plan import seed_demo_plan
from demo.schedule import seed_demo_schedule
from demo.surveys import seed_demo_surveys
from experts.models import FourHeads, Gender, TalentCategory
from liaison.models import Position
from liaison.people.access import Role
from orgs.models import OrgKind
from reports.cycle.approval import seed_demo_approval
from reports.workbook.exports import Table, write_workbook
from reports.workbook.imports import import_workbook
from reports.workbook.imports.format import ORGS, SCIENTISTS, STAFF, headers

DEMO_WORKBOOK = Path(settings.BASE_DIR) / "fixtures" / "demo_workbook.xlsx"

# The importer's sheet → the tally seed_demo reports it under.
TALLIES = {STAFF: "staff", ORGS: "organizations", SCIENTISTS: "scientists"}


# --- the workbook ---------------------------------------------------------------------------------------


def demo_tables(data: demo.DemoData | None = None) -> list[Table]:
    """The demo's registries as the import workbook's sheets (组织 parents first, then 科技工作者, 干部)."""
    data = data or demo.build_demo_data()
    orgs = [
        [
            o.name,
            OrgKind(o.kind).label,
            o.parent or "",
            o.county or "",
            o.address,
            o.contact_person,
            o.contact_phone,
            o.notes,
        ]
        for o in data.organizations
    ]
    scientists = [
        [
            s["name"],
            Gender(s["gender"]).label if s["gender"] else "",
            s["birth_date"],
            s["employer"],
            s["organization"] or "",
            s["post"],
            s["title"],
            s["discipline"],
            TalentCategory(s["category"]).label,
            s["mobile"],
            s["email"],
            s["notes"],
            FourHeads(s["four_heads"]).label if s["four_heads"] else "",
            "否",
        ]
        for s in data.scientists
    ]
    staff = [
        [p.name, p.username, p.department or "", p.title, Position(p.position).label, p.phone, p.order]
        for p in data.staff
    ]
    return [
        Table(ORGS, headers(ORGS), orgs),
        Table(SCIENTISTS, headers(SCIENTISTS), scientists),
        Table(STAFF, headers(STAFF), staff),
    ]


def write_demo_workbook(target: str | Path | IO[bytes] = DEMO_WORKBOOK) -> None:
    write_workbook(demo_tables(), target)


# --- seeding --------------------------------------------------------------------------------------------


class DemoWorkbookError(RuntimeError):
    """fixtures/demo_workbook.xlsx does not import cleanly: regenerate it with `manage.py demo_workbook`."""


def seed_demo(*, stdout: TextIO | None = None, workbook: str | Path | bytes | None = None) -> dict[str, Any]:
    """Create or update the demo data in one transaction; return what was created, updated and now exists
    (demo.data.demo_result). Deterministic and idempotent: a second run creates and changes nothing."""
    started = time.monotonic()
    data = demo.build_demo_data()
    tallies = {key: demo.Tally() for key in demo.COUNT_LABELS}
    users = get_user_model().objects
    with transaction.atomic():
        demo.seed_departments(data, tallies["departments"])
        demo.write(stdout, demo.progress("departments", tallies))
        users_before = users.count()
        source = workbook if workbook is not None else DEMO_WORKBOOK
        result = import_workbook(str(source) if isinstance(source, Path) else source)
        if result.problems:
            listed = "\n".join(str(p) for p in result.problems[:20])
            raise DemoWorkbookError(f"演示工作簿有误，请运行 manage.py demo_workbook 重新生成：\n{listed}")
        for sheet, key in TALLIES.items():
            counts = result.counts.get(sheet)
            if counts is not None:
                tallies[key].created += counts.created
                tallies[key].updated += counts.updated
        tallies["users"].created += users.count() - users_before  # accounts made for new 干部
        demo.seed_logins(tallies["users"])
        demo.write(stdout, f"演示工作簿（{DEMO_WORKBOOK.name}）：{result.summary()}")
        demo.seed_officers(data, tallies["officers"])
        demo.write(stdout, demo.progress("officers", tallies))
        plan_year = timezone.localdate().year
        plan = seed_demo_plan(year=plan_year, liaison_username=demo.DEMO_LOGINS[Role.LIAISON_OFFICE])
        # The demo year is approved: give it its approval record and 报审 → 审定 history.
        seed_demo_approval(
            year=plan_year, by=users.filter(username=demo.DEMO_LOGINS[Role.LIAISON_OFFICE]).first()
        )
        demo.write(
            stdout,
            f"{plan_year} 年度专班：新建专班 {plan['teams']}，新建联系对象 {plan['assignments']}，"
            f"新建联系记录 {plan['records']}，新建诉求 {plan['demands']}",
        )
        planned = seed_demo_schedule(year=plan_year)
        demo.write(stdout, f"{plan_year} 年度工作计划：新建计划 {planned} 项")
        grassroots_logins = seed_grassroots_accounts(tallies["grassroots_accounts"])
        office = users.filter(username=demo.DEMO_LOGINS[Role.LIAISON_OFFICE]).first()
        filed = seed_demo_filings(year=plan_year, office=office)
        tallies["filings"].created += filed["filings"]
        seed_demo_surveys(year=plan_year, office=office)
        tallies["scientists"].created += seed_demo_duplicates(year=plan_year, by=office)
        demo.write(
            stdout,
            f"{plan_year} 年度联系分工备案：新建备案 {filed['filings']}，生效的联系分工 {filed['lines']} 条，"
            f"点、线、面三方联系的科技工作者 {filed['three_way']} 名",
        )
        demo.write(stdout, seed_demo_homes(year=plan_year, by=office))
        nominated = seed_demo_awards(year=plan_year, office=office)
        demo.write(
            stdout,
            f"{plan_year} 年度举荐：新建奖项 {nominated['awards']}，新建推荐 {nominated['nominations']}",
        )
        # last: the duty report's draft reads the year's figures, nominations included
        demo.write(stdout, seed_demo_narratives(year=plan_year))
    return demo.demo_result(
        data=data,
        tallies=tallies,
        plan=plan,
        plan_year=plan_year,
        started=started,
        grassroots_logins=grassroots_logins,
    )
