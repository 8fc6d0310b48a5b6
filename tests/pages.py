"""Reading a page as a browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "file", "reset", "image"}


class _Forms(HTMLParser):
    """Every <form method="post"> of a page: the values a browser would send (checked boxes, the selected
    option or else the first, text areas' text)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = [] if a.get("method", "get").lower() == "post" else None
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in _NOT_SENT and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on")))
            else:
                self._form.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_data(html: str | bytes, having: str) -> dict[str, str | list[str]]:
    """What the page's post form holding a field named `having` would send, as a dict for the test client
    (a name sent several times, such as ticked boxes, becomes a list)."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    for form in parser.forms:
        if any(name == having for name, _ in form):
            data: dict[str, list[str]] = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    raise AssertionError(f"no post form with a field named {having!r}")
