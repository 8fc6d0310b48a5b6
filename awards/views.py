"""The awards pages (issue 20 §2): awards list, an award's page with its nominations, the nominate form, a
nomination's page with the office's steps, attachments, the export for the submitting body.

Each view reads its objects through awards/access.py: what a user may not see is a 404, an action on
something they see but may not take is a 403."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from awards import access, services
from awards.exports import EXPORT_HEADERS, EXPORT_WIDTHS, export_rows, exported
from awards.forms import (
    AttachForm,
    AwardForm,
    MoveForm,
    NominationEditForm,
    NominationForm,
    scientist_picker,
)
from awards.models import (
    STATE_ORDER,
    SUBMITTED_STATES,
    Award,
    Nomination,
    NominationAttachment,
    NominationStep,
    State,
)
from common.files import serve_upload
from common.views import paginate
from common.xlsx_writer import XlsxWriter

VIEW = "awards.view_awards"
MANAGE = "awards.manage_awards"
QUOTA_USED = "used"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _award_for(request: HttpRequest, pk: int) -> Award:
    return get_object_or_404(access.awards_visible_to(request.user), pk=pk)


def _nomination_for(request: HttpRequest, pk: int) -> Nomination:
    queryset = access.nominations_visible_to(request.user, Nomination.objects.for_list())
    nomination = get_object_or_404(queryset, pk=pk)
    if not nomination.award.is_active and not access.manages(request.user):
        raise Http404
    return nomination


# --- awards -----------------------------------------------------------------------------------------------


@require_GET
@permission_required(VIEW, raise_exception=True)
def award_list(request: HttpRequest) -> HttpResponse:
    """The awards, newest year first, each with its deadline, quota and how much of it is used."""
    awards = access.awards_visible_to(request.user).annotate(
        submitted=Count("nominations", filter=Q(nominations__state__in=SUBMITTED_STATES)),
    )
    page = paginate(request, awards.order_by("-year", "deadline", "id"))
    # 推荐 N 人 counts what the award's page lists to this user (its 全部 tab), not every nomination: a staff
    # member sees their teams' only. The quota used is the award's own figure on both pages.
    seen = dict(
        access.nominations_visible_to(request.user, Nomination.objects.filter(award__in=page.object_list))
        .values_list("award")
        .annotate(n=Count("id"))
        .order_by()
    )
    for award in page.object_list:
        award.total = seen.get(award.pk, 0)
    return render(
        request,
        "awards/award_list.html",
        {
            "page": page,
            "awards": page.object_list,
            "today": timezone.localdate(),
            "manages": access.manages(request.user),
        },
    )


def _save_award(request: HttpRequest, award: Award | None) -> HttpResponse:
    form = AwardForm(request.POST or None, instance=award)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.claim():
                    saved = services.award_save(form.save(commit=False))
                    messages.success(request, f"已保存奖项“{saved.name}”。")
                    return redirect(saved)
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "awards/award_form.html", {"form": form, "award": award})


@permission_required(MANAGE, raise_exception=True)
def award_create(request: HttpRequest) -> HttpResponse:
    return _save_award(request, None)


@permission_required(MANAGE, raise_exception=True)
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_award(request, get_object_or_404(Award, pk=pk))


@require_GET
@permission_required(VIEW, raise_exception=True)
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An award: deadline, quota used, the nominations the user sees by state (tabs), paged."""
    award = _award_for(request, pk)
    visible = access.nominations_visible_to(request.user, award.nominations.all())
    counts = services.state_counts(visible)
    state = request.GET.get("state", "")
    rows = visible.for_list()
    if state in State.values:
        rows = rows.filter(state=state)
    elif state == QUOTA_USED:  # the figure 报送名额已用 lists what it counts: 报送, 获奖 and 未获奖
        rows = rows.filter(state__in=SUBMITTED_STATES)
    else:
        state = ""
    page = paginate(request, rows.order_by("scientist__name_pinyin", "id"))
    return render(
        request,
        "awards/award_detail.html",
        {
            "award": award,
            "page": page,
            "nominations": page.object_list,
            "state": state,
            "tabs": [(s, State(s).label, counts[s]) for s in STATE_ORDER],
            "total": sum(counts.values()),
            "used": services.quota_used(award),
            "is_open": access.is_open(award),
            "may_nominate": access.is_open(award) and access.may_nominate(request.user, award),
            "manages": access.manages(request.user),
        },
    )


