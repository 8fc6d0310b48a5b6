"""Forms of contact records, greetings and demands. They validate input; liaison/contacts/services.py writes."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone

from common.concurrency import VersionedFormMixin, names_of
from common.files import sniff_type
from common.forms import PlainFormMixin
from common.limits import CONTROL_MESSAGE, IdsField, capped_formset, has_control_characters
from common.picker import FormPickField, form_picker
from common.pinyin import search_by_name
from experts.models import Scientist
from liaison.models import (
    ContactChannel,
    ContactMethod,
    ContactRecord,
    Demand,
    DemandActionKind,
    DemandKind,
    DemandStatus,
    Department,
    Occasion,
    Staff,
    Team,
    Topic,
)
from orgs.models import Organization

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Photos and PDFs only, recognised by their first bytes, not by the name the phone gave them (never HTML,
# SVG or a program, whatever its name); served by common/files.py's policy.
ACCEPTED_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several photos or PDFs at once, each size- and type-checked by content."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload is None:
                continue
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(f"附件“{upload.name}”超过 10 MB，请压缩后再上传。")
            if has_control_characters(upload.name):
                raise forms.ValidationError(f"附件的文件名{CONTROL_MESSAGE}，请改名后再上传。")
            head = upload.read(16)
            upload.seek(0)
            kind = sniff_type(head)
            if kind not in ACCEPTED_TYPES:
                raise forms.ValidationError(f"附件“{upload.name}”不是照片或 PDF 文件。")
            upload.sniffed_type = kind
            cleaned.append(upload)
        return cleaned


def parse_target(value: str) -> Organization | Scientist | None:
    kind, _, pk = (value or "").partition(":")
    model = {"org": Organization, "sci": Scientist}.get(kind)
    if model is None or not pk.isdecimal():
        return None
    return model.objects.filter(pk=int(pk)).first()


def target_value(target: Organization | Scientist) -> str:
    return f"{'org' if isinstance(target, Organization) else 'sci'}:{target.pk}"


def _targets_text(values) -> str:
    return "、".join(t.name for t in (parse_target(v) for v in values or []) if t is not None)


def _topics_text(values) -> str:
    return "、".join(Topic(v).label for v in values or [] if v in Topic.values)


LOCATION_FIELDS = ("latitude", "longitude", "accuracy", "located_at")


class ContactRecordForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    text_limits = {"summary": 5000}  # a long visit's account; other text has the model's or the default limit
    # compared on a concurrent save besides the model fields (common/concurrency.py)
    snapshot_extra = {
        "topics": ("联系内容", lambda r: list(r.topics or []), _topics_text),
        "targets": (
            "联系对象",
            lambda r: [target_value(t.target) for t in r.targets.select_related("organization", "scientist")],
            _targets_text,
        ),
        "participants": (
            "参加人员",
            lambda r: list(r.participants.values_list("pk", flat=True)),
            names_of(Staff),
        ),
    }
    topics = forms.MultipleChoiceField(
        label="联系内容", choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    targets = forms.MultipleChoiceField(label="联系对象", required=False)
    participants = IdsField(
        label="参加人员", queryset=Staff.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = AttachmentsField(label="照片或 PDF", help_text="可多选，每个不超过 10 MB。")
    # A scientist met who is not in the registry: proposed with the record, confirmed later by 组织联络部
    # (the proposals page, liaison/filing/views/proposals.py), who then becomes a target of this record.
    new_name = forms.CharField(label="姓名", max_length=50, required=False)
    new_employer = forms.CharField(label="工作单位", max_length=100, required=False)
    new_title = forms.CharField(label="职称", max_length=50, required=False)

    class Meta:
        model = ContactRecord
        fields = [
            "team",
            "date",
            "method",
            "channel",
            "occasion",
            "grassroots",
            "place",
            "summary",
            *LOCATION_FIELDS,
        ]
        widgets = {
            # filled by static/js/offline.js when the user ticks 记录当前位置 (never without it)
            **{name: forms.HiddenInput for name in LOCATION_FIELDS},
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(
                attrs={"rows": 4, "placeholder": "时间、地点、对象、谈了什么、有什么成效"}
            ),
            "place": forms.TextInput(attrs={"placeholder": "如：辽川理工大学材料学院"}),
        }

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: f"{t.year.year} · {t.name}"
        # Changing the team reloads its assigned targets and people (htmx), keeping what is ticked.
        self.fields["team"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("liaison:record_team_fields"),
                "hx-target": "#team-fields",
                "hx-trigger": "change",
                "hx-include": "[name='team'], [name='targets']:checked",
            }
        )
        if self.initial.get("date") is None:
            self.initial["date"] = timezone.localdate()
        self.fields["summary"].required = False  # required on completion, not for a draft (see clean)
        self.fields["method"].choices = ContactMethod.choices
        if self.instance.pk:
            self.fields["topics"].initial = self.instance.topics
        self.fields["participants"].queryset = Staff.objects.active().select_related("department")
        self.fields["participants"].label_from_instance = lambda s: s.name
        self.draft = False

    def clean_targets(self) -> list[Organization | Scientist]:
        resolved = []
        for value in self.cleaned_data.get("targets") or []:
            target = parse_target(value)
            if target is None:
                raise forms.ValidationError("所选联系对象不存在。")
            resolved.append(target)
        return resolved

    @property
    def proposes(self) -> bool:
        """A scientist not in the registry was filled in (checked by clean)."""
        return bool(self.cleaned_data.get("new_name"))

    def clean(self) -> dict:
        cleaned = super().clean()
        name, employer = (cleaned.get("new_name") or "").strip(), (cleaned.get("new_employer") or "").strip()
        if employer and not name:
            self.add_error("new_name", "请填写名录中没有的科技工作者的姓名。")
        if name and not employer:
            self.add_error("new_employer", "请填写其工作单位，便于组织联络部核对。")
        if not self.draft and "summary" not in self.errors and not (cleaned.get("summary") or "").strip():
            self.add_error("summary", "请填写情况摘要（存草稿时可暂不填写）。")
        self._clean_location(cleaned)
        return cleaned

    def _clean_location(self, cleaned: dict) -> None:
        """The device's position comes whole (latitude, longitude, time; accuracy if known) or not at all;
        its hidden fields' errors are told above the form, where the user sees them."""
        if any(name in self.errors for name in LOCATION_FIELDS):
            for name in LOCATION_FIELDS:
                self.errors.pop(name, None)
                cleaned.pop(name, None)
            self.add_error(None, "位置信息无效，请重新勾选“记录当前位置”或取消勾选。")
            return
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        present = [cleaned.get(name) is not None for name in ("latitude", "longitude", "located_at")]
        if any(present) and not all(present):
            self.add_error(None, "位置信息不完整，请重新勾选“记录当前位置”或取消勾选。")
        elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.add_error(None, "位置信息无效，请重新勾选“记录当前位置”或取消勾选。")
        else:
            return
        for (
            name
        ) in LOCATION_FIELDS:  # told once: the model's own check of a whole location has nothing to say
            cleaned[name] = None


