"""The duty report's text, edited by the person (or the liaison office): reports/duty/narrative.py keeps it."""

from __future__ import annotations

from django import forms

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from reports.duty.models import ASSESSMENT_MAX, NARRATIVE_MAX, DutyNarrative


class NarrativeForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    """述职正文 and 自我评价; `adopted` says the text was replaced by the new draft in this editing."""

    text_limits = {"text": NARRATIVE_MAX, "self_assessment": ASSESSMENT_MAX}
    adopted = forms.BooleanField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DutyNarrative
        fields = ["text", "self_assessment"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "self_assessment": forms.Textarea(
                attrs={"rows": 5, "placeholder": "如：本年度工作的主要成效、存在的不足、下一步努力方向"}
            ),
        }
        help_texts = {
            "text": "每段一行；数字取自本年度数据，可按实际情况修改补充。",
        }
        error_messages = {"text": {"required": "请填写述职正文。"}}