# --- nominating -------------------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """推荐: a staff member for one of their teams of the award's year, a grassroots account for its own
    organisation. Refused (403) to anyone with neither; after the deadline the page says so and takes none."""
    award = _award_for(request, pk)
    organization = access.nominating_organization(request.user)
    teams = None if organization is not None else access.nominating_teams(request.user, award)
    if organization is None and not teams.exists():
        raise PermissionDenied
    if not access.is_open(award):
        messages.error(request, f"“{award.name}”的推荐已于 {award.deadline:%Y-%m-%d} 截止，不再接受推荐。")
        return redirect(award)
    form = NominationForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(
                award=award,
                scientist=form.cleaned_data["scientist"],
                team=form.cleaned_data.get("team"),
                organization=organization,
                by=request.user,
                reason=form.cleaned_data["reason"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, f"已推荐{nomination.scientist.name}参评“{award.name}”，待组织联络部初审。"
            )
            return redirect(nomination)
    return render(
        request,
        "awards/nominate.html",
        {"award": award, "form": form, "organization": organization},
    )


@require_GET
def scientist_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the registry's matches for the nominate form's scientist picker (name and employer only), for
    whoever may nominate: staff and grassroots accounts."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    text = request.GET.get("scientist_q", "")
    items, more = scientist_picker().suggest(text)
    return render(
        request,
        "includes/_form_picker_matches.html",
        {"name": "scientist", "suggestions": items, "more": more, "q": text.strip(), "noun": "科技工作者"},
    )


# --- a nomination -----------------------------------------------------------------------------------------


@require_GET
@permission_required(VIEW, raise_exception=True)
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_for(request, pk)
    steps = list(
        NominationStep.objects.filter(nomination=nomination).select_related("by__staff").order_by("at", "id")
    )
    manages = access.manages(request.user)
    actions = [(s, State(s).label) for s in nomination.next_states] if manages else []
    return render(
        request,
        "awards/nomination_detail.html",
        {
            "nomination": nomination,
            "award": nomination.award,
            "steps": steps,
            "attachments": list(nomination.attachments.all()),
            "actions": actions,
            "move_form": MoveForm(),
            "attach_form": AttachForm() if access.may_attach(request.user, nomination) else None,
            "may_edit": access.may_attach(request.user, nomination),
            "used": services.quota_used(nomination.award) if manages else None,
        },
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def nomination_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's step (初审, 报送, 结果): one-way, once (awards/services.py `move`)."""
    nomination = _nomination_for(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(nomination)
    try:
        moved = services.move(
            nomination=nomination,
            to_state=form.cleaned_data["to_state"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{moved.scientist.name}：已改为“{moved.get_state_display()}”。")
    return redirect(nomination)


@permission_required(VIEW, raise_exception=True)
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The reason, corrected by who filed it (or the office) while the nomination is before review (推荐);
    guarded against a save on a stale copy (common/concurrency.py) and against a review made meanwhile."""
    nomination = _nomination_for(request, pk)
    if not access.may_attach(request.user, nomination):
        raise PermissionDenied
    form = NominationEditForm(request.POST or None, instance=nomination)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.claim():
                if Nomination.objects.select_for_update().get(pk=nomination.pk).state != State.NOMINATED:
                    messages.error(request, "这条推荐已进入初审，推荐理由不能再修改。")
                    return redirect(nomination)
                services.nomination_save(form.save(commit=False))
                messages.success(request, "已保存推荐理由。")
                return redirect(nomination)
    return render(request, "awards/nomination_form.html", {"form": form, "nomination": nomination})


@require_POST
@permission_required(VIEW, raise_exception=True)
def nomination_attach(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_for(request, pk)
    if not access.may_attach(request.user, nomination):
        raise PermissionDenied
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        with transaction.atomic():
            services.attach(nomination, form.cleaned_data["attachments"], request.user)
        messages.success(request, f"已上传 {len(form.cleaned_data['attachments'])} 个文件。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(nomination)


@require_GET
@permission_required(VIEW, raise_exception=True)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those who see the nomination, as a download (common/files.py), never from a public URL."""
    attachment = get_object_or_404(NominationAttachment, pk=pk)
    _nomination_for(request, attachment.nomination_id)
    return serve_upload(
        attachment.file.open("rb"), stored_type=attachment.content_type, filename=attachment.original_name
    )


# --- the export for the submitting body -------------------------------------------------------------------


@require_GET
@permission_required(MANAGE, raise_exception=True)
def award_export(request: HttpRequest, pk: int) -> FileResponse:
    """推荐名单 (.xlsx) of an award: `?scope=submitted` (default) the 报送 list for the submitting body — the
    submitted nominations and their outcomes —, `?scope=all` every nomination with its state."""
    award = get_object_or_404(Award, pk=pk)
    scope = "all" if request.GET.get("scope") == "all" else "submitted"
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    with XlsxWriter(handle) as book:
        book.add_sheet("推荐名单", EXPORT_HEADERS, export_rows(exported(award, scope)), EXPORT_WIDTHS)
    handle.seek(0)
    label = "报送名单" if scope == "submitted" else "推荐名单"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{award.year}年度{award.name}_{label}_{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
