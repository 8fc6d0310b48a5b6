"""common.widgets.LongSelect: the same <select> as forms.Select, written without a template per option."""

from __future__ import annotations

import re

from django import forms

from common.widgets import LongSelect

CHOICES = [("", "全部"), ("1", "王<建国>"), ("2", 'A & "B"'), ("3", "三")]


def _form(widget, data=None):
    class Form(forms.Form):
        who = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)

    return Form(data)


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html)
    ]


def _select_attrs(html: str) -> set[str]:
    return set(re.match(r"<select([^>]*)>", html).group(1).split())


def test_same_options_selection_and_escaping_as_select():
    for data in (None, {"who": "2"}, {"who": ""}):
        plain = str(_form(forms.Select(attrs={"class": "form-select"}), data)["who"])
        fast = str(_form(LongSelect(attrs={"class": "form-select"}), data)["who"])
        assert _options(fast) == _options(plain)
        assert _select_attrs(fast) == _select_attrs(plain)
    fast = str(_form(LongSelect, {"who": "1"})["who"])
    assert '<option value="1" selected>王&lt;建国&gt;</option>' in fast
    assert "A &amp; &quot;B&quot;" in fast


def test_grouped_choices_fall_back_to_select():
    widget = LongSelect(choices=[("组", [("1", "一"), ("2", "二")])])
    assert "<optgroup" in widget.render("g", "2")
