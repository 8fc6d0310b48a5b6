"""`seed_demo --scale N` (demo/scale.py) and the promise of issue 6: a page's query count does not grow with
the data. Every measured page is requested at N = 200 and N = 600 and must run the same number of queries.

The generator must also write exactly the rows the services would (ContactTarget rows as
contacts.sync_targets writes them, pinyin keys as the models' save() computes them, rows that pass
full_clean), be deterministic, and refuse a database that is not empty.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.pinyin import pinyin_keys
from demo.scale import Sizes, most_named_scientist, scale_personas, seed_scale
from experts.models import Scientist
from liaison.compliance import quotas
from liaison.contacts import services as contacts
from liaison.models import (
    Assignment,
    ContactRecord,
    ContactTarget,
    Demand,
    Filing,
    FilingEntry,
    FilingRevision,
    FilingStatus,
    RecordStatus,
    Staff,
    Team,
    TeamFigures,
    TeamKind,
    Year,
)
from orgs.models import Organization

pytestmark = pytest.mark.django_db

SMALL, LARGE = 200, 600


def page_urls() -> dict[str, tuple[str, str]]:
    """name → (persona, url) of every page the benchmark measures (bench/run.py), for the seeded data."""
    year = timezone.localdate().year
    team = Team.objects.filter(year__year=year, kind=TeamKind.LEADER).order_by("id").first()
    urls = {
        "teams": ("liaison", f"/liaison/years/{year}/"),
        "team": ("liaison", f"/liaison/teams/{team.pk}/"),
        "records-staff": ("staff", "/liaison/records/?method=survey"),
        "records-liaison": ("liaison", "/liaison/records/?method=survey"),
        "search-name": ("liaison", "/experts/?q=王"),
        "search-pinyin": ("liaison", "/experts/?q=wang"),
        "my-work": ("staff", "/liaison/my-work/"),
        "review": ("liaison", reverse("reports:review", args=[year])),
        "network": ("liaison", reverse("reports:network", args=[year])),
        "network-unlinked": ("liaison", reverse("reports:network_scientists", args=[year])),
        "network-one-link": ("liaison", reverse("reports:network_scientists", args=[year]) + "?links=1"),
        "filings": ("liaison", reverse("reports:network_filings", args=[year])),
    }
    urls["dashboard"] = ("leader", reverse("reports:dashboard"))
    # the lists behind the dashboard's figures (issue 18)
    urls["uncontacted"] = ("liaison", reverse("liaison:outstanding_targets", args=[year, "uncontacted"]))
    urls["uncontacted-staff"] = ("staff", reverse("liaison:outstanding_targets", args=[year, "uncontacted"]))
    urls["overdue-targets"] = ("liaison", reverse("liaison:outstanding_targets", args=[year, "overdue"]))
    urls["demands-of-year"] = ("leader", f"/liaison/demands/?year={year}&state=open")
    urls["demands-raised"] = ("leader", f"/liaison/demands/?raised={year}&topic=difficulties")
    # the hubs (reports/hub): the scientist named on the most records, a county with townships, the staff
    # persona's own page
    busiest = most_named_scientist()
    county = Organization.objects.filter(kind="district", children__isnull=False).order_by("id").first()
    staff = Staff.objects.get(user=scale_personas()["staff"])
    # for the staff persona: the scientist their own teams named most (a page with records they may open)
    theirs = most_named_scientist(staff)
    urls["hub-scientist"] = ("liaison", reverse("experts:detail", args=[busiest]))
    urls["hub-scientist-staff"] = ("staff", reverse("experts:detail", args=[theirs]))
    urls["hub-county"] = ("liaison", reverse("orgs:detail", args=[county.pk]))
    urls["hub-staff"] = ("staff", reverse("liaison:staff_detail", args=[staff.pk]))
    return urls


PAGES = ["teams", "team", "records-staff", "records-liaison", "search-name", "search-pinyin", "my-work"]
PAGES += ["review", "dashboard", "review-cold", "dashboard-cold"]
PAGES += ["network", "network-unlinked", "network-one-link", "filings"]
PAGES += ["uncontacted", "uncontacted-staff", "overdue-targets", "demands-of-year", "demands-raised"]
PAGES += ["hub-scientist", "hub-scientist-staff", "hub-county", "hub-staff"]
COLD = {"review", "dashboard"}  # pages that read stored team figures: also measured with every team changed


def measure() -> dict[str, tuple[int, list[str]]]:
    personas = scale_personas()
    clients = {}
    for key, user in personas.items():
        clients[key] = Client()
        clients[key].force_login(user)
    result = {}
    for name, (persona, url) in page_urls().items():
        clients[persona].get(url)  # warm: per-process caches (content types, permissions) are not the data's
        with CaptureQueriesContext(connection) as context:
            response = clients[persona].get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        result[name] = (len(context.captured_queries), [q["sql"] for q in context.captured_queries])
        if name in COLD:  # every team's figures out of date, as after a bulk load: all recomputed
            TeamFigures.objects.update(version=F("version") + 1)
            with CaptureQueriesContext(connection) as context:
                response = clients[persona].get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            assert not TeamFigures.objects.exclude(computed_version=F("version")).exists()
            result[f"{name}-cold"] = (
                len(context.captured_queries),
                [q["sql"] for q in context.captured_queries],
            )
    return result


def digest() -> str:
    """A fingerprint of the generated rows (without timestamps)."""
    h = hashlib.sha256()
    for queryset in (
        Organization.objects.order_by("id").values_list("id", "name", "kind", "parent_id", "name_pinyin"),
        Scientist.objects.order_by("id").values_list("id", "name", "employer", "category", "mobile"),
        Staff.objects.order_by("id").values_list("id", "name", "department_id", "position", "user__username"),
        Team.objects.order_by("id").values_list("id", "name", "kind", "lead_id"),
        Assignment.objects.order_by("id").values_list(
            "id", "team_id", "organization_id", "scientist_id", "end_date"
        ),
        ContactRecord.objects.order_by("id").values_list(
            "id", "team_id", "date", "method", "status", "summary"
        ),
        ContactTarget.objects.order_by("id").values_list(
            "id", "record_id", "assigned", "counts", "scientist_id"
        ),
        Demand.objects.order_by("id").values_list("id", "record_id", "status", "handler_id", "due_date"),
        FilingEntry.objects.order_by("id").values_list("id", "revision_id", "officer_name", "scientist_id"),
    ):
        for row in queryset:
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """Seed N = 200 (twice: the second time through the command, for determinism), measure, roll back; then
    N = 600, measure, and keep it for the module's tests (each runs in a savepoint of it)."""
    found: dict = {"counts": {}, "digests": []}
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_scale(SMALL)
            found["counts"][SMALL] = measure()
            found["digests"].append(digest())
            transaction.set_rollback(True)
        with transaction.atomic():
            out = io.StringIO()
            call_command("seed_demo", "--scale", str(SMALL), stdout=out)
            found["command_output"] = out.getvalue()
            found["digests"].append(digest())
            transaction.set_rollback(True)
        with transaction.atomic():
            seed_scale(LARGE)
            found["counts"][LARGE] = measure()
            yield found
            transaction.set_rollback(True)


