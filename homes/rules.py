"""Who may see and change the homes (autodiscovered by django-rules), stated on the data as in liaison/rules.py.

- Everyone who works here (staff of any role) and admin read every home, the list, the roll-up and the export.
- The liaison office and admin fill in any checklist and name or withdraw 联系点 / 示范点.
- A grassroots account reads and fills in its own organisation's checklist (points, notes, evidence), never
  another's, and never the flags (liaison/filing/scope.py lets it reach these pages; the views check the
  organisation).
"""

from __future__ import annotations

import rules

from liaison.people.access import (
    Role,
    grassroots_account_of,
    is_admin,
    is_liaison_office,
    is_staff_member,
    role_of,
)


@rules.predicate
def is_own_grassroots(user, organization) -> bool:
    if organization is None or role_of(user) != Role.GRASSROOTS:
        return False
    account = grassroots_account_of(user)
    return account is not None and account.organization_id == organization.pk


may_read_all = is_staff_member | is_admin
rules.add_perm("homes.view_homes", may_read_all)
rules.add_perm("homes.view_home", may_read_all | is_own_grassroots)
rules.add_perm("homes.fill_checklist", is_liaison_office | is_admin | is_own_grassroots)
rules.add_perm("homes.manage_designations", is_liaison_office | is_admin)
