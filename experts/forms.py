from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.picker import form_picker
from experts.models import Scientist
from orgs.models import Organization


class ScientistForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
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
        # 3,100 organisations at a province's scale: a search box once there are more than 50 (common/picker.py)
        self.fields["organization"] = form_picker(
            self.fields["organization"],
            queryset=Organization.objects.active().order_by("kind", "name_pinyin", "id"),
            search=lambda rows, text: rows.search(text),
            noun="组织",
            placeholder="组织名称、拼音或首字母",
            detail_from_instance=lambda o: o.get_kind_display(),
            suggest_url=reverse_lazy("experts:form_suggest", args=["organization"]),
        )
        if Scientist.organization.is_cached(self.instance):
            self.fields["organization"].remember(self.instance.organization)
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
