"""Merging two records of one scientist (experts/duplicates/merge.py) and undoing it: every row that named the
absorbed record follows the kept one, twins the kept record already had are resolved, the stored team figures
equal a fresh computation, and an admin's undo gives back exactly what was there."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import F

from experts.duplicates import services
from experts.duplicates.models import MergeRecord
from experts.models import Scientist
from experts.signals import scientists_merging
from liaison.compliance import team_figures
from liaison.filing import services as filings
from liaison.models import Assignment, ContactTarget, Demand, FilingEntry, TeamFigures
from liaison.plan import services as plans
from tests.factories import OfficerFactory, OrganizationFactory, ScientistFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db


def figures(year) -> dict[int, tuple]:
    names = [n for n in team_figures.COMPUTED if n not in ("computed_version", "computed_at")]
    return {
        pk: tuple(getattr(f, n) for n in names) for pk, f in team_figures.current(year, totals=True).items()
    }


def fresh(year) -> dict[int, tuple]:
    """Computed from the data now, whatever is stored."""
    TeamFigures.objects.filter(team__year=year).update(version=F("version") + 1)
    return figures(year)


def dump() -> dict[str, list[dict]]:
    """Every row the merge may touch, as plain values (the scientists without what every save changes)."""
    return {
        "scientists": list(
            Scientist.objects.order_by("pk").values(
                *[
                    f.attname
                    for f in Scientist._meta.concrete_fields
                    if f.name not in ("version", "updated_at")
                ]
            )
        ),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "targets": list(ContactTarget.objects.order_by("pk").values()),
        "demands": list(Demand.objects.order_by("pk").values()),
        "filing_entries": list(FilingEntry.objects.order_by("pk").values()),
    }


@pytest.fixture
def world(dept_staff, liaison_officer):
    """王伟 (kept) and 王玮 (absorbed), the same person at the same university:
    - team one has both as targets (a twin: the absorbed one's assignment goes), and a record naming both
      (a twin: its row naming the absorbed goes);
    - team two has 王伟 as target but its record named 王玮 (so 王伟 is uncontacted there until the merge),
      and a demand 王玮 raised on it;
    - an organisation filed 王玮 on an officer's line."""
    year = make_year(today().year)
    one = make_team(year, make_leader("一号领导", "one"), members=[dept_staff])
    two = make_team(year, make_leader("二号领导", "two"), members=[dept_staff])
    kept = ScientistFactory(name="王伟", employer="沈北理工大学", mobile="13800000001", title="")
    absorbed = ScientistFactory(
        name="王玮", employer="沈北理工大学机械学院", birth_date=datetime.date(1975, 5, 6), title="教授"
    )
    start = datetime.date(year.year, 1, 1)
    for s in (kept, absorbed):
        plans.assignment_add(team=one, by=None, scientist=s, start_date=start)
    plans.assignment_add(team=two, by=None, scientist=kept, start_date=start)
    both = log(one, dept_staff, [kept, absorbed], day=start)
    only_absorbed = log(two, dept_staff, [absorbed], day=start)
    demand = raise_demand(only_absorbed, dept_staff.user, raised_by_scientist=absorbed)
    organization = OrganizationFactory(name="沈北机械学会")
    filings.file_lines(
        organization, year, [filings.Line(OfficerFactory(organization=organization), absorbed)], None
    )
    return {
        "year": year, "one": one, "two": two, "kept": kept, "absorbed": absorbed, "both": both,
        "only_absorbed": only_absorbed, "demand": demand, "by": liaison_officer.user,
    }  # fmt: skip


def test_every_row_follows_the_kept_record(world):
    kept, absorbed = world["kept"], world["absorbed"]
    absorbed_id = absorbed.pk
    record = services.merge(kept=kept, absorbed=absorbed, by=world["by"])

    assert not Scientist.objects.filter(pk=absorbed_id).exists()
    assert set(Assignment.objects.values_list("team_id", "scientist_id")) == {
        (world["one"].pk, kept.pk),
        (world["two"].pk, kept.pk),
    }
    assert set(ContactTarget.objects.values_list("record_id", "scientist_id", "assigned")) == {
        (world["both"].pk, kept.pk, True),
        # named as 王玮, who was no target of team two; 王伟 is: the row says so now
        (world["only_absorbed"].pk, kept.pk, True),
    }
    assert Demand.objects.get(pk=world["demand"].pk).raised_by_scientist_id == kept.pk
    assert list(FilingEntry.objects.values_list("scientist_id", flat=True)) == [kept.pk]
    # moved: team two's record's row, the demand, the filing line; deleted: the two twins
    assert sorted(label for label, *_ in record.moved) == [
        "liaison.contacttarget",
        "liaison.demand",
        "liaison.filingentry",
    ]
    assert sorted(row["model"] for row in record.deleted) == ["liaison.assignment", "liaison.contacttarget"]
    assert (record.moved_count, record.deleted_count) == (3, 2)
    assert record.absorbed_row["fields"]["name"] == "王玮"
    # the audit log has the merge and the absorbed record's deletion; the merge says who
    assert LogEntry.objects.get_for_object(record).get().action == LogEntry.Action.CREATE
    assert record.merged_by == world["by"]
    deleted = LogEntry.objects.get(
        content_type__model="scientist", object_pk=str(absorbed_id), action=LogEntry.Action.DELETE
    )
    assert deleted.object_repr == "王玮"


def test_empty_fields_are_filled_from_the_absorbed_record_by_default(world):
    kept, absorbed = world["kept"], world["absorbed"]
    record = services.merge(kept=kept, absorbed=absorbed, by=world["by"])
    kept.refresh_from_db()
    assert (kept.name, kept.employer, kept.mobile, kept.title, kept.birth_date) == (
        "王伟", "沈北理工大学", "13800000001", "教授", datetime.date(1975, 5, 6),
    )  # fmt: skip
    assert record.kept_changes == {"birth_date": [None, "1975-05-06"], "title": ["", "教授"]}


def test_the_office_chooses_the_absorbed_name(world):
    kept, absorbed = world["kept"], world["absorbed"]
    services.merge(kept=kept, absorbed=absorbed, take={"name", "employer"}, by=world["by"])
    kept.refresh_from_db()
    assert (kept.name, kept.employer, kept.title, kept.name_pinyin) == (
        "王玮",
        "沈北理工大学机械学院",
        "",
        "wangwei",
    )


def test_figures_after_the_merge_equal_a_fresh_computation(world):
    year, two = world["year"], world["two"]
    before = figures(year)
    assert before[two.pk] == fresh(year)[two.pk]
    assert team_figures.current(year)[two.pk].uncontacted == 1  # 王伟, while the record named 王玮
    services.merge(kept=world["kept"], absorbed=world["absorbed"], by=world["by"])
    stored = figures(year)
    assert stored == fresh(year)
    assert team_figures.current(year)[two.pk].uncontacted == 0
    assert team_figures.current(year)[world["one"].pk].assigned == 1


def test_undo_gives_back_exactly_what_was_there(world, admin_user):
    year = world["year"]
    figures(year)
    before = dump()
    record = services.merge(kept=world["kept"], absorbed=world["absorbed"], by=world["by"])
    assert dump() != before
    restored = services.undo(record=record, by=admin_user)
    assert restored.pk == world["absorbed"].pk
    assert dump() == before
    assert figures(year) == fresh(year)
    record.refresh_from_db()
    assert record.undone_at is not None
    assert record.undone_by == admin_user


def test_undo_keeps_what_was_changed_since(world, admin_user):
    kept = world["kept"]
    record = services.merge(kept=kept, absorbed=world["absorbed"], by=world["by"])
    kept.refresh_from_db()
    kept.title = "研究员"  # the office corrected the title after the merge
    kept.save()
    services.undo(record=record, by=admin_user)
    kept.refresh_from_db()
    assert (kept.title, kept.birth_date) == ("研究员", None)


def test_undo_is_refused_twice_after_the_year_and_when_the_kept_record_is_gone(world, admin_user):
    record = services.merge(kept=world["kept"], absorbed=world["absorbed"], by=world["by"])
    next_year = datetime.date(today().year + 1, 1, 1)
    with pytest.raises(ValidationError, match="只能撤销本年度内的合并"):
        services.undo(record=record, by=admin_user, today=next_year)
    services.undo(record=record, by=admin_user)
    with pytest.raises(ValidationError, match="已经撤销过了"):
        services.undo(record=record, by=admin_user)

    again = services.merge(
        kept=world["kept"], absorbed=Scientist.objects.get(pk=world["absorbed"].pk), by=None
    )
    third = ScientistFactory(name="王伟", employer="沈北理工大学 ")
    services.merge(kept=third, absorbed=world["kept"], by=None)  # the kept record is itself merged away
    with pytest.raises(ValidationError, match="保留的记录已不存在"):
        services.undo(record=again, by=admin_user)
    assert MergeRecord.objects.filter(undone_at__isnull=True).count() == 2


def test_a_stale_page_and_a_record_merged_meanwhile_are_refused(world):
    kept, absorbed = world["kept"], world["absorbed"]
    with pytest.raises(ValidationError, match="被修改过"):
        services.merge(kept=kept, absorbed=absorbed, by=None, versions=(kept.version, absorbed.version - 1))
    services.merge(kept=kept, absorbed=absorbed, by=None)
    with pytest.raises(ValidationError, match="已不存在"):
        services.merge(kept=kept, absorbed=absorbed, by=None)
    with pytest.raises(ValidationError, match="自己"):
        services.merge(kept=kept, absorbed=kept, by=None)


def test_higher_apps_hear_of_the_merge_before_rows_move(world):
    heard = []

    def receiver(sender, kept, absorbed, **kwargs):
        heard.append((kept.pk, absorbed.pk, ContactTarget.objects.filter(scientist=absorbed).count()))

    scientists_merging.connect(receiver)
    try:
        services.merge(kept=world["kept"], absorbed=world["absorbed"], by=None)
    finally:
        scientists_merging.disconnect(receiver)
    assert heard == [(world["kept"].pk, world["absorbed"].pk, 2)]
