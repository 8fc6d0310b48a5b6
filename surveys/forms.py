"""Forms of the surveys app: the questionnaire's design, the choice of scientists to send it to, and the
answer form built from a survey's questions (one field per question)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from common.concurrency import VersionedFormMixin
from common.forms import PlainFormMixin
from common.limits import MULTILINE_MAX, SINGLE_LINE_MAX, IdsField, harden_form
from experts.models import TalentCategory
from liaison.models import Team
from orgs.models import Organization, OrgKind
from surveys.models import CHOICE_KINDS, Question, QuestionKind, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CHOICES = 30
NUMBER_LIMIT = Decimal("999999999999.99")


class SurveyForm(VersionedFormMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "intro": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        return cleaned


class QuestionForm(PlainFormMixin, forms.ModelForm):
    choices_text = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="单选、多选题填写，每行一个选项。",
    )
    text_limits = {"choices_text": MULTILINE_MAX}

    class Meta:
        model = Question
        fields = [
            "order",
            "kind",
            "text",
            "required",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        ]
        widgets = {"text": forms.TextInput()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = "留空则排在最后。"
        self.fields["scale_min"].help_text = "量表题填写，例如 1 到 5。"
        if self.instance.pk is not None:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean(self) -> dict:
        cleaned = super().clean()
        lines = [line.strip() for line in (cleaned.get("choices_text") or "").splitlines() if line.strip()]
        kind = cleaned.get("kind")
        if kind in CHOICE_KINDS:
            if len(lines) < 2:
                self.add_error("choices_text", "选择题至少要有两个选项，每行一个。")
            elif len(lines) > MAX_CHOICES:
                self.add_error("choices_text", f"最多 {MAX_CHOICES} 个选项。")
            elif len(set(lines)) != len(lines):
                self.add_error("choices_text", "选项不能重复。")
            elif any(len(line) > 100 for line in lines):
                self.add_error("choices_text", "每个选项最多 100 个字。")
        if kind == QuestionKind.SCALE:
            low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
            if low is None or high is None:
                self.add_error("scale_min", "量表题须填写最小值和最大值。")
            elif not (-100 <= low < high <= 100) or high - low > 10:
                self.add_error("scale_max", "最大值须大于最小值，两者在 −100 到 100 之间，最多 11 级。")
        self.instance.choices = lines
        return cleaned


class SendForm(PlainFormMixin, forms.Form):
    """Who the survey goes to: the year's team targets (all or chosen teams) or the whole registry,
    narrowed by category, organisation and county. GET parameters, so the preview can be bookmarked."""

    SOURCES = [("targets", "专班联系对象"), ("registry", "全部在册科技工作者")]

    source = forms.ChoiceField(label="范围", choices=SOURCES, initial="targets", widget=forms.RadioSelect)
    teams = IdsField(
        label="专班",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则为本年度全部专班。",
    )
    categories = forms.MultipleChoiceField(
        label="人才类别", choices=TalentCategory.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    organization = forms.CharField(label="工作单位或所属组织", required=False, help_text="名称包含的文字。")
    county = forms.ModelChoiceField(label="区县", queryset=Organization.objects.none(), required=False)

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(year__year=year).in_year_order()
        self.fields["county"].queryset = Organization.objects.filter(kind=OrgKind.DISTRICT).order_by(
            "name_pinyin", "pk"
        )
        self.fields["organization"].max_length = SINGLE_LINE_MAX


def _scale_label(question: Question, value: int) -> str:
    if value == question.scale_min and question.scale_min_label:
        return f"{value}（{question.scale_min_label}）"
    if value == question.scale_max and question.scale_max_label:
        return f"{value}（{question.scale_max_label}）"
    return str(value)


class AnswerForm(forms.Form):
    """One field per question, named q<id>; nothing is required to keep a draft, every required question
    to submit (the service checks it again)."""

    def __init__(self, *args, questions: list[Question], submit: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.submit = submit
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)
        for number, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = self._field(question, number)
        harden_form(self)

    @staticmethod
    def _field(question: Question, number: int) -> forms.Field:
        label = f"{number}. {question.text}" + ("（必答）" if question.required else "")
        common = {"label": label, "required": False}
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                choices=list(enumerate(question.choices)), coerce=int, widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=list(enumerate(question.choices)),
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if question.kind == QuestionKind.SCALE:
            return forms.TypedChoiceField(
                choices=[(v, _scale_label(question, v)) for v in question.scale_values()],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                **common,
            )
        if question.kind == QuestionKind.NUMBER:
            return forms.DecimalField(
                max_digits=14,
                decimal_places=2,
                min_value=-NUMBER_LIMIT,
                max_value=NUMBER_LIMIT,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                **common,
            )
        if question.kind == QuestionKind.LONG:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), max_length=MULTILINE_MAX, **common
            )
        return forms.CharField(max_length=SINGLE_LINE_MAX, **common)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.submit:
            for question in self.questions:
                name = f"q{question.pk}"
                if question.required and cleaned.get(name) in (None, "", []) and name not in self.errors:
                    self.add_error(name, "此题必答。")
        return cleaned

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def fields_with_questions(self):
        return [(question, self[f"q{question.pk}"]) for question in self.questions]
