"""A list filter that picks one row out of thousands (a team, a person, an organisation).

At a province's scale a <select> of every row is most of a list page's time and weight (2,000 teams and 6,202
staff made the record list 363 KB and ~400 ms to render). A picker instead
- shows a plain <select> while the user may choose among few rows (≤ `select_max`, e.g. a staff member's two
  teams): one query of at most `select_max + 1` rows decides, whatever the data size;
- otherwise shows a search box (`<name>_q`, matching name, full pinyin and initials like the other searches):
  submitting text filters by every match, and the matches are offered as buttons (`<name>=<id>`) to narrow to
  one; with htmx the same buttons appear as the user types (the page's suggestion view);
- keeps `?<name>=<id>` links working: the chosen row is shown by name with a link that clears it.

It works without JavaScript (a GET form). The rows offered, searched and accepted are always the field's
queryset, which the page restricts to what the user may see; an id outside it is refused with an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from common.limits import CONTROL_MESSAGE, SEARCH_MAX, harden_form, has_control_characters, parse_id

SELECT_MAX = 50
SUGGEST_LIMIT = 8


def _searchable(text: str) -> bool:
    """Whether typed text may reach a search query: control characters never do (NUL is a 500 on PostgreSQL)."""
    return not has_control_characters(text)


@dataclass(frozen=True)
class Picked:
    """The cleaned value: one chosen row, or the text typed and the rows it matches."""

    obj: Model | None
    text: str = ""
    matches: QuerySet | None = None


@dataclass(frozen=True)
class Suggestion:
    value: int
    label: str
    detail: str


class PickWidget(forms.Widget):
    """Reads `<name>` (an id) and `<name>_q` (typed text); renders what its PickField describes."""

    template_name = "includes/_picker.html"
    is_picker = True  # the filter form gives it a wider column

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.field: PickField | None = None

    def value_from_datadict(self, data, files, name) -> tuple[str, str]:
        return (str(data.get(name) or ""), str(data.get(f"{name}_q") or ""))

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_q" not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picker = self.field.describe(name, value) if self.field is not None else {"mode": "search"}
        control = dict(context["widget"]["attrs"])
        if picker["mode"] == "select":
            control["class"] = control.get("class", "form-control").replace("form-control", "form-select")
        picker["control_attrs"] = flatatt(control)
        picker["id"] = control.get("id", f"id_{name}")
        url = str(picker.get("suggest_url") or "")
        if url and url.rstrip("/").rsplit("/", 1)[-1] != name:  # a formset's form, or another field's rows
            picker["suggest_url"] = f"{url}?{urlencode({'name': name})}"
        context["picker"] = picker
        return context

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


class PickField(forms.Field):
    widget = PickWidget
    default_error_messages = {
        "invalid_choice": "所选的%(noun)s不存在，或您无权查看。",
        "control_characters": f"{CONTROL_MESSAGE}，请删去后再搜索。",
        "too_long": f"搜索内容最多 {SEARCH_MAX} 个字。",
    }

    def __init__(
        self,
        *,
        queryset: QuerySet,
        search: Callable[[QuerySet, str], QuerySet],
        noun: str,
        empty_label: str,
        placeholder: str = "名称、拼音或首字母",
        label_from_instance: Callable[[Any], str] = str,
        detail_from_instance: Callable[[Any], str] | None = None,
        suggest_url: str | None = None,
        select_max: int = SELECT_MAX,
        suggest_limit: int = SUGGEST_LIMIT,
        **kwargs,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.search = search
        self.noun = noun
        self.empty_label = empty_label
        self.placeholder = placeholder
        self.label_from_instance = label_from_instance
        self.detail_from_instance = detail_from_instance or (lambda obj: "")
        self.suggest_url = suggest_url
        self.select_max = select_max
        self.suggest_limit = suggest_limit
        self.query: Any = {}  # the page's GET data, for the link that clears the choice
        self.widget.field = self
        self._rows: list | None = None
        self._chosen: dict[str, Model | None] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self.queryset.all()
        result.widget.field = result
        result._rows, result._chosen = None, {}
        return result

    # --- validation -------------------------------------------------------------------------------------

    def chosen(self, raw_id: str) -> Model | None:
        """The row of that id if the user may pick it (one query, remembered for rendering)."""
        raw_id = (raw_id or "").strip()
        if raw_id not in self._chosen:
            pk = parse_id(raw_id)
            self._chosen[raw_id] = self.queryset.filter(pk=pk).first() if pk is not None else None
        return self._chosen[raw_id]

    def check_text(self, text: str) -> None:
        """Typed text is searched for only if it is plain text of a searchable length."""
        if not _searchable(text):
            raise ValidationError(self.error_messages["control_characters"], code="control_characters")
        if len(text) > SEARCH_MAX:
            raise ValidationError(self.error_messages["too_long"], code="too_long")

    def clean(self, value) -> Picked | None:
        raw_id, text = value if isinstance(value, tuple | list) else (value or "", "")
        if str(raw_id).strip():
            obj = self.chosen(str(raw_id))
            if obj is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"noun": self.noun}
                )
            return Picked(obj)
        text = (text or "").strip()
        if text:
            self.check_text(text)
            return Picked(None, text, self.search(self.queryset, text))
        return None

    # --- rendering --------------------------------------------------------------------------------------

    def rows(self) -> list:
        """At most select_max + 1 rows: enough to tell a short list from a long one in one query."""
        if self._rows is None:
            self._rows = list(self.queryset[: self.select_max + 1])
        return self._rows

    def suggestion(self, obj: Model) -> Suggestion:
        return Suggestion(obj.pk, self.label_from_instance(obj), self.detail_from_instance(obj))

    def suggest(self, text: str) -> tuple[list[Suggestion], bool]:
        """The first matches of the text, and whether there are more."""
        text = (text or "").strip()
        if not text or not _searchable(text) or len(text) > SEARCH_MAX:
            return [], False
        found = list(self.search(self.queryset, text)[: self.suggest_limit + 1])
        return [self.suggestion(obj) for obj in found[: self.suggest_limit]], len(found) > self.suggest_limit

    def base_context(self, name: str, selected: Callable[[str], bool] | None) -> dict[str, Any]:
        """What every picker's template gets; with few rows (and a `selected(pk)` to mark the chosen ones) a
        plain select: mode "select" and its options."""
        context: dict[str, Any] = {
            "name": name,
            "noun": self.noun,
            "empty_label": self.empty_label,
            "placeholder": self.placeholder,
            "suggest_url": self.suggest_url,
        }
        rows = self.rows()
        if selected is not None and len(rows) <= self.select_max:
            context["mode"] = "select"
            context["options"] = [(str(r.pk), self.label_from_instance(r), selected(str(r.pk))) for r in rows]
        return context

    def clear_url(self, name: str) -> str:
        kept = [(k, v) for k, v in _pairs(self.query) if k not in (name, f"{name}_q", "page") and v != ""]
        return "?" + urlencode(kept)

    def describe(self, name: str, value) -> dict[str, Any]:
        raw_id, text = value if isinstance(value, tuple | list) else (value or "", "")
        raw_id, text = str(raw_id or "").strip(), (text or "").strip()
        typed = bool(text and not raw_id)  # a typed search stays a search, whatever the number of rows
        context = self.base_context(name, None if typed else lambda pk: pk == raw_id)
        if "mode" in context:
            return context
        chosen = self.chosen(raw_id) if raw_id else None
        if chosen is not None:
            context.update(
                mode="chosen",
                value=chosen.pk,
                label=self.label_from_instance(chosen),
                detail=self.detail_from_instance(chosen),
                clear_url=self.clear_url(name),
            )
            return context
        items, more = self.suggest(text)
        context.update(mode="search", text=text, suggestions=items, more=more, q=text)
        return context


class PickFilter(django_filters.Filter):
    """Filter by the picked row, or by every row the typed text matches.

    Through a many-to-many field (a record's participants) it filters with `pk IN (<ids from the link
    table>)`: one row per record, without DISTINCT over the whole list or a join back to the records."""

    field_class = PickField

    def filter(self, qs: QuerySet, value: Picked | None) -> QuerySet:
        if not value:
            return qs
        # a path through relations (a demand's record__team) filters as written; the model's own M2M field by ids
        field = None if LOOKUP_SEP in self.field_name else qs.model._meta.get_field(self.field_name)
        if field is not None and field.many_to_many:
            target = field.m2m_reverse_field_name()
            links = field.remote_field.through._default_manager
            if value.obj is not None:
                links = links.filter(**{target: value.obj})
            else:
                links = links.filter(**{f"{target}__in": value.matches})
            return qs.filter(pk__in=links.values(field.m2m_field_name()))
        if value.obj is not None:
            return qs.filter(**{self.field_name: value.obj})
        return qs.filter(**{f"{self.field_name}__in": value.matches})


def _pairs(query) -> list[tuple[str, str]]:
    if hasattr(query, "getlist"):
        return [(k, str(v)) for k in query for v in query.getlist(k)]
    return [(k, str(v)) for k, v in query.items()]


class PickerFilterSetMixin:
    """Gives each picker of the filterset the page's query (for its "clear" link) and, if given, its rows."""

    # Parameters that leave the phone's "更多筛选" folded: the search box (always shown), the page, the default.
    QUIET = {"q": None, "page": None, "active": "1"}

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        harden_form(self.form)  # search boxes: no control characters, at most 200 characters
        self.query = data if data is not None else {}
        for field in self.form.fields.values():
            if isinstance(field, PickField):
                field.query = self.query

    @property
    def shows_more(self) -> bool:
        """Whether a filter beyond the search box is in use: then it stays unfolded on phones, so that the
        chosen team, person or organisation shows."""
        for key, value in _pairs(self.query):
            quiet = not value.strip() or (key in self.QUIET and self.QUIET[key] in (None, value))
            if not quiet:
                return True
        return False

    def set_picker_queryset(self, name: str, queryset: QuerySet) -> None:
        """The rows a picker offers, searches and accepts: the page restricts them to what the user may see."""
        self.form.fields[name].queryset = queryset


def suggestions(request: HttpRequest, filterset, name: str) -> HttpResponse:
    """htmx: the matches of `<name>_q` among the rows the page's filter offers this user, as buttons that
    submit the filter form with `<name>=<id>`."""
    field = filterset.form.fields.get(name)
    if not isinstance(field, PickField):
        raise Http404
    text = request.GET.get(f"{name}_q", "")
    items, more = field.suggest(text)
    return render(
        request,
        "includes/_picker_suggestions.html",
        {"name": name, "suggestions": items, "more": more, "q": text.strip(), "noun": field.noun},
    )


def suggestion_view(build_filterset: Callable[[HttpRequest], Any]) -> Callable[..., HttpResponse]:
    """The htmx view of a list's pickers (`<prefix>/suggest/<field>/`): it answers from the filterset the list
    page itself builds for the user, so the suggestions never offer a row the page would refuse."""

    @require_GET
    def view(request: HttpRequest, field: str) -> HttpResponse:
        return suggestions(request, build_filterset(request), field)

    return view


# --- forms ------------------------------------------------------------------------------------------------


class FormPickWidget(PickWidget):
    """The form flavour of the picker: a select while the choices are few, else a search box whose matches are
    radio buttons of the field's name (so picking one needs no script and submits its id with the form)."""

    template_name = "includes/_form_picker.html"
    is_picker = False


class FormPickField(PickField):
    """A ModelChoiceField for a foreign key with thousands of rows (an organisation, a department).

    Cleans to the chosen row (or None). Without an id, text that names exactly one row is taken as that row;
    other text is refused with "请从候选中选择…", and the page shows the text and its matches to pick from
    (no JavaScript needed). The rows offered and accepted are the field's queryset."""

    widget = FormPickWidget
    default_error_messages = {
        "invalid_choice": "所选的%(noun)s不在可选范围内（不存在、已停用或不符合要求），请重新选择。",
        "pick": "请从候选中选择%(noun)s：输入名称、拼音或首字母，再点选匹配的一项。",
        "required": "请选择%(noun)s。",
    }

    def __init__(self, *, name_field: str = "name", **kwargs) -> None:
        kwargs.setdefault("empty_label", "请选择")
        super().__init__(**kwargs)
        self.name_field = name_field
        self._known: dict[str, Model] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._known = {}
        return result

    def remember(self, obj: Model | None) -> None:
        """Show this row by name without a query (the edited object's current choice, already loaded)."""
        if obj is not None:
            self._known[str(obj.pk)] = obj

    def clean(self, value) -> Model | None:
        raw_id, text = value if isinstance(value, tuple | list) else (value or "", "")
        raw_id, text = str(raw_id or "").strip(), (text or "").strip()
        params = {"noun": self.noun}
        if raw_id:
            obj = self.chosen(raw_id)
            if obj is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params=params
                )
            return obj
        if text:
            self.check_text(text)
            named = list(self.queryset.filter(**{self.name_field: text})[:2])
            if len(named) == 1:
                self._chosen[str(named[0].pk)] = named[0]
                return named[0]
            raise ValidationError(self.error_messages["pick"], code="pick", params=params)
        if self.required:
            raise ValidationError(self.error_messages["required"], code="required", params=params)
        return None

    def has_changed(self, initial, data) -> bool:
        raw_id = data[0] if isinstance(data, tuple | list) else data
        return str(initial or "") != str(raw_id or "")

    def describe(self, name: str, value) -> dict[str, Any]:
        raw_id, text = value if isinstance(value, tuple | list) else (value or "", "")
        raw_id, text = str(raw_id or "").strip(), (text or "").strip()
        context = self.base_context(name, lambda pk: pk == raw_id)
        context["required"] = self.required
        if "mode" in context:
            return context
        chosen = None
        if raw_id:
            chosen = self._known.get(raw_id) or self.chosen(raw_id)
        if chosen is not None:
            context["chosen"] = self.suggestion(chosen)
        items, more = self.suggest(text)
        context.update(
            mode="search",
            text=text,
            suggestions=[s for s in items if s.value != getattr(chosen, "pk", None)],
            more=more,
            q=text,
        )
        return context


def form_picker(field: forms.ModelChoiceField, **kwargs) -> FormPickField:
    """A FormPickField in place of a ModelForm's generated field: same label, help text, required and rows."""
    kwargs.setdefault("queryset", field.queryset)
    return FormPickField(label=field.label, help_text=field.help_text, required=field.required, **kwargs)


# The name a picker's radio buttons carry: a field's, with a formset's prefix ("demands-0-handler")
FIELD_NAME = re.compile(r"^[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*$")


def form_suggestion_view(
    build_form: Callable[[HttpRequest], forms.BaseForm],
    *permissions: str,
    allowed: Callable[[Any], bool] | None = None,
) -> Callable[..., HttpResponse]:
    """The htmx view of a form's pickers (`<prefix>/form-suggest/<field>/`): the matches among the rows the
    form itself accepts, as radio buttons of the field. Only for users who may use the form (any of the
    permissions: the create or the edit form; or `allowed(user)`); anonymous users are sent to log in by
    the middleware. A picker whose name is not the field's (a formset's form: `?name=demands-0-handler`; a
    form that names the field differently) sends it: the text is read from `<name>_q` and the radio buttons
    carry that name."""

    @require_GET
    def view(request: HttpRequest, field: str) -> HttpResponse:
        if not (
            any(request.user.has_perm(p) for p in permissions)
            or (allowed is not None and allowed(request.user))
        ):
            raise PermissionDenied
        picked = build_form(request).fields.get(field)
        if not isinstance(picked, FormPickField):
            raise Http404
        name = request.GET.get("name") or field
        if not FIELD_NAME.match(name):
            raise Http404
        text = request.GET.get(f"{name}_q", "")
        items, more = picked.suggest(text)
        return render(
            request,
            "includes/_form_picker_matches.html",
            {
                "name": name,
                "suggestions": items,
                "more": more,
                "q": text.strip(),
                "noun": picked.noun,
                "multiple": isinstance(picked, FormPickMultipleField),
            },
        )

    return view


class FormPickMultipleWidget(FormPickWidget):
    """Checkboxes while the choices are few; else the chosen rows (checked) and a search box whose matches are
    checkboxes of the field's name."""

    template_name = "includes/_form_picker_multiple.html"
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name) -> tuple[list[str], str]:
        ids = data.getlist(name) if hasattr(data, "getlist") else (data.get(name) or [])
        return ([str(v) for v in ids], str(data.get(f"{name}_q") or ""))


class FormPickMultipleField(FormPickField):
    """A ModelMultipleChoiceField for thousands of rows (a team's members among every active staff member).

    Cleans to the list of chosen rows. Text left in the search box is refused ("请勾选…") unless one of its
    matches was ticked, so that without JavaScript a user types, saves, ticks among the matches and saves."""

    widget = FormPickMultipleWidget
    default_error_messages = {
        "invalid_choice": "所选的%(noun)s中有不在可选范围内的（不存在、已停用或不符合要求），请重新选择。",
        "pick": "搜索框中的“%(text)s”还没有选定：请勾选匹配的%(noun)s，或清空搜索框。",
        "required": "请选择%(noun)s。",
    }

    @staticmethod
    def _split(value) -> tuple[list[str], str]:
        if isinstance(value, tuple):
            ids, text = value
        else:
            ids, text = value or [], ""
        seen: list[str] = []
        for raw in ids if isinstance(value, tuple | list) else [ids]:
            raw = str(getattr(raw, "pk", raw) or "").strip()
            if raw and raw not in seen:
                seen.append(raw)
        return seen, (text or "").strip()

    def chosen_many(self, ids: list[str]) -> list[Model] | None:
        """The rows of those ids in that order (one query, none for remembered rows); None if any is refused."""
        if not all(parse_id(i) for i in ids):
            return None
        missing = [i for i in ids if i not in self._known and i not in self._chosen]
        if missing:
            for obj in self.queryset.filter(pk__in=missing):
                self._chosen[str(obj.pk)] = obj
        found = [self._known.get(i) or self._chosen.get(i) for i in ids]
        return None if any(obj is None for obj in found) else found

    def clean(self, value) -> list[Model]:
        ids, text = self._split(value)
        params = {"noun": self.noun, "text": text}
        # remembered rows are for showing only: what is submitted is checked against the queryset
        known, self._known = self._known, {}
        try:
            objs = self.chosen_many(ids)
        finally:
            self._known = known
        if objs is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params=params)
        if text:
            self.check_text(text)
        if text and not (ids and self.search(self.queryset, text).filter(pk__in=ids).exists()):
            raise ValidationError(self.error_messages["pick"], code="pick", params=params)
        if self.required and not objs:
            raise ValidationError(self.error_messages["required"], code="required", params=params)
        return objs

    def has_changed(self, initial, data) -> bool:
        return set(self._split(initial or [])[0]) != set(self._split(data)[0])

    def describe(self, name: str, value) -> dict[str, Any]:
        ids, text = self._split(value)
        context = self.base_context(name, lambda pk: pk in ids)
        if "mode" in context:
            return context
        digits = [i for i in ids if parse_id(i)]
        self.chosen_many(digits)  # fills the caches; a refused id is left out (the error says so)
        chosen = [
            obj for obj in (self._known.get(i) or self._chosen.get(i) for i in digits) if obj is not None
        ]
        picked = {obj.pk for obj in chosen}
        items, more = self.suggest(text)
        context.update(
            mode="search",
            chosen=[self.suggestion(o) for o in chosen],
            text=text,
            suggestions=[s for s in items if s.value not in picked],
            more=more,
            q=text,
        )
        return context
