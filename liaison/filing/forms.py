"""Forms of the filing pages and the grassroots accounts. They validate input; services.py and accounts.py
write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.urls import reverse_lazy

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.limits import capped_formset
from common.phones import normalize_phone
from common.picker import FormPickField
from experts.models import Scientist, TalentCategory
from orgs.models import Officer, Organization


def scientist_picker(**kwargs) -> FormPickField:
    """The registry search that picks a scientist (pinyin, initials or name): it offers name and employer
    only — the contact details stay under the privacy rule. Always a search box (select_max=0): a phone
    never has to scroll a select of every scientist."""
    kwargs.setdefault("label", "科技工作者")
    return FormPickField(
        queryset=Scientist.objects.active().order_by("name_pinyin", "id"),
        search=lambda rows, text: rows.search(text),
        noun="科技工作者",
        placeholder="姓名、拼音或首字母，如 lixm",
        detail_from_instance=lambda s: s.employer,
        suggest_url=reverse_lazy("filing:scientist_suggest"),
        select_max=0,
        **kwargs,
    )


# --- accounts ---------------------------------------------------------------------------------------------


class HandoutChoice(forms.ChoiceField):
    CHOICES = [
        ("password", "一次性密码（现在显示一次，首次登录须修改）"),
        ("link", "设置密码链接（可复制；有邮箱时同时发送邮件）"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(
            label="交付方式", choices=self.CHOICES, initial="password", widget=forms.RadioSelect, **kwargs
        )


class AccountForm(PlainFormMixin, forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录时输入，如 jixie-xuehui；字母、数字和 @.+-_。",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    holder = forms.CharField(label="使用人", max_length=50, help_text="如：秘书长 张三")
    email = forms.EmailField(label="邮箱", required=False, help_text="可不填；填了可用邮件接收设置密码链接。")
    handout = HandoutChoice()


class HandoutForm(PlainFormMixin, forms.Form):
    handout = HandoutChoice()


# --- officers ---------------------------------------------------------------------------------------------


class OfficerForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["post", "name", "tenure", "four_heads", "job", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}


OfficerFormSet = capped_formset(
    forms.inlineformset_factory, Organization, Officer, form=OfficerForm, extra=1, can_delete=True, cap=50
)


def _officers_text(rows) -> str:
    return "；".join(" ".join(str(v) for v in row if v) for row in rows or []) or "（无）"


class OfficersVersionForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    """Carries the organisation's version with the officer formset: officers are saved with their
    organisation and share its version (as on the registry's edit page), so two people editing the officer
    list at once don't overwrite each other."""

    snapshot_extra = {
        "officers": (
            "负责人",
            lambda org: [
                [o.get_post_display(), o.name, o.get_tenure_display(), o.phone] for o in org.officers.all()
            ],
            _officers_text,
        )
    }

    class Meta:
        model = Organization
        fields: list[str] = []


# --- the filing page --------------------------------------------------------------------------------------


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.name}（{obj.get_post_display()}）"


class AddLineForm(PlainFormMixin, forms.Form):
    officer = OfficerChoiceField(label="负责人", queryset=Officer.objects.none(), empty_label=None)

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["scientist"] = scientist_picker(required=True)


class ProposeForm(PlainFormMixin, forms.Form):
    officer = OfficerChoiceField(label="负责人", queryset=Officer.objects.none(), empty_label=None)
    name = forms.CharField(label="姓名", max_length=50)
    employer = forms.CharField(label="工作单位", max_length=100)
    title = forms.CharField(label="职称", max_length=50, required=False)
    mobile = forms.CharField(
        label="手机",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data["mobile"])


class SendBackForm(PlainFormMixin, forms.Form):
    comment = forms.CharField(
        label="退回意见",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "写明需要修改的地方，组织在草稿上看得到"}),
        error_messages={"required": "退回时请写明退回意见。"},
    )


# --- proposals --------------------------------------------------------------------------------------------


class ConfirmProposalForm(PlainFormMixin, forms.Form):
    category = forms.ChoiceField(label="人才类别", choices=TalentCategory.choices)


class MergeProposalForm(PlainFormMixin, forms.Form):
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scientist"] = scientist_picker(label="并入已有记录", required=True)
        self.order_fields(["scientist", "note"])


class RejectProposalForm(PlainFormMixin, forms.Form):
    note = forms.CharField(
        label="不采纳的理由", max_length=200, error_messages={"required": "请写明不采纳的理由。"}
    )
