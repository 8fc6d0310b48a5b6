"""Reading a page as a browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser


class _Hidden(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values[found["name"]] = found.get("value") or ""


def hidden_inputs(html: str | bytes) -> dict[str, str]:
    """The hidden inputs of a page (the version and snapshot an edit form carries, the CSRF token…)."""
    parser = _Hidden()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.values
