"""The set-wise path of the import (issue 19 §5): every row checked first, nothing written until all are good,
then everything written in bulk in one transaction.

It takes the workbooks that make up nearly all of a large import — 科技工作者 and 联系记录 sheets (new records;
a row with a 记录编号 edits a record and goes the per-row way) — and gives the same result as the per-row path
of __init__.py: the same problems (sheet, row, column, value, Chinese reason), the same counts, and after a real
run the same rows, derived columns and figure stamps. How:

1. Check: the sheets' handlers run as on the per-row path (same parsing, same lookups, same messages), with
   references resolved from dicts filled by a few queries per sheet; where the per-row path saves, these
   handlers run the model's and the service's checks (full_clean, contacts.validate_record) and keep the
   object to write. The checks that would cost a query per row are done set-wise instead: a name that already
   exists is found in the dicts (the key lookups), a reference comes from the dicts so it exists. A scientist
   created on the 科技工作者 sheet is found by the 联系记录 sheet as it would be after the per-row path's save.
2. A dry run stops there: it writes nothing, not even a transaction to roll back, and counts what the real run
   would create, update and leave.
3. Write (no problem found): bulk_create / bulk_update in batches of BATCH rows, in one transaction, doing by
   hand what the models' save() and the signals do on the per-row path — pinyin columns and version
   (Scientist.save, Versioned), the festival of a greeting (ContactRecord.save), the participants, the target
   rows with their team, date, 计入 and 专班联系对象 flags (contacts.sync_targets), each demand's 登记 step
   (contacts.demand_create), the planned contacts the records complete (schedule.complete_new_records, the
   same choice as record_save's), and one bump of the stored figures of every team whose figures the per-row path's
   signals would have bumped (liaison/compliance/signals.py). One audit entry names what the import changed
   (django-auditlog's LogEntry, by the importing user), instead of one per row.
"""

from __future__ import annotations

import datetime
import json
import queue
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from common.occasions import festival_for
from common.pinyin import pinyin_keys
from experts.models import Scientist
from liaison.compliance.signals import bump
from liaison.contacts import services as contacts
from liaison.models import (
    Assignment,
    ContactMethod,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandAction,
    DemandActionKind,
    DemandStatus,
    RecordStatus,
    Staff,
    Team,
)
from liaison.schedule import services as schedule
from orgs.models import Organization

from .base import Invalid
from .context import NAMES, Context, Row, SheetData
from .format import RECORDS, SCIENTISTS, canon
from .records import RecordSheet, demand_kind_for, raised_by
from .registries import ScientistSheet
from .result import ImportResult, Problem

# Rows per INSERT / UPDATE / COPY statement: the pipeline's writer waits on PostgreSQL once per statement, and
# each wait ends only when the checking thread lets go of the GIL; 2,000 → 5,000 took a 100,000-row import
# from 21.2 to 20.2 s (bench/importer.py, docs/performance.md "The sixth round").
BATCH = 5000
# While the pipeline runs, the interpreter switches threads every 0.5 ms instead of 5: the writer, woken by
# PostgreSQL, gets the GIL back sooner from the checking thread (22.5 → 21.2 s for the same import).
SWITCH_INTERVAL = 0.0005
WRITE_CONFLICT = (
    "导入时系统中的数据被他人同时修改（例如新建了同名同单位的科技工作者），未写入任何数据，请重新导入。"
)
FAST_SHEETS = frozenset({SCIENTISTS, RECORDS})

# Checked on the way from the dicts the sheet was resolved with, not by a query per row (see the docstring).
RECORD_REFERENCES = ["team", "author", "deleted_by"]
# A new record's fields that the cell parser (records.py) and the importer already give valid values — a date,
# labels looked up in the format's tables, 联系内容 checked by validate_record, constants — so full_clean need
# not check them again (a fifth of the check phase's model work at 80,000 records). 情况摘要 and 地点 (free
# text with a maximum length) are still checked, with their messages.
RECORD_GIVEN = [
    "version",
    "date",
    "method",
    "channel",
    "occasion",
    "festival_date",
    "topics",
    "grassroots",
    "status",
    "highlighted",
    "is_deleted",
    "deleted_reason",
    "deleted_at",
    "created_at",
    "updated_at",
]
DEMAND_REFERENCES = [
    "record",
    "team",
    "raised_by_scientist",
    "raised_by_organization",
    "handler",
    "handler_department",
]
SCIENTIST_REFERENCES = ["organization"]
# What the 科技工作者 sheet may change on a scientist it finds (ScientistSheet.fields but the key).
SCIENTIST_FIELDS = [
    f for f in ScientistSheet.fields if f not in {"name", "employer"} and not f.startswith("__")
]


