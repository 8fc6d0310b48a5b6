"""Small view helpers shared by the registries."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> Page:
    """One page of a list; a page number out of range or not a number gives the nearest valid page."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def set_active(request: HttpRequest, obj, noun: str) -> HttpResponse:
    """Deactivate (停用) or reactivate a registry row; rows are never deleted, history refers to them."""
    obj.is_active = request.POST.get("active") == "1"
    obj.save(update_fields=["is_active", "updated_at"])
    state = "恢复启用" if obj.is_active else "停用"
    messages.success(request, f"已{state}{noun}“{obj}”。")
    return redirect(obj)
