"""Pages of likely duplicate scientists, for the liaison office and admin (issue 20 §4): the finder's list,
a pair side by side to merge or mark "不是重复", and the merges with an admin's undo."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.actors import actor_name
from experts.duplicates import finder, services
from experts.duplicates.forms import FIRST, SECOND, MergeForm, PairFilterForm
from experts.duplicates.merge import merge_choices, referencing_fields, undo_refusal
from experts.duplicates.models import MergeRecord
from experts.models import Scientist
from experts.views import show_contacts

MERGE_PERMISSION = "experts.merge_scientist"
UNDO_PERMISSION = "experts.undo_scientist_merge"


@permission_required(MERGE_PERMISSION, raise_exception=True)
def pair_list(request: HttpRequest) -> HttpResponse:
    form = PairFilterForm(request.GET or None)
    pairs = finder.likely_pairs(**form.values())
    page = Paginator(pairs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "experts/duplicates/pair_list.html", {"form": form, "page": page})


def _pair(first_pk: int, second_pk: int) -> tuple[Scientist, Scientist]:
    if first_pk == second_pk:
        raise Http404
    found = Scientist.objects.select_related("organization").in_bulk([first_pk, second_pk])
    if len(found) < 2:
        raise Http404
    return found[min(first_pk, second_pk)], found[max(first_pk, second_pk)]


def _history(scientists: list[Scientist]) -> dict[int, list[tuple[str, int]]]:
    """Per scientist, how many rows of each kind name it: one grouped count per kind of row, whatever the
    data size (a merge moves them all)."""
    ids = [s.pk for s in scientists]
    found: dict[int, list[tuple[str, int]]] = {pk: [] for pk in ids}
    for fk in referencing_fields():
        counts = (
            fk.model._base_manager.filter(**{f"{fk.attname}__in": ids})
            .order_by()
            .values(fk.attname)
            .annotate(n=Count("pk"))
            .values_list(fk.attname, "n")
        )
        for pk, n in counts:
            found[pk].append((str(fk.model._meta.verbose_name), n))
    return found


@permission_required(MERGE_PERMISSION, raise_exception=True)
def pair_detail(request: HttpRequest, first: int, second: int) -> HttpResponse:
    a, b = _pair(first, second)
    defaults = {name: FIRST if side == "kept" else SECOND for name, side in merge_choices(a, b).items()}
    form = MergeForm(request.POST or None, first=a, second=b, defaults=defaults)
    if request.method == "POST" and form.is_valid():
        kept, absorbed = form.kept_and_absorbed()
        try:
            record = services.merge(
                kept=kept, absorbed=absorbed, take=form.take(), by=request.user, versions=form.versions()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"已将“{record.absorbed_name}”（编号 {record.absorbed_id}）并入“{record.kept_name}”。",
            )
            return redirect(kept)
    show_contacts(request, [a, b])
    history = _history([a, b])
    return render(
        request,
        "experts/duplicates/pair_detail.html",
        {
            "first": a,
            "second": b,
            "pair": finder.pair_of(a, b),
            "form": form,
            "rows": _rows(form, a, b),
            "first_history": history[a.pk],
            "second_history": history[b.pk],
        },
    )


def _rows(form: MergeForm, a: Scientist, b: Scientist) -> list[dict]:
    """The side-by-side table: each field's label, both values as shown, and the choice where they differ."""
    shown = {
        "mobile": (a.shown_mobile or "—", b.shown_mobile or "—"),
        "email": (a.shown_email or "—", b.shown_email or "—"),
    }
    rows = []
    for name, label, choice in form.bound_rows():
        if name in shown:
            left, right = shown[name]
        else:
            left, right = _display(a, name), _display(b, name)
        rows.append({"name": name, "label": label, "left": left, "right": right, "choice": choice})
    return rows


def _display(scientist: Scientist, name: str) -> str:
    field = Scientist._meta.get_field(name)
    value = getattr(scientist, name)
    if field.choices:
        return getattr(scientist, f"get_{name}_display")() or "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if name == "birth_date":
        return f"{value:%Y-%m-%d}"
    return str(value)


@require_POST
@permission_required(MERGE_PERMISSION, raise_exception=True)
def pair_dismiss(request: HttpRequest, first: int, second: int) -> HttpResponse:
    a, b = _pair(first, second)
    services.dismiss_pair(first=a, second=b, by=request.user)
    messages.success(request, f"已标记“{a.name}”与“{b.name}”不是重复，不再列出这一对。")
    return redirect("experts:duplicates")


@permission_required(MERGE_PERMISSION, raise_exception=True)
def merge_list(request: HttpRequest) -> HttpResponse:
    records = MergeRecord.objects.select_related("kept", "merged_by__staff", "undone_by__staff").defer(
        "absorbed_row", "moved", "deleted", "kept_changes"
    )
    page = Paginator(records, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    may_undo = request.user.has_perm(UNDO_PERMISSION)
    for record in page.object_list:
        record.refusal = undo_refusal(record)
        record.merged_by_name = actor_name(record.merged_by)
    return render(request, "experts/duplicates/merge_list.html", {"page": page, "may_undo": may_undo})


@require_POST
@permission_required(UNDO_PERMISSION, raise_exception=True)
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=pk)
    try:
        restored = services.undo(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已撤销合并，恢复了“{restored.name}”（编号 {restored.pk}）。")
    return redirect(reverse("experts:merges"))
