"""Signals the registry of scientists sends, so that the apps above it can add to its pages without the
registry importing them (docs/design.md, "Layout": a lower app never imports a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the scientist's page with request and scientist; each receiver returns an HTML fragment (safe,
# rendered by its own template) or "" — e.g. the liaison network's 联系网络 (reports/network/panel.py).
scientist_page_sections = Signal()

# A merge of two scientists (experts/duplicates/merge.py), inside its transaction, with kept and absorbed
# (Scientist rows): before any row that named the absorbed one moves to the kept one.
scientists_merging = Signal()

# The same merge after the rows moved and the absorbed record was deleted, with kept and absorbed_id, and
# after an undo (restored: the re-created record): the apps above bring what they derive from those rows up
# to date — e.g. liaison/compliance/signals.py marks the teams' stored figures stale.
scientists_merged = Signal()
scientist_merge_undone = Signal()
