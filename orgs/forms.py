from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.limits import capped_formset
from common.picker import form_picker
from orgs.models import Officer, Organization, OrgKind

ORG_PICKER = {
    "search": lambda rows, text: rows.search(text),
    "noun": "组织",
    "placeholder": "组织名称、拼音或首字母",
}


class OrganizationForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "parent",
            "county",
            "address",
            "contact_person",
            "contact_phone",
            "contact_email",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        error_messages = {"name": {"unique": "已有同名的基层组织，名称不能重复。"}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = Organization.objects.filter(
            kind__in=[
                OrgKind.DISTRICT,
                OrgKind.TOWNSHIP,
                OrgKind.SOCIETY,
                OrgKind.ENTERPRISE,
                OrgKind.UNIVERSITY,
            ]
        ).order_by("kind", "name_pinyin", "id")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        # ~1,650 possible parents at a province's scale: a search box once there are more than 50 (common/picker.py)
        self.fields["parent"] = form_picker(
            self.fields["parent"],
            queryset=parents,
            detail_from_instance=lambda o: o.get_kind_display(),
            suggest_url=reverse_lazy("orgs:form_suggest", args=["parent"]),
            **ORG_PICKER,
        )
        self.fields[
            "parent"
        ].help_text = "乡镇(街道)科协的上级为区县(市)科协，村(社区)科协的上级为乡镇(街道)科协。"
        self.fields["county"] = form_picker(
            self.fields["county"],
            queryset=Organization.objects.filter(kind=OrgKind.DISTRICT).order_by("name_pinyin", "id"),
            suggest_url=reverse_lazy("orgs:form_suggest", args=["county"]),
            **{**ORG_PICKER, "noun": "区县"},
        )
        for name in ("parent", "county"):
            if Organization._meta.get_field(name).is_cached(self.instance):
                self.fields[name].remember(getattr(self.instance, name))

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class OfficerForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["post", "name", "job", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}


# at most 50 officers an organisation (common/limits.py: a forged count is refused, not built)
OfficerFormSet = capped_formset(
    forms.inlineformset_factory, Organization, Officer, form=OfficerForm, extra=1, can_delete=True, cap=50
)