def record_form_targets_field(form: ContactRecordForm) -> None:
    """Accept whatever "org:<id>"/"sci:<id>" values were posted; clean_targets resolves and checks them."""
    posted = form.data.getlist(form.add_prefix("targets")) if hasattr(form.data, "getlist") else []
    form.fields["targets"].choices = [(v, v) for v in posted]


def _staff_label(staff: Staff) -> str:
    return f"{staff.name}（{staff.department.name}）" if staff.department else f"{staff.name}（领导）"


def handler_picker(field: forms.Field | None = None, **kwargs) -> FormPickField:
    """Who handles a demand: any active staff member, 6,202 at a province's scale. A select while there are
    at most 50, else a search box (name, pinyin or initials) whose matches are radio buttons (common/picker.py):
    the record form and the record page sent every one of them as <option>s, 330 KB a page."""
    options = {
        "queryset": Staff.objects.active().select_related("department").order_by("order", "id"),
        "search": search_by_name,
        "noun": "干部",
        "placeholder": "姓名、拼音或首字母",
        "label_from_instance": _staff_label,
        "suggest_url": reverse_lazy("liaison:demand_form_suggest", args=["handler"]),
        **kwargs,
    }
    if field is not None:
        return form_picker(field, **options)
    return FormPickField(required=False, **options)


