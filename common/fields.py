"""`{{ field|form_field }}`: a form field in Bootstrap 5 markup, the HTML of crispy-forms' `as_crispy_field`
written out in Python.

crispy-bootstrap5 renders each field through a template of some twenty tags and three includes; at ~1–2 ms a
field it was a third of the record list's and the search page's time and more than half of the record form's
under load (bench/results.md, issue 17 §6). This writes the same elements, classes and ids (tests/common/
test_fields.py compares the two on every kind of field the pages use) and hands the rare cases it doesn't
cover — radio buttons, checkbox lists, file inputs, fieldsets, forms with a crispy helper — to crispy itself.

Loaded as a template library: `{% load fields %}` (kexie/settings/base.py, TEMPLATES libraries).
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _plain_helper(helper) -> bool:
    """A FormHelper that changes nothing of a field's markup but the errors' tag (common/forms.py's: no
    <form> tag, no CSRF field); with one, crispy writes a field's errors inline, as <span>s."""
    return (
        helper.layout is None
        and not helper.field_template
        and not helper.label_class
        and not helper.field_class
        and not helper.form_class
        and helper.form_show_labels
        and helper.form_show_errors
        and not helper.help_text_inline
        and helper.error_text_inline
    )


def _handled_by_crispy(field: BoundField) -> bool:
    widget = field.field.widget
    helper = getattr(field.form, "helper", None)
    return (
        (helper is not None and not _plain_helper(helper))
        or isinstance(widget, forms.FileInput | forms.MultiWidget)
        or (field.use_fieldset and not isinstance(widget, forms.RadioSelect))
    )


def _with_classes(widget: forms.Widget, extra: str) -> str:
    """The widget's class attribute as crispy's `crispy_field` tag leaves it: the widget's own classes, then
    the widget's class name in lower case (unless already there), then each of `extra` not already there."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    present = css.split()
    for word in extra.split():
        if word not in present:
            css += f" {word}"
            present.append(word)
    return css


def _widget(field: BoundField, extra: str) -> str:
    # crispy writes the class into widget.attrs (the form's own copy of the widget); so do we, so that a later
    # render of the same field (a re-rendered form) starts from the same attributes
    widget = field.field.widget
    widget.attrs["class"] = _with_classes(widget, extra)
    return str(field)


def _errors(field: BoundField, *, block: bool) -> str:
    """crispy's layout/field_errors_block.html (<p>s), or field_errors.html (<span>s)."""
    if not field.errors:
        return ""
    tag = "p" if block else "span"
    field_id = getattr(field.errors, "field_id", None) or ""
    parts = [f'<div id="{conditional_escape(field_id)}_error" class="invalid-feedback">']
    for number, error in enumerate(field.errors, start=1):
        parts.append(
            format_html(
                '<{0} id="error_{1}_{2}"><strong>{3}</strong></{0}>', tag, number, field.auto_id or "", error
            )
        )
    parts.append("</div>")
    return "".join(parts)


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    # crispy marks help text safe (`|safe`): it is written by the code, never by users
    prefix = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
    return f'<div {prefix}class="form-text">{field.help_text}</div>'


def _help_and_errors(field: BoundField, *, block: bool) -> str:
    return _errors(field, block=block) + _help(field)


def _attrs(attrs: dict) -> str:
    """crispy's layout/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        )
    return "".join(out)


def _choices(field: BoundField) -> str:
    """Radio buttons and checkbox lists as crispy's layout/radio_checkbox_select.html writes them."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    invalid = " is-invalid" if field.errors else ""
    name = conditional_escape(field.html_name)
    parts = ["<div>"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{conditional_escape(group)}</strong>")
        for option_number, option in enumerate(options, start=1):
            parts.append(
                f'<div class="form-check"><input type="{option["type"]}" class="form-check-input{invalid}"'
                f' name="{name}" value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{conditional_escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(str(option['label']))}</label>"
            )
            if field.errors and option_number == len(options) and group_number == len(groups):
                parts.append(_errors(field, block=True))
            parts.append("</div>")
    parts.append("</div>")
    return "".join(parts) + _help(field)


def _label(field: BoundField, css: str, *, legend: bool = False) -> str:
    """A field's <label> (or a fieldset's <legend>, which names no input and reads a size smaller)."""
    required = field.field.required
    label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label and not legend else ""
    classes = css + (" requiredField" if required else "") + (" fs-6" if legend else "")
    star = '<span class="asteriskField">*</span>' if required else ""
    tag = "legend" if legend else "label"
    return f'<{tag}{label_for} class="{classes}">{conditional_escape(field.label)}{star}</{tag}>'


@register.filter(name="form_field")
def form_field(field: BoundField) -> SafeString:
    if _handled_by_crispy(field):
        return as_crispy_field(field)
    # `as_crispy_field` takes the form's helper into account: with one, errors are written inline (<span>s)
    return _field(field, block_errors=getattr(field.form, "helper", None) is None)


def _field(field: BoundField, *, block_errors: bool) -> SafeString:
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 - Django's own widget HTML
    widget = field.field.widget
    wrapper_extra = f" {field.css_classes()}" if field.css_classes() else ""
    div_id = f"div_{conditional_escape(field.auto_id)}"
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        inner = (
            _widget(field, "form-check-input" + invalid)
            + _label(field, "form-check-label")
            + _help_and_errors(field, block=block_errors)
        )
        html = f'<div class="mb-3"><div id="{div_id}" class="form-check{wrapper_extra}">{inner}</div></div>'
        return mark_safe(html)  # noqa: S308 - every value above is escaped or Django's widget HTML
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass: in a fieldset
        inner = _choices(field)
        if field.label:
            described = getattr(field, "aria_describedby", None)
            described = format_html(' aria-describedby="{}"', described) if described else ""
            inner = f"<fieldset{described}>{_label(field, 'form-label', legend=True)}{inner}</fieldset>"
        return mark_safe(f'<div id="{div_id}" class="mb-3{wrapper_extra}">{inner}</div>')  # noqa: S308 - as below
    label = _label(field, "form-label") if field.label else ""
    control = "form-select" if isinstance(widget, forms.Select) else "form-control"
    inner = label + _widget(field, control + invalid) + _help_and_errors(field, block=block_errors)
    return mark_safe(f'<div id="{div_id}" class="mb-3{wrapper_extra}">{inner}</div>')  # noqa: S308 - as above


@register.filter(name="form_fields")
def form_fields(form: forms.BaseForm) -> SafeString:
    """A whole form as crispy's `|crispy` filter writes it: the form's own errors, then every field."""
    fields = list(form)
    if any(_handled_by_crispy(field) for field in fields):
        return as_crispy_form(form)
    parts = []
    if form.non_field_errors():
        items = "".join(format_html("<li>{}</li>", error) for error in form.non_field_errors())
        parts.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
    # `|crispy` ignores the form's helper: errors in blocks (<p>s) whatever the form
    parts.extend(_field(field, block_errors=True) for field in fields)
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped above or by form_field
