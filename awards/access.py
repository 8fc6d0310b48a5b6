"""Who sees and does what with awards and nominations (issue 20 §2), derived from the data as elsewhere
(liaison/people/access.py):

- the liaison office (and admin) manage awards and move every nomination through its states;
- leadership read every award and nomination;
- a staff member reads the awards and the nominations of the teams they lead or belong to, and nominates for
  a team of the award's year that they lead or belong to;
- a grassroots account reads the awards and its own organisation's nominations, and nominates for its own
  organisation (its pages are let through liaison/filing/scope.py one by one);
- nobody else sees anything.
A nomination outside what a user sees is a 404; an action the user may not take on one they see is a 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from awards.models import Award, Nomination, State
from liaison.models import Team
from liaison.people.access import Role, grassroots_account_of, role_of, staff_of, team_ids_of
from orgs.models import Organization

SEES_ALL = (Role.LEADERSHIP, Role.LIAISON_OFFICE, Role.ADMIN)
MANAGES = (Role.LIAISON_OFFICE, Role.ADMIN)
READS = (*SEES_ALL, Role.DEPARTMENT_HEAD, Role.STAFF, Role.GRASSROOTS)


def manages(user: User | AnonymousUser) -> bool:
    """The liaison office and admin: awards, reviews (初审), submission and outcomes, exports."""
    return role_of(user) in MANAGES


def reads_awards(user: User | AnonymousUser) -> bool:
    return role_of(user) in READS


def awards_visible_to(user: User | AnonymousUser) -> QuerySet[Award]:
    """Every award for the office; the active ones for everyone else who reads awards; none otherwise."""
    if manages(user):
        return Award.objects.all()
    if reads_awards(user):
        return Award.objects.filter(is_active=True)
    return Award.objects.none()


def nominations_visible_to(user: User | AnonymousUser, queryset: QuerySet | None = None) -> QuerySet:
    """All for leadership, the office and admin; a staff member's teams'; a grassroots account's own
    organisation's; nothing for anyone else."""
    queryset = queryset if queryset is not None else Nomination.objects.all()
    role = role_of(user)
    if role in SEES_ALL:
        return queryset
    if role == Role.GRASSROOTS:
        return queryset.filter(organization_id=grassroots_account_of(user).organization_id)
    if staff_of(user) is not None:
        return queryset.filter(team_id__in=team_ids_of(user))
    return queryset.none()


def is_open(award: Award) -> bool:
    """Nominations are taken while the award is active and until its deadline (the deadline day included)."""
    return award.is_active and timezone.localdate() <= award.deadline


def nominating_teams(user: User | AnonymousUser, award: Award) -> QuerySet[Team]:
    """The teams of the award's year the user leads or belongs to: those they may nominate for."""
    ids = team_ids_of(user) if staff_of(user) is not None else set()
    return (
        Team.objects.filter(pk__in=ids, year__year=award.year)
        .select_related("lead")
        .order_by("kind", "lead__order", "id")
    )


def nominating_organization(user: User | AnonymousUser) -> Organization | None:
    """A grassroots account nominates for its own organisation, and for nothing else."""
    if role_of(user) != Role.GRASSROOTS:
        return None
    return grassroots_account_of(user).organization


def may_nominate(user: User | AnonymousUser, award: Award) -> bool:
    """Whether the user has someone to nominate for (a team of the award's year, or its organisation);
    whether the award still takes nominations is is_open's question."""
    if nominating_organization(user) is not None:
        return True
    return nominating_teams(user, award).exists()


def may_attach(user: User | AnonymousUser, nomination: Nomination) -> bool:
    """Who filed it (the team's lead and members, the organisation's account) and the office add material
    while the nomination is still before review (推荐)."""
    if nomination.state != State.NOMINATED:
        return False
    if manages(user):
        return True
    organization = nominating_organization(user)
    if organization is not None:
        return nomination.organization_id == organization.pk
    return nomination.team_id is not None and nomination.team_id in team_ids_of(user)