def fits(sheets: dict[str, SheetData]) -> bool:
    """Whether this workbook goes the set-wise way: only the sheets above, and no row editing a record."""
    if not set(sheets) <= FAST_SHEETS:
        return False
    records = sheets.get(RECORDS)
    return records is None or not any(row.text("记录编号") for row in records.rows)


# --- what the checks found to write ------------------------------------------------------------------------


@dataclass
class NewRecord:
    record: ContactRecord
    targets: list[Organization | Scientist]
    participants: list[Staff]
    demand: Demand | None


class Pending:
    def __init__(self) -> None:
        self.new_scientists: list[Scientist] = []
        self.changed_scientists: dict[int, Scientist] = {}
        self.records: list[NewRecord] = []


class BulkContext(Context):
    """The per-row path's context, plus the objects waiting to be written; a scientist waiting to be created is
    found by name like one in the database."""

    def __init__(self, result: ImportResult, by: User | None) -> None:
        super().__init__(result, by)
        self.pending = Pending()
        self.today = timezone.localdate()
        self._new_by_name: dict[str, list[Scientist]] = defaultdict(list)

    def load_scientists(self, names: Iterable[str], whole: set[tuple[str, str]] | None = None) -> None:
        """As Context's, without the organisations (these sheets only compare organisation ids), and with the
        scientists waiting to be created. Namesakes are read as key, name and employer — all a record's target
        or a row's match needs — and only the scientists of `whole` (the 科技工作者 rows' own name and employer,
        whose fields the sheet compares and may change) read again in full: the namesakes of a 100,000-row
        workbook are most of the registry, and reading every column of them was a fifth of the check
        (docs/performance.md, "Bulk import")."""
        wanted = sorted({canon(n) for n in names if n} - set(self._scientists))
        for start in range(0, len(wanted), NAMES):
            chunk = wanted[start : start + NAMES]
            for name in chunk:
                self._scientists[name] = []
            found = list(Scientist.objects.only("id", "name", "employer").filter(name__in=chunk))
            if whole:
                changing = [s.pk for s in found if (canon(s.name), canon(s.employer)) in whole]
                full = Scientist.objects.in_bulk(changing) if changing else {}
                found = [full.get(s.pk, s) for s in found]
            for scientist in found:
                self._scientists.setdefault(canon(scientist.name), []).append(scientist)
        for name in wanted:
            self._scientists[name].extend(self._new_by_name.get(name, ()))

    def add_scientist(self, scientist: Scientist) -> None:
        super().add_scientist(scientist)
        if scientist.pk is None:
            self._new_by_name[canon(scientist.name)].append(scientist)

    # --- handing checked rows to the pipeline's writer (real imports on PostgreSQL) -------------------------

    pipeline: Pipeline | None = None
    _records_sent = 0

    def scientists_checked(self) -> None:
        """The 科技工作者 sheet is checked: its new scientists get their keys now, so the records that name
        them can be written before they are (the foreign keys are checked at commit)."""
        if self.pipeline is not None and not self.result.problems:
            reserve_keys(Scientist, self.pending.new_scientists)
            self.pipeline.send("prepare", list(self.pending.new_scientists))

    def records_checked(self, *, last: bool) -> None:
        """Send the records checked since the last batch went (all of them when `last`) to the writer, while
        nothing is wrong: once a row is, nothing will be written and the writer is told at the end."""
        if self.pipeline is None or self.result.problems:
            return
        records = self.pending.records
        if len(records) - self._records_sent >= BATCH or (last and len(records) > self._records_sent):
            self.pipeline.send("records", records[self._records_sent :])
            self._records_sent = len(records)


