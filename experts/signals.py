"""Signals the registry of scientists sends, so that the apps above it can add to its pages without the
registry importing them (docs/design.md, "Layout": a lower app never imports a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the scientist's page with request and scientist; each receiver returns an HTML fragment (safe,
# rendered by its own template) or "" — e.g. the liaison network's 联系网络 (reports/network/panel.py).
scientist_page_sections = Signal()
