"""Who may read and act on which organisation's filing (docs/design.md, Roles; issue 16).

- the liaison office and a superuser: every organisation — edit, file on its behalf (代为报备), confirm, send
  back, manage accounts and proposals;
- leadership: reads every filing;
- a grassroots account: its own organisation only — edit its officers and draft, file (报备), revise;
- everyone else: nothing (a grassroots account never reaches another organisation's pages: 404).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison.models import Filing
from liaison.people.access import Role, grassroots_account_of, role_of
from orgs.models import Organization

OFFICE_ROLES = (Role.LIAISON_OFFICE, Role.ADMIN)
READER_ROLES = (*OFFICE_ROLES, Role.LEADERSHIP)


def is_office(user: User) -> bool:
    """The liaison office (or a superuser): manages every organisation's filing and accounts."""
    return role_of(user) in OFFICE_ROLES


def require_office(user: User) -> None:
    if not is_office(user):
        raise PermissionDenied


def own_organization_id(user: User) -> int | None:
    """The organisation of a grassroots account (None for everyone else)."""
    account = grassroots_account_of(user) if role_of(user) == Role.GRASSROOTS else None
    return account.organization_id if account is not None else None


def may_read(user: User, organization_id: int) -> bool:
    return role_of(user) in READER_ROLES or own_organization_id(user) == organization_id


def may_edit(user: User, organization_id: int) -> bool:
    """Edit the officers and the draft, file, revise: the organisation itself or the liaison office."""
    return is_office(user) or own_organization_id(user) == organization_id


def check_read(user: User, organization_id: int) -> None:
    """404 for a grassroots account outside its organisation (it must not learn what exists), 403 for a
    working account without the role."""
    if may_read(user, organization_id):
        return
    if role_of(user) == Role.GRASSROOTS:
        raise Http404
    raise PermissionDenied


def check_edit(user: User, organization_id: int) -> None:
    check_read(user, organization_id)
    if not may_edit(user, organization_id):
        raise PermissionDenied


def organization_for(user: User, pk: int, *, edit: bool = False) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    (check_edit if edit else check_read)(user, organization.pk)
    return organization


def filing_for_user(user: User, pk: int, *, edit: bool = False) -> Filing:
    filing = get_object_or_404(Filing.objects.select_related("organization", "year", "in_force"), pk=pk)
    (check_edit if edit else check_read)(user, filing.organization_id)
    return filing