def department_picker(field: forms.Field | None = None, **kwargs) -> FormPickField:
    """The department that handles a demand: 1,400 at a province's scale, searched by a few characters."""
    options = {
        "queryset": Department.objects.order_by("order", "id"),
        "search": lambda rows, text: rows.filter(name__icontains=text),
        "noun": "部室",
        "placeholder": "部室名称中的几个字",
        "suggest_url": reverse_lazy("liaison:demand_form_suggest", args=["handler_department"]),
        **kwargs,
    }
    if field is not None:
        return form_picker(field, **options)
    return FormPickField(required=False, **options)


class DemandInlineForm(PlainFormMixin, forms.ModelForm):
    """A demand raised during a contact, registered together with the record."""

    class Meta:
        model = Demand
        fields = ["kind", "text", "raised_by_text", "handler", "handler_department", "due_date"]
        labels = {"raised_by_text": "提出人", "text": "反映的问题或建议"}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Most demands raised in a visit are difficulties: one tap less on a phone.
        self.fields["kind"].choices = DemandKind.choices
        self.fields["kind"].initial = DemandKind.DIFFICULTY
        self.fields["handler"] = handler_picker(self.fields["handler"])
        self.fields["handler_department"] = department_picker(self.fields["handler_department"])
        self.fields["raised_by_text"].help_text = "留空则为本记录中的科技工作者"


# at most 20 demands with one record (common/limits.py: a forged count is refused, not built)
DemandFormSet = capped_formset(
    forms.inlineformset_factory,
    ContactRecord,
    Demand,
    form=DemandInlineForm,
    extra=1,
    can_delete=False,
    cap=20,
)


class DeleteRecordForm(PlainFormMixin, forms.Form):
    reason = forms.CharField(label="删除原因", max_length=200)


