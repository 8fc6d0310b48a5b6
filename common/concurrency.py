"""No lost update: a save made on a stale copy is refused (docs/design.md, "No lost update").

Every record that several people may edit carries `version`, raised by each save. An edit form carries the
version the user started from and a signed snapshot of the values they saw (hidden fields). On save the view
re-reads the row under a lock (`claim`): if the version moved, somebody else saved in between; the form is
shown again with everything this user typed and, field by field, what the other person changed, by whom and
when; saving again then overwrites knowingly. Two saves from the same copy therefore never both succeed:
on PostgreSQL the second waits on the first's row lock and then sees the new version.

Written here rather than taken from django-concurrency, which checks every `save()` of the model (imports,
signals, services), raising where no user can be shown anything, and which does not say what changed.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.actors import actor_name

VERSION_FIELD = "version"
SNAPSHOT_FIELD = "seen"
_SALT = "common.concurrency.snapshot"


class Versioned(models.Model):
    """A row that edit forms guard against lost updates: every save raises its version."""

    # db_default: rows written outside the ORM (COPY in demo/scale.py, SQL by hand) start at 0 too
    version = models.PositiveIntegerField("版本", default=0, db_default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.version = (self.version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, VERSION_FIELD}
        super().save(*args, **kwargs)


def lock(instance: Versioned) -> Versioned:
    """The row re-read under a lock for the rest of the transaction (a no-op lock on SQLite, whose writes
    are serialised anyway)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _plain(value):
    """A value as JSON can hold it: objects by primary key, lists sorted, dates as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time | decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Change:
    label: str
    was: str
    now: str


@dataclass(frozen=True)
class Conflict:
    who: str
    when: datetime.datetime | None
    changes: list[Change] | None  # None: not known (a page without the values it was opened with)

    def message(self) -> str:
        """The form's error: who saved in between, what they changed; the form still holds what was typed."""
        if self.changes is None:
            return (
                "保存未成功：这条记录在您打开页面之后已被修改，或页面已过期。您填写的内容仍在下面，"
                "请核对后再次保存。"
            )
        when = f"于 {timezone.localtime(self.when):%m-%d %H:%M} " if self.when else ""
        head = format_html(
            "保存未成功：在您编辑期间，{}{}保存了这条记录。您填写的内容仍在下面，请核对后再次保存"
            "（再次保存将以您填写的内容为准）。",
            self.who,
            when,
        )
        if not self.changes:
            return format_html("{}<div>对方的修改不涉及本页显示的内容。</div>", head)
        items = format_html_join(
            "", "<li>{}：原为“{}”，对方改为“{}”</li>", ((c.label, c.was, c.now) for c in self.changes)
        )
        return format_html('{}<ul class="mb-0">{}</ul>', head, items)


def last_editor(instance: models.Model, entries=None) -> tuple[str, datetime.datetime | None]:
    """Who saved the row last and when, from the audit log (staff name where there is one); `entries`: the
    log entries to look in instead of the row's own."""
    from auditlog.models import LogEntry

    entries = entries if entries is not None else LogEntry.objects.get_for_object(instance)
    entry = entries.select_related("actor").order_by("-timestamp").first()
    if entry is None:
        return "其他用户", getattr(instance, "updated_at", None)
    if entry.actor is None:
        return "系统（导入或后台处理）", entry.timestamp
    return actor_name(entry.actor), entry.timestamp


class VersionedFormMixin:
    """For a ModelForm of a `Versioned` model: carries the version and the values the user started from.

    `snapshot_extra` names values that are not model fields (a record's targets): a mapping of name →
    (label, function of the instance returning the value, function turning stored values into text).
    """

    snapshot_extra: dict[str, tuple[str, Callable, Callable]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.fields[SNAPSHOT_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.conflict: Conflict | None = None
        if getattr(self, "instance", None) is not None and self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = self.instance.version
            # computed when the page is rendered, after subclasses have filled in their initial values
            self.fields[SNAPSHOT_FIELD].initial = self._snapshot

    def _snapshot(self) -> str:
        return signing.dumps(self._values(self.instance, self.initial), salt=_SALT)

    # -- what the user saw, and what is there now ---------------------------------------------------------

    def _compared(self) -> list[str]:
        meta = getattr(self, "_meta", None)  # a plain Form compares only its `snapshot_extra`
        return [
            name
            for name in (meta.fields if meta is not None else None) or []
            if name in self.fields and name not in (VERSION_FIELD, SNAPSHOT_FIELD)
        ]

    def _values(self, instance, known: dict | None = None) -> dict:
        """The compared values of `instance`; `known` (the form's initial) saves re-reading relations."""
        names = self._compared()
        if known is None or any(name not in known for name in names):
            known = model_to_dict(instance, names)
        values = {name: _plain(known[name]) for name in names}
        for name, (_label, read, _show) in self.snapshot_extra.items():
            values[name] = _plain(read(instance))
        return values

    def _seen(self) -> dict | None:
        try:
            return signing.loads(self.data.get(self.add_prefix(SNAPSHOT_FIELD), ""), salt=_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def _text(self, name: str, value) -> str:
        if name in self.snapshot_extra:
            return self.snapshot_extra[name][2](value) or "（空）"
        field = self.instance._meta.get_field(name)
        if value in (None, "", []):
            return "（空）"
        if field.many_to_many or field.many_to_one or field.one_to_one:
            related = field.related_model._default_manager.filter(
                pk__in=value if field.many_to_many else [value]
            )
            return "、".join(str(obj) for obj in related) or "（空）"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    def _label(self, name: str) -> str:
        if name in self.snapshot_extra:
            return self.snapshot_extra[name][0]
        return str(self.fields[name].label or self.instance._meta.get_field(name).verbose_name)

    def last_editor(self, current) -> tuple[str, datetime.datetime | None]:
        return last_editor(current)

    # -- the check at save time ----------------------------------------------------------------------------

    def claim(self) -> bool:
        """Inside the saving transaction: lock the row and check it is the version the user started from.
        On a conflict the form gets the error and, for the next save, the current version and values."""
        if getattr(self, "instance", None) is None or self.instance.pk is None:
            return True
        current = lock(self.instance)
        started = self.cleaned_data.get(VERSION_FIELD)
        if started == current.version:
            self.instance.version = current.version
            return True
        seen = self._seen() if started is not None else None
        now = self._values(current)
        changes = None
        if seen is not None:
            changes = [
                Change(self._label(name), self._text(name, seen.get(name)), self._text(name, now.get(name)))
                for name in [*now, *(name for name in seen if name not in now)]
                if seen.get(name) != now.get(name)
            ]
        who, when = self.last_editor(current)
        self.conflict = Conflict(who, when, changes)
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = str(current.version)
        self.data[self.add_prefix(SNAPSHOT_FIELD)] = signing.dumps(now, salt=_SALT)
        self.add_error(None, self.conflict.message())
        return False


def names_of(model: type[models.Model]) -> Callable[[Iterable], str]:
    """Text of a stored list of primary keys of `model` (for `snapshot_extra`)."""

    def show(pks) -> str:
        return "、".join(str(obj) for obj in model._default_manager.filter(pk__in=pks or []))

    return show
