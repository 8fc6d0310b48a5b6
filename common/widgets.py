"""Widgets shared by the pages."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# What django.utils.html.escape replaces, as a table for str.translate (no Python call per option).
ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


class LongSelect(forms.Select):
    """A single-choice <select> written out in Python: the HTML of forms.Select without rendering one template
    per option. For choices that run into thousands at a province's scale (teams, staff, organisations):
    6,202 staff took 285 ms with forms.Select and take a few ms here plus the query (bench/results.md).
    Grouped choices fall back to forms.Select."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # list(iter(...)), not list(...): list() asks a ModelChoiceIterator for len(), a COUNT query
        choices = list(iter(self.choices))
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _v, label in choices):
            return super().render(name, value, attrs, renderer)
        return self._select(name, value, attrs, self._options(choices))

    def _select(self, name, value, attrs, options: str) -> SafeString:
        """The <select> around the options' HTML, the first option of the chosen value marked selected."""
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = [str(v).translate(ESCAPES) for v in self.format_value(value)]
        if chosen:
            plain = f'<option value="{chosen[0]}">'
            options = options.replace(plain, f'<option value="{chosen[0]}" selected>', 1)
        parts = [
            format_html("<select{}>", flatatt(final_attrs)),
            *([options] if options else []),
            "</select>",
        ]
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label is escaped (_options)

    @staticmethod
    def _options(choices) -> str:
        parts = []
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value).translate(ESCAPES)
            shown = label.__html__() if hasattr(label, "__html__") else str(label).translate(ESCAPES)
            parts.append(f'<option value="{text}">{shown}</option>')
        return "\n".join(parts)


class NameChoiceIterator(ModelChoiceIterator):
    """The options of a ModelChoiceField whose label is the row's `name` (str() of Staff, Department), read as
    (pk, name) pairs: no model instance per option. With LongSelect the HTML is the same; 6,202 staff and
    1,400 departments on the record form took ~180 ms to load as instances (bench/results.md). Set it on a
    field before its queryset (setting the queryset hands the widget its options):
    `form.fields["handler"].iterator = NameChoiceIterator`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name").iterator()


class DirectorySelect(LongSelect):
    """A LongSelect of a whole directory (every active staff member, every department): the same thousands of
    options for every user, so the options' HTML is built once and kept in the cache under a stamp of the
    table — how many rows it offers, the sum of their versions (every save raises one) and the highest id —
    that one small aggregate query reads on each render; any added, edited, deactivated or deleted row
    changes the stamp (on SQLite a deleted last row's id is reused, which the stamp may miss: the entries
    also expire after ten minutes). The record form sent 6,202 staff and 1,400 departments this way in ~2 ms
    instead of ~30 (bench/results.md). Needs a ModelChoiceField over a Versioned model with
    NameChoiceIterator; the selection is marked as LongSelect marks it (_select)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        field = getattr(self.choices, "field", None)
        queryset = getattr(field, "queryset", None)
        if queryset is None or not hasattr(queryset.model, "version"):
            return super().render(name, value, attrs, renderer)
        stamp = queryset.order_by().aggregate(n=Count("pk"), versions=Sum("version"), last=Max("pk"))
        key = (
            "directory-options:"
            + hashlib.sha256(
                f"{queryset.query}|{field.empty_label}|{sorted(stamp.items())}".encode()
            ).hexdigest()
        )
        options = cache.get(key)
        if options is None:
            options = self._options(list(iter(self.choices)))
            cache.set(key, options, 600)
        return self._select(name, value, attrs, options)
