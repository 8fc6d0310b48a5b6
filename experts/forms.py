from __future__ import annotations

from django import forms

from common.forms import PlainFormMixin
from experts.models import Scientist
from orgs.models import Organization


class ScientistForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Scientist
        fields = [
            "name",
            "gender",
            "birth_date",
            "birthday_lunar",
            "employer",
            "organization",
            "post",
            "title",
            "discipline",
            "category",
            "four_heads",
            "mobile",
            "email",
            "notes",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.duplicate: Scientist | None = None
        self.fields["organization"].queryset = Organization.objects.active().order_by("kind", "name_pinyin")
        self.fields["four_heads"].help_text = "医院院长、中小学校长、农技站站长、科技型企业家（可不填）"

    def clean(self) -> dict:
        cleaned = super().clean()
        name, employer = cleaned.get("name"), cleaned.get("employer")
        if name and employer:
            probe = Scientist(pk=self.instance.pk, name=name, employer=employer)
            self.duplicate = probe.namesake_at_same_employer()
            if self.duplicate is not None:
                raise forms.ValidationError(
                    f"“{employer}”已有名为“{name}”的科技工作者，不能重复登记。请查看已有记录，或核对姓名和工作单位。",
                    code="duplicate",
                )
        return cleaned

    def validate_unique(self) -> None:
        # clean() already reports the name + employer clash with a link; don't say it twice.
        if self.duplicate is None:
            super().validate_unique()
