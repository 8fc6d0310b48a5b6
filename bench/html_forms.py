"""What a browser would submit from a page's form, for the scripts that drive the app over HTTP
(bench/locustfile.py, bench/two_servers.py): no test-client shortcuts, the real form with its CSRF token."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """What a browser would submit from the first POST form that has a field named `marker_field`:
    hidden and text inputs, ticked boxes, each select's chosen (or first) option, textareas."""

    def __init__(self, marker_field: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker_field = marker_field
        self.fields: list[tuple[str, str]] | None = None
        self.unticked: list[tuple[str, str]] = []
        self._current: list[tuple[str, str]] | None = None
        self._unticked: list[tuple[str, str]] = []
        self._select: tuple[str, str | None, str | None] | None = None  # name, first value, chosen value
        self._option: tuple[str, bool] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and self.fields is None:
            self._current, self._unticked = [], []
        if self._current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                (self._current if "checked" in a else self._unticked).append((name, a.get("value", "on")))
                return
            self._current.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, None, None)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = (value, "selected" in a) if value is not None else ("", "selected" in a)
            name, first, chosen = self._select
            self._select = (name, first if first is not None else self._option[0], chosen)
            if self._option[1]:
                self._select = (name, self._select[1], self._option[0])
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self._current.append((name, chosen if chosen is not None else (first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._current.append((self._textarea[0], "".join(self._textarea[1]).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            if any(name == self.marker_field for name, _ in self._current):
                self.fields, self.unticked = self._current, self._unticked
            self._current = None


SELECT = re.compile(r"(<select[^>]*>)(.*?)(</select>)", re.S)
CHOSEN = re.compile(r"<option[^>]*\bselected\b[^>]*>")
FIRST = re.compile(r"<option[^>]*>")


def chosen_options_only(html: str) -> str:
    """Each <select> with only the option a browser would send (the selected one, else the first): the
    record form's demand part lists thousands of staff, and parsing them in Python would load the load
    generator, which shares the machine's cores with the server."""

    def keep(match: re.Match) -> str:
        option = CHOSEN.search(match.group(2)) or FIRST.search(match.group(2))
        return match.group(1) + (option.group(0) + "</option>" if option else "") + match.group(3)

    return SELECT.sub(keep, html)
