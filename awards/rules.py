"""Permissions of the awards (autodiscovered by django-rules); the rules on objects are in awards/access.py."""

from __future__ import annotations

import rules

from awards.access import manages, reads_awards

# The awards list and pages: everyone who works here and the grassroots accounts (their own nominations only).
rules.add_perm("awards.view_awards", rules.predicate(reads_awards))
# Awards, reviews (初审), submission (报送), outcomes and the export: the liaison office and admin.
rules.add_perm("awards.manage_awards", rules.predicate(manages))
