from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.picker import form_picker
from liaison.models import Department, Staff


class DepartmentForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "is_liaison_office", "order"]
        error_messages = {"name": {"unique": "已有同名的部室。"}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean_is_liaison_office(self) -> bool:
        flagged = self.cleaned_data["is_liaison_office"]
        if (
            flagged
            and Department.objects.filter(is_liaison_office=True).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError("已有部室标记为组织联络部，只能有一个。")
        return flagged


class StaffForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    """A staff profile; a new one also creates its login account (no password until admin sets one)."""

    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _。"},
        help_text="登录用，建议用姓名拼音，如 zhangwei。",
    )

    class Meta:
        model = Staff
        fields = ["name", "department", "position", "title", "phone", "order", "is_active"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["username", *self.Meta.fields])
        # 1,400 departments at a province's scale: a search box once there are more than 50 (common/picker.py)
        self.fields["department"] = form_picker(
            self.fields["department"],
            queryset=Department.objects.order_by("order", "id"),
            search=lambda rows, text: rows.filter(name__icontains=text),
            noun="部室",
            placeholder="部室名称中的几个字",
            suggest_url=reverse_lazy("liaison:staff_form_suggest", args=["department"]),
        )
        if Staff.department.is_cached(self.instance):
            self.fields["department"].remember(self.instance.department)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.username
            self.fields["username"].disabled = True
            self.fields["username"].help_text = "用户名创建后不可修改。"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not self.instance.pk and get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该用户名已被使用，请换一个。")
        return username

    def save(self, commit: bool = True) -> Staff:
        staff = super().save(commit=False)
        if not staff.pk:
            user = get_user_model()(username=self.cleaned_data["username"])
            user.set_unusable_password()
            user.save()
            staff.user = user
        if commit:
            staff.save()
        return staff
