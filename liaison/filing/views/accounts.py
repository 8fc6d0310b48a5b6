"""Grassroots accounts, for the liaison office (and a superuser): list, open, hand out, reset, disable.

A one-time password or a set-password link is shown once, in the answer to the POST that made it: it is
never stored in the session or in a page that can be reloaded, and the answer is not cached."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.limits import SEARCH_MAX, has_control_characters
from common.views import paginate
from liaison.filing import accounts
from liaison.filing.access import require_office
from liaison.filing.forms import AccountForm, HandoutForm
from liaison.models import GrassrootsAccount
from orgs.models import Organization


def account_list(request: HttpRequest) -> HttpResponse:
    """Every grassroots account, searchable by organisation, username or holder; paged."""
    require_office(request.user)
    rows = GrassrootsAccount.objects.select_related("organization", "user").order_by(
        "organization__name_pinyin", "id"
    )
    q = (request.GET.get("q") or "").strip()
    if q and len(q) <= SEARCH_MAX and not has_control_characters(q):
        found = Organization.objects.search(q).values("pk")
        rows = rows.filter(
            Q(organization__in=found) | Q(user__username__icontains=q) | Q(holder__icontains=q)
        )
    state = request.GET.get("state", "")
    if state == "active":
        rows = rows.filter(user__is_active=True)
    elif state == "disabled":
        rows = rows.filter(user__is_active=False)
    return render(
        request, "liaison/filing/account_list.html", {"page": paginate(request, rows), "q": q, "state": state}
    )


def _handed_out(request: HttpRequest, handout: accounts.Handout, *, new: bool) -> HttpResponse:
    response = render(
        request,
        "liaison/filing/account_handout.html",
        {
            "account": handout.account,
            "handout": handout,
            "new": new,
            "valid_days": accounts.link_valid_days(),
        },
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _hand_out(request: HttpRequest, account: GrassrootsAccount, how: str, *, new: bool) -> HttpResponse:
    if how == "link":
        handout = accounts.hand_out_link(account, base_url=request.build_absolute_uri("/"))
    else:
        handout = accounts.hand_out_password(account)
    return _handed_out(request, handout, new=new)


@never_cache
def account_create(request: HttpRequest, org: int) -> HttpResponse:
    require_office(request.user)
    organization = get_object_or_404(Organization, pk=org)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = accounts.create_account(
                organization=organization,
                username=data["username"],
                holder=data["holder"],
                email=data["email"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("username", error)
        else:
            return _hand_out(request, account, data["handout"], new=True)
    return render(request, "liaison/filing/account_form.html", {"form": form, "organization": organization})


def _account(pk: int) -> GrassrootsAccount:
    return get_object_or_404(GrassrootsAccount.objects.select_related("organization", "user"), pk=pk)


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    account = _account(pk)
    return render(
        request,
        "liaison/filing/account_detail.html",
        {"account": account, "form": HandoutForm(), "valid_days": accounts.link_valid_days()},
    )


@never_cache
@require_POST
def account_handout(request: HttpRequest, pk: int) -> HttpResponse:
    """重置: a new one-time password or set-password link (the old password stops working)."""
    require_office(request.user)
    account = _account(pk)
    form = HandoutForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "liaison/filing/account_detail.html",
            {"account": account, "form": form, "valid_days": accounts.link_valid_days()},
        )
    return _hand_out(request, account, form.cleaned_data["handout"], new=False)


@require_POST
def account_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    account = _account(pk)
    enabled = request.POST.get("active") == "1"
    accounts.set_enabled(account, enabled)
    if enabled:
        messages.success(request, f"已启用账号“{account.user.username}”。")
    else:
        messages.success(request, f"已停用账号“{account.user.username}”：它不能再登录，已登录的也立即退出。")
    return redirect("filing:account", account.pk)
