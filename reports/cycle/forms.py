"""Forms of the adjustment and approval pages. They check input; reports/cycle/adjustments.py and
reports/cycle/approval.py write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from common.forms import PlainFormMixin
from experts.models import Scientist
from liaison.compliance import categories
from liaison.models import Assignment, EndReason, Team
from liaison.plan.forms import TeamForm
from orgs.models import Organization
from reports.cycle.approval import (
    DOCUMENT_NUMBER_ERROR,
    SCAN_TYPES,
    document_number_example,
    normalized_document_number,
)


def reason_field(label: str = "调整原因", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": f"请填写{label}。", "max_length": f"{label}请控制在 200 字以内。"},
    )


def _assignment_label(a: Assignment) -> str:
    category = a.category_label or "不计入定额"
    return f"{a.target_name}（{category}）"


class _TargetsOfTeam:
    """Offers the team's targets in force as the choices of the "assignment" field."""

    def _offer_targets(self, team: Team, field: str = "assignment") -> None:
        queryset = (
            Assignment.objects.in_force_at_year_end()
            .filter(team=team)
            .select_related("organization", "scientist")
            .order_by("category", "organization__name_pinyin", "scientist__name_pinyin")
        )
        self.fields[field].queryset = queryset
        self.fields[field].label_from_instance = _assignment_label


def parse_target(raw: str) -> Organization | Scientist:
    """ "org:<id>" or "sci:<id>" from the search box's radio buttons → an active target."""
    kind, _, pk = (raw or "").partition(":")
    model = {"org": Organization, "sci": Scientist}.get(kind)
    if model is None or not pk.isdecimal():
        raise forms.ValidationError("请先搜索并选择一个基层组织或科技工作者。")
    target = model.objects.filter(pk=int(pk), is_active=True).first()
    if target is None:
        raise forms.ValidationError("所选对象不存在或已停用。")
    return target


class RemoveForm(_TargetsOfTeam, PlainFormMixin, forms.Form):
    assignment = forms.ModelChoiceField(
        label="移除的联系对象",
        queryset=Assignment.objects.none(),
        error_messages={"required": "请选择要移除的联系对象。", "invalid_choice": "该联系对象已不在本专班。"},
    )
    end_reason = forms.ChoiceField(
        label="原因类别", choices=EndReason.choices, initial=EndReason.ADJUSTED, required=False
    )
    reason = reason_field()

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._offer_targets(team)

    def clean_end_reason(self) -> str:
        return self.cleaned_data["end_reason"] or EndReason.ADJUSTED


class AddForm(_TargetsOfTeam, PlainFormMixin, forms.Form):
    """Add a target found by the search box, or, when "replaces" is chosen, put it in that one's place."""

    target = forms.CharField(
        label="新的联系对象", error_messages={"required": "请先搜索并选择一个基层组织或科技工作者。"}
    )
    replaces = forms.ModelChoiceField(
        label="替换现有对象（可不选）",
        queryset=Assignment.objects.none(),
        required=False,
        error_messages={"invalid_choice": "被替换的对象已不在本专班。"},
    )
    category = forms.ChoiceField(label="联系类别", required=False)
    reason = reason_field()

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._offer_targets(team, "replaces")
        self.fields["replaces"].empty_label = "不替换，作为新增对象"
        self.fields["category"].choices = [
            ("", "按对象类别自动确定"),
            *categories.choices(),
            ("none", "不计入定额"),
        ]

    def clean_target(self) -> Organization | Scientist:
        return parse_target(self.cleaned_data["target"])

    def chosen_category(self) -> str | None:
        value = self.cleaned_data.get("category")
        if value == "none":
            return ""
        return value or None


class ProposalForm(_TargetsOfTeam, PlainFormMixin, forms.Form):
    """What a team lead proposes: remove one target, add one (optionally in place of another), or other."""

    KINDS = [("remove", "建议移除"), ("add", "建议新增或替换"), ("other", "其他建议")]

    kind = forms.ChoiceField(choices=KINDS, widget=forms.HiddenInput)
    assignment = forms.ModelChoiceField(
        label="涉及的现有对象",
        queryset=Assignment.objects.none(),
        required=False,
        error_messages={"invalid_choice": "该联系对象已不在本专班。"},
    )
    target = forms.CharField(label="建议新增的对象", required=False)
    reason = reason_field("理由")

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._offer_targets(team)
        self.fields["assignment"].empty_label = "不替换，作为新增对象"

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == "remove" and not cleaned.get("assignment"):
            self.add_error("assignment", "请选择建议移除的联系对象。")
        if kind == "add":
            raw = cleaned.get("target")
            if not raw:
                self.add_error("target", "请先搜索并选择建议新增的基层组织或科技工作者。")
            else:
                try:
                    cleaned["target"] = parse_target(raw)
                except forms.ValidationError as error:
                    self.add_error("target", error)
        return cleaned

    def proposal_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if kind == "add":
            return "replace" if self.cleaned_data.get("assignment") else "add"
        return kind


class DecisionForm(PlainFormMixin, forms.Form):
    note = forms.CharField(label="处理意见", required=False, max_length=200)


class TeamChangeForm(TeamForm):
    """The team form of the plan pages, plus the reason every adjustment records."""

    reason = reason_field()


class CloseTeamForm(PlainFormMixin, forms.Form):
    reason = reason_field("撤销原因")


# --- approval -------------------------------------------------------------------------------------------


class SubmitForm(PlainFormMixin, forms.Form):
    note = forms.CharField(label="报审说明", required=False, max_length=500)


class WithdrawForm(PlainFormMixin, forms.Form):
    reason = reason_field("撤回原因")


class ApproveForm(PlainFormMixin, forms.Form):
    approved_on = forms.DateField(
        label="审定日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # what a date input reads
        error_messages={"required": "请填写审定日期。", "invalid": "请填写有效的日期。"},
    )
    document_number = forms.CharField(
        label="审定文号",
        max_length=100,
        error_messages={"required": "请填写审定文号。"},
    )
    scanned_file = forms.FileField(
        label="审定文件扫描件（可不传）",
        required=False,
        help_text="PDF、JPG 或 PNG，不超过 20 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SCAN_TYPES)}),
    )
    note = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, year: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        example = document_number_example(year or timezone.localdate().year)
        self.fields["document_number"].help_text = f"发文机关代字〔年份〕序号号，如：{example}"
        self.fields["document_number"].widget.attrs["placeholder"] = example

    def clean_document_number(self) -> str:
        number = normalized_document_number(self.cleaned_data["document_number"])
        if number is None:
            example = document_number_example(timezone.localdate().year)
            raise forms.ValidationError(DOCUMENT_NUMBER_ERROR.format(example=example))
        return number

    def clean_approved_on(self):
        day = self.cleaned_data["approved_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("审定日期不能晚于今天。")
        return day


class ArchiveForm(PlainFormMixin, forms.Form):
    note = forms.CharField(label="归档说明", required=False, max_length=500)
