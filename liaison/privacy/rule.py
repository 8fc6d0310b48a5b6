"""The one rule for contact details (phone, email) of scientists and organisations' officers
(docs/design.md, "Personal data"; issue 17 §4):

- leadership, the liaison office (and a superuser) see everyone's;
- the lead and the members of a team of the current year that has the person as a target see that person's;
  for an officer (and an organisation's own contact person and phone) the target is the organisation;
- a grassroots account sees its own organisation's (its officers' phones, which it keeps up to date);
- everyone else sees them masked (138****5678, z***@example.org).

"This year" is the calendar year of today: teams of that Year, assignments not ended (an assignment ended
today or earlier no longer counts). Pages, JSON and exports all ask `may_see_contact_details` or, for a list,
`contact_visible_ids`; the permissions "experts.view_scientist_contact" and "orgs.view_organization_contact"
(liaison/rules.py) are this rule, so the registries below liaison ask it through `user.has_perm(perm, obj)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone

from common.personal_data import Kind
from liaison.models import Assignment
from liaison.people.access import Role, grassroots_account_of, role_of, staff_of, team_ids_of


def sees_all_contacts(user: User | AnonymousUser) -> bool:
    """Leadership, the liaison office and a superuser see every person's contact details."""
    return role_of(user) in (Role.LEADERSHIP, Role.LIAISON_OFFICE, Role.ADMIN)


def targets_this_year(user: User | AnonymousUser) -> tuple[frozenset[int], frozenset[int]]:
    """(scientist ids, organisation ids) targeted this year by the teams the user leads or belongs to (for a
    grassroots account: its own organisation): one query beside the user's teams (team_ids_of, which the
    pages read anyway), cached on the user object for the request."""
    if not hasattr(user, "_kexie_contact_targets"):
        staff = staff_of(user)
        scientists: set[int] = set()
        organizations: set[int] = set()
        account = grassroots_account_of(user) if staff is None else None
        if account is not None:
            organizations.add(account.organization_id)
        teams = team_ids_of(user) if staff is not None else set()
        if teams:
            today = timezone.localdate()
            # by the user's team ids, not "lead or member" in the query: that form joined every team of the
            # year to its members (5 ms at 2,000 teams, on every search page); no ordering, or DISTINCT
            # would count the default ordering's columns too
            rows = (
                Assignment.objects.filter(team_id__in=teams, team__year__year=today.year)
                .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
                .order_by()
                .values_list("scientist_id", "organization_id")
                .distinct()
            )
            for scientist_id, organization_id in rows:
                if scientist_id:
                    scientists.add(scientist_id)
                if organization_id:
                    organizations.add(organization_id)
        user._kexie_contact_targets = (frozenset(scientists), frozenset(organizations))
    return user._kexie_contact_targets


def _kind_and_id(person) -> tuple[str, int]:
    """The kind of target that decides a person's visibility: a scientist itself, an officer's organisation."""
    label = person._meta.label_lower
    if label == "experts.scientist":
        return Kind.SCIENTIST, person.pk
    if label == "orgs.officer":
        return Kind.ORGANIZATION, person.organization_id
    if label == "orgs.organization":
        return Kind.ORGANIZATION, person.pk
    raise TypeError(f"no contact rule for {label}")


def may_see_contact_details(user: User | AnonymousUser, person=None) -> bool:
    """Whether the user sees this person's phone and email unmasked; without a person: everyone's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_all_contacts(user):
        return True
    if person is None:
        return False
    kind, pk = _kind_and_id(person)
    scientists, organizations = targets_this_year(user)
    return pk in (scientists if kind == Kind.SCIENTIST else organizations)


def contact_visible_ids(user: User | AnonymousUser, kind: str, ids: Iterable[int]) -> set[int]:
    """The ids among `ids` whose contact details the user sees (kind: Kind.SCIENTIST or Kind.ORGANIZATION,
    for officers give their organisations' ids). At most one query whatever the number of ids."""
    ids = set(ids)
    if not user.is_authenticated or not user.is_active:
        return set()
    if sees_all_contacts(user):
        return ids
    scientists, organizations = targets_this_year(user)
    return ids & (scientists if kind == Kind.SCIENTIST else organizations)
