"""Permissions of the review cycle (autodiscovered by django-rules), stated on the data as in liaison/rules.py.

- The year-end review, the change history, the party-group workbook and the approval scan: the liaison
  office, leadership and admin (issue: "a page for the liaison office and leadership").
- Opening, changing, submitting, taking back and approving a plan: "liaison.manage_plan" (the liaison office
  and admin), the same permission as the plan pages.
- Proposing a change for a team (调整与建议): that team's lead and members (issue 18 §3).
"""

from __future__ import annotations

import rules

from liaison.people.access import is_admin, is_leadership, is_liaison_office, is_staff_member


@rules.predicate
def is_lead_of(user, team) -> bool:
    return bool(team is not None and user.is_authenticated and team.lead.user_id == user.pk)


rules.add_perm("reports.view_review", is_liaison_office | is_leadership | is_admin)


@rules.predicate
def is_member_of(user, team) -> bool:
    return bool(team is not None and user.is_authenticated and team.members.filter(user_id=user.pk).exists())


rules.add_perm("reports.propose_change", is_lead_of | is_member_of)
# The leadership dashboard: leadership, the liaison office and admin (their home page).
rules.add_perm("reports.view_dashboard", is_liaison_office | is_leadership | is_admin)
# Exports of the registries and the plan: every staff member and admin (the nav asks this; io_views decides
# each file by the same predicates).
rules.add_perm("reports.export_registries", is_staff_member | is_admin)
# The network (点、线、面) and the year overview of filings: the liaison office, leadership and admin (issue 16
# §3–4); the reminder emails are sent by the office (and admin), who manage the filings.
rules.add_perm("reports.view_network", is_liaison_office | is_leadership | is_admin)
rules.add_perm("reports.send_filing_reminders", is_liaison_office | is_admin)
# The links on a scientist's page: everyone who works here (a grassroots account sees no teams).
rules.add_perm("reports.view_scientist_links", is_staff_member | is_admin)
