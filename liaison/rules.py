"""Permissions of every app, stated once as rules on the data (autodiscovered by django-rules).

The lower apps (orgs, experts) only ask for permission names such as "orgs.change_organization"; the
answer is decided here, from the user's Staff record (docs/design.md: imports run top to bottom).
"""

from __future__ import annotations

import rules

from liaison.people.access import heads_liaison_office, is_admin, is_auditor, is_liaison_office
from liaison.privacy.rule import may_see_contact_details

can_manage_registries = is_liaison_office | is_admin

# Registries: everyone logged in reads; the liaison office and admin create, edit and deactivate.
REGISTRY_PERMISSIONS = [
    "orgs.add_organization",
    "orgs.change_organization",
    "experts.add_scientist",
    "experts.change_scientist",
    "liaison.add_staff",
    "liaison.change_staff",
    "liaison.add_department",
    "liaison.change_department",
]
for name in REGISTRY_PERMISSIONS:
    rules.add_perm(name, can_manage_registries)

# Phone and email of scientists and officers are personal data, under one rule (liaison/privacy/rule.py):
# asked with a scientist, an officer or an organisation; without one, "may see everyone's".
may_see_contact = rules.predicate(may_see_contact_details, name="may_see_contact_details")
rules.add_perm("experts.view_scientist_contact", may_see_contact)
rules.add_perm("orgs.view_organization_contact", may_see_contact)

# The year's plan (years, quota rules, teams, assignments): the liaison office and admin change it; everyone
# else reads it (issue: special teams, quota rules and assignments).
rules.add_perm("liaison.manage_plan", can_manage_registries)

# The log of views of personal data: the auditor and the head of the liaison office (liaison/privacy/views.py,
# which asks the rule itself so that a superuser is refused too: 三员分立).
may_read_personal_data_log = is_auditor | heads_liaison_office
rules.add_perm("liaison.view_personal_data_log", may_read_personal_data_log)

# Duplicate scientists (experts/duplicates/): the liaison office and admin find, merge and mark "不是重复";
# only an admin undoes a merge (issue 20 §4).
rules.add_perm("experts.merge_scientist", can_manage_registries)
rules.add_perm("experts.undo_scientist_merge", is_admin)
