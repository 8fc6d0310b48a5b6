"""Model objects built quickly, for the tens of thousands of rows an import checks.

Django's Model.__init__ with keyword arguments looks up every field by name and calls each one's
get_default: ~60 µs a contact record (30 fields, two foreign keys set through their descriptors), 80,000 times
for bench/importer.py's workbook. Built from values in field order instead — the path Model.from_db takes for
rows read from the database — a record costs a fraction of that. The object is the same: every field's value
(the given one, else its default, a callable default called for each object), and the related objects
given for foreign keys cached as assigning them would.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Instances:
    """Objects of one model from keyword values (field names; a foreign key given as its object or its id
    attribute)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.position = {}
        for index, field in enumerate(self.fields):
            self.position[field.attname] = index
            self.position[field.name] = index
        # a default computed once when it is a constant (immutable: Django's own fields' empty values, a
        # str, a number); called for each object when it is a callable (a fresh list for a JSONField)
        self.constant = [None if self._per_object(f) else f.get_default() for f in self.fields]
        self.per_object = [(i, f.get_default) for i, f in enumerate(self.fields) if self._per_object(f)]

    @staticmethod
    def _per_object(field: models.Field) -> bool:
        return field.has_default() and callable(field.default)

    def __call__(self, **given: Any) -> models.Model:
        values = list(self.constant)
        for index, default in self.per_object:
            values[index] = default()
        related = []
        for name, value in given.items():
            index = self.position[name]
            field = self.fields[index]
            if field.is_relation and name == field.name:
                related.append((field, value))
                value = None if value is None else getattr(value, field.target_field.attname)
            values[index] = value
        obj = self.model(*values)
        for field, value in related:
            if value is not None:
                field.set_cached_value(obj, value)
        return obj
