"""Form helpers shared by the registries."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

BLANK_LABEL = "请选择"


class PlainFormMixin:
    """Crispy renders the fields only (the template owns <form> and CSRF); blank choices read 请选择."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = BLANK_LABEL
            elif isinstance(field, forms.ChoiceField):
                field.choices = [(v, BLANK_LABEL if v == "" else label) for v, label in field.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
