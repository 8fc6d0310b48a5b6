"""Signals the staff pages send, so that the apps above liaison can add to them without liaison importing them
(docs/design.md, "Layout": the work knows nothing of its reports)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by a staff member's page with request and staff; each receiver returns an HTML fragment (safe, rendered
# by its own template) or "" — e.g. the hub's teams, records and duty report (reports/hub/sections.py).
staff_page_sections = Signal()
