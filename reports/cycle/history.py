"""The history of a year's plan, newest first: status changes (PlanTransition), recorded adjustments
(PlanChange) and the audit trail of the plan's rows (django-auditlog: the year, its quota rules, teams and
assignments — who changed what, when, old and new values).

Three sources merged into one list that Django's Paginator can page: each page reads at most
page × size rows of each source, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from heapq import merge

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel, Q, QuerySet

from common.actors import actor_name
from liaison.compliance import categories
from liaison.models import Assignment, QuotaRule, Staff, Team, VisitQuota, Year
from reports.models import PlanChange, PlanTransition

SOURCES = {"all": "全部", "workflow": "报审与审定", "changes": "调整记录", "data": "数据变动"}
AUDITED = {
    "year": Year,
    "quotarule": QuotaRule,
    "visitquota": VisitQuota,
    "team": Team,
    "assignment": Assignment,
}
# Bookkeeping fields that say nothing to a reader (the actor and time are shown anyway).
HIDDEN_FIELDS = {
    "id",
    "year",
    "team",
    "created_at",
    "updated_at",
    "created_by",
    "ended_by",
    "ended_at",
    "category_overridden",
    "kind",
    "organization",  # an assignment's text already names its target
    "scientist",
}
FK_MODELS = {"lead": Staff}
ACTIONS = {0: "新增", 1: "修改", 2: "删除", 3: "查看"}


@dataclass
class Entry:
    at: datetime.datetime
    who: str
    source: str  # "workflow" | "changes" | "data"
    action: str
    subject: str
    text: str = ""
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    created: bool = False  # an audited row was created: its values are shown without "old →"

    @property
    def source_label(self) -> str:
        return SOURCES[self.source]


def audit_entries(year: Year) -> QuerySet[LogEntry]:
    """Audit-log rows of the year's plan. Rules and visit quotas are found by their text ("2026 …"), so
    deleted ones still show; teams and assignments by id."""

    def of(model: str) -> Q:
        return Q(content_type__app_label="liaison", content_type__model=model)

    return LogEntry.objects.filter(
        (of("year") & Q(object_id=year.pk))
        | ((of("quotarule") | of("visitquota")) & Q(object_repr__startswith=f"{year.year} "))
        | (of("team") & Q(object_id__in=Team.objects.filter(year=year).values("pk")))
        | (of("assignment") & Q(object_id__in=Assignment.objects.filter(team__year=year).values("pk")))
    )


def _plain(value) -> str:
    if value in (None, "None", ""):
        return "—"
    if value == "True":
        return "是"
    if value == "False":
        return "否"
    return str(value)


class _Display:
    """Turns an audit row's raw changes into (field label, old, new) in Chinese, names looked up in bulk."""

    def __init__(self, entries: list[LogEntry]) -> None:
        wanted: dict[str, set[int]] = {name: set() for name in FK_MODELS}
        for entry in entries:
            for name, values in (entry.changes or {}).items():
                if name in FK_MODELS and isinstance(values, list):
                    wanted[name] |= {int(v) for v in values if str(v).isdigit()}
        self.names = {
            name: {pk: str(obj) for pk, obj in FK_MODELS[name].objects.in_bulk(ids).items()} if ids else {}
            for name, ids in wanted.items()
        }

    def changes(self, entry: LogEntry) -> list[tuple[str, str, str]]:
        model = AUDITED.get(entry.content_type.model)
        rows = []
        for name, values in (entry.changes or {}).items():
            if name in HIDDEN_FIELDS or model is None:
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field since removed: show it by its name
                model_field = None
            if isinstance(model_field, ForeignObjectRel):
                continue  # a reverse relation (e.g. the team's records) is not a value of this row
            label = str(getattr(model_field, "verbose_name", name))
            if isinstance(values, dict) and values.get("type") == "m2m":
                verb = "增加" if values.get("operation") == "add" else "移除"
                rows.append((label, verb, "、".join(values.get("objects", []))))
                continue
            if not isinstance(values, list) or len(values) != 2:
                continue
            old, new = values
            if entry.action == 0 and new in (None, "None", ""):
                continue  # a new row's empty fields
            choices = dict(model_field.choices) if getattr(model_field, "choices", None) else None
            if name in FK_MODELS:
                lookup = self.names[name]
                old = lookup.get(int(old), old) if str(old).isdigit() else old
                new = lookup.get(int(new), new) if str(new).isdigit() else new
            elif choices:
                old, new = choices.get(old, old), choices.get(new, new)
            rows.append((label, _plain(old), _plain(new)))
        return rows


class History:
    """The merged history of a year, sliceable and countable so that Paginator can page it."""

    def __init__(self, year: Year, source: str = "all") -> None:
        self.year = year
        self.source = source if source in SOURCES else "all"

    def _wants(self, source: str) -> bool:
        return self.source in ("all", source)

    def _transitions(self) -> QuerySet[PlanTransition]:
        return (
            PlanTransition.objects.filter(year=self.year).select_related("by__staff").order_by("-at", "-id")
        )

    def _changes(self) -> QuerySet[PlanChange]:
        return PlanChange.objects.filter(year=self.year).select_related("by__staff").order_by("-at", "-id")

    def _audit(self) -> QuerySet[LogEntry]:
        return (
            audit_entries(self.year)
            .select_related("actor__staff", "content_type")
            .order_by("-timestamp", "-id")
        )

    def count(self) -> int:
        total = 0
        if self._wants("workflow"):
            total += self._transitions().count()
        if self._wants("changes"):
            total += self._changes().count()
        if self._wants("data"):
            total += self._audit().count()
        return total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Entry]:
        if not isinstance(index, slice):
            raise TypeError("History is read by slices.")
        stop = index.stop or 0
        streams = []
        if self._wants("workflow"):
            streams.append([self._transition_entry(t) for t in self._transitions()[:stop]])
        if self._wants("changes"):
            streams.append([self._change_entry(c) for c in self._changes()[:stop]])
        if self._wants("data"):
            audit = list(self._audit()[:stop])
            display = _Display(audit)
            streams.append([self._audit_entry(e, display) for e in audit])
        merged = list(merge(*streams, key=lambda e: e.at, reverse=True))
        return merged[index]

    @staticmethod
    def _transition_entry(t: PlanTransition) -> Entry:
        return Entry(
            at=t.at,
            who=actor_name(t.by),
            source="workflow",
            action=t.action_label,
            subject=f"{t.get_from_status_display()} → {t.get_to_status_display()}",
            reason=t.reason,
        )

    @staticmethod
    def _change_entry(c: PlanChange) -> Entry:
        category = categories.label(c.category) if c.category else ""
        text = c.summary + (f"（{category}）" if category and c.kind in ("add", "remove", "replace") else "")
        return Entry(
            at=c.at,
            who=actor_name(c.by),
            source="changes",
            action=c.get_kind_display(),
            subject=c.team_name,
            text=text,
            reason=c.reason,
        )

    @staticmethod
    def _audit_entry(e: LogEntry, display: _Display) -> Entry:
        model = AUDITED.get(e.content_type.model)
        label = str(model._meta.verbose_name) if model else e.content_type.model
        return Entry(
            at=e.timestamp,
            who=actor_name(e.actor),
            source="data",
            action=f"{ACTIONS.get(e.action, '变动')}{label}",
            subject=e.object_repr,
            changes=display.changes(e),
            created=e.action == 0,
        )
