"""What every sheet does the same way: read a cell or report it, save a model or report why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from . import cells
from .context import Context, Row, SheetData
from .format import canon
from .result import Counts

REQUIRED = "必填，不能为空。"
CONFLICT = "与系统中已有的数据冲突，无法保存。"


class Invalid(Exception):
    """A row that cannot be imported; its problems have been reported already."""


class Sheet:
    name: str = ""
    key_column: str = ""
    # model field → column, to place a model's ValidationError on the right column
    fields: dict[str, str] = {}

    def __init__(self, ctx: Context, data: SheetData) -> None:
        self.ctx = ctx
        self.data = data
        self.counts: Counts = ctx.result.count(self.name)
        self.counts.on_row = ctx.on_row

    def run(self) -> None:
        raise NotImplementedError

    # --- reporting --------------------------------------------------------------------------------------

    def problem(self, row: Row, column: str, reason: str, value: str | None = None) -> None:
        self.ctx.problem(row, self.name, column, reason, value)

    def fail(self, row: Row, column: str, reason: str, value: str | None = None) -> Invalid:
        """Report and return the exception that abandons the row: `raise self.fail(...)`."""
        self.problem(row, column, reason, value)
        return Invalid()

    def report(self, row: Row, error: ValidationError, fields: dict[str, str] | None = None) -> None:
        fields = fields or self.fields
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                column = fields.get(field) or fields.get(NON_FIELD_ERRORS) or self.key_column
                for message in messages:
                    self.problem(row, column, message)
        else:
            for message in error.messages:
                self.problem(row, fields.get(NON_FIELD_ERRORS) or self.key_column, message)

    # --- reading cells ----------------------------------------------------------------------------------

    def required(self, row: Row, column: str) -> str:
        value = row.text(column)
        if not value:
            raise self.fail(row, column, REQUIRED)
        return value

    def cell(self, row: Row, column: str, parse: Callable[..., Any], *args: Any) -> Any:
        """Parse one cell; a bad value is reported and abandons the row."""
        try:
            return parse(row.raw(column), *args)
        except cells.CellError as exc:
            raise self.fail(row, column, str(exc)) from exc

    def required_cell(self, row: Row, column: str, parse: Callable[..., Any], *args: Any) -> Any:
        """A required cell, parsed: empty and unreadable are both reported."""
        if not row.text(column):
            raise self.fail(row, column, REQUIRED)
        return self.cell(row, column, parse, *args)

    def optional(
        self, row: Row, column: str, parse: Callable[..., Any], *args: Any, default: Any = None
    ) -> Any:
        if not row.has(column) or row.text(column) == "":
            return default
        return self.cell(row, column, parse, *args)

    def checked(self, row: Row, checks: list[Callable[[], Any]]) -> list[Any]:
        """Run every check of a row, so that all its bad cells are reported, not just the first."""
        values, bad = [], False
        for check in checks:
            try:
                values.append(check())
            except Invalid:
                values.append(None)
                bad = True
        if bad:
            raise Invalid
        return values

    # --- writing ----------------------------------------------------------------------------------------

    def save(self, row: Row, obj: models.Model, *, exclude: list[str] | None = None) -> None:
        """full_clean, then save in a savepoint: a database refusal is reported, never a server error."""
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as exc:
            self.report(row, exc)
            raise Invalid from exc
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as exc:
            raise self.fail(row, self.key_column, CONFLICT) from exc

    def call(self, row: Row, service: Callable[..., Any], **kwargs: Any) -> Any:
        """Call a service of liaison (plans, contacts); its ValidationError becomes this row's problems."""
        try:
            with transaction.atomic():
                return service(**kwargs)
        except ValidationError as exc:
            self.report(row, exc)
            raise Invalid from exc
        except IntegrityError as exc:
            raise self.fail(row, self.key_column, CONFLICT) from exc

    @staticmethod
    def changes(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """The values that differ from the object's (foreign keys compared by primary key)."""
        changed = {}
        for name, value in values.items():
            field = obj._meta.get_field(name)
            if field.is_relation:
                current = getattr(obj, field.attname)
                if current != (value.pk if value is not None else None):
                    changed[name] = value
            elif getattr(obj, name) != value:
                changed[name] = value
        return changed

    def upsert(
        self, row: Row, obj: models.Model | None, make: Callable[[], models.Model], values: dict
    ) -> Any:
        """Create the object, or update the fields that differ, or count it unchanged."""
        if obj is None:
            obj = make()
            for name, value in values.items():
                setattr(obj, name, value)
            self.save(row, obj)
            self.counts.created += 1
            return obj
        changed = self.changes(obj, values)
        if not changed:
            self.counts.unchanged += 1
            return obj
        for name, value in changed.items():
            setattr(obj, name, value)
        self.save(row, obj)
        self.counts.updated += 1
        return obj

    # --- keys -------------------------------------------------------------------------------------------

    def first_seen(self, seen: dict[Any, int], key: Any, row: Row, column: str, what: str) -> bool:
        """False (and a problem) when the key appeared on an earlier row of this sheet."""
        if key in seen:
            self.problem(row, column, f"与第 {seen[key]} 行重复：{what}只能出现一次。")
            return False
        seen[key] = row.number
        return True

    def unknown(self, row: Row, column: str, sheet: str, key: Any, what: str, name: str) -> Invalid:
        """A reference to something that does not exist: say whether the file had it on a bad row."""
        failed_row = self.ctx.failed[sheet].get(key)
        if failed_row is not None:
            return self.fail(
                row, column, f"{what}“{name}”在“{sheet}”工作表第 {failed_row} 行，该行有误未能导入。"
            )
        return self.fail(row, column, f"未知的{what}“{name}”：系统中和本文件的“{sheet}”工作表中都没有。")

    @staticmethod
    def key(text: str) -> str:
        return canon(text)
