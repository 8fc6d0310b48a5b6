"""Merging two records of one scientist, and undoing it (issue 20 §4).

The kept record absorbs the other: every row of any app that names the absorbed record by a foreign key is
moved to the kept one. The rows are found from the model's relations (`referencing_fields`), so the apps above
the registry — contact records, assignments, demands, filings, survey answers, nominations — are covered
without this module importing them. Where the kept record already has the row's twin (a unique constraint
such as "once per team" or "once per record"), the absorbed record's row is deleted and kept whole in the
MergeRecord. The absorbed record is deleted too (lists, searches and the unique name + employer stay clean),
its full row kept in the MergeRecord, from which an admin can undo the merge within the calendar year.

Rows are moved by UPDATE, so model signals do not fire: the apps above react to `scientists_merged` and
`scientist_merge_undone` instead (experts/signals.py), inside the same transaction.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

from experts.duplicates.models import DuplicateDismissal, MergeRecord
from experts.models import Scientist
from experts.signals import scientist_merge_undone, scientists_merged, scientists_merging

# The fields the office chooses between on the merge page, in the page's order.
CHOSEN_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "birthday_lunar",
    "employer",
    "organization",
    "post",
    "title",
    "discipline",
    "category",
    "four_heads",
    "mobile",
    "email",
    "notes",
    "is_active",
]
OWN_MODELS = (MergeRecord, DuplicateDismissal)  # the merge history itself is never moved


def referencing_fields() -> Iterator[models.ForeignKey]:
    """Every foreign key (and one-to-one) of any model that points at Scientist, including those without a
    reverse accessor (related_name="+") and the through tables of many-to-many fields."""
    for rel in Scientist._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model in OWN_MODELS or rel.related_model._meta.proxy:
            continue
        yield rel.field


def unique_sets(model: type[models.Model], fk: models.ForeignKey) -> Iterator[tuple[list[str], Any]]:
    """(field names, condition) of each uniqueness over the foreign key."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and fk.name in (constraint.fields or ()):
            yield list(constraint.fields), constraint.condition
    for together in model._meta.unique_together:
        if fk.name in together:
            yield list(together), None
    if fk.unique:
        yield [fk.name], None


def conflicts(fk: models.ForeignKey, kept_id: int, absorbed_id: int) -> list[models.Model]:
    """The absorbed record's rows whose twin the kept record already has (moving them would break a unique
    constraint): these are deleted, the kept record's rows stay."""
    model = fk.model
    rows: dict[Any, models.Model] = {}
    for names, condition in unique_sets(model, fk):
        others = [n for n in names if n != fk.name]
        mine = model._base_manager.filter(**{fk.name: kept_id})
        theirs = model._base_manager.filter(**{fk.name: absorbed_id})
        if condition is not None:
            mine, theirs = mine.filter(condition), theirs.filter(condition)
        if others:
            taken = {tuple(values) for values in mine.values_list(*others)}
        else:
            taken = {()} if mine.exists() else set()
        if not taken:
            continue
        for row in theirs:
            values = tuple(getattr(row, model._meta.get_field(n).attname) for n in others)
            if None not in values and values in taken:
                rows[row.pk] = row
    return list(rows.values())


