"""Signals the registry of organisations sends, so that the apps above it can add to its pages without the
registry importing them (docs/design.md, "Layout": a lower app never imports a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the organisation's page with request and organization (its officers and children prefetched); each
# receiver returns an HTML fragment (safe, rendered by its own template) or "" — e.g. the hub's contact
# timeline, teams, demands and sub-organisations' activity (reports/hub/sections.py).
organization_page_sections = Signal()