class GreetingsForm(PlainFormMixin, forms.Form):
    """Bulk greetings: one occasion, one channel, one date; the team's scientists not yet greeted ticked."""

    team = forms.ModelChoiceField(label="专班", queryset=Team.objects.none())
    occasion = forms.ChoiceField(label="慰问时机", choices=Occasion.choices)
    channel = forms.ChoiceField(
        label="慰问形式", choices=ContactChannel.choices, initial=ContactChannel.MESSAGE
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    summary = forms.CharField(label="情况摘要", required=False, max_length=500, help_text="留空则自动生成")
    scientists = IdsField(
        label="慰问对象",
        queryset=Scientist.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, teams, scientists=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: f"{t.year.year} · {t.name}"
        self.fields["date"].initial = timezone.localdate
        self.fields["handler"] = handler_picker(label="交办给（干部）")
        self.fields["department"] = department_picker(label="或交办给（部室）")
        self.order_fields(["kind", "date", "handler", "department"])
        self.fields["scientists"].queryset = (
            scientists if scientists is not None else Scientist.objects.none()
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        team, day = cleaned.get("team"), cleaned.get("date")
        if team and day and day.year != team.year.year:
            self.add_error("date", f"日期须在专班所属的 {team.year.year} 年度内。")
        if day and day > timezone.localdate():
            self.add_error("date", "日期不能晚于今天。")
        if not cleaned.get("scientists"):
            self.add_error("scientists", "请至少选择一名科技工作者。")
        return cleaned


# The fields each step asks for (the step form shows only these; the rest is ignored when posted)
STEP_FIELDS = {
    DemandActionKind.ASSIGN: ("date", "handler", "department", "due_date", "text"),
    DemandActionKind.PROGRESS: ("date", "text", "status"),
    DemandActionKind.REPLY: ("date", "text", "status"),
    DemandActionKind.REVISIT: ("date", "satisfied", "text"),
    DemandActionKind.NOTE: ("date", "text"),
}
STEP_TEXT_LABELS = {
    DemandActionKind.ASSIGN: "交办说明",
    DemandActionKind.PROGRESS: "办理情况",
    DemandActionKind.REPLY: "向提出人反馈的内容",
    DemandActionKind.REVISIT: "回访情况",
    DemandActionKind.NOTE: "备注",
}


class DemandActionForm(PlainFormMixin, forms.Form):
    """One step of a demand. Each step asks only its own fields (STEP_FIELDS): 交办 whom (a person or a
    department) and by when, 回访 whether the person was satisfied; the page hides the others (CSS, no JS
    needed) and the form drops whatever else was posted."""

    kind = forms.ChoiceField(
        label="环节",
        choices=[(k, label) for k, label in DemandActionKind.choices if k != DemandActionKind.REGISTER],
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_date = forms.DateField(
        label="办理时限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="留空则不变",
    )
    status = forms.ChoiceField(
        label="办理后状态", choices=[("", "不变"), *DemandStatus.choices], required=False
    )
    satisfied = forms.TypedChoiceField(
        label="提出人是否满意",
        choices=[("", "—"), ("1", "满意"), ("0", "不满意")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    text = forms.CharField(label="情况 / 反馈内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # What the user saw: the demand's version and its latest step (common/concurrency.py; the view checks)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_action = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**63 - 1
    )

    def __init__(self, *args, demand: Demand | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if demand is not None:
            self.fields["version"].initial = demand.version
            self.fields["seen_action"].initial = max((a.pk for a in demand.actions.all()), default=0)
        self.fields["date"].initial = timezone.localdate
        self.fields["handler"] = handler_picker(label="交办给（干部）")
        self.fields["department"] = department_picker(label="或交办给（部室）")
        self.order_fields(["kind", "date", "handler", "department"])
        self.fields["status"].choices = [("", "不变"), *DemandStatus.choices]
        self.fields["satisfied"].choices = [("", "—"), ("1", "满意"), ("0", "不满意")]

    def steps_of(self, name: str) -> str:
        """The steps a field belongs to, for the template's data-steps (what the CSS shows per step)."""
        return " ".join(kind for kind, names in STEP_FIELDS.items() if name in names)

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind not in STEP_FIELDS:
            return cleaned
        asked = STEP_FIELDS[kind]
        for name in ("handler", "department", "due_date", "status", "satisfied"):
            if name not in asked:
                cleaned[name] = None if name != "status" else ""
                self.errors.pop(name, None)
        if "text" not in asked:
            cleaned["text"] = ""
        whom = (
            cleaned.get("handler")
            or cleaned.get("department")
            or {"handler", "department"} & set(self.errors)
        )
        if kind == DemandActionKind.ASSIGN and not whom:
            self.add_error("handler", "交办请选择承办的干部或部室。")
        if kind == DemandActionKind.REVISIT and cleaned.get("satisfied") is None:
            self.add_error("satisfied", "回访请选择提出人是否满意。")
        if kind == DemandActionKind.REPLY and not (cleaned.get("text") or "").strip():
            self.add_error("text", "请填写向提出人反馈的内容。")
        return cleaned


def default_dates() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def team_people(team: Team):
    """The lead and members of a team, offered as participants. By the lead's id and the members' subquery:
    "led or member of" through both joins scanned every staff member's teams (11 ms on every record form at
    6,202 staff, pg_stat_statements under the load test)."""
    members = Team.members.through.objects.filter(team_id=team.pk).values("staff_id")
    return Staff.objects.filter(Q(pk=team.lead_id) | Q(pk__in=members)).order_by("order", "id")
