"""Stored team figures (liaison/compliance/team_figures.py) are never stale: after every kind of write a page can make,
the figures a page reads equal the figures computed afresh from the data, and a write to one team leaves the
other teams' stored figures alone (so the next read recomputes only what changed)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F

from liaison.compliance import team_figures
from liaison.contacts import services as contacts
from liaison.models import Assignment, ContactRecord, Demand, TeamFigures, YearFigures
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

D = datetime.date


def snapshot(year) -> dict[int, tuple]:
    fields = [*team_figures.COMPUTED]
    fields.remove("computed_version")
    fields.remove("computed_at")
    return {
        pk: tuple(getattr(f, name) for name in fields)
        for pk, f in team_figures.current(year, totals=True).items()
    }


def totals(year) -> tuple:
    team_figures.refresh(year)
    t = team_figures.year_totals(year)
    clean = {method: months for method, months in t.records.items() if any(months)}
    return clean, {k: v for k, v in t.demands.items() if any(v)}, t.days_to_close, t.raised, t.team_rows


def fresh(year) -> dict[int, tuple]:
    """The figures computed from the data now, whatever is stored."""
    TeamFigures.objects.filter(team__year=year).update(version=F("version") + 1)
    return snapshot(year)


@pytest.fixture
def world(dept_staff):
    year = make_year(2026)
    a = make_team(year, make_leader("王主席"), members=[dept_staff])
    b = make_team(year, make_leader("李副主席"), members=[dept_staff])
    x, y = org(OrgKind.SOCIETY, "学会X"), org(OrgKind.SOCIETY, "学会Y")
    s = ScientistFactory(name="专家S", category="renowned")
    for team in (a, b):
        plans.assignment_add(team=team, by=None, organization=x, start_date=D(2026, 1, 1))
    plans.assignment_add(team=a, by=None, scientist=s, start_date=D(2026, 1, 1))
    plans.assignment_add(team=b, by=None, organization=y, start_date=D(2026, 1, 1))
    return {"year": year, "a": a, "b": b, "x": x, "y": y, "s": s, "staff": dept_staff}


def changed_by(world, write) -> set[int]:
    """Runs a write after reading the figures; checks the stored ones equal fresh ones; returns the teams
    whose stored figures the write put out of date."""
    year = world["year"]
    before = snapshot(year)
    write()
    out_of_date = {pk for pk, f in TeamFigures.objects.in_bulk().items() if not f.is_current}
    kept = totals(year)  # the year's totals, moved by the difference of each team recomputed
    assert snapshot(year) == fresh(year), "stored figures differ from the data"
    YearFigures.objects.all().delete()
    assert kept == totals(year), "the year's totals differ from the sum of the teams' figures"
    unchanged = set(before) - out_of_date
    assert all(snapshot(year)[pk] == before[pk] for pk in unchanged)
    return out_of_date


def test_a_new_record_changes_its_team_only(world):
    a, b = world["a"], world["b"]
    stale = changed_by(world, lambda: log(a, world["staff"], [world["x"]], day=D(2026, 3, 5)))
    assert stale == {a.pk}
    assert team_figures.current(world["year"])[a.pk].visits == 1
    assert team_figures.current(world["year"])[b.pk].visits == 0


def test_editing_moving_and_deleting_a_record(world):
    a, b, staff = world["a"], world["b"], world["staff"]
    record = log(a, staff, [world["x"]], day=D(2026, 3, 5))
    snapshot(world["year"])

    def edit():
        record.date = D(2026, 6, 1)
        record.method = "symposium"
        contacts.record_save(record=record, targets=[world["x"]], participants=[staff])

    assert changed_by(world, edit) == {a.pk}
    assert team_figures.current(world["year"], totals=True)[a.pk].records["symposium"][5] == 1

    def move():
        record.team = b
        contacts.record_save(record=record, targets=[world["x"]], participants=[staff])

    assert changed_by(world, move) == {a.pk, b.pk}
    assert team_figures.current(world["year"], totals=True)[a.pk].records == {}

    stale = changed_by(world, lambda: contacts.record_delete(record=record, reason="重复", by=staff.user))
    assert stale == {b.pk}
    assert team_figures.current(world["year"], totals=True)[b.pk].records == {}


def test_a_record_moved_to_another_team_takes_its_demands_along(world):
    """Demand.team is the record's team, copied: a record moved to team b moves its open demand's count from
    a to b, in the stored figures and in the table itself."""
    a, b, staff = world["a"], world["b"], world["staff"]
    record = log(a, staff, [world["x"]], day=D(2026, 3, 5))
    demand = raise_demand(record, staff.user, due_date=D(2026, 12, 31))
    assert demand.team_id == a.pk
    assert team_figures.current(world["year"])[a.pk].open_demands == 1

    def move():
        record.team = b
        contacts.record_save(record=record, targets=[world["x"]], participants=[staff])

    assert changed_by(world, move) == {a.pk, b.pk}
    demand.refresh_from_db()
    assert demand.team_id == b.pk
    figures = team_figures.current(world["year"])
    assert (figures[a.pk].open_demands, figures[b.pk].open_demands) == (0, 1)


def test_a_draft_counts_once_completed(world):
    a, staff = world["a"], world["staff"]
    draft = log(a, staff, [world["x"]], day=D(2026, 3, 5), draft=True)
    assert team_figures.current(world["year"])[a.pk].visits == 0
    changed_by(world, lambda: contacts.record_save(record=draft, targets=[world["x"]], participants=[staff]))
    assert team_figures.current(world["year"])[a.pk].visits == 1
    assert team_figures.current(world["year"])[a.pk].contacted == {"society": 1, "expert": 0}


def test_greetings_demands_and_their_closing(world):
    a, staff = world["a"], world["staff"]

    def greet():
        contacts.greetings_create(
            team=a,
            occasion="spring_festival",
            channel="message",
            date=D(2026, 2, 16),
            scientists=[world["s"]],
            author=staff,
        )

    assert changed_by(world, greet) == {a.pk}
    assert team_figures.current(world["year"])[a.pk].spring_greeted == 1
    record = ContactRecord.objects.filter(team=a).get()
    demand = None

    def raise_one():
        nonlocal demand
        demand = raise_demand(record, staff.user, due_date=D(2026, 3, 1))

    assert changed_by(world, raise_one) == {a.pk}
    assert team_figures.current(world["year"])[a.pk].open_demands == 1

    def close():
        contacts.demand_act(
            demand=demand, kind="reply", by=staff.user, text="已解决", status="done", date=D(2026, 2, 26)
        )

    assert changed_by(world, close) == {a.pk}
    figures = team_figures.current(world["year"], totals=True)[a.pk]
    assert (figures.open_demands, figures.days_to_close) == (0, {"10": 1})
    assert Demand.objects.count() == 1


def test_demands_raised_by_kind_and_topic_are_kept_per_team_and_summed(world):
    """诉求热点's counts (figures.raised_counts): each team keeps its own, the year adds them up, and they follow
    a new demand, a changed kind, a record's topics and its deletion at the next read."""
    year, a, b, staff = world["year"], world["a"], world["b"], world["staff"]
    r1 = log(a, staff, [world["x"]], day=D(2026, 3, 5), topics=["difficulties", "advice"])
    r2 = log(b, staff, [world["y"]], day=D(2026, 4, 5), topics=["advice"])
    raise_demand(r1, staff.user, kind="difficulty")
    raise_demand(r1, staff.user, kind="suggestion")
    changed = raise_demand(r2, staff.user, kind="difficulty")

    def raised(team):
        return team_figures.current(year, totals=True)[team.pk].raised

    # r1: two demands, each on a record about 了解困难 and 建言献策; r2: one, about 建言献策
    assert raised(a) == {
        "kind:difficulty": 1,
        "kind:suggestion": 1,
        "topic:difficulties": 2,
        "topic:advice": 2,
    }
    assert raised(b) == {"kind:difficulty": 1, "topic:advice": 1}
    team_figures.refresh(year)
    assert team_figures.year_totals(year).raised == {
        "kind:difficulty": 2,
        "kind:suggestion": 1,
        "topic:difficulties": 2,
        "topic:advice": 3,
    }

    def recategorise():
        contacts.demand_revise(demand=changed, text=changed.text, kind="cooperation")

    assert changed_by(world, recategorise) == {b.pk}
    assert raised(b) == {"kind:cooperation": 1, "topic:advice": 1}
    assert changed_by(world, lambda: contacts.record_delete(record=r1, reason="重复", by=staff.user)) == {
        a.pk
    }
    assert raised(a) == {}
    team_figures.refresh(year)
    assert team_figures.year_totals(year).raised == {"kind:cooperation": 1, "topic:advice": 1}