@pytest.mark.parametrize("page", PAGES)
def test_same_query_count_at_two_sizes(scaled, page):
    small, large = scaled["counts"][SMALL], scaled["counts"][LARGE]
    (few, few_sql), (many, many_sql) = small[page], large[page]
    extra = [sql for sql in many_sql if sql not in few_sql]
    assert many == few, f"{page}: {few} queries at N={SMALL}, {many} at N={LARGE}; new: {extra[:5]}"


def test_sizes_in_proportion(scaled):
    sizes = Sizes.for_scale(LARGE)
    assert Scientist.objects.count() == LARGE
    assert Team.objects.count() == sizes.teams == LARGE // 50
    assert Team.objects.filter(kind=TeamKind.LEADER).count() == sizes.leader_teams
    records = ContactRecord.objects.count()
    assert 0.85 * 10 * LARGE <= records <= 1.15 * 10 * LARGE
    assert 1.6 <= ContactTarget.objects.count() / records <= 2.4
    per_team = Assignment.objects.filter(end_date__isnull=True).count() / sizes.teams
    assert 22 <= per_team <= 26
    assert Organization.objects.count() == sum(sizes.orgs.values())
    assert Demand.objects.exists()
    assert ContactRecord.objects.filter(date__gt=timezone.localdate()).count() == 0
    # every record names its author among the participants, as record_save does
    assert not ContactRecord.objects.exclude(participants=F("author")).exists()
    assert Sizes.for_scale(100_000).teams == 2000


def test_plan_meets_the_quotas_for_most_teams(scaled):
    year = Year.objects.get(year=timezone.localdate().year)
    teams = list(Team.objects.filter(year=year))
    checks = quotas.check_teams(teams, year)
    assert sum(c.compliant for c in checks.values()) >= 0.75 * len(teams)


