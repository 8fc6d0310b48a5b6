"""The form of a planned contact: target among the team's, date, method, who goes, note."""

from __future__ import annotations

from django import forms

from common.concurrency import VersionedFormMixin, names_of
from common.forms import PlainFormMixin
from common.limits import IdsField
from liaison.contacts.forms import parse_target, target_value
from liaison.models import Assignment, PlannedContact, Staff


def _target_text(value) -> str:
    target = parse_target(value or "")
    return target.name if target is not None else ""


class PlannedContactForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    snapshot_extra = {
        "target": ("联系对象", lambda item: target_value(item.target) if item.target else "", _target_text),
        "goers": ("参加人员", lambda item: list(item.goers.values_list("pk", flat=True)), names_of(Staff)),
    }

    target = forms.ChoiceField(label="联系对象")
    goers = IdsField(
        label="参加人员",
        queryset=Staff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一名参加人员。"},
    )

    class Meta:
        model = PlannedContact
        fields = ["date", "method", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"note": "备注"}

    def __init__(self, *args, targets: list[Assignment], people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (target_value(a.target), f"{a.target_name}（{a.category_label or '不计入定额'}）")
            for a in targets
        ]
        item = self.instance
        if item.pk is not None and item.target is not None:
            current = target_value(item.target)
            if current not in {value for value, _ in choices}:
                choices.append((current, f"{item.target_name}（已不在册）"))
            self.initial.setdefault("target", current)
            self.initial.setdefault("goers", list(item.goers.values_list("pk", flat=True)))
        self.fields["target"].choices = [("", "请选择"), *choices]
        self.fields["goers"].queryset = people
        self.fields["goers"].label_from_instance = lambda staff: staff.name
        self.fields["note"].widget.attrs["placeholder"] = "如：了解新项目进展、商定座谈时间"

    def clean_target(self):
        target = parse_target(self.cleaned_data.get("target") or "")
        if target is None:
            raise forms.ValidationError("请选择联系对象。")
        return target


class MonthForm(forms.Form):
    """?month=2026-12 of a calendar; anything else is the current month."""

    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)