def test_assignments_added_recategorised_and_ended(world):
    b = world["b"]
    extra = org(OrgKind.DISTRICT, "和平区科协")
    assert changed_by(world, lambda: plans.assignment_add(team=b, by=None, organization=extra)) == {b.pk}
    assert team_figures.current(world["year"])[b.pk].assigned_by_category.get("district") == 1
    assignment = Assignment.objects.get(team=b, organization=extra)
    stale = changed_by(
        world, lambda: plans.assignment_set_category(assignment=assignment, category="society")
    )
    assert stale == {b.pk}
    stale = changed_by(world, lambda: plans.assignment_end(assignment=assignment, by=None, reason="adjusted"))
    assert stale == {b.pk}
    assert team_figures.current(world["year"])[b.pk].assigned_by_category == {"society": 2}


def test_a_team_created_later_and_one_without_a_row(world):
    year = world["year"]
    c = make_team(year, make_leader("赵副主席"))
    assert TeamFigures.objects.filter(team=c).exists()  # created with the team
    TeamFigures.objects.filter(team=c).delete()  # as after seed_demo --scale or an admin delete
    assert team_figures.current(year)[c.pk].uncontacted == 0
    assert TeamFigures.objects.get(team=c).is_current


def test_recompute_command_refreshes_every_team(world):
    from django.core.management import call_command

    year = world["year"]
    TeamFigures.objects.update(computed_version=-1)
    call_command("refresh_figures", "2026", verbosity=0)
    assert all(f.is_current for f in TeamFigures.objects.filter(team__year=year))


