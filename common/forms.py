"""Form helpers shared by the registries."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from common.limits import harden_form

BLANK_LABEL = "请选择"


class PlainFormMixin:
    """Crispy renders the fields only (the template owns <form> and CSRF); blank choices read 请选择.

    Every text field refuses control characters and has a maximum length (common/limits.py): a model's
    CharField brings its own; a form names others in `text_limits` ({field name: characters})."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        harden_form(self, self.text_limits)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = BLANK_LABEL
            elif isinstance(field, forms.ChoiceField):
                field.choices = [(v, BLANK_LABEL if v == "" else label) for v, label in field.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
