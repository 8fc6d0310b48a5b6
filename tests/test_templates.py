"""Templates keep JavaScript and CSS in static files, so a strict Content-Security-Policy holds (docs/design.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
PDF_LAYOUTS = Path(settings.BASE_DIR) / "templates" / "reports" / "duty" / "pdf"


def test_templates_are_found():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_inline_script_handler_or_style(path):
    if path.name == "500.html":  # rendered without the site shell when everything else failed
        return
    if PDF_LAYOUTS in path.parents:  # print layouts for WeasyPrint, never served as pages: <style> allowed
        assert not INLINE_SCRIPT.search(path.read_text(encoding="utf-8")), "inline <script>"
        return
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>"
    assert not EVENT_HANDLER.search(text), "on…= handler"
    assert not STYLE_ATTRIBUTE.search(text), "inline style"


def test_csp_header_is_strict(liaison_client):
    header = liaison_client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "style-src 'self'" in header
    assert "unsafe-inline" not in header


def test_unknown_page_is_a_chinese_404(liaison_client):
    response = liaison_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
