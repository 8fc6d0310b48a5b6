"""Forms of the awards pages. They validate input; awards/services.py writes."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from awards.models import Award, Nomination, State
from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.limits import MULTILINE_MAX
from common.picker import FormPickField
from experts.models import Scientist
from liaison.contacts.forms import AttachmentsField

REASON_MAX = MULTILINE_MAX  # 推荐理由: a few paragraphs, as the other reasons and notes


def scientist_picker(**kwargs) -> FormPickField:
    """The registry search that picks a scientist (name, pinyin or initials), as the filing forms pick one
    (liaison/filing/forms.py): name and employer only, always a search box, so that a phone never scrolls a
    select of every scientist."""
    return FormPickField(
        queryset=Scientist.objects.active().order_by("name_pinyin", "id"),
        search=lambda rows, text: rows.search(text),
        noun="科技工作者",
        placeholder="姓名、拼音或首字母，如 lixm",
        detail_from_instance=lambda s: s.employer,
        suggest_url=reverse_lazy("awards:scientist_suggest"),
        select_max=0,
        label="科技工作者",
        required=True,
        **kwargs,
    )


class AwardForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Award
        fields = ["name", "body", "year", "quota", "deadline", "description", "is_active"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "quota": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("请填写 2000 至 2100 之间的年度。")
        return year

    def clean_quota(self) -> int:
        quota = self.cleaned_data["quota"]
        if quota < 1 or quota > 1000:
            raise forms.ValidationError("报送名额须在 1 至 1000 之间。")
        return quota


class NominationForm(PlainFormMixin, forms.Form):
    """推荐: the team to nominate for (a staff member's teams of the award's year; none for a grassroots
    account, which nominates for its own organisation), the scientist, the reason, attachments."""

    text_limits = {"reason": REASON_MAX}

    team = forms.ModelChoiceField(label="推荐专班", queryset=None, required=True)
    reason = forms.CharField(
        label="推荐理由",
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "主要事迹、成果与贡献"}),
        help_text=f"最多 {REASON_MAX} 字。",
    )
    attachments = AttachmentsField(label="推荐材料（照片或 PDF）", help_text="可多选，每个不超过 10 MB。")

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scientist"] = scientist_picker()
        # the picker first, then the reason: the order a phone fills them in
        self.order_fields(["team", "scientist", "reason", "attachments"])
        if teams is None:
            del self.fields["team"]
        else:
            self.fields["team"].queryset = teams
            self.fields["team"].error_messages["invalid_choice"] = "只能以您所在的本年度专班推荐。"
            few = list(teams[:2])
            if len(few) == 1:
                self.fields["team"].initial = few[0].pk
                self.fields["team"].empty_label = None


class NominationEditForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    text_limits = {"reason": REASON_MAX}

    class Meta:
        model = Nomination
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 6})}


class MoveForm(PlainFormMixin, forms.Form):
    """One step of the office's review: the new state and an optional note (初审意见, 报送文号 …)."""

    to_state = forms.ChoiceField(label="新状态", choices=State.choices, widget=forms.HiddenInput)
    note = forms.CharField(label="说明", max_length=200, required=False)


class AttachForm(PlainFormMixin, forms.Form):
    attachments = AttachmentsField(label="补充材料（照片或 PDF）", help_text="可多选，每个不超过 10 MB。")

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        return files
