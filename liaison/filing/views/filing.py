"""One organisation's filing for one year: the officers and their lines, the steps 报备 / 代为报备 / 确认 /
退回 / 修订, the history and the comparison of revisions (issue 16 §2).

Every step is a POST naming the revision the user saw; the services re-check it under the filing's row
lock, so a double click or two people at once make one step and the other gets a message saying what
happened instead."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common.limits import parse_id
from liaison.filing import services
from liaison.filing.access import (
    filing_for_user,
    is_office,
    may_edit,
    organization_for,
    require_office,
)
from liaison.filing.compare import compare, entries_of
from liaison.filing.forms import AddLineForm, ProposeForm, SendBackForm, scientist_picker
from liaison.filing.views.common import refused, state_of, who
from liaison.models import Filing, FilingRevision, FilingStatus, Year
from liaison.people.access import Role, role_of

USER_JOINS = ("staff", "grassroots_account")


def _joins(*fields: str) -> list[str]:
    return [f"{f}__{j}" for f in fields for j in USER_JOINS]


def _years_context(organization, year: Year) -> dict:
    """The year switcher: every year, and which of them have a filing for this organisation (two queries)."""
    years = list(Year.objects.order_by("-year"))
    filed = dict(Filing.objects.filter(organization=organization).values_list("year__year", "pk"))
    return {"years": [(y, filed.get(y.year)) for y in years], "year": year}


def year_page(request: HttpRequest, org: int, year: int) -> HttpResponse:
    """The organisation's filing for a year: the filing's page if it exists, else a page to start it."""
    organization = organization_for(request.user, org)
    year_obj = get_object_or_404(Year, year=year)
    filing = Filing.objects.filter(organization=organization, year=year_obj).first()
    if filing is not None:
        return redirect(filing)
    context = {
        "organization": organization,
        "officers": list(organization.officers.all()),
        "can_edit": may_edit(request.user, organization.pk),
        "office": is_office(request.user),
        **_years_context(organization, year_obj),
    }
    return render(request, "liaison/filing/start.html", context)


@require_POST
def start(request: HttpRequest, org: int, year: int) -> HttpResponse:
    organization = organization_for(request.user, org, edit=True)
    year_obj = get_object_or_404(Year, year=year)
    # get-or-create: a second click (or a second person) opens the same filing
    return redirect(services.filing_for(organization, year_obj, request.user))


# --- the filing's page ------------------------------------------------------------------------------------


def _group_lines(officers, entries) -> tuple[list[tuple], list[tuple]]:
    """(officer, lines) for every current officer, and (officer name, lines) for lines whose officer has left
    the list since (their copied name stays)."""
    by_officer: dict[int, list] = {o.pk: [] for o in officers}
    former: dict[str, list] = {}
    for entry in entries:
        if entry.officer_id in by_officer:
            by_officer[entry.officer_id].append(entry)
        else:
            former.setdefault(f"{entry.officer_name}（{entry.get_post_display()}）", []).append(entry)
    return [(o, by_officer[o.pk]) for o in officers], list(former.items())


def render_detail(
    request: HttpRequest,
    filing: Filing,
    *,
    add_form: AddLineForm | None = None,
    propose_form: ProposeForm | None = None,
    send_back_form: SendBackForm | None = None,
) -> HttpResponse:
    """The page of a filing; with bound forms after a refused POST (status 200, what was typed kept)."""
    user = request.user
    organization = filing.organization
    revisions = list(filing.revisions.select_related(*_joins("filed_by", "confirmed_by")).order_by("-number"))
    latest = revisions[0]
    officers = list(organization.officers.all())
    lines = entries_of(latest)
    grouped, former = _group_lines(officers, lines)
    editable = may_edit(user, organization.pk)
    draft = latest.status == FilingStatus.DRAFT
    office = is_office(user)
    chosen = parse_id(request.GET.get("officer", ""))
    initial = {"officer": chosen} if chosen else {}
    if add_form is None:
        add_form = AddLineForm(officers=organization.officers.all(), initial=initial)
    if propose_form is None:
        propose_form = ProposeForm(officers=organization.officers.all(), initial=initial, prefix="new")
    for form in (add_form, propose_form):  # the officers already read: no query per form
        form.fields["officer"].choices = [(o.pk, f"{o.name}（{o.get_post_display()}）") for o in officers]
    steps = [(step, who(step.by)) for step in filing.steps.select_related(*_joins("by")).order_by("at", "id")]
    context = {
        "filing": filing,
        "organization": organization,
        "latest": latest,
        "revisions": [(r, who(r.filed_by) if r.filed_by_id else "", who(r.confirmed_by)) for r in revisions],
        "in_force": filing.in_force,
        "grouped": grouped,
        "former": former,
        "line_count": len(lines),
        "pending_count": sum(1 for e in lines if e.scientist_id is None),
        "steps": steps,
        "can_edit": editable and draft,
        "may_edit": editable,
        "office": office,
        "reader_links": role_of(user) != Role.GRASSROOTS,  # registry pages: never for a grassroots account
        "draft": draft,
        "add_form": add_form,
        "propose_form": propose_form,
        "send_back_form": send_back_form or SendBackForm(),
        "state": state_of(latest),
        **_years_context(organization, filing.year),
    }
    return render(request, "liaison/filing/detail.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, filing_for_user(request.user, pk))


def _back(filing: Filing, anchor: str = "") -> HttpResponse:
    return redirect(reverse("filing:detail", args=[filing.pk]) + anchor)


@require_POST
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk, edit=True)
    form = AddLineForm(request.POST, officers=filing.organization.officers.all())
    if not form.is_valid():
        return render_detail(request, filing, add_form=form)
    officer, scientist = form.cleaned_data["officer"], form.cleaned_data["scientist"]
    try:
        services.add_to_draft(filing, services.Line(officer, scientist))
    except ValidationError as error:
        refused(request, error)
        return _back(filing)
    messages.success(request, f"已添加：{officer.name} 联系 {scientist.name}（{scientist.employer}）。")
    return _back(filing, f"#officer-{officer.pk}")


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk, edit=True)
    form = ProposeForm(request.POST, officers=filing.organization.officers.all(), prefix="new")
    if not form.is_valid():
        return render_detail(request, filing, propose_form=form)
    data = dict(form.cleaned_data)
    officer = data.pop("officer")
    try:
        services.propose_line(filing, officer, request.user, **data)
    except ValidationError as error:
        refused(request, error)
        return _back(filing)
    messages.success(
        request, f"已申请新增“{data['name']}”，由 {officer.name} 联系；组织联络部确认前显示为“待确认”。"
    )
    return _back(filing, f"#officer-{officer.pk}")


@require_POST
def remove_line(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk, edit=True)
    try:
        removed = services.remove_from_draft(filing, entry)
    except ValidationError as error:
        refused(request, error)
        return _back(filing)
    messages.success(request, "已删除这条联系分工。" if removed else "这条联系分工已删除过。")
    return _back(filing)


def _posted_revision(request: HttpRequest, filing: Filing) -> FilingRevision:
    number = parse_id(request.POST.get("revision", ""))
    if number is None:
        raise Http404
    return get_object_or_404(FilingRevision, filing=filing, number=number)


@require_POST
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """报备 by the organisation; 代为报备 when the liaison office does it."""
    filing = filing_for_user(request.user, pk, edit=True)
    revision = _posted_revision(request, filing)
    on_behalf = is_office(request.user)
    try:
        services.file_revision(revision, request.user, on_behalf=on_behalf)
    except ValidationError as error:
        refused(request, error, revision)
        return _back(filing)
    what = "代为报备" if on_behalf else "报备"
    messages.success(request, f"第{revision.number}版已{what}，现为生效版本；组织联络部确认后显示“已确认”。")
    return _back(filing)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk)
    require_office(request.user)
    revision = _posted_revision(request, filing)
    try:
        services.confirm_revision(revision, request.user)
    except ValidationError as error:
        refused(request, error, revision)
        return _back(filing)
    messages.success(request, f"已确认第{revision.number}版备案。")
    return _back(filing)


@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk)
    require_office(request.user)
    revision = _posted_revision(request, filing)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return render_detail(request, filing, send_back_form=form)
    try:
        services.send_back(revision, request.user, form.cleaned_data["comment"])
    except ValidationError as error:
        refused(request, error, revision)
        return _back(filing)
    messages.success(request, f"已退回第{revision.number}版，退回意见显示在组织的草稿上。")
    return _back(filing)


@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk, edit=True)
    revision = _posted_revision(request, filing)
    try:
        draft = services.revise(filing, revision.number, request.user)
    except ValidationError as error:
        refused(request, error, revision)
        return _back(filing)
    messages.success(
        request,
        f"已生成第{draft.number}版草稿（复制第{revision.number}版）；报备前，第{revision.number}版仍然有效。",
    )
    return _back(filing)


# --- revisions --------------------------------------------------------------------------------------------


def _revision(filing: Filing, number: int) -> FilingRevision:
    return get_object_or_404(
        FilingRevision.objects.select_related(*_joins("filed_by", "confirmed_by")),
        filing=filing,
        number=number,
    )


@require_GET
def revision_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    filing = filing_for_user(request.user, pk)
    revision = _revision(filing, number)
    context = {
        "filing": filing,
        "organization": filing.organization,
        "revision": revision,
        "filed_by": who(revision.filed_by) if revision.filed_by_id else "",
        "confirmed_by": who(revision.confirmed_by) if revision.confirmed_by_id else "",
        "lines": entries_of(revision),
        "reader_links": role_of(request.user) != Role.GRASSROOTS,
    }
    return render(request, "liaison/filing/revision.html", context)


@require_GET
def compare_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A revision against the previous one (or `?with=N`, any other revision of the same filing)."""
    filing = filing_for_user(request.user, pk)
    newer = _revision(filing, number)
    other = parse_id(request.GET.get("with", ""))
    older_number = other if other is not None else number - 1
    older = _revision(filing, older_number) if older_number >= 1 and older_number != number else None
    if older is not None and older.number > newer.number:
        newer, older = older, newer
    context = {
        "filing": filing,
        "organization": filing.organization,
        "cmp": compare(older, newer),
        "numbers": list(filing.revisions.order_by("number").values_list("number", flat=True)),
        "reader_links": role_of(request.user) != Role.GRASSROOTS,
    }
    return render(request, "liaison/filing/compare.html", context)


# --- the scientist search of the forms ---------------------------------------------------------------------

_PICKER_NAME = re.compile(r"^(?:[a-z0-9]+-)?scientist$")


@require_GET
def scientist_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the registry's matches for a scientist picker (name and employer only), for whoever files for an
    organisation (a grassroots account, the liaison office)."""
    if not (is_office(request.user) or role_of(request.user) == Role.GRASSROOTS):
        raise PermissionDenied
    name = next((k[:-2] for k in request.GET if k.endswith("_q") and _PICKER_NAME.match(k[:-2])), None)
    if name is None:
        raise Http404
    text = request.GET.get(f"{name}_q", "")
    items, more = scientist_picker().suggest(text)
    return render(
        request,
        "includes/_form_picker_matches.html",
        {"name": name, "suggestions": items, "more": more, "q": text.strip(), "noun": "科技工作者"},
    )