def test_targets_are_the_rows_sync_targets_writes(scaled):
    """Rewrite a sample of records' targets with the service and compare: team, date, counts, assigned."""
    ended = Assignment.objects.filter(end_date__isnull=False).values_list("scientist_id", flat=True)
    sample = list(ContactRecord.objects.order_by("id")[::97]) + list(
        ContactRecord.objects.filter(targets__scientist__in=ended).distinct().order_by("id")[:20]
    )
    sample += list(ContactRecord.objects.exclude(status=RecordStatus.DONE)[:5])
    sample += list(ContactRecord.objects.filter(is_deleted=True)[:5])
    assert len(sample) > 60

    def rows(record):
        return [
            (t.team_id, t.date, t.counts, t.assigned, t.organization_id, t.scientist_id)
            for t in ContactTarget.objects.filter(record=record).order_by("id")
        ]

    retired = Assignment.objects.filter(end_date__isnull=False).first()
    assert retired is not None  # team 1 always has one
    before = ContactTarget.objects.filter(
        team=retired.team, scientist=retired.scientist, date__lt=retired.end_date
    )
    assert before.exists()
    assert all(t.assigned for t in before)
    assert not ContactTarget.objects.filter(
        team=retired.team, scientist=retired.scientist, date__gte=retired.end_date, assigned=True
    ).exists()
    checked_assigned = {True: 0, False: 0}
    for record in sample:
        generated = rows(record)
        targets = [t.target for t in ContactTarget.objects.filter(record=record).order_by("id")]
        contacts.sync_targets(record, targets)
        assert rows(record) == generated, record.pk
        for row in generated:
            checked_assigned[row[3]] += 1
    assert checked_assigned[True]
    assert checked_assigned[False]


def test_rows_pass_the_models_validation(scaled):
    for model in (Organization, Scientist, Staff, Team, Assignment, ContactRecord, Demand):
        for obj in model.objects.order_by("id")[::53][:30]:
            obj.full_clean()
    for scientist in Scientist.objects.order_by("id")[::37]:
        assert (scientist.name_pinyin, scientist.name_initials) == pinyin_keys(scientist.name, person=True)
    for org in Organization.objects.order_by("id")[::7]:
        assert (org.name_pinyin, org.name_initials) == pinyin_keys(org.name)
    users = get_user_model().objects.all()
    assert not any(user.has_usable_password() for user in users)


def test_filings_for_a_good_share_of_organisations_in_every_state(scaled):
    """The third layer at scale: officers, and filings the network reads (lines_in_force), in every state,
    with the rows the filing services write (in_force the latest filed revision, lines unique)."""
    from liaison.filing.services import lines_in_force
    from liaison.models import FILING_KINDS
    from orgs.models import Officer

    year = Year.objects.get(year=timezone.localdate().year)
    filing_orgs = Organization.objects.filter(kind__in=FILING_KINDS).count()
    assert 0.45 * filing_orgs <= Filing.objects.filter(year=year).count() <= 0.75 * filing_orgs
    assert Officer.objects.values("organization").distinct().count() == filing_orgs
    statuses = set(FilingRevision.objects.values_list("status", flat=True))
    assert statuses == set(FilingStatus.values)
    assert FilingRevision.objects.filter(number=2).exists()
    for filing in Filing.objects.select_related("in_force").prefetch_related("revisions"):
        filed = [r for r in filing.revisions.all() if r.status != FilingStatus.DRAFT]
        assert filing.in_force == (max(filed, key=lambda r: r.number) if filed else None), filing.pk
    lines = lines_in_force(year)
    assert lines.count() >= 2 * Filing.objects.filter(in_force__isnull=False).count()
    assert lines.values("scientist").distinct().count() > 0.1 * LARGE
    for model in (Officer, Filing, FilingRevision, FilingEntry):
        for obj in model.objects.order_by("id")[::41][:30]:
            obj.full_clean()


def test_deterministic_and_the_command_reports_its_speed(scaled):
    first, second = scaled["digests"]
    assert first == second
    assert "每秒" in scaled["command_output"]
    # the stored team figures are computed ahead, not by the first dashboard
    assert f"{timezone.localdate().year} 年度统计：4 个专班" in scaled["command_output"]
    assert "行" in scaled["command_output"]


def test_refuses_a_database_that_is_not_empty(scaled):
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("seed_demo", "--scale", "10", stdout=io.StringIO())