def test_quota_rules_and_a_new_lead_change_compliance(world):
    from liaison.models import QuotaRule, VisitQuota

    year, a, b = world["year"], world["a"], world["b"]
    VisitQuota.objects.filter(year=year).update(minimum=0)  # a bulk update: no signal, so bump by a save
    rule = VisitQuota.objects.filter(year=year, team_kind="leader").get()
    stale = changed_by(world, lambda: rule.save())
    assert stale == {a.pk, b.pk}
    assert not any("下基层" in s for s in team_figures.current(year)[a.pk].shortfalls)

    def one_visit_a_year():
        rule.minimum = 1
        rule.save()

    assert changed_by(world, one_visit_a_year) == {a.pk, b.pk}
    assert "下基层 0 次，少 1 次" in team_figures.current(year)[a.pk].shortfalls
    assert team_figures.current(year)[a.pk].visits_short

    society = QuotaRule.objects.filter(year=year, team_kind="leader", category="society").get()

    def at_most_zero_societies():
        society.minimum, society.maximum = 0, 0
        society.save()

    assert changed_by(world, at_most_zero_societies) == {a.pk, b.pk}
    assert not team_figures.current(year)[a.pk].compliant
    assert changed_by(world, lambda: a.save()) == {a.pk}  # a team saved (e.g. a new lead) is checked again
