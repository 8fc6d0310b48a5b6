"""Every write the stored team figures depend on bumps their version (liaison/compliance/models.py, TeamFigures).

The figures read records, their target rows, assignments, demands, the team's kind and the year's quota rules
(liaison/compliance/figures.py, liaison/compliance/quotas.py); a change to any of them, through a service, a form, the importer or
the admin, arrives here. The bump is an UPDATE in the writer's
transaction, so a reader computing at the same time stores figures of the old version and the next read
recomputes them. Bulk writes that skip signals (bulk_create, QuerySet.update) always come with a save of the
record or a new team (liaison/contacts/services.py, liaison/plan/services.py) — or, for `seed_demo --scale`, with no stored
figures at all.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from experts.signals import scientist_merge_undone, scientists_merged
from liaison.models import (
    Assignment,
    ContactRecord,
    ContactTarget,
    Demand,
    QuotaRule,
    Team,
    TeamFigures,
    VisitQuota,
    Year,
)


def bump(*team_ids: int | None) -> None:
    ids = {pk for pk in team_ids if pk is not None}
    if ids:
        TeamFigures.objects.filter(team_id__in=ids).update(version=F("version") + 1)


def plan_changed(*team_ids: int, years=None) -> None:
    """The years of these teams (or the given years) have a new plan (teams, kinds, assignments):
    Year.plan_version moves."""
    ids = {pk for pk in team_ids if pk is not None}
    if years is None:
        if not ids:
            return
        years = Team.objects.filter(pk__in=ids).values("year_id")
    Year.objects.filter(pk__in=years).update(plan_version=F("plan_version") + 1)


@receiver(post_save, sender=Team)
def team_saved(sender, instance: Team, created: bool, raw: bool = False, **kwargs) -> None:
    # A new team gets its row at once, in its own transaction: a reader can never store figures for a team
    # whose first writes it could not see without the writer bumping them. A saved team may have a new
    # kind (a new lead), which changes its quota check.
    if raw:
        return
    if created:
        TeamFigures.objects.get_or_create(team=instance)
    else:
        bump(instance.pk)
    plan_changed(years=[instance.year_id])


@receiver(post_delete, sender=Team)
def team_deleted(sender, instance: Team, **kwargs) -> None:
    plan_changed(years=[instance.year_id])


@receiver(post_save, sender=QuotaRule)
@receiver(post_delete, sender=QuotaRule)
@receiver(post_save, sender=VisitQuota)
@receiver(post_delete, sender=VisitQuota)
def quota_changed(sender, instance: QuotaRule | VisitQuota, **kwargs) -> None:
    """The year's rules decide every team's compliance and shortfalls. The year's own version moves too, so
    the rules page refuses a save made from a stale table (common/concurrency.py)."""
    TeamFigures.objects.filter(team__year_id=instance.year_id).update(version=F("version") + 1)
    Year.objects.filter(pk=instance.year_id).update(version=F("version") + 1)


@receiver(pre_save, sender=ContactRecord)
def record_moving(sender, instance: ContactRecord, raw: bool = False, **kwargs) -> None:
    if instance.pk and not raw:
        # a record moved to another team (or greeting for another festival) changes both sides' figures
        instance._figures_old_team_id, instance._figures_old_festival = ContactRecord.objects.filter(
            pk=instance.pk
        ).values_list("team_id", "festival_date").first() or (None, None)


@receiver(post_save, sender=ContactRecord)
@receiver(post_delete, sender=ContactRecord)
def record_changed(sender, instance: ContactRecord, **kwargs) -> None:
    old_team = getattr(instance, "_figures_old_team_id", None)
    bump(instance.team_id, old_team)
    if old_team is not None and old_team != instance.team_id and kwargs.get("signal") is post_save:
        Demand.objects.filter(record_id=instance.pk).update(team_id=instance.team_id)  # Demand.team
    # A greeting counts for its festival's year, whichever year's team of the same lead logged it
    # (figures.greeting_coverage): those teams' figures change too.
    years = {d.year for d in (instance.festival_date, getattr(instance, "_figures_old_festival", None)) if d}
    if years:
        lead = Team.objects.filter(pk=instance.team_id).values("lead_id")[:1]
        TeamFigures.objects.filter(team__lead_id=Subquery(lead), team__year__year__in=years).exclude(
            team_id=instance.team_id
        ).update(version=F("version") + 1)


@receiver(post_save, sender=ContactTarget)
@receiver(post_delete, sender=ContactTarget)
@receiver(post_save, sender=Assignment)
@receiver(post_delete, sender=Assignment)
def team_row_changed(sender, instance: ContactTarget | Assignment, **kwargs) -> None:
    bump(instance.team_id)
    if isinstance(instance, Assignment):
        plan_changed(instance.team_id)


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
def demand_changed(sender, instance: Demand, **kwargs) -> None:
    # the record's team, and the later years' teams of the same lead, which carry an open demand over
    # (figures.carried_over_demands)
    record = ContactRecord.objects.filter(pk=instance.record_id)
    TeamFigures.objects.filter(
        team__lead_id=Subquery(record.values("team__lead_id")[:1]),
        team__year__year__gte=Subquery(record.values("team__year__year")[:1]),
    ).update(version=F("version") + 1)


@receiver(scientists_merged)
@receiver(scientist_merge_undone)
def scientists_merged_or_undone(sender, kept, record, **kwargs) -> None:
    """A merge (or its undo) moved the rows of two scientists by UPDATE, without model signals
    (experts/duplicates/merge.py): say again whether each of their target rows was an assigned target that day
    (contacts/services.py sync_targets) and mark stale every team whose figures read their rows."""
    ids = [kept.pk, record.absorbed_id]
    in_force = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("date")),
        team_id=OuterRef("team_id"),
        scientist_id=OuterRef("scientist_id"),
        start_date__lte=OuterRef("date"),
    )
    ContactTarget.objects.filter(scientist_id__in=ids).update(assigned=Exists(in_force))
    teams = set(Assignment.objects.filter(scientist_id__in=ids).values_list("team_id", flat=True))
    teams |= set(
        ContactTarget.objects.filter(scientist_id__in=ids).values_list("team_id", flat=True).distinct()
    )
    bump(*teams)
    plan_changed(*teams)  # their assignments now name the kept record: targets shared by two teams may change
    # a demand's figures are its record's team's, and the later years' teams of the same lead (demand_changed)
    for lead, year in (
        Demand.objects.filter(raised_by_scientist_id__in=ids)
        .values_list("record__team__lead_id", "record__team__year__year")
        .distinct()
    ):
        TeamFigures.objects.filter(team__lead_id=lead, team__year__year__gte=year).update(
            version=F("version") + 1
        )
