"""Comparing two revisions of a filing (issue 16 §2): which lines were added, removed, or kept with a changed
post or tenure of the officer.

A line is "the same" in both when the same officer (the officer row, or the copied name where the officer
was deleted since) keeps in touch with the same person (the registry scientist, or else the proposal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liaison.models import FilingEntry, FilingRevision


@dataclass(frozen=True)
class ChangedLine:
    before: FilingEntry
    after: FilingEntry

    @property
    def what(self) -> list[str]:
        changes = []
        if self.before.post != self.after.post:
            changes.append(f"职务：{self.before.get_post_display()} → {self.after.get_post_display()}")
        if self.before.tenure != self.after.tenure:
            was = self.before.get_tenure_display() or "未填"
            now = self.after.get_tenure_display() or "未填"
            changes.append(f"任职方式：{was} → {now}")
        return changes


@dataclass
class Comparison:
    older: FilingRevision | None
    newer: FilingRevision
    added: list[FilingEntry] = field(default_factory=list)
    removed: list[FilingEntry] = field(default_factory=list)
    changed: list[ChangedLine] = field(default_factory=list)
    unchanged: list[FilingEntry] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _key(entry: FilingEntry) -> tuple:
    officer = ("officer", entry.officer_id) if entry.officer_id else ("name", entry.officer_name)
    person = ("scientist", entry.scientist_id) if entry.scientist_id else ("proposal", entry.proposal_id)
    return officer, person


def entries_of(revision: FilingRevision) -> list[FilingEntry]:
    """A revision's lines with what the pages show of them: one query."""
    return list(revision.entries.select_related("scientist", "proposal").order_by("officer_name", "id"))


def compare(older: FilingRevision | None, newer: FilingRevision) -> Comparison:
    """`newer` against `older` (None: everything in `newer` is added). Two queries."""
    result = Comparison(older, newer)
    before = {_key(e): e for e in entries_of(older)} if older is not None else {}
    after = entries_of(newer)
    seen = set()
    for entry in after:
        key = _key(entry)
        seen.add(key)
        was = before.get(key)
        if was is None:
            result.added.append(entry)
        elif (was.post, was.tenure) != (entry.post, entry.tenure):
            result.changed.append(ChangedLine(was, entry))
        else:
            result.unchanged.append(entry)
    result.removed = [e for key, e in before.items() if key not in seen]
    return result
