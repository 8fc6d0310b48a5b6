"""Who may do what with surveys (autodiscovered by django-rules), stated on the data as in liaison/rules.py.

- design, open, close, send, make links, export: the liaison office and admin (issue 20 §1);
- read the results and the progress: the office, leadership and admin;
- fill in an invitation: the members and lead of the invitation's team, the office and admin;
- grassroots accounts: nothing (liaison/filing/scope.py refuses them every page here).
"""

from __future__ import annotations

import rules

from liaison.people.access import is_admin, is_leadership, is_liaison_office, is_staff_member, team_ids_of

may_manage = is_liaison_office | is_admin


@rules.predicate
def is_on_invitation_team(user, invitation) -> bool:
    return bool(invitation is not None and invitation.team_id and invitation.team_id in team_ids_of(user))


rules.add_perm("surveys.manage_survey", may_manage)
rules.add_perm("surveys.view_results", may_manage | is_leadership)
# the surveys page (待填写问卷 for staff; the list of surveys for those who read them) and the nav entry
rules.add_perm("surveys.view_surveys", is_staff_member | is_admin)
rules.add_perm("surveys.fill_invitation", may_manage | is_on_invitation_team)
