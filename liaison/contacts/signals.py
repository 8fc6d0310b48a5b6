"""Signals the contact record's page sends, so that the apps above liaison can add to it without liaison
importing them (docs/design.md, "Layout": a lower app never imports a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the record's page with `request` and `record`; each receiver returns an HTML fragment (safe,
# rendered by its own template) or "" — e.g. the questionnaires of the record's scientists
# (surveys/sections.py: 填写问卷 during the contact).
record_page_sections = Signal()
