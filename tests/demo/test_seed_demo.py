"""`manage.py seed_demo`: plausible, deterministic, idempotent demo data and working demo logins."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from common.phones import normalize_phone
from common.pinyin import pinyin_keys
from demo.data import DEMO_LOGINS, DEMO_PASSWORD, build_demo_data
from demo.seed import seed_demo
from experts.models import FourHeads, Scientist, TalentCategory
from liaison.models import Department, Position, Staff
from liaison.people.access import Role, role_of
from orgs.models import Officer, Organization, OrgKind

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def seeded(seeded_once, db) -> dict:
    return seeded_once


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "departments": list(
            Department.objects.order_by("name").values_list("name", "is_liaison_office", "order")
        ),
        "users": list(
            User.objects.order_by("username").values_list("username", "first_name", "is_superuser")
        ),
        "staff": list(
            Staff.objects.order_by("user__username").values_list(
                "user__username", "name", "department__name", "position", "title", "phone"
            )
        ),
        "orgs": list(
            Organization.objects.order_by("name").values_list(
                "name", "kind", "parent__name", "county__name", "address", "contact_person", "contact_phone"
            )
        ),
        "officers": list(
            Officer.objects.order_by("organization__name", "post", "name").values_list(
                "organization__name", "post", "name", "job", "phone"
            )
        ),
        "scientists": list(
            Scientist.objects.order_by("name", "employer").values_list(
                "name",
                "employer",
                "organization__name",
                "gender",
                "birth_date",
                "post",
                "title",
                "discipline",
                "category",
                "four_heads",
                "mobile",
                "email",
                "notes",
            )  # fmt: skip
        ),
    }


def test_counts_are_in_the_expected_ranges(seeded):
    kinds = {kind: Organization.objects.filter(kind=kind).count() for kind in OrgKind}
    assert kinds[OrgKind.DISTRICT] == 13
    assert kinds[OrgKind.SOCIETY] >= 55
    assert kinds[OrgKind.ENTERPRISE] >= 35
    assert kinds[OrgKind.UNIVERSITY] >= 18
    assert 4 <= kinds[OrgKind.VICE_CHAIR_UNIT] <= 6
    assert kinds[OrgKind.AGRI_TECH] >= 3
    assert kinds[OrgKind.TOWNSHIP] >= 15
    assert kinds[OrgKind.VILLAGE] >= 10

    assert 250 <= Scientist.objects.count() <= 350
    categories = set(Scientist.objects.values_list("category", flat=True))
    assert categories == set(TalentCategory.values)
    assert 1 <= Scientist.objects.filter(category=TalentCategory.ACADEMICIAN).count() <= 10
    assert Scientist.objects.filter(category=TalentCategory.FRONTLINE).count() >= 70
    assert set(Scientist.objects.exclude(four_heads="").values_list("four_heads", flat=True)) == set(
        FourHeads.values
    )

    assert Department.objects.count() == 12
    liaison = Department.objects.get(is_liaison_office=True)
    assert liaison.name == "组织联络部"
    leaders = Staff.objects.filter(position=Position.LEADERSHIP)
    assert leaders.count() == 8
    assert not leaders.exclude(department=None).exists()
    assert Staff.objects.exclude(position=Position.LEADERSHIP).count() == 40
    for department in Department.objects.all():
        assert department.staff.filter(position=Position.DEPARTMENT_HEAD).count() == 1, department
    assert (
        Officer.objects.filter(organization__kind=OrgKind.DISTRICT).values("organization").distinct().count()
        == 13
    )
    assert (
        Officer.objects.filter(organization__kind=OrgKind.SOCIETY).values("organization").distinct().count()
        >= 30
    )

    assert seeded["totals"]["scientists"] == Scientist.objects.count()
    assert seeded["created"]["organizations"] == Organization.objects.count()


def test_running_twice_creates_and_changes_nothing(seeded):
    before = _snapshot()
    log_entries = LogEntry.objects.count()

    again = seed_demo()

    assert set(again["created"].values()) == {0}
    assert set(again["updated"].values()) == {0}
    assert again["totals"] == seeded["totals"]
    assert _snapshot() == before
    assert LogEntry.objects.count() == log_entries  # unchanged rows are not even saved


def test_the_data_does_not_depend_on_hash_seed_or_process():
    """Same rows in another interpreter with another PYTHONHASHSEED (no set/dict-order dependence)."""
    script = (
        "import django, hashlib; django.setup();"
        "from demo.data import build_demo_data;"
        "print(hashlib.sha256(repr(build_demo_data()).encode()).hexdigest())"
    )
    root = Path(settings.BASE_DIR)
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "kexie.settings.test"}
        out = subprocess.run(
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    digests.add(hashlib.sha256(repr(build_demo_data()).encode()).hexdigest())
    assert len(digests) == 1


def test_demo_logins_work_for_their_roles(seeded):
    assert {login["username"] for login in seeded["logins"]} == set(DEMO_LOGINS.values())
    for role, username in DEMO_LOGINS.items():
        user = User.objects.get(username=username)
        assert role_of(user) == role, username
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/").status_code == 200
    admin = User.objects.get(username=DEMO_LOGINS[Role.ADMIN])
    assert admin.is_superuser
    assert admin.is_staff
    assert not Staff.objects.filter(user=admin).exists()


def test_other_staff_cannot_log_in_and_usernames_are_pinyin(seeded):
    staff = Staff.objects.select_related("user").exclude(user__username__in=DEMO_LOGINS.values())
    assert staff.count() == 48 - 4
    for member in staff:
        assert not member.user.has_usable_password(), member.user.username
        assert member.user.username.startswith(pinyin_keys(member.name, person=True)[0])
    # Surnames with a special reading, and a clash resolved with a digit.
    assert User.objects.filter(username="shanlina").exists()
    assert User.objects.filter(username="zengqinghua").exists()
    assert set(Staff.objects.filter(name__in=["张伟", "章伟"]).values_list("user__username", flat=True)) == {
        "zhangwei",
        "zhangwei2",
    }


def test_existing_passwords_are_kept_and_the_demo_password_restored(seeded):
    other = User.objects.get(username="zhangwei")
    other.set_password("own-secret-1")
    other.save()
    leader = User.objects.get(username=DEMO_LOGINS[Role.LEADERSHIP])
    leader.set_password("changed-by-someone")
    leader.save()

    seed_demo()

    other.refresh_from_db()
    leader.refresh_from_db()
    assert other.check_password("own-secret-1")
    assert leader.check_password(DEMO_PASSWORD)


def test_every_phone_is_stored_normalised(seeded):
    phones = [
        *Scientist.objects.exclude(mobile="").values_list("mobile", flat=True),
        *Officer.objects.exclude(phone="").values_list("phone", flat=True),
        *Organization.objects.exclude(contact_phone="").values_list("contact_phone", flat=True),
        *Staff.objects.exclude(phone="").values_list("phone", flat=True),
    ]
    assert len(phones) > 600
    for phone in phones:
        assert normalize_phone(phone) == phone
    assert Organization.objects.filter(contact_phone__startswith="024-").count() > 50
    assert Organization.objects.exclude(contact_phone="").count() > 0.8 * Organization.objects.count()


def test_the_hierarchy_is_valid(seeded):
    for township in Organization.objects.filter(kind=OrgKind.TOWNSHIP).select_related("parent"):
        assert township.parent.kind == OrgKind.DISTRICT
        assert township.county_id == township.parent_id
    for village in Organization.objects.filter(kind=OrgKind.VILLAGE).select_related("parent"):
        assert village.parent.kind == OrgKind.TOWNSHIP
        assert village.county.kind == OrgKind.DISTRICT
    districts_with_townships = Organization.objects.filter(kind=OrgKind.DISTRICT, children__isnull=False)
    assert districts_with_townships.distinct().count() >= 4
    for org in Organization.objects.select_related("parent", "county"):
        org.clean()
    assert Organization.objects.filter(kind=OrgKind.AGRI_TECH, county__kind=OrgKind.DISTRICT).exists()


def test_heping_is_found_by_pinyin(seeded):
    heping = Organization.objects.get(name="和平区科协")
    assert heping.kind == OrgKind.DISTRICT
    assert heping in Organization.objects.search("hpq")
    assert heping in Organization.objects.search("heping")


def test_scientists_are_plausible(seeded):
    assert len(set(Scientist.objects.values_list("birth_date__month", flat=True)) - {None}) == 12
    for month in range(1, 13):
        assert Scientist.objects.born_in_month(month).count() >= 10
    # The employer's association is "<employer>科协".
    for scientist in Scientist.objects.filter(employer="辽川理工大学").select_related("organization"):
        assert scientist.organization.name == "辽川理工大学科协"
    assert Scientist.objects.filter(organization=None).count() == 0
    assert Scientist.objects.exclude(email="").count() > 100
    assert not Scientist.objects.exclude(email="").exclude(email__regex=r"@example\.(com|org|net)$").exists()
    assert Scientist.objects.filter(gender="F").count() > 50
    assert Scientist.objects.exclude(notes="").exists()
    # The 四长 hold posts in their county and township associations.
    heads = Scientist.objects.exclude(four_heads="").filter(
        organization__kind__in=[OrgKind.DISTRICT, OrgKind.TOWNSHIP]
    )
    for head in heads:
        assert Officer.objects.filter(organization=head.organization, name=head.name).exists()


def test_the_command_refuses_a_non_debug_database_without_force():
    from django.core.management.base import CommandError

    before = Organization.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", stdout=io.StringIO())
    assert "--force" in str(error.value)
    assert Organization.objects.count() == before


def test_the_command_prints_logins_and_counts():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    text = out.getvalue()
    for word in ("演示账号", "角色", "用户名", "密码", "姓名", "科技工作者", "基层组织", DEMO_PASSWORD):
        assert word in text
    for username in DEMO_LOGINS.values():
        assert username in text


def test_demo_plan_has_a_team_for_every_leader_and_department_head(seeded):
    from django.utils import timezone

    from liaison.compliance import quotas
    from liaison.models import Position, Staff, Team, Year
    from liaison.plan import services as plans

    year = Year.objects.get(year=timezone.localdate().year)
    teams = list(Team.objects.filter(year=year))
    leads = Staff.objects.filter(position__in=[Position.LEADERSHIP, Position.DEPARTMENT_HEAD])
    assert {t.lead_id for t in teams} == set(leads.values_list("pk", flat=True))
    checks = quotas.check_teams(teams, year)
    short = [t.name for t in teams if not checks[t.pk].compliant]
    assert 2 <= len(short) <= len(teams) // 4, short  # mostly compliant, a few realistic shortfalls
    assert plans.coverage_gaps(year).exists()
    assert year.teams.filter(assignments__end_date__isnull=False).exists()  # history: someone retired


def test_demo_plan_is_not_duplicated(seeded):
    from liaison.models import Assignment, Team

    before = (Team.objects.count(), Assignment.objects.count())
    result = seed_demo()
    assert result["plan"]["created"] == {"years": 0, "teams": 0, "assignments": 0, "records": 0, "demands": 0}
    assert (Team.objects.count(), Assignment.objects.count()) == before


def test_demo_has_a_year_of_records_greetings_and_demands(seeded):
    from django.utils import timezone

    from liaison.models import ContactRecord, Demand

    today = timezone.localdate()
    records = ContactRecord.objects.filter(team__year__year=today.year)
    assert records.count() > 200
    assert records.filter(grassroots=True).exists()
    assert not records.filter(date__gt=today).exists()
    if today >= __import__("common.occasions", fromlist=["x"]).spring_festival(today.year):
        assert records.filter(method="greeting", occasion="spring_festival").exists()
    demands = Demand.objects.filter(record__team__year__year=today.year)
    assert demands.filter(status="done").exists()
    assert demands.open().exists()


def test_demo_year_has_its_approval_record(seeded):
    from django.utils import timezone

    from reports.models import PlanApproval, PlanTransition

    approval = PlanApproval.objects.get(year__year=timezone.localdate().year)
    assert "号" in approval.document_number
    assert PlanTransition.objects.filter(year=approval.year).count() >= 2


# --- the third layer: officers' tenure, grassroots accounts, filings in every state, the network -----------


def test_officers_hold_their_posts_in_one_of_the_three_ways_and_some_are_four_heads(seeded):
    from orgs.models import FourHeads as OfficerFourHeads
    from orgs.models import Tenure

    assert set(Officer.objects.values_list("tenure", flat=True)) == set(Tenure.values)
    heads = Officer.objects.exclude(four_heads="")
    assert set(heads.values_list("four_heads", flat=True)) <= set(OfficerFourHeads.values)
    assert heads.filter(organization__kind=OrgKind.TOWNSHIP, tenure=Tenure.SECONDED).exists()
    assert heads.filter(organization__kind=OrgKind.DISTRICT, tenure=Tenure.CONCURRENT).exists()


def test_grassroots_logins_work_and_see_their_own_organisation(seeded):
    from demo.data import GRASSROOTS_LOGINS
    from liaison.models import GrassrootsAccount

    assert [(g["username"], g["organization"]) for g in seeded["grassroots_logins"]] == [
        (username, org) for username, org, _holder in GRASSROOTS_LOGINS
    ]
    for username, org, holder in GRASSROOTS_LOGINS:
        account = GrassrootsAccount.objects.select_related("organization").get(user__username=username)
        assert (account.organization.name, account.holder, account.must_change_password) == (
            org,
            holder,
            False,
        )
        assert not Staff.objects.filter(user=account.user).exists()
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        home = client.get("/", follow=True)
        assert home.status_code == 200
        assert home.redirect_chain[-1][0].startswith("/filing/"), home.redirect_chain  # its own filing page
        assert org in home.content.decode()
        assert client.get("/liaison/records/").status_code == 403  # nothing of the staff's work


def test_filings_of_this_year_are_in_every_state(seeded):
    from django.utils import timezone

    from demo.filings import SEND_BACK_COMMENT
    from liaison.models import Filing, FilingAction, FilingStatus, ProposalStatus

    filings = Filing.objects.filter(year__year=timezone.localdate().year)
    statuses = {
        f.organization.name: [r.status for r in f.revisions.order_by("number")]
        for f in filings.select_related("organization")
    }
    assert statuses["清源县科协"] == [FilingStatus.CONFIRMED]  # imported from the 备案 sheet, confirmed
    assert statuses["辽川市医学会"] == [FilingStatus.FILED]  # imported, not yet confirmed
    assert statuses["红旗镇科协"] == [FilingStatus.DRAFT]  # not filed
    # revised after it was confirmed: both revisions kept, the second in force
    assert statuses["和平区科协"] == [FilingStatus.CONFIRMED, FilingStatus.FILED]
    assert filings.get(organization__name="和平区科协").in_force.number == 2
    # sent back with the office's comment: a draft again, nothing in force
    sent_back = filings.get(organization__name="辽川市机械工程学会")
    assert statuses["辽川市机械工程学会"] == [FilingStatus.DRAFT]
    assert sent_back.in_force is None
    assert sent_back.revisions.get().return_comment == SEND_BACK_COMMENT
    assert sent_back.steps.filter(action=FilingAction.SEND_BACK, comment=SEND_BACK_COMMENT).exists()
    # filed by the office on the organisation's behalf
    on_behalf = filings.get(organization__name="辽川市农业科学院科协").in_force
    assert on_behalf.on_behalf
    assert on_behalf.filed_by.username == DEMO_LOGINS[Role.LIAISON_OFFICE]
    # filed by the organisation's own account, with a proposed new scientist pending
    proposing = filings.get(organization__name="辽川大学科协").in_force
    assert proposing.filed_by.username == "liaochuandaxue"
    pending = proposing.entries.get(scientist__isnull=True)
    assert (pending.proposal.name, pending.proposal.status) == ("宋雨桐", ProposalStatus.PENDING)
    assert filings.filter(steps__action=FilingAction.IMPORT).count() == 6


def test_some_scientists_are_linked_three_ways_some_one_way_some_not_at_all(seeded):
    from django.utils import timezone

    from liaison.compliance import figures
    from liaison.filing.services import lines_in_force
    from liaison.models import Assignment, TeamKind, Year

    year = Year.objects.get(year=timezone.localdate().year)
    in_force = Assignment.objects.in_force_at_year_end().filter(team__year=year, scientist__isnull=False)
    points = set(in_force.filter(team__kind=TeamKind.LEADER).values_list("scientist_id", flat=True))
    lines = set(in_force.filter(team__kind=TeamKind.DEPARTMENT).values_list("scientist_id", flat=True))
    surfaces = set(lines_in_force(year).values_list("scientist_id", flat=True))
    active = set(Scientist.objects.filter(is_active=True).values_list("pk", flat=True))
    links = {pk: (pk in points) + (pk in lines) + (pk in surfaces) for pk in active}
    assert sum(n == 3 for n in links.values()) == 3
    assert sum(n == 1 for n in links.values()) > 50
    assert sum(n == 0 for n in links.values()) > 50
    # the department teams that took a three-way scientist have contacted them this year
    three_way = in_force.filter(
        team__kind=TeamKind.DEPARTMENT, scientist__in=[pk for pk, n in links.items() if n == 3]
    ).values_list("team_id", "scientist__name")
    uncontacted = figures.uncontacted_targets(year, [team for team, _name in three_way])
    assert len(three_way) == 3
    for team, name in three_way:
        assert name not in uncontacted.get(team, []), name


def test_the_command_prints_the_grassroots_logins():
    from demo.data import GRASSROOTS_LOGINS

    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    text = out.getvalue()
    assert "联系分工备案" in text
    for username, org, holder in GRASSROOTS_LOGINS:
        line = next(line for line in text.splitlines() if f" {username} " in line)
        assert line.startswith("基层科协")
        assert f"{holder}（{org}）" in line
