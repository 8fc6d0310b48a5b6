"""Forms of the duplicates pages: the list's filters, and the merge of a pair with a choice per field."""

from __future__ import annotations

from django import forms

from common.forms import PlainFormMixin
from experts.duplicates.finder import LISTED_FROM, Reason
from experts.duplicates.merge import CHOSEN_FIELDS
from experts.models import Scientist

FIRST, SECOND = "first", "second"


class PairFilterForm(PlainFormMixin, forms.Form):
    min_score = forms.IntegerField(
        label="最低分", min_value=LISTED_FROM, max_value=100, required=False, initial=LISTED_FROM
    )
    reason = forms.ChoiceField(label="依据", choices=[("", "全部"), *Reason.CHOICES], required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "全部"), *Reason.CHOICES]  # not 请选择: no reason is every pair

    def values(self) -> dict:
        if not self.is_valid():
            return {"min_score": LISTED_FROM, "reason": ""}
        return {
            "min_score": self.cleaned_data["min_score"] or LISTED_FROM,
            "reason": self.cleaned_data["reason"] or "",
        }


class MergeForm(forms.Form):
    """Which record is kept, and per field whose value it keeps (the two records' versions as seen)."""

    keep = forms.ChoiceField(
        label="保留哪条记录",
        choices=[(FIRST, "保留左边的记录"), (SECOND, "保留右边的记录")],
        widget=forms.RadioSelect,
    )
    first_version = forms.IntegerField(widget=forms.HiddenInput)
    second_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args, first: Scientist, second: Scientist, defaults: dict[str, str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first, self.second = first, second
        self.initial.setdefault("keep", FIRST)
        self.initial.setdefault("first_version", first.version)
        self.initial.setdefault("second_version", second.version)
        self.rows = []
        self.defaults: dict[str, str] = {}
        for name in CHOSEN_FIELDS:
            field = Scientist._meta.get_field(name)
            differ = field.value_from_object(first) != field.value_from_object(second)
            if differ:
                # a choice not sent (a client posting only some) is the default
                self.fields[f"use_{name}"] = forms.ChoiceField(
                    label=field.verbose_name,
                    choices=[(FIRST, "左"), (SECOND, "右")],
                    widget=forms.RadioSelect,
                    required=False,
                )
                self.initial.setdefault(f"use_{name}", defaults[name])
                self.defaults[name] = defaults[name]
            self.rows.append((name, field.verbose_name, differ))

    def bound_rows(self):
        """(field name, label, bound choice or None where the two agree) in the page's order."""
        return [(name, label, self[f"use_{name}"] if differ else None) for name, label, differ in self.rows]

    def kept_and_absorbed(self) -> tuple[Scientist, Scientist]:
        keep_first = self.cleaned_data["keep"] == FIRST
        return (self.first, self.second) if keep_first else (self.second, self.first)

    def take(self) -> set[str]:
        """The fields whose value comes from the absorbed record."""
        absorbed_side = SECOND if self.cleaned_data["keep"] == FIRST else FIRST
        return {
            name
            for name, _, differ in self.rows
            if differ and (self.cleaned_data[f"use_{name}"] or self.defaults[name]) == absorbed_side
        }

    def versions(self) -> tuple[int, int]:
        first, second = self.cleaned_data["first_version"], self.cleaned_data["second_version"]
        return (first, second) if self.cleaned_data["keep"] == FIRST else (second, first)
