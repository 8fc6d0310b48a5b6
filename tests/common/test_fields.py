"""common/fields.py: `form_field` writes the same markup as crispy-forms' `as_crispy_field`, field by field, for
every kind of field the pages render with it (and leaves the kinds it doesn't cover to crispy)."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template

from common.fields import form_field


def _normal(html: str) -> str:
    """HTML with insignificant whitespace removed: between tags, around text inside a tag, before a tag's end."""
    html = re.sub(r"\s+", " ", str(html))
    html = re.sub(r" >", ">", html)
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+<", "<", html).strip()


class EveryKind(forms.Form):
    name = forms.CharField(label="姓名", max_length=20, help_text="填写<b>全名</b>")
    note = forms.CharField(label="备注 <script>", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    count = forms.IntegerField(label="人数", required=False, min_value=0)
    email = forms.EmailField(label="邮箱", required=False)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), ("a", "甲 & 乙")], required=False)
    long = forms.ChoiceField(label="交办给", choices=[("", "---"), ("1", "王<建国>")], widget=forms.Select)
    many = forms.MultipleChoiceField(label="多选", choices=[("a", "甲"), ("b", "乙")], required=False)
    styled = forms.CharField(label="检索", required=False, widget=forms.TextInput(attrs={"class": "big"}))
    agree = forms.BooleanField(label="已读", required=False, help_text="勾选表示已读")
    must = forms.BooleanField(label="必须", required=True)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)


class Choices(forms.Form):
    radio = forms.ChoiceField(label="单选", choices=[("a", "甲"), ("b", "乙<丙>")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        label="复选",
        choices=[("a", "甲"), ("b", "乙")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="可多选",
    )
    grouped = forms.MultipleChoiceField(
        label="分组",
        choices=[("一组", [("1", "一"), ("2", "二")]), ("二组", [("3", "三")])],
        widget=forms.CheckboxSelectMultiple,
    )
    numbers = forms.TypedMultipleChoiceField(
        label="",
        choices=[(1, "壹"), (2, "贰")],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class Fallbacks(forms.Form):
    upload = forms.FileField(label="附件", required=False)
    when = forms.SplitDateTimeField(label="时间", required=False)


class PlainHelper:
    """As common/forms.py's PlainFormMixin sets a form up: a crispy helper with no <form> tag, no CSRF field."""

    def __init__(self, *args, **kwargs):
        from crispy_forms.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class WithHelper(PlainHelper, EveryKind):
    pass


class ChoicesWithHelper(PlainHelper, Choices):
    pass


BAD = {
    "name": "x" * 30,
    "count": "-3",
    "email": "not-mail",
    "day": "2026-13-40",
    "kind": "zz",
    "long": "9",
    "radio": "z",
    "boxes": ["a", "z"],
    "numbers": ["2"],
}


@pytest.mark.parametrize("data", [None, {}, BAD], ids=["unbound", "empty", "invalid"])
@pytest.mark.parametrize("form_class", [EveryKind, Choices, Fallbacks, WithHelper, ChoicesWithHelper])
def test_same_markup_as_crispy(form_class, data):
    # two copies of the form: crispy leaves classes in the widget's attributes, and each renderer must start
    # from an untouched widget
    ours, theirs = form_class(data), form_class(data)
    if data is not None:
        ours.is_valid()
        theirs.is_valid()
    for name in ours.fields:
        assert _normal(form_field(ours[name])) == _normal(as_crispy_field(theirs[name])), name


def test_errors_and_escaping_show_as_a_user_sees_them():
    form = EveryKind(BAD)
    form.is_valid()
    html = str(form_field(form["name"]))
    assert 'class="textinput form-control is-invalid"' in html
    assert '<div id="id_name_error" class="invalid-feedback">' in html
    assert "<strong>确保该变量包含不超过 20 字符 (目前字符数 30)。</strong>" in html
    assert "填写<b>全名</b>" in html  # help text is the code's own HTML, as crispy shows it
    assert "备注 &lt;script&gt;" in str(form_field(form["note"]))


def test_rendering_twice_keeps_one_set_of_classes():
    form = EveryKind()
    form_field(form["styled"])
    html = str(form_field(form["styled"]))
    assert 'class="big textinput form-control"' in html


def test_the_library_loads_in_templates():
    rendered = Template("{% load fields %}{{ form.name|form_field }}").render(Context({"form": EveryKind()}))
    assert '<div id="div_id_name" class="mb-3">' in rendered
    assert (
        '<label for="id_name" class="form-label requiredField">姓名<span class="asteriskField">*</span>'
        in (rendered)
    )


class WithOwnErrors(forms.Form):
    reason = forms.CharField(label="删除原因", max_length=10)

    def clean(self):
        raise forms.ValidationError("这条记录已被他人删除 <b>")


@pytest.mark.parametrize("data", [None, {"reason": "x" * 20, **BAD}], ids=["unbound", "invalid"])
@pytest.mark.parametrize("form_class", [EveryKind, WithOwnErrors, WithHelper, Choices, Fallbacks])
def test_whole_form_same_markup_as_crispy(form_class, data):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from common.fields import form_fields

    ours, theirs = form_class(data), form_class(data)
    if data is not None:
        ours.is_valid()
        theirs.is_valid()
    assert _normal(form_fields(ours)) == _normal(as_crispy_form(theirs))
