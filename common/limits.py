"""What the server accepts from a user, whatever the browser was made to send (issue 17 §2).

- Control characters: NUL and the other C0 characters (and DEL) are refused in every text input; tab, newline
  and carriage return are allowed in multi-line text (a textarea) only. PostgreSQL refuses NUL in any text
  value ("A string literal cannot contain NUL"), so an unchecked NUL that reaches a query is a 500 there.
  Forms refuse them field by field (PlainFormMixin calls `harden_form`); query strings, which reach querysets
  outside forms too, are refused as a whole by `common.middleware.ControlCharactersMiddleware`.
- Text lengths: every text field of a form has a maximum, "最多 N 个字" when passed. Model CharFields bring
  theirs; a TextField's form field gets MULTILINE_MAX unless the form names another in `text_limits`.
- Formsets: `capped_formset` gives a hard cap (max_num = absolute_max, validate_max) and a management form
  that refuses negative, non-numeric and inconsistent counts with a Chinese message.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.formsets import (
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
    ManagementForm,
)
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

CONTROL_MESSAGE = "输入含有不允许的控制字符"

# C0 controls and DEL; the multi-line set keeps tab (\x09), newline (\x0a) and carriage return (\x0d).
_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SINGLE_LINE_MAX = 200  # a form's single-line text without a model limit (a reason, a note, a search box)
# Longer search text finds nothing (names hold at most 100 characters) and is not sent to the database:
# SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex", a 500).
SEARCH_MAX = 200
MULTILINE_MAX = 2000  # a textarea without a limit of its own (notes, demand texts, replies, reasons)


MAX_ID = 2**63 - 1  # the largest primary key (bigint); a larger number names no row on any backend


def parse_id(value) -> int | None:
    """A primary key typed or forged in a form or a query string: ASCII digits within bigint, else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((_MULTI_LINE if multiline else _SINGLE_LINE).search(text or ""))


@deconstructible
class ControlCharacterValidator:
    """Refuses NUL and the other control characters (tab, newline and CR are allowed in multi-line text)."""

    code = "control_characters"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value, multiline=self.multiline):
            raise ValidationError(f"{CONTROL_MESSAGE}，请删去后再提交。", code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


class ChineseMaxLengthValidator(MaxLengthValidator):
    message = "最多 %(limit_value)d 个字（现有 %(show_value)d 个）。"


def limit_text_field(field: forms.CharField, limit: int | None = None) -> None:
    """Give a form's text field its control-character check and its maximum length (the field's own, else
    `limit`, else the default for a single-line or multi-line input), reported in Chinese."""
    multiline = isinstance(field.widget, forms.Textarea)
    if limit is not None:
        field.max_length = limit
    elif field.max_length is None:
        field.max_length = MULTILINE_MAX if multiline else SINGLE_LINE_MAX
    # NUL is caught here as well: Django's ProhibitNullCharactersValidator stays, ours comes first
    field.validators = [
        ControlCharacterValidator(multiline=multiline),
        *(v for v in field.validators if not isinstance(v, MaxLengthValidator | ControlCharacterValidator)),
        ChineseMaxLengthValidator(int(field.max_length)),
    ]
    # single-line inputs tell the browser too; a textarea does not (a browser cuts a long paste silently)
    if not multiline and not field.widget.is_hidden:
        field.widget.attrs.setdefault("maxlength", str(field.max_length))


def harden_form(form: forms.BaseForm, limits: dict[str, int] | None = None) -> None:
    """Every text field of the form checked for control characters and length (see limit_text_field)."""
    limits = limits or {}
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            limit_text_field(field, limits.get(name))


class IdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField (rows by integer primary key) that refuses a value that is no id before it
    queries: Django's own passes a number beyond bigint to `pk__in`, an OverflowError (500) on SQLite."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


# --- formsets ---------------------------------------------------------------------------------------------

FORMSET_ERRORS = {
    "missing_management_form": "表单数据不完整或已被改动，请刷新页面后重新填写。",
    "too_many_forms": "最多 %(num)d 条，请删去多余的再保存。",
    "too_few_forms": "至少 %(num)d 条。",
}


class StrictManagementForm(ManagementForm):
    """The counts a formset's hidden inputs carry, checked: whole numbers, 0 ≤ initial ≤ total. A forged
    count makes the formset invalid with FORMSET_ERRORS["missing_management_form"] (no form is read)."""

    def clean(self) -> dict:
        cleaned = super().clean()
        total, initial = cleaned.get(TOTAL_FORM_COUNT), cleaned.get(INITIAL_FORM_COUNT)
        if not self.errors and not (0 <= initial <= total):
            self.add_error(None, "表单数量不正确。")
            cleaned[TOTAL_FORM_COUNT] = cleaned[INITIAL_FORM_COUNT] = 0
        if self.errors:
            cleaned[TOTAL_FORM_COUNT] = cleaned[INITIAL_FORM_COUNT] = 0
        return cleaned

    def render(self, *args, **kwargs):
        """Refused counts are re-rendered as the counts the formset used (no forms), without Django's error
        lists of hidden fields: the formset's own message says what happened."""
        if not (self.is_bound and self.errors):
            return super().render(*args, **kwargs)
        used = {TOTAL_FORM_COUNT: 0, INITIAL_FORM_COUNT: 0, MIN_NUM_FORM_COUNT: 0, MAX_NUM_FORM_COUNT: 0}
        return ManagementForm(auto_id=self.auto_id, prefix=self.prefix, initial=used).render(*args, **kwargs)

    __str__ = __html__ = render  # Django binds these to its own render


class CappedFormSetMixin:
    """A formset with a hard cap and a strict management form (use `capped_formset` to build one)."""

    default_error_messages = FORMSET_ERRORS

    @cached_property
    def management_form(self) -> ManagementForm:
        if not self.is_bound:
            return super().management_form
        form = StrictManagementForm(
            self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer
        )
        form.full_clean()
        return form


def capped_formset(factory, *args, cap: int, **kwargs):
    """`factory(*args, ...)` (formset_factory, modelformset_factory, inlineformset_factory) with at most `cap`
    forms, refused beyond ("最多 N 条") without building the extra forms, and a strict management form."""
    base = kwargs.pop("formset", None)
    if base is None:
        base = {
            "formset_factory": forms.BaseFormSet,
            "modelformset_factory": forms.BaseModelFormSet,
            "inlineformset_factory": forms.BaseInlineFormSet,
        }[factory.__name__]
    capped = type(f"Capped{base.__name__}", (CappedFormSetMixin, base), {})
    return factory(*args, formset=capped, max_num=cap, absolute_max=cap, validate_max=True, **kwargs)
