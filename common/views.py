"""Small view helpers shared by the registries."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property


class TwoStepPaginator(Paginator):
    """Fetches a page of a queryset in two steps: the page's ids in the list's order, then those rows with
    what the list joins. Sorting a list's matches with every joined column (a scientist's organisation, a
    record's team, year and author) before taking 25 of them was most of the query: 38 → 15 ms for the
    scientists matching "wang", 7 → 2 ms for a staff member's records, at N = 100,000 (bench/results.md)."""

    def page(self, number) -> Page:
        if (
            not isinstance(self.object_list, QuerySet)
            or self.object_list._iterable_class is not ModelIterable
        ):
            return super().page(number)  # a list, or a queryset of values: one step
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(rows_in_order(self.object_list, ids), number, self)


def rows_in_order(queryset: QuerySet, ids: list) -> list:
    """The rows of `queryset` with these primary keys, in the order of `ids` (a page's second step)."""
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


class CappedPaginator(TwoStepPaginator):
    """Pages over the first `cap` rows only, counting no further than cap + 1.

    A search for a common pinyin syllable ("li") matches a quarter of 100,000 scientists; counting them all
    is most of the page's time, and nobody pages through 24,000 names. The page then says there are more
    than `cap` and lists the first `cap` (the template reads `capped`)."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def _bounded_count(self) -> int:
        # unordered: any cap + 1 matching rows tell that there are more, without sorting them first
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.cap


def paginate(
    request: HttpRequest, queryset: QuerySet, per_page: int | None = None, cap: int | None = None
) -> Page:
    """One page of a list; a page number out of range or not a number gives the nearest valid page.
    With `cap`, only the first `cap` rows are counted and paged (CappedPaginator)."""
    per_page = per_page or settings.PAGE_SIZE
    paginator = (
        TwoStepPaginator(queryset, per_page) if cap is None else CappedPaginator(queryset, per_page, cap=cap)
    )
    return paginator.get_page(request.GET.get("page"))


def page_of_ids(
    request: HttpRequest, queryset: QuerySet, per_page: int | None = None, *, rows: QuerySet | None = None
) -> Page:
    """One page of a list's primary keys, in the queryset's order, with the total counted by the same query
    (COUNT(*) OVER ()): for a list whose filter is costly to run (the network's links counted per scientist,
    ~80 ms at N = 100,000), once instead of once for the count and once for the page. A page number past the
    end, or not a number, gives the nearest valid page, as paginate does (a page past the end costs a second
    query). With `rows` (what the list shows of each row), the page holds those rows, in the page's order,
    read by their keys without the list's filter."""
    per_page = per_page or settings.PAGE_SIZE
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except (TypeError, ValueError):
        number = 1
    counted = queryset.annotate(total_rows=Window(Count("pk"))).values_list("pk", "total_rows")
    keys = list(counted[(number - 1) * per_page : number * per_page])
    if keys:
        total = keys[0][1]
    else:
        total = queryset.count()
        last = max((total + per_page - 1) // per_page, 1)
        if number > last and total:
            number = last
            keys = list(counted[(number - 1) * per_page : number * per_page])
        else:
            number = 1
    ids = [pk for pk, _ in keys]
    paginator = Paginator([], per_page)
    paginator.count = total
    return paginator._get_page(ids if rows is None else rows_in_order(rows, ids), number, paginator)


def set_active(request: HttpRequest, obj, noun: str) -> HttpResponse:
    """Deactivate (停用) or reactivate a registry row; rows are never deleted, history refers to them."""
    obj.is_active = request.POST.get("active") == "1"
    obj.save(update_fields=["is_active", "updated_at"])
    state = "恢复启用" if obj.is_active else "停用"
    messages.success(request, f"已{state}{noun}“{obj}”。")
    return redirect(obj)
