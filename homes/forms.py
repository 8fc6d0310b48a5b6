"""Forms of the homes: one point of a checklist (with evidence) and the 联系点 / 示范点 designations. They
validate; homes/services.py writes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from homes.models import FIRST_YEAR, DesignationKind, HomeCheck, HomeDesignation
from liaison.contacts.forms import AttachmentsField

# At most this many files in one upload (each ≤ 10 MB, photos or PDF by their bytes: liaison's AttachmentsField).
MAX_FILES_PER_UPLOAD = 10


class CheckForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    """One point of the checklist: done, since when, a note, and photos or PDFs to add."""

    evidence = AttachmentsField(label="佐证材料（照片或 PDF）", help_text="可多选，每个不超过 10 MB。")
    text_limits = {"note": 1000}

    class Meta:
        model = HomeCheck
        fields = ["done", "date", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(
                attrs={"rows": 3, "placeholder": "如：活动室位置与面积、经费来源与金额、项目名称、制度名称"}
            ),
        }
        labels = {"done": "已到位"}

    def clean_evidence(self) -> list:
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件。")
        return files

    def clean(self) -> dict:
        cleaned = super().clean()
        done, date = cleaned.get("done"), cleaned.get("date")
        if done and date is None and "date" not in self.errors:
            self.add_error("date", "请填写到位日期。")
        if date is not None:
            latest = min(timezone.localdate(), datetime.date(self.instance.year, 12, 31))
            if date > latest:
                self.add_error("date", f"到位日期不能晚于 {latest:%Y-%m-%d}。")
        return cleaned


def year_field(label: str, **kwargs) -> forms.IntegerField:
    today = timezone.localdate()
    return forms.IntegerField(
        label=label,
        min_value=FIRST_YEAR,
        max_value=today.year + 1,
        error_messages={
            "min_value": f"年度不能早于 {FIRST_YEAR}。",
            "max_value": f"年度不能晚于 {today.year + 1}。",
            "invalid": "请填写四位数的年度。",
            "required": "请填写年度。",
        },
        **kwargs,
    )


class DesignationForm(PlainFormMixin, forms.ModelForm):
    """命名联系点 / 示范点."""

    class Meta:
        model = HomeDesignation
        fields = ["kind", "year_named", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_named"] = year_field("命名年度", initial=timezone.localdate().year)
        self.fields["kind"].choices = [("", "请选择"), *DesignationKind.choices]


class WithdrawForm(PlainFormMixin, forms.Form):
    year = year_field("撤销年度", help_text="从该年度起不再是。")
