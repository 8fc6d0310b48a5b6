"""Personal data (phone, email of scientists and officers): how it looks masked, and the signal a page or an
export sends when it shows some unmasked (docs/design.md, "Personal data").

Who may see whose contact details is decided in liaison (liaison/privacy/rule.py), which also listens to
`contact_details_shown` and writes the view log: the registries below it only ask the permission and send
the signal (imports run one way, docs/design.md "Layout").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.dispatch import Signal
from django.http import HttpRequest

MASK = "****"

# Sent with request, what (the page's URL name or the export's name) and people (a list of Person).
contact_details_shown = Signal()


class Kind:
    SCIENTIST = "scientist"
    OFFICER = "officer"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class Person:
    """Whose contact details were shown: a scientist, an officer or an organisation (its contact person)."""

    kind: str
    id: int
    name: str


def mask_phone(value: str) -> str:
    """138****5678: the first three and the last four characters stay, so a person who knows the number
    recognises it, and nobody can dial it. Short values are masked whole."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 7:
        return MASK
    return f"{value[:3]}{MASK}{value[-4:]}"


def mask_email(value: str) -> str:
    """z***@example.org: the first letter and the domain stay."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def is_masked(value: object) -> bool:
    """A masked value read back from an export (the importer keeps what is stored instead)."""
    return isinstance(value, str) and ("****" in value or "***@" in value or value == "***")


def shown_phone(value: str, visible: bool) -> str:
    return value if visible else mask_phone(value)


def shown_email(value: str, visible: bool) -> str:
    return value if visible else mask_email(value)


def record_shown(request: HttpRequest, what: str, people: Iterable[Person]) -> None:
    """Tell the view log that this request showed these people's unmasked contact details (nothing is sent
    when nobody's were shown: a masked view is not logged)."""
    people = list(people)
    if people:
        contact_details_shown.send(sender=record_shown, request=request, what=what, people=people)


class LogsContactViews:
    """ModelAdmin mixin: the admin's change page (and change list) of a model with contact details is a view
    of personal data too, logged like the site's pages. `people_shown(objects)` names the people an admin page
    of these objects shows."""

    def people_shown(self, objects) -> list[Person]:
        raise NotImplementedError

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and original is not None:
            record_shown(request, f"admin:{self.opts.label_lower}_change", self.people_shown([original]))
        return response

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None and self.lists_contacts:
            record_shown(
                request,
                f"admin:{self.opts.label_lower}_changelist",
                self.people_shown(changelist.result_list),
            )
        return response

    lists_contacts = False  # whether the change list shows a phone or email column