def checked_clean(obj: models.Model, exclude: list[str]) -> None:
    """full_clean without the checks that cost a query per row (references, unique keys: see the docstring)."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


class BulkScientistSheet(ScientistSheet):
    def run(self) -> None:
        super().run()
        self.ctx.scientists_checked()

    def save(self, row: Row, obj: models.Model, *, exclude: list[str] | None = None) -> None:
        try:
            checked_clean(obj, [*(exclude or []), *SCIENTIST_REFERENCES])
        except ValidationError as exc:
            self.report(row, exc)
            raise Invalid from exc
        pending = self.ctx.pending
        if obj.pk is None:
            pending.new_scientists.append(obj)
        else:
            pending.changed_scientists[obj.pk] = obj


class BulkRecordSheet(RecordSheet):
    def run(self) -> None:
        super().run()
        self.ctx.records_checked(last=True)

    def apply(self, row: Row, item: dict) -> None:
        """contacts.record_save and contacts.demand_create's checks, without the writes."""
        participants = item["participants"]
        record = self.new_record(item, status=RecordStatus.DONE)
        demand = None
        try:
            contacts.validate_record(record, item["targets"], require_targets=False, today=self.ctx.today)
            checked_clean(record, [*RECORD_REFERENCES, *RECORD_GIVEN])
            if item["demand"]:
                demand = Demand(
                    record=record,
                    team_id=record.team_id,
                    kind=item["kind"] or demand_kind_for(item["topics"]),
                    text=item["demand"],
                    status=DemandStatus.PENDING,
                    **raised_by(item["targets"]),
                )
                checked_clean(demand, DEMAND_REFERENCES)
        except ValidationError as exc:
            self.report(row, exc)
            raise Invalid from exc
        self.ctx.pending.records.append(NewRecord(record, item["targets"], participants, demand))
        self.ctx.records_checked(last=False)


HANDLERS = {SCIENTISTS: BulkScientistSheet, RECORDS: BulkRecordSheet}


def run(
    sheets: dict[str, SheetData],
    result: ImportResult,
    tracker: Any,
    *,
    dry_run: bool,
    by: User | None,
    filename: str = "",
) -> None:
    """Check every sheet, then (not a dry run, nothing wrong) write. `tracker`: __init__.Tracker.

    A real import on PostgreSQL outside a transaction (a job, the command) writes while it checks: the
    checked records go in batches to a writer thread with its own connection and transaction (Pipeline), so
    PostgreSQL inserts one batch while Python checks the next; the scientists follow at the end, with the
    stored figures' bumps and the audit entry, and the writer commits only if no row was wrong. Otherwise
    (SQLite, a dry run, inside a caller's transaction) the rows are written after the check, in one
    transaction."""
    ctx = BulkContext(result, by)
    if not dry_run and Pipeline.possible():
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            run_pipelined(ctx, sheets, result, tracker, by=by, filename=filename)
        finally:
            sys.setswitchinterval(switch_interval)
        return
    tracker.check_sheets(sheets, HANDLERS, ctx)
    if result.problems or dry_run:
        return
    try:
        with transaction.atomic():
            writer = Writer(by, lambda n: tracker.set(written=n))
            writer.scientists(ctx.pending.new_scientists, list(ctx.pending.changed_scientists.values()))
            for batch in batches(ctx.pending.records):
                writer.records(batch)
            writer.finish()
            audit(result, by=by, filename=filename)
    except IntegrityError:
        # someone saved a row with the same key between the check and the write: nothing was written
        result.problems.append(Problem("", None, "", "", WRITE_CONFLICT))


def run_pipelined(
    ctx: BulkContext,
    sheets: dict[str, SheetData],
    result: ImportResult,
    tracker: Any,
    *,
    by: User | None,
    filename: str,
) -> None:
    """Check while the Pipeline writes what is checked; it commits only if no row was wrong."""
    ctx.pipeline = Pipeline(by=by)
    ctx.pipeline.start()
    try:
        tracker.check_sheets(sheets, HANDLERS, ctx)
    except BaseException:
        ctx.pipeline.close(commit=False, report=tracker)
        raise
    pending = ctx.pending
    if not result.problems:
        ctx.pipeline.send("finish", pending.new_scientists, list(pending.changed_scientists.values()))
        ctx.pipeline.send("audit", result, filename)
    failed = ctx.pipeline.close(commit=not result.problems, report=tracker)
    if isinstance(failed, IntegrityError):
        result.problems.append(Problem("", None, "", "", WRITE_CONFLICT))
    elif failed is not None:
        raise failed


# --- writing ------------------------------------------------------------------------------------------------


def batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Writer:
    """What the per-row path's saves and signals write, for many rows at once, in the caller's transaction:
    scientists (Scientist.save's pinyin and version), records (contacts.record_save and demand_create), then
    finish: the planned contacts the records complete (liaison/schedule/services.py, as record_save does) and
    one bump of the stored figures of every team the per-row path would have bumped."""

    def __init__(self, by: User | None, progress: Callable[[int], None]) -> None:
        self.by = by
        self.progress = progress
        self.written = 0
        self.assigned = AssignedOn()
        self.records_written: list[ContactRecord] = []
        self.with_demand: set[int] = set()
        self.named: list[tuple[ContactRecord, Sequence]] = []  # each record with its targets (工作计划)
        self.prepared = 0  # new scientists given their pinyin and version already (prepare_scientists)

    def count(self, rows: int) -> None:
        self.written += rows
        self.progress(self.written)

    def prepare_scientists(self, new: list[Scientist]) -> None:
        """What Scientist.save would set on the new scientists (pinyin, version): the pipeline's writer does it
        as soon as the 科技工作者 sheet is checked, while it waits for the first records, rather than at the end."""
        for scientist in new:
            scientist.name_pinyin, scientist.name_initials = pinyin_keys(scientist.name, person=True)
            scientist.version = 1
        self.prepared += len(new)

    def scientists(self, new: list[Scientist], changed: list[Scientist]) -> None:
        now = timezone.now()
        self.prepare_scientists(new[self.prepared :])  # those not prepared yet (all, without the pipeline)
        for batch in batches(new):
            create_objects(Scientist, batch)
            self.count(len(batch))
        for scientist in changed:
            scientist.version = (scientist.version or 0) + 1
            scientist.updated_at = now
        for batch in batches(changed, BATCH // 4):
            Scientist.objects.bulk_update(batch, [*SCIENTIST_FIELDS, "version", "updated_at"])
            self.count(len(batch))

    def records(self, new: Sequence[NewRecord]) -> None:
        """A batch of new records with their participants, target rows and demands."""
        for item in new:
            record = item.record
            record.version = 1
            record.festival_date = (
                festival_for(record.occasion, record.date)
                if record.method == ContactMethod.GREETING
                else None
            )
        self.assigned.load({item.record.team_id for item in new})
        through = ContactRecord.participants.through
        field = ContactRecord._meta.get_field("participants")
        record_column, staff_column = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        today = timezone.localdate()
        for batch in batches(new):
            create_objects(ContactRecord, [item.record for item in batch])
            links, targets, demands = [], [], []
            for item in batch:
                record = item.record
                for staff_id in dict.fromkeys(p.pk for p in item.participants):
                    links.append((record.pk, staff_id))
                # organisations first, then scientists, as contacts.sync_targets writes them
                for target in sorted(item.targets, key=lambda t: not isinstance(t, Organization)):
                    is_org = isinstance(target, Organization)
                    kind = "organization" if is_org else "scientist"
                    targets.append(
                        (
                            record.pk,
                            record.team_id,
                            record.date,
                            True,  # counts: a completed record, not deleted
                            self.assigned(record.team_id, kind, target.pk, record.date),
                            target.pk if is_org else None,
                            None if is_org else target.pk,
                        )
                    )
                if item.demand is not None:
                    item.demand.record = record
                    item.demand.team_id = record.team_id
                    item.demand.version = 1
                    demands.append(item.demand)
                    self.with_demand.add(record.pk)
            insert_rows(through, [record_column, staff_column], links)
            insert_rows(ContactTarget, TARGET_COLUMNS, targets)
            create_objects(Demand, demands)
            create_objects(
                DemandAction,
                [
                    DemandAction(
                        demand=demand,
                        date=today,
                        kind=DemandActionKind.REGISTER,
                        status_after=DemandStatus.PENDING,
                        by=self.by,
                    )
                    for demand in demands
                ],
            )
            self.records_written += [item.record for item in batch]
            self.named += [(item.record, item.targets) for item in batch]
            self.count(len(batch))

    def finish(self) -> None:
        schedule.complete_new_records(self.named)
        if self.records_written:
            bump(*teams_to_bump(self.records_written, self.with_demand))


class Pipeline(threading.Thread):
    """The writer of a real import on PostgreSQL, in a thread of its own with its own connection and one
    transaction: it writes the batches the check sends while the check goes on (the database works on one
    core while Python checks on the other), and commits only when told to. A batch's new records may name
    scientists the import creates: their keys are taken before (reserve_keys) and the rows written last,
    which the deferred foreign keys allow, so the unique (name, employer) keys are held only for the last
    moments, as on the path without the thread."""

    def __init__(self, by: User | None) -> None:
        super().__init__(name="import-writer", daemon=True)
        self.by = by
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.written = 0
        self.error: BaseException | None = None

    @staticmethod
    def possible() -> bool:
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def send(self, *message: Any) -> None:
        self.queue.put(message)

    def close(self, *, commit: bool, report: Any) -> BaseException | None:
        """Tell the writer to commit (or roll back), report its rows written until it has, and return what
        went wrong in it, if anything."""
        self.send("commit" if commit else "rollback")
        while self.is_alive():
            self.join(timeout=0.5)
            if commit and self.written:
                report.set(written=self.written)
        return self.error

    def run(self) -> None:
        try:
            with transaction.atomic():
                writer = Writer(self.by, self.counted)
                while True:
                    action, *args = self.queue.get()
                    if action == "records":
                        writer.records(*args)
                    elif action == "prepare":
                        writer.prepare_scientists(*args)
                    elif action == "finish":
                        writer.scientists(*args)
                        writer.finish()
                    elif action == "audit":
                        result, filename = args
                        audit(result, by=self.by, filename=filename)
                    elif action == "commit":
                        break
                    else:
                        raise _RolledBack
        except _RolledBack:
            pass
        except BaseException as exc:  # noqa: BLE001 — handed to the importing thread, which raises or reports it
            self.error = exc
        finally:
            connection.close()

    def counted(self, written: int) -> None:
        self.written = written


class _RolledBack(Exception):
    pass


def reserve_keys(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Give objects not yet written their primary keys from the table's sequence (PostgreSQL)."""
    if not objs:
        return
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk


TARGET_COLUMNS = ["record_id", "team_id", "date", "counts", "assigned", "organization_id", "scientist_id"]


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """Insert rows of plain values (attribute names as columns) that need no primary key back: COPY on
    PostgreSQL (a third of the time of INSERTs built by bulk_create for the target and participant rows),
    bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows])
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c.removesuffix("_id")).column) for c in columns)
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def create_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """bulk_create(objs), their primary keys set; on PostgreSQL by COPY, the keys taken from the table's sequence
    first (COPY returns nothing): the values are those bulk_create would insert (each field's pre_save — the
    auto_now stamps — and get_db_prep_save) without bulk_create's building of INSERTs and its per-field calls
    (docs/performance.md, "Bulk import")."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    plan = copy_plan(model)
    for obj in objs:  # a reference to an object created earlier in the import: its new key (as bulk_create)
        link_related(obj, plan.relations)
    reserve_keys(model, [obj for obj in objs if obj.pk is None])  # the pipeline reserves scientists' earlier
    now = timezone.now()
    for obj in objs:  # the auto_now stamps, one moment for the whole batch
        for attname in plan.stamped:
            setattr(obj, attname, now)
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,  # psycopg's errors as Django's (IntegrityError: see run)
        cursor.cursor.copy(plan.statement) as copy,
    ):
        values, converted = plan.values, plan.converted
        for obj in objs:
            row = values(obj)
            if converted:
                row = list(row)
                for index, to_db in converted:
                    row[index] = to_db(row[index])
            copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


@dataclass(frozen=True)
class CopyPlan:
    """How a model's objects become COPY rows, worked out once per model (not per object: 4 million
    attribute reads of the fields' flags for the 100,000 objects of bench/importer.py's workbook)."""

    statement: str
    values: Callable[[models.Model], tuple]  # every concrete field's attribute, in column order
    converted: list[tuple[int, Callable[[Any], Any]]]  # (column, attribute value → what COPY writes)
    stamped: list[str]  # auto_now / auto_now_add attributes
    relations: list[models.ForeignKey]


_COPY_PLANS: dict[type[models.Model], CopyPlan] = {}


def copy_plan(model: type[models.Model]) -> CopyPlan:
    plan = _COPY_PLANS.get(model)
    if plan is None:
        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        converted = []
        for index, field in enumerate(fields):
            to_db = column_value(field)
            if to_db is not as_is:
                converted.append((index, to_db))
        plan = _COPY_PLANS[model] = CopyPlan(
            statement=f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN",
            values=attrgetter(*(f.attname for f in fields)) if len(fields) > 1 else _one(fields[0].attname),
            converted=converted,
            stamped=[
                f.attname
                for f in fields
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ],
            relations=[f for f in fields if f.is_relation],
        )
    return plan


def _one(attname: str) -> Callable[[models.Model], tuple]:
    get = attrgetter(attname)
    return lambda obj: (get(obj),)


def link_related(obj: models.Model, relations: list[models.ForeignKey]) -> None:
    """Model._prepare_related_fields_for_save for the foreign keys only, as bulk_create calls it: a related
    object assigned before it had its key gives its key now; one still without a key is refused."""
    cache = obj._state.fields_cache
    for field in relations:
        related = cache.get(field.name)
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(
                f"bulk_create() prohibited to prevent data loss due to unsaved related object '{field.name}'."
            )
        if getattr(obj, field.attname) is None:
            setattr(obj, field.attname, getattr(related, field.target_field.attname))


# Fields whose attribute goes to the database as it is (psycopg adapts it), with the values the import sets:
# text (a TextChoices member is a str and dumped as its value), numbers, booleans, dates, keys.
AS_IS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DateField,  # DateTimeField too
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def column_value(field: models.Field) -> Callable[[Any], Any]:
    """Attribute value → what COPY writes: the value as get_db_prep_save gives it, without its per-value work
    for the plain fields (2 million calls for the records of a 100,000-row import), nor for an empty value
    (a record's offline key and location, which an import never sets)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(field, AS_IS) and type(field).__module__.startswith("django.db.models"):
        return as_is  # Django's own field classes; a project's subclass may convert: below
    if field.null:
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    return lambda value: field.get_db_prep_save(value, connection)


def as_is(value: Any) -> Any:
    return value


class AssignedOn:
    """Whether a target was one of the team's assigned targets on a day (Assignment.objects.in_force_on), for
    the teams loaded, from one query per 500 teams not loaded before."""

    def __init__(self) -> None:
        self.spans: dict[tuple[int, str, int], list[tuple[datetime.date, datetime.date | None]]] = (
            defaultdict(list)
        )
        self.loaded: set[int] = set()

    def load(self, team_ids: set[int]) -> None:
        ids = sorted(team_ids - self.loaded)
        self.loaded.update(ids)
        for start in range(0, len(ids), 500):
            rows = Assignment.objects.filter(team_id__in=ids[start : start + 500]).values_list(
                "team_id", "organization_id", "scientist_id", "start_date", "end_date"
            )
            for team, org, scientist, first, end in rows:
                key = (team, "organization", org) if org else (team, "scientist", scientist)
                self.spans[key].append((first, end))

    def __call__(self, team_id: int, kind: str, target_id: int, day: datetime.date) -> bool:
        return any(
            first <= day and (end is None or end > day)
            for first, end in self.spans.get((team_id, kind, target_id), ())
        )


def teams_to_bump(records: list[ContactRecord], with_demand: set[int]) -> set[int]:
    """The teams whose stored figures the per-row path's signals bump (liaison/compliance/signals.py): each
    record's team (record_changed, team_row_changed), the same lead's teams of a greeting's festival year
    (record_changed), and the same lead's teams of the record's year and later for a new demand
    (demand_changed)."""
    teams = {record.team_id for record in records}
    festival_years: dict[int, set[int]] = defaultdict(set)
    demand_from: dict[int, int] = {}
    for record in records:
        lead, year = record.team.lead_id, record.team.year.year
        if record.festival_date is not None:
            festival_years[lead].add(record.festival_date.year)
        if record.pk in with_demand:
            demand_from[lead] = min(year, demand_from.get(lead, year))
    # the leads' teams read in one query and sorted here: an OR of a condition per lead, 200 to a query, took
    # 1.0–1.7 s for the 80,000 records of bench/importer.py's workbook, this 0.2–0.5 s (on a loaded machine)
    leads = sorted(set(festival_years) | set(demand_from))
    for start in range(0, len(leads), 5000):
        rows = Team.objects.filter(lead_id__in=leads[start : start + 5000]).values_list(
            "pk", "lead_id", "year__year"
        )
        for pk, lead, year in rows:
            if year in festival_years.get(lead, ()) or (lead in demand_from and year >= demand_from[lead]):
                teams.add(pk)
    return teams


def audit(result: ImportResult, *, by: User | None, filename: str) -> None:
    """One audit entry for the whole import: the file, and what each sheet created and updated (the per-row
    path's entries, one per saved row, would be tens of thousands at this size)."""
    changed = {name: [c.created, c.updated] for name, c in result.sheets if c.created or c.updated}
    if not changed:
        return  # nothing was written: nothing to log, as on the per-row path
    what = "；".join(f"{name}新建 {n} 条、更新 {m} 条" for name, (n, m) in changed.items())
    model = ContactRecord if RECORDS in changed else Scientist
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=f"工作簿导入{('“' + filename + '”') if filename else ''}：{what}"[:1000],
        action=LogEntry.Action.CREATE,
        changes={name: ["", f"新建 {n}，更新 {m}"] for name, (n, m) in changed.items()},
        changes_text=what,
        actor=by,
        additional_data={"import": {"file": filename, "counts": changed}},
    )
