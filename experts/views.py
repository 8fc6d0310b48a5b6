"""Pages of the scientist registry. Phone and email are shown in full only to those the personal-data rule
allows (liaison/privacy/rule.py, asked as the permission "experts.view_scientist_contact" on each scientist);
others see them masked, and every page that shows some in full is logged (common/personal_data.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from common import picker
from common.personal_data import Kind, Person, record_shown, shown_email, shown_phone
from common.views import paginate, set_active
from experts.filters import ScientistFilter
from experts.forms import ScientistForm
from experts.models import Scientist
from experts.signals import scientist_page_sections

EDIT_PERMISSION = "experts.change_scientist"
CONTACT_PERMISSION = "experts.view_scientist_contact"


def show_contacts(request: HttpRequest, scientists) -> None:
    """Set each scientist's shown_mobile, shown_email and contact_visible under the rule, and log those
    shown in full (one log entry for the page)."""
    shown = []
    for s in scientists:
        s.contact_visible = request.user.has_perm(CONTACT_PERMISSION, s)
        s.shown_mobile = shown_phone(s.mobile, s.contact_visible)
        s.shown_email = shown_email(s.email, s.contact_visible)
        if s.contact_visible and (s.mobile or s.email):
            shown.append(Person(Kind.SCIENTIST, s.pk, s.name))
    record_shown(request, request.resolver_match.view_name, shown)


# A name search lists its first SEARCH_CAP matches (common.views.CappedPaginator): "li" matches 24,000 of
# 100,000 scientists, and counting them all took most of the page's time.
SEARCH_CAP = 1000


def scientist_list(request: HttpRequest) -> HttpResponse:
    filterset = ScientistFilter(request.GET, queryset=Scientist.objects.for_list())
    searching = bool(request.GET.get("q", "").strip())
    page = paginate(request, filterset.qs, cap=SEARCH_CAP if searching else None)
    show_contacts(request, page.object_list)
    return render(
        request,
        "experts/scientist_list.html",
        {"filter": filterset, "page": page, "can_edit": request.user.has_perm(EDIT_PERMISSION)},
    )


@require_GET
def scientist_filter_suggest(request: HttpRequest, field: str) -> HttpResponse:
    """htmx: matches for the list's organisation search box (the registries are read by everyone logged in)."""
    filterset = ScientistFilter(request.GET, queryset=Scientist.objects.none())
    return picker.suggestions(request, filterset, field)


# htmx: matches for the form's organisation search box, for those who may create or edit scientists
scientist_form_suggest = picker.form_suggestion_view(
    lambda request: ScientistForm(), "experts.add_scientist", EDIT_PERMISSION
)


def scientist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scientist = get_object_or_404(Scientist.objects.select_related("organization"), pk=pk)
    show_contacts(request, [scientist])
    sections = scientist_page_sections.send(sender=Scientist, request=request, scientist=scientist)
    return render(
        request,
        "experts/scientist_detail.html",
        {
            "scientist": scientist,
            "can_edit": request.user.has_perm(EDIT_PERMISSION),
            "sections": [html for _, html in sections if html],
        },
    )


def _save_scientist(request: HttpRequest, scientist: Scientist | None) -> HttpResponse:
    form = ScientistForm(request.POST or None, instance=scientist)
    if scientist is not None and request.method != "POST":
        show_contacts(request, [scientist])  # the form shows the stored phone and email
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.claim():
                saved = form.save()
                messages.success(request, f"已保存科技工作者“{saved.name}”。")
                return redirect(saved)
    return render(request, "experts/scientist_form.html", {"form": form, "scientist": scientist})


@permission_required("experts.add_scientist", raise_exception=True)
def scientist_create(request: HttpRequest) -> HttpResponse:
    return _save_scientist(request, None)


@permission_required(EDIT_PERMISSION, raise_exception=True)
def scientist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_scientist(
        request, get_object_or_404(Scientist.objects.select_related("organization"), pk=pk)
    )


@require_POST
@permission_required(EDIT_PERMISSION, raise_exception=True)
def scientist_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    return set_active(request, get_object_or_404(Scientist, pk=pk), "科技工作者")