class _Precise(DjangoJSONEncoder):
    """Datetimes to the microsecond (Django's JSON encoder keeps milliseconds: an undo would not give back
    the same row)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def serialised(objects: list[models.Model]) -> list[dict]:
    """Rows whole, as JSON holds them (Django's "python" serialisation: model, pk, fields)."""
    return json.loads(json.dumps(serializers.serialize("python", objects), cls=_Precise))


def delete_row(row: models.Model) -> list[dict]:
    """Delete a row with what cascades from it; return them all serialised, in the order of deletion."""
    collector = Collector(using=row._state.db, origin=row)
    try:
        collector.collect([row])
    except ProtectedError as error:
        raise ValidationError(
            f"无法合并：{row._meta.verbose_name}“{row}”被其他数据引用，不能删除（{error.protected_objects}）。"
        ) from error
    collector.sort()
    gone: list[models.Model] = []
    for qs in collector.fast_deletes:
        if not qs.model._meta.auto_created:
            gone.extend(qs)
    for model, instances in collector.data.items():
        if not model._meta.auto_created:
            gone.extend(instances)
    data = serialised(gone)
    row.delete()
    return data


def plain(field: models.Field, obj: models.Model) -> Any:
    """A field's value as JSON holds it (a foreign key by its id)."""
    return json.loads(json.dumps(field.value_from_object(obj), cls=_Precise))


def merge_choices(kept: Scientist, absorbed: Scientist) -> dict[str, str]:
    """The default choice per field: the kept record's value, or the absorbed one's where the kept is empty."""
    choices = {}
    for name in CHOSEN_FIELDS:
        field = Scientist._meta.get_field(name)
        mine, theirs = field.value_from_object(kept), field.value_from_object(absorbed)
        choices[name] = "absorbed" if mine in (None, "") and theirs not in (None, "") else "kept"
    return choices


@transaction.atomic
def merge(
    *,
    kept: Scientist,
    absorbed: Scientist,
    take: set[str] | None = None,
    by: User | None,
    versions: tuple[int, int] | None = None,
) -> MergeRecord:
    """Merge `absorbed` into `kept`; `take` names the fields whose value comes from the absorbed record
    (default: merge_choices). `versions` are those the office saw: a record changed since is refused."""
    if kept.pk == absorbed.pk:
        raise ValidationError("不能把一条记录与它自己合并。")
    locked = Scientist.objects.select_for_update().in_bulk([kept.pk, absorbed.pk])
    if len(locked) < 2:
        raise ValidationError("其中一条记录已不存在（可能刚被合并），请返回列表。")
    kept, absorbed = locked[kept.pk], locked[absorbed.pk]
    if versions is not None and versions != (kept.version, absorbed.version):
        raise ValidationError("这两条记录在您核对之后被修改过，请核对最新内容后再合并。")
    if take is None:
        take = {name for name, side in merge_choices(kept, absorbed).items() if side == "absorbed"}
    unknown = set(take) - set(CHOSEN_FIELDS)
    if unknown:
        raise ValidationError(f"不能选择的字段：{'、'.join(sorted(unknown))}。")

    scientists_merging.send(sender=Scientist, kept=kept, absorbed=absorbed)
    absorbed_row = serialised([absorbed])[0]
    moved: list[list] = []
    deleted: list[dict] = []
    for fk in referencing_fields():
        model = fk.model
        for row in conflicts(fk, kept.pk, absorbed.pk):
            deleted.extend(delete_row(row))
        pks = list(model._base_manager.filter(**{fk.name: absorbed.pk}).values_list("pk", flat=True))
        if pks:
            model._base_manager.filter(pk__in=pks).update(**{fk.attname: kept.pk})
            label = model._meta.label_lower
            moved.extend([label, pk, fk.name, absorbed.pk] for pk in pks)

    changes = {}
    for name in CHOSEN_FIELDS:
        field = Scientist._meta.get_field(name)
        if name in take and field.value_from_object(kept) != field.value_from_object(absorbed):
            changes[name] = [plain(field, kept), plain(field, absorbed)]
            setattr(kept, field.attname, field.value_from_object(absorbed))
    absorbed_pk, absorbed_name = absorbed.pk, absorbed.name
    absorbed.delete()
    if changes:
        kept.full_clean()
        kept.save()
    record = MergeRecord.objects.create(
        kept=kept,
        kept_name=kept.name,
        absorbed_id=absorbed_pk,
        absorbed_name=absorbed_name,
        absorbed_row=absorbed_row,
        moved=moved,
        deleted=deleted,
        kept_changes=changes,
        moved_count=len(moved),
        deleted_count=len(deleted),
        merged_by=by,
    )
    scientists_merged.send(sender=Scientist, kept=kept, absorbed_id=absorbed_pk, record=record)
    return record


def undo_refusal(record: MergeRecord, *, today=None) -> str:
    """Why the merge can no longer be undone, or "" (the page shows the button only when it can)."""
    today = today or timezone.localdate()
    if record.undone_at is not None:
        return "这次合并已经撤销过了。"
    if timezone.localtime(record.merged_at).year != today.year:
        return f"只能撤销本年度内的合并，这次合并在 {timezone.localtime(record.merged_at).year} 年。"
    if record.kept_id is None:
        return "保留的记录已不存在（可能已再次合并到其他记录），无法撤销。"
    return ""


@transaction.atomic
def undo(*, record: MergeRecord, by: User | None, today=None) -> Scientist:
    """Re-create the absorbed record with its id and fields, move its rows back, restore the deleted twins
    and the kept record's fields the merge changed (those nobody changed since), all or nothing."""
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    refusal = undo_refusal(record, today=today)
    if refusal:
        raise ValidationError(refusal)
    kept = Scientist.objects.select_for_update().filter(pk=record.kept_id).first()
    if kept is None:
        raise ValidationError("保留的记录已不存在，无法撤销。")
    if Scientist.objects.filter(pk=record.absorbed_id).exists():
        raise ValidationError("原记录的编号已被占用，无法撤销。")
    try:
        with transaction.atomic():
            restored = _restore(record, kept)
            # PostgreSQL checks foreign keys at commit: check them here, so a refusal is a message, not a 500
            connection.check_constraints(table_names=_tables(record))
    except IntegrityError as error:
        raise ValidationError(f"合并之后的数据变化使这次合并无法撤销（{error}）。") from error
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save(update_fields=["undone_at", "undone_by"])
    scientist_merge_undone.send(sender=Scientist, kept=kept, restored=restored, record=record)
    return restored


def _restore(record: MergeRecord, kept: Scientist) -> Scientist:
    changed = False
    for name, (old, new) in record.kept_changes.items():
        field = Scientist._meta.get_field(name)
        if plain(field, kept) == new:  # nobody changed it since the merge
            setattr(kept, field.attname, field.to_python(old))
            changed = True
    if changed:
        kept.save()
    (restored,) = serializers.deserialize("python", [record.absorbed_row])
    restored.save()
    back: dict[tuple, list] = defaultdict(list)
    for label, pk, name, old in record.moved:
        back[(label, name, old)].append(pk)
    for (label, name, old), pks in back.items():
        # only the rows that still name the kept record: a row deleted or changed since stays as it is
        model = apps.get_model(label)
        fk = model._meta.get_field(name)
        model._base_manager.filter(pk__in=pks, **{fk.attname: kept.pk}).update(**{fk.attname: old})
    for obj in reversed(list(serializers.deserialize("python", record.deleted))):
        obj.save()
    return Scientist.objects.get(pk=record.absorbed_id)


def _tables(record: MergeRecord) -> list[str]:
    labels = {label for label, *_ in record.moved} | {row["model"] for row in record.deleted}
    return [Scientist._meta.db_table] + [apps.get_model(label)._meta.db_table for label in labels]
