"""Widgets shared by the pages."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A single-choice <select> written out in Python: the HTML of forms.Select without rendering one template
    per option. For choices that run into thousands at a province's scale (teams, staff, organisations):
    6,202 staff took 285 ms with forms.Select and take about 10 ms here (bench/results.md). Grouped choices
    fall back to forms.Select."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = list(
            iter(self.choices)
        )  # not list(choices): that asks a ModelChoiceIterator for len(), a COUNT query
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _v, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        parts = [format_html("<select{}>", flatatt(final_attrs))]
        found = False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            mark = ""
            if text in selected and not found:
                mark, found = " selected", True
            parts.append(
                f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>'
            )
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label is escaped above
