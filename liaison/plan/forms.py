"""Forms of the year's plan. They validate input; the functions in liaison/plan/services.py write."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.db.models import Q
from django.forms import BaseModelFormSet, modelformset_factory
from django.urls import reverse_lazy

from common.concurrency import VersionedFormMixin, last_editor, names_of
from common.forms import BLANK_LABEL, PlainFormMixin
from common.limits import capped_formset
from common.picker import FormPickMultipleField, form_picker
from common.pinyin import search_by_name
from experts.models import Scientist, TalentCategory
from liaison.compliance import categories
from liaison.models import (
    ContactCategory,
    EndReason,
    Position,
    QuotaRule,
    Staff,
    TargetType,
    Team,
    VisitQuota,
    Year,
    is_builtin_category_name,
)
from orgs.models import Organization, OrgKind


def _takes_text(values) -> str:
    labels = dict(OrgKind.choices) | dict(TalentCategory.choices)
    return "、".join(str(labels.get(v, v)) for v in values or []) or "（无）"


class CategoryForm(VersionedFormMixin, PlainFormMixin, forms.Form):
    """A quota category the city adds (docs/workbook.md, 联系类别). Its name keys it everywhere, so it is not
    changed once saved; what it takes (计入) may be."""

    name = forms.CharField(label="名称", max_length=40, help_text="例如：乡镇(街道)科协")
    target_type = forms.ChoiceField(label="对象类型", choices=TargetType.choices, widget=forms.RadioSelect)
    org_kinds = forms.MultipleChoiceField(
        label="计入的组织类别",
        choices=OrgKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="联系对象未指定类别、且不属于内置类别时，这些类别的组织计入本类别。",
    )
    talents = forms.MultipleChoiceField(
        label="计入的人才类别",
        choices=TalentCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="科技工作者均属内置类别；此项只在联系对象指定本类别时起作用。",
    )
    snapshot_extra = {"takes": ("计入", lambda c: list(c.takes), _takes_text)}

    def __init__(self, *args, instance: ContactCategory | None = None, **kwargs) -> None:
        self.instance = instance
        if instance is not None:
            field = "org_kinds" if instance.target_type == TargetType.ORGANIZATION else "talents"
            kwargs.setdefault(
                "initial", {"name": instance.name, "target_type": instance.target_type, field: instance.takes}
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            self.fields["name"].disabled = True
            self.fields["target_type"].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        if self.instance is None and name and is_builtin_category_name(name):
            self.add_error("name", f"“{name}”是内置的联系类别，不能重新定义。")
        elif self.instance is None and ContactCategory.objects.filter(name=name).exists():
            self.add_error("name", f"联系类别“{name}”已存在。")
        organization = cleaned.get("target_type") == TargetType.ORGANIZATION
        cleaned["takes"] = cleaned.get("org_kinds" if organization else "talents") or []
        return cleaned


class YearStart:
    CARRY = "carry"
    BLANK = "blank"
    CHOICES = [
        (CARRY, "延续上一年度：复制上一年度的专班、成员、联系定额和年末在册的联系对象"),
        (BLANK, "空白年度：只复制联系定额，专班另行建立"),
    ]


class YearCreateForm(PlainFormMixin, forms.Form):
    """A new year, blank or carried over from the year before (as the yearly adjustment opens it).

    `once` is a token the page carries so that a second submit of the same page (a double click) finds the
    year the first one created instead of creating anything again (liaison/plan/views.py `year_list`)."""

    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年度。",
            "invalid": "请填写四位数的年度，如 2027。",
            "min_value": "年度须在 2000 至 2100 之间。",
            "max_value": "年度须在 2000 至 2100 之间。",
        },
    )
    start = forms.ChoiceField(
        label="新年度的专班",
        choices=YearStart.CHOICES,
        widget=forms.RadioSelect,
        required=False,  # a post without it (scripts written before the choice existed) makes a blank year
    )
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            latest = Year.objects.order_by("-year").first()
            if latest is not None:
                has_teams = Team.objects.filter(year=latest).exists()
                self.initial.setdefault("year", latest.year + 1)
                self.initial.setdefault("start", YearStart.CARRY if has_teams else YearStart.BLANK)
            else:
                self.initial.setdefault("start", YearStart.BLANK)
            self.initial.setdefault("once", uuid.uuid4().hex)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Year.objects.filter(year=year).exists():
            raise forms.ValidationError(f"{year} 年度已存在。")
        return year

    def clean_start(self) -> str:
        return self.cleaned_data.get("start") or YearStart.BLANK

    def clean(self) -> dict:
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and cleaned.get("start") == YearStart.CARRY:
            previous = Year.objects.filter(year=year - 1).first()
            if previous is None or not Team.objects.filter(year=previous).exists():
                self.add_error(
                    "start", f"{year - 1} 年度没有专班，无从延续；请选择“空白年度”，或先建立上一年度的专班。"
                )
            else:
                cleaned["source"] = previous
        return cleaned


class QuotaRuleForm(PlainFormMixin, forms.ModelForm):
    # the seven built-in categories and those the city added (liaison/compliance/categories.py)
    category = forms.ChoiceField(label="联系类别", choices=[])

    def __init__(self, *args, category_choices: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # a blank first choice: the form's spare row must arrive unchanged when left alone (a browser sends a
        # select's first option)
        self.fields["category"].choices = [("", BLANK_LABEL), *(category_choices or categories.choices())]

    class Meta:
        model = QuotaRule
        fields = ["team_kind", "category", "minimum", "maximum", "contact_interval_days"]
        widgets = {
            "minimum": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "maximum": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "contact_interval_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and high < low:
            self.add_error("maximum", "最多不能小于最少。")
        interval = cleaned.get("contact_interval_days")
        if interval is not None and interval < 1:
            self.add_error("contact_interval_days", "联系间隔天数须为正整数（不要求请留空）。")
        return cleaned


class BaseQuotaRuleFormSet(BaseModelFormSet):
    def get_form_kwargs(self, index: int | None) -> dict:
        if not hasattr(self, "_category_choices"):
            self._category_choices = categories.choices()  # one query for every form of the set
        return {**super().get_form_kwargs(index), "category_choices": self._category_choices}

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            key = (form.cleaned_data.get("team_kind"), form.cleaned_data.get("category"))
            if key in seen:
                form.add_error("category", "同一类专班的同一类别只能有一条定额。")
            seen.add(key)


# two kinds of team × (seven built-in categories and those the city adds): 100 is far above any year
QuotaRuleFormSet = capped_formset(
    modelformset_factory,
    QuotaRule,
    form=QuotaRuleForm,
    formset=BaseQuotaRuleFormSet,
    extra=1,
    can_delete=True,
    cap=100,
)


class VisitQuotaForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = VisitQuota
        fields = ["minimum", "person_minimum"]
        widgets = {"minimum": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})}


VisitQuotaFormSet = capped_formset(
    modelformset_factory, VisitQuota, form=VisitQuotaForm, extra=0, can_delete=False, cap=10
)


class RulesGuardForm(VersionedFormMixin, forms.ModelForm):
    """The year's version on the rules page: the quota rules of a year are edited as one table, so a save
    made from a stale table is refused and the rows another person changed are named."""

    class Meta:
        model = Year
        fields: list[str] = []

    def _values(self, instance, known=None) -> dict:
        values = {}
        for rule in QuotaRule.objects.filter(year=instance).order_by("team_kind", "category"):
            text = f"最少 {rule.minimum}"
            text += f"，最多 {rule.maximum}" if rule.maximum is not None else "，不设上限"
            if rule.contact_interval_days:
                text += f"，每 {rule.contact_interval_days} 天联系一次"
            values[f"{rule.get_team_kind_display()} · {rule.category_label}"] = text
        for quota in VisitQuota.objects.filter(year=instance).order_by("team_kind"):
            values[f"{quota.get_team_kind_display()} · 下基层"] = (
                f"专班 {quota.minimum if quota.minimum is not None else '不要求'}，"
                f"每人 {quota.person_minimum if quota.person_minimum is not None else '不要求'}"
            )
        return values

    def _label(self, name: str) -> str:
        return name

    def _text(self, name: str, value) -> str:
        return value or "（无此定额）"

    def last_editor(self, current: Year):
        """The last change of one of the year's rules (their log names start with the year)."""
        from auditlog.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        entries = LogEntry.objects.filter(
            content_type__in=ContentType.objects.get_for_models(QuotaRule, VisitQuota).values(),
            object_repr__startswith=f"{current.year} ",
        )
        return last_editor(current, entries)


class TeamForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    snapshot_extra = {
        "members": ("专班成员", lambda t: list(t.members.values_list("pk", flat=True)), names_of(Staff))
    }
    members = forms.ModelMultipleChoiceField(
        label="专班成员",
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="部室负责人和工作人员均可加入多个专班。",
    )

    class Meta:
        model = Team
        fields = ["lead", "name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, year: Year, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.year = year
        active = Staff.objects.active().select_related("department").order_by("order", "id")
        # 2,000 leaders and department heads at a province's scale: a search box once there are more than 50
        self.fields["lead"] = form_picker(
            self.fields["lead"],
            queryset=active.filter(position__in=[Position.LEADERSHIP, Position.DEPARTMENT_HEAD]),
            search=search_by_name,
            noun="负责人",
            placeholder="姓名、拼音或首字母",
            label_from_instance=lambda s: (
                f"{s.display_title}" + (f" · {s.department.name}" if s.department else "")
            ),
            suggest_url=reverse_lazy("liaison:team_form_suggest", args=["lead"]),
        )
        self.fields["lead"].help_text = "领导班子成员牵头领导专班，部室负责人牵头部室专班。"
        if Team.lead.is_cached(self.instance):
            self.fields["lead"].remember(self.instance.lead)
        # 6,202 active staff at a province's scale: checkboxes while at most 50, else the chosen members and a
        # search box whose matches are checkboxes (common/picker.py)
        members = self.fields["members"]
        offered = active
        if self.instance.pk:  # a member who has left stays offered (ticked) until someone unticks them
            offered = (
                Staff.objects.filter(Q(is_active=True) | Q(pk__in=self.instance.members.values("pk")))
                .select_related("department")
                .order_by("order", "id")
            )
        self.fields["members"] = FormPickMultipleField(
            label=members.label,
            help_text=members.help_text,
            required=False,
            queryset=offered,
            search=search_by_name,
            noun="成员",
            placeholder="姓名、拼音或首字母",
            label_from_instance=lambda s: (
                f"{s.name}"
                + (f"（{s.department.name}）" if s.department else "（领导）")
                + ("" if s.is_active else "（已停用）")
            ),
            suggest_url=reverse_lazy("liaison:team_form_suggest", args=["members"]),
        )
        if self.instance.pk:
            current = list(self.instance.members.select_related("department").order_by("order", "id"))
            self.initial["members"] = [m.pk for m in current]
            for member in current:
                self.fields["members"].remember(member)

    def clean_lead(self) -> Staff:
        lead = self.cleaned_data["lead"]
        if lead.position not in (Position.LEADERSHIP, Position.DEPARTMENT_HEAD):
            raise forms.ValidationError("专班负责人必须是领导班子成员或部室负责人。")
        return lead


class AssignmentAddForm(PlainFormMixin, forms.Form):
    """Pick a target found by the search box: "org:<id>" or "sci:<id>"."""

    target = forms.CharField(
        label="联系对象", error_messages={"required": "请先搜索并选择一个基层组织或科技工作者。"}
    )
    category = forms.ChoiceField(
        label="联系类别",
        required=False,
        choices=[("", "按对象类别自动确定"), ("none", "不计入定额")],  # with every category: __init__
    )
    start_date = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明 / 调整原因", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", "按对象类别自动确定"),
            *categories.choices(),
            ("none", "不计入定额"),
        ]

    def clean_target(self) -> Organization | Scientist:
        raw = self.cleaned_data["target"]
        kind, _, pk = raw.partition(":")
        model = {"org": Organization, "sci": Scientist}.get(kind)
        if model is None or not pk.isdecimal():
            raise forms.ValidationError("请先搜索并选择一个基层组织或科技工作者。")
        target = model.objects.filter(pk=int(pk), is_active=True).first()
        if target is None:
            raise forms.ValidationError("所选对象不存在或已停用。")
        return target

    def chosen_category(self) -> str | None:
        value = self.cleaned_data.get("category")
        if value == "none":
            return ""
        return value or None


class AssignmentEndForm(PlainFormMixin, forms.Form):
    end_reason = forms.ChoiceField(label="终止原因", choices=[("", "请选择"), *EndReason.choices])
    end_date = forms.DateField(
        label="终止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = datetime.date.today

    def clean_end_reason(self) -> str:
        value = self.cleaned_data["end_reason"]
        if not value:
            raise forms.ValidationError("请选择终止原因。")
        return value
