"""common.widgets.LongSelect: the same <select> as forms.Select, written without a template per option."""

from __future__ import annotations

import re

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_name_choice_iterator_gives_the_same_select_without_instances(db):
    from django.forms.models import ModelChoiceIterator

    from common.widgets import NameChoiceIterator
    from liaison.models import Department

    for name in ("组织联络部", "学会部<一>", "科普部"):
        Department.objects.create(name=name)
    second = Department.objects.order_by("order", "id")[1]

    def form(iterator, data):
        class Form(forms.Form):
            dept = forms.ModelChoiceField(
                queryset=Department.objects.none(), required=False, widget=LongSelect
            )

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["dept"].iterator = iterator
                self.fields["dept"].queryset = Department.objects.order_by("order", "id")

        return Form(data)

    for data in (None, {"dept": str(second.pk)}):
        plain = str(form(ModelChoiceIterator, data)["dept"])
        with CaptureQueriesContext(connection) as queries:
            fast = str(form(NameChoiceIterator, data)["dept"])
        listing = [q["sql"] for q in queries.captured_queries if "WHERE" not in q["sql"]]
        assert len(listing) == 1  # the options: one query, the id and the name only
        assert "is_liaison_office" not in listing[0]
        assert _options(fast) == _options(plain)
        assert len(_options(fast)) == 4
    chosen = form(NameChoiceIterator, {"dept": str(second.pk)})
    assert chosen.is_valid()
    assert chosen.cleaned_data["dept"] == second
    assert f'<option value="{second.pk}" selected>学会部&lt;一&gt;</option>' in str(chosen["dept"])
    refused = form(NameChoiceIterator, {"dept": "999999"})
    assert not refused.is_valid()


def test_directory_select_is_the_long_select_built_once_until_a_row_changes(db):
    from django.core.cache import cache

    from common.widgets import DirectorySelect, NameChoiceIterator
    from liaison.models import Department

    cache.clear()
    for name in ("组织联络部", "学会部<一>", "科普部"):
        Department.objects.create(name=name)
    second = Department.objects.order_by("order", "id")[1]

    def form(widget, data):
        class Form(forms.Form):
            dept = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, widget=widget)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["dept"].iterator = NameChoiceIterator
                self.fields["dept"].queryset = Department.objects.order_by("order", "id")

        return Form(data)

    for data in (None, {"dept": str(second.pk)}, {"dept": ""}):
        assert str(form(DirectorySelect, data)["dept"]) == str(form(LongSelect, data)["dept"])
    with CaptureQueriesContext(connection) as queries:
        html = str(form(DirectorySelect, {"dept": str(second.pk)})["dept"])
    # Django looks up the chosen row (WHERE id = …) as with any select; the options came from the cache: the
    # only other query is the stamp
    listing = [q["sql"] for q in queries.captured_queries if "WHERE" not in q["sql"]]
    assert len(listing) == 1
    assert "SUM(" in listing[0]
    assert (str(second.pk), True, "学会部&lt;一&gt;") in _options(html)

    second.name = "学会学术部"
    second.save()
    assert (str(second.pk), False, "学会学术部") in _options(str(form(DirectorySelect, None)["dept"]))
    Department.objects.create(name="新设部室")
    assert "新设部室" in {label for _v, _s, label in _options(str(form(DirectorySelect, None)["dept"]))}
