"""Signals the year's plan sends, so that the yearly adjustment (reports/cycle/) can take part in the plan's
pages without liaison importing it (docs/design.md, "Layout": a lower app never imports a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the years page when the liaison office creates a year "延续上一年度", with `source` (the year before
# the one created) and `by` (the user). The yearly adjustment's receiver (reports/cycle/adjustments.py) opens
# the new year from `source` as the adjustment does (teams, members, targets, quota rules, in one
# transaction) and returns the new Year; it raises ValidationError with a Chinese message when it cannot.
year_carry_over = Signal()

# Sent by the team's page with `request`, `team` and `forms` (bound forms a receiver handed back after a
# failed post, else {}); each receiver returns an HTML fragment (safe, rendered by its own template) or ""
# — e.g. the 调整与建议 section with the team lead's proposal form (reports/cycle/team_section.py).
team_page_sections = Signal()
