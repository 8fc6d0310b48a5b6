"""Finding contact targets (organisations and scientists) by name, pinyin or initials."""

from __future__ import annotations

from dataclasses import dataclass

from common.pinyin import search_by_name
from experts.models import Scientist
from liaison.compliance import categories
from liaison.compliance.categories import default_category
from orgs.models import Organization

SEARCH_LIMIT = 8


@dataclass(frozen=True)
class Found:
    value: str  # "org:<id>" or "sci:<id>", what forms post
    name: str
    detail: str
    category: str

    @property
    def category_label(self) -> str:
        return categories.label(self.category) if self.category else "不计入定额"


def search_targets(text: str, limit: int = SEARCH_LIMIT) -> list[Found]:
    """Active organisations then active scientists matching the text: two queries."""
    text = (text or "").strip()
    if not text:
        return []
    orgs = search_by_name(Organization.objects.active(), text)[:limit]
    people = Scientist.objects.active().search(text)[:limit]
    return [
        Found(f"org:{o.pk}", o.name, o.get_kind_display(), default_category(organization=o)) for o in orgs
    ] + [
        Found(
            f"sci:{s.pk}", s.name, f"{s.employer} · {s.get_category_display()}", default_category(scientist=s)
        )
        for s in people
    ]
