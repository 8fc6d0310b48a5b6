"""Pages of contact records, bulk greetings and demands: the daily tool of staff, phone first."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from common import picker
from common.actors import actor_name
from common.concurrency import lock
from common.files import serve_upload
from common.limits import parse_id
from common.views import paginate
from experts.models import Scientist
from liaison.contacts import handover, mywork
from liaison.contacts import services as contacts
from liaison.contacts.filters import DemandFilter, RecordFilter
from liaison.contacts.forms import (
    STEP_FIELDS,
    ContactRecordForm,
    DeleteRecordForm,
    DemandActionForm,
    DemandFormSet,
    DemandInlineForm,
    GreetingsForm,
    parse_target,
    record_form_targets_field,
    target_value,
    team_people,
)
from liaison.contacts.signals import record_page_sections
from liaison.filing import services as filings
from liaison.models import (
    Assignment,
    Attachment,
    ContactMethod,
    ContactRecord,
    Demand,
    DemandAction,
    DemandActionKind,
    DemandStatus,
    Occasion,
    PlannedContact,
    PlanStatus,
    ProposalStatus,
    Team,
    YearStatus,
)
from liaison.people.access import (
    can_edit_record,
    can_handle_demand,
    can_highlight_record,
    can_log_for,
    demands_visible_to,
    is_admin,
    records_visible_to,
    sees_all_records,
    staff_of,
    team_ids_of,
)
from liaison.plan.targets import search_targets

STEP_FIELD_NAMES = sorted({name for names in STEP_FIELDS.values() for name in names})


def loggable_teams(request: HttpRequest) -> QuerySet[Team]:
    """Teams the user may log records for: their own (admins: any), in years not archived."""
    teams = Team.objects.select_related("year").exclude(year__status=YearStatus.ARCHIVED)
    if not is_admin(request.user):
        teams = teams.filter(pk__in=team_ids_of(request.user))
    return teams.order_by("-year__year", "name")


def visible_teams(request: HttpRequest) -> QuerySet[Team]:
    teams = Team.objects.select_related("year").order_by("-year__year", "name")
    return teams if sees_all_records(request.user) else teams.filter(pk__in=team_ids_of(request.user))


def _record_for_user(request: HttpRequest, pk: int) -> ContactRecord:
    """A record the user may see, or 404 (guessing another team's id reveals nothing)."""
    queryset = records_visible_to(request.user, ContactRecord.objects.select_related("team__year", "author"))
    return get_object_or_404(queryset, pk=pk)


# --- list and detail ------------------------------------------------------------------------------------


def record_filter(request: HttpRequest, queryset: QuerySet | None = None) -> RecordFilter:
    """The record list's filters; its pickers offer only the teams the user may see (list and suggestions)."""
    queryset = queryset if queryset is not None else ContactRecord.objects.none()
    return RecordFilter(request.GET, queryset=queryset, teams=visible_teams(request))


def record_list(request: HttpRequest) -> HttpResponse:
    base = records_visible_to(request.user, ContactRecord.objects.alive().completed()).for_list()
    filterset = record_filter(request, base)
    page = paginate(request, filterset.qs)
    # only staff log contacts: an account without a Staff record (an administrator) is offered no logging
    logs = staff_of(request.user) is not None
    return render(
        request,
        "liaison/contacts/record_list.html",
        {"filter": filterset, "page": page, "logs": logs, "sees_all": sees_all_records(request.user)},
    )


record_filter_suggest = picker.suggestion_view(record_filter)


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_user(request, pk)
    participants = list(record.participants.all())
    targets = list(record.targets.select_related("organization", "scientist").order_by("id"))
    demands = list(
        record.demands.select_related("handler", "handler_department", "raised_by_scientist").order_by("id")
    )
    sections = record_page_sections.send(
        sender=ContactRecord, request=request, record=record, targets=targets
    )
    return render(
        request,
        "liaison/contacts/record_detail.html",
        {
            "record": record,
            "targets": targets,
            "participants": participants,
            "can_highlight": record.counts
            and can_highlight_record(request.user, record, {p.pk for p in participants}),
            "attachments": list(record.attachments.all()),
            # scientists proposed with the record and not yet confirmed (名录中没有，待组织联络部确认)
            "proposals": list(record.proposals.filter(status=ProposalStatus.PENDING).order_by("id")),
            "demands": demands,
            "can_edit": can_edit_record(request.user, record),
            "delete_form": DeleteRecordForm(),
            "demand_form": DemandInlineForm(prefix="new"),
            "can_add_demand": can_log_for(request.user, record.team) or can_edit_record(request.user, record),
            "today": timezone.localdate(),
            "sections": [html for _, html in sections if html],
        },
    )


# --- logging form ---------------------------------------------------------------------------------------


def _initial_from_query(request: HttpRequest, teams: QuerySet[Team]) -> tuple[dict, list]:
    """Reminders link here with ?team=&target=&method=&occasion= so that the form arrives prefilled."""
    initial: dict = {}
    team = (
        teams.filter(pk=request.GET.get("team")).first() if request.GET.get("team", "").isdecimal() else None
    )
    if team is None and teams.count() == 1:
        team = teams.first()
    if team is not None:
        initial["team"] = team
    method = request.GET.get("method", "")
    if method in ContactMethod.values:
        initial["method"] = method
    occasion = request.GET.get("occasion", "")
    if occasion in Occasion.values:
        initial["method"] = ContactMethod.GREETING
        initial["occasion"] = occasion
    target = parse_target(request.GET.get("target", ""))
    return initial, [target] if target else []


def _plan_item(request: HttpRequest, teams: QuerySet[Team]) -> PlannedContact | None:
    """The open planned contact a new record is logged from (完成计划: ?plan=ID, then a hidden field), of a
    team the user logs for; anything else is ignored."""
    pk = parse_id(request.POST.get("plan") if request.method == "POST" else request.GET.get("plan"))
    if pk is None:
        return None
    return (
        PlannedContact.objects.select_related("team", "organization", "scientist")
        .filter(pk=pk, team__in=teams, status=PlanStatus.PLANNED)
        .first()
    )


def _save_record(request: HttpRequest, record: ContactRecord | None) -> HttpResponse:
    staff = staff_of(request.user)
    teams = loggable_teams(request)
    creating = record is None
    if creating and staff is None and not is_admin(request.user):
        raise PermissionDenied
    instance = record or ContactRecord(author=staff)
    initial, preselected = (
        ({}, []) if request.method == "POST" or not creating else _initial_from_query(request, teams)
    )
    plan = _plan_item(request, teams) if creating else None
    goers: set[int] = set()
    if plan is not None and request.method != "POST":
        initial.update(team=plan.team, method=plan.method)
        preselected = [plan.target]
        goers = set(plan.goers.values_list("pk", flat=True))
    form, formset = record_forms(request, instance, teams, initial)
    if request.method == "POST":
        saved = validate_and_write(request, form, formset, plan=plan)
        if saved is not None:
            return redirect(f"{reverse('liaison:record_detail', args=[saved.pk])}?saved=1")
    # Re-render with everything typed, including the targets picked so far.
    if request.method == "POST":
        selected = [t for t in (parse_target(v) for v in request.POST.getlist("targets")) if t]
    elif record is not None:
        selected = [t.target for t in record.targets.select_related("organization", "scientist")]
    else:
        selected = preselected
    team = _chosen_team(form, teams)
    return render(
        request,
        "liaison/contacts/record_form.html",
        {
            "form": form,
            "formset": formset,
            "record": record,
            "team": team,
            **_team_fields_context(team, selected, goers or _chosen_participants(form, record, staff)),
            "plan_item": plan,
        },
    )


def record_forms(
    request: HttpRequest, instance: ContactRecord, teams: QuerySet[Team], initial: dict | None = None
) -> tuple[ContactRecordForm, object]:
    """The record form and, for a new record, its demands: what the page and the phone's sync
    (liaison/contacts/sync.py) both validate a posted record with."""
    form = ContactRecordForm(
        request.POST or None, request.FILES or None, instance=instance, teams=teams, initial=initial or {}
    )
    # New demands are registered with a new record; on an existing one they are added from its page.
    formset = (
        DemandFormSet(
            request.POST or None, instance=instance, prefix="demands", queryset=Demand.objects.none()
        )
        if instance.pk is None
        else None
    )
    if form.is_bound:
        form.draft = "save_draft" in request.POST
        record_form_targets_field(form)
    return form, formset


def validate_and_write(
    request: HttpRequest,
    form: ContactRecordForm,
    formset,
    client_key=None,
    plan: PlannedContact | None = None,
) -> ContactRecord | None:
    """Validate a posted record (and its demands) and save it; None if refused, the errors on the forms.
    `plan`: the planned contact it was logged from (完成计划)."""
    if form.is_valid() and (formset is None or formset.is_valid()):
        return _write(request, form, formset, client_key=client_key, plan=plan)
    return None


def _write(
    request: HttpRequest,
    form: ContactRecordForm,
    formset,
    client_key=None,
    plan: PlannedContact | None = None,
) -> ContactRecord | None:
    record = form.save(commit=False)
    record.topics = form.cleaned_data["topics"]
    if client_key is not None:
        record.client_key = client_key
    if not can_log_for(request.user, record.team):
        form.add_error("team", "您只能为自己所在的专班记录联系工作。")
        return None
    if record.pk and not can_edit_record(request.user, record):
        raise PermissionDenied
    handed: list[Demand] = []
    try:
        with transaction.atomic():
            if not form.claim():
                return None
            # a scientist proposed with the record is its target once confirmed: it may name no other yet
            saved = contacts.record_save(
                record=record,
                targets=form.cleaned_data["targets"],
                participants=list(form.cleaned_data["participants"]),
                draft=form.draft,
                require_targets=not (form.proposes or _proposes_already(record)),
                plan=plan,
            )
            if form.proposes:
                filings.propose_from_record(
                    saved,
                    request.user,
                    name=form.cleaned_data["new_name"],
                    employer=form.cleaned_data["new_employer"],
                    title=form.cleaned_data["new_title"],
                )
            scientists = [t for t in form.cleaned_data["targets"] if isinstance(t, Scientist)]
            for demand_form in formset.forms if formset is not None else []:
                if not demand_form.has_changed() or not demand_form.cleaned_data.get("text"):
                    continue
                demand = demand_form.save(commit=False)
                demand.record = saved
                if not demand.raised_by_text and len(scientists) == 1:
                    demand.raised_by_scientist = scientists[0]
                elif not demand.raised_by_text and not scientists and form.proposes:
                    # the proposed scientist, named on the demand once confirmed (liaison/filing/services.py)
                    demand.raised_by_text = form.cleaned_data["new_name"].strip()
                contacts.demand_create(demand=demand, by=request.user, date=saved.date)
                if demand.status == DemandStatus.ASSIGNED:
                    handed.append(demand)
            for upload in form.cleaned_data["attachments"]:
                Attachment.objects.create(
                    record=saved,
                    file=upload,
                    original_name=upload.name[:200],
                    content_type=upload.sniffed_type,
                    size=upload.size,
                    uploaded_by=request.user,
                )
    except ValidationError as error:
        for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    verb = "已存为草稿" if saved.status == "draft" else "已保存联系记录"
    if client_key is None:  # the phone's sync tells it in its own list (static/js/offline.js)
        messages.success(request, f"{verb}（{saved.date:%Y-%m-%d} {saved.get_method_display()}）。")
    if form.proposes:
        messages.info(
            request,
            f"已提议新增科技工作者“{form.cleaned_data['new_name'].strip()}”，组织联络部确认后将成为本记录的联系对象。",
        )
    for demand in handed:
        tell_handover(request, demand)
    return saved


def _proposes_already(record: ContactRecord) -> bool:
    """An edited record already proposing a scientist still to be confirmed (he will be its target)."""
    return record.pk is not None and record.proposals.filter(status=ProposalStatus.PENDING).exists()


def _chosen_team(form: ContactRecordForm, teams: QuerySet[Team]) -> Team | None:
    value = form["team"].value()
    if isinstance(value, Team):
        return value
    if value not in (None, "") and str(value).isdecimal():
        return teams.filter(pk=int(value)).first()
    return None


def _chosen_participants(form: ContactRecordForm, record: ContactRecord | None, staff) -> set[int]:
    if form.is_bound:
        return {int(v) for v in form.data.getlist("participants") if str(v).isdecimal()}
    if record is not None:
        return set(record.participants.values_list("pk", flat=True))
    return {staff.pk} if staff else set()


def _team_fields_context(team: Team | None, selected: list, participant_ids: set[int]) -> dict:
    """The team-dependent part of the form: its assigned targets first, then other picked targets, and
    the team's people as participants."""
    selected_values = {target_value(t) for t in selected}
    assigned = []
    if team is not None:
        for a in (
            Assignment.objects.in_force_at_year_end()
            .filter(team=team)
            .with_targets()
            .order_by("category", "organization__name_pinyin", "scientist__name_pinyin")
        ):
            value = target_value(a.target)
            assigned.append(
                {
                    "value": value,
                    "name": a.target_name,
                    "label": a.category_label,
                    "checked": value in selected_values,
                }
            )
    assigned_values = {item["value"] for item in assigned}
    others = [
        {"value": target_value(t), "name": t.name, "label": "非本专班对象", "checked": True}
        for t in selected
        if target_value(t) not in assigned_values
    ]
    people = list(team_people(team)) if team is not None else []
    return {
        "assigned_targets": assigned,
        "other_targets": others,
        "people": [{"staff": p, "checked": p.pk in participant_ids} for p in people],
        "extra_people": participant_ids - {p.pk for p in people},
    }


def record_create(request: HttpRequest) -> HttpResponse:
    return _save_record(request, None)


def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_user(request, pk)
    if not can_edit_record(request.user, record):
        raise PermissionDenied
    return _save_record(request, record)


@require_GET
def record_team_fields(request: HttpRequest) -> HttpResponse:
    """htmx: when the team changes, offer its assigned targets and its people."""
    teams = loggable_teams(request)
    value = request.GET.get("team", "")
    team = teams.filter(pk=int(value)).first() if value.isdecimal() else None
    selected = [t for t in (parse_target(v) for v in request.GET.getlist("targets")) if t]
    staff = staff_of(request.user)
    context = _team_fields_context(team, selected, {staff.pk} if staff else set())
    return render(request, "liaison/contacts/_record_team_fields.html", {"team": team, **context})


@require_POST
def record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_user(request, pk)
    if not can_edit_record(request.user, record):
        raise PermissionDenied
    form = DeleteRecordForm(request.POST)
    if form.is_valid():
        try:
            contacts.record_delete(record=record, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return redirect(record)
        messages.success(request, "联系记录已删除（保留在历史中，不再计入统计）。")
        return redirect("liaison:record_list")
    messages.error(request, "请填写删除原因。")
    return redirect(record)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are served only to those who may see the record (never from a public media URL)."""
    attachment = get_object_or_404(Attachment.objects.select_related("record"), pk=pk)
    if not records_visible_to(request.user).filter(pk=attachment.record_id).exists():
        raise Http404
    # a photo of a safe type is shown, anything else downloaded; never run (common/files.py)
    return serve_upload(
        attachment.file.open("rb"), stored_type=attachment.content_type, filename=attachment.original_name
    )


# --- bulk greetings -------------------------------------------------------------------------------------


def greeting_day(team: Team) -> datetime.date:
    """The day a greeting logged now is dated: today, within the team's year."""
    return min(max(timezone.localdate(), team.year.first_day), team.year.last_day)


def greetings(request: HttpRequest) -> HttpResponse:
    """One form for an occasion: the team's assigned scientists not yet greeted for it this year ticked."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    teams = loggable_teams(request)
    data = request.POST if request.method == "POST" else None
    params = request.POST if request.method == "POST" else request.GET
    team = (
        teams.filter(pk=params.get("team")).first()
        if str(params.get("team", "")).isdecimal()
        else teams.first()
    )
    occasion = (
        params.get("occasion") if params.get("occasion") in Occasion.values else Occasion.SPRING_FESTIVAL
    )
    scientists = Scientist.objects.none()
    greeted: set[int] = set()
    if team is not None:
        ids = (
            Assignment.objects.in_force_at_year_end()
            .filter(team=team, scientist__isnull=False)
            .values("scientist_id")
        )
        scientists = Scientist.objects.filter(pk__in=ids).order_by("name_pinyin")
        greeted = contacts.greeted_scientists(team=team, occasion=occasion, day=greeting_day(team))
    initial = {
        "team": team,
        "occasion": occasion,
        "scientists": [s.pk for s in scientists if s.pk not in greeted],
    }
    form = GreetingsForm(data, teams=teams, scientists=scientists, initial=initial)
    if data is not None and form.is_valid():
        if not can_log_for(request.user, form.cleaned_data["team"]):
            raise PermissionDenied
        records = contacts.greetings_create(
            team=form.cleaned_data["team"],
            occasion=form.cleaned_data["occasion"],
            channel=form.cleaned_data["channel"],
            date=form.cleaned_data["date"],
            scientists=list(form.cleaned_data["scientists"]),
            author=staff,
            summary=form.cleaned_data["summary"],
        )
        messages.success(
            request,
            f"已记录 {len(records)} 位科技工作者的{Occasion(form.cleaned_data['occasion']).label}慰问。",
        )
        return redirect(
            f"{reverse('liaison:greetings')}?team={form.cleaned_data['team'].pk}&occasion={form.cleaned_data['occasion']}"
        )
    rows = [{"scientist": s, "greeted": s.pk in greeted} for s in scientists]
    return render(request, "liaison/contacts/greetings.html", {"form": form, "rows": rows, "team": team})


# --- demands --------------------------------------------------------------------------------------------


def demand_filter(request: HttpRequest, queryset: QuerySet | None = None) -> DemandFilter:
    """The demand list's filters; its pickers offer only the teams the user may see (list and suggestions)."""
    queryset = queryset if queryset is not None else Demand.objects.none()
    return DemandFilter(request.GET, queryset=queryset, teams=visible_teams(request))


def demand_list(request: HttpRequest) -> HttpResponse:
    base = demands_visible_to(request.user, Demand.objects.alive()).for_list().in_list_order()
    filterset = demand_filter(request, base)
    page = paginate(request, filterset.qs)
    # one team's list also holds the open demands carried over from its lead's earlier teams: marked
    picked = filterset.form.cleaned_data.get("team") if filterset.form.is_valid() else None
    return render(
        request,
        "liaison/contacts/demand_list.html",
        {
            "filter": filterset,
            "page": page,
            "today": timezone.localdate(),
            "picked_team": getattr(picked, "obj", None),
        },
    )


demand_filter_suggest = picker.suggestion_view(demand_filter)

# htmx: matches for a demand's handler and department search boxes (the record form, the record page's
# 补充诉求, a demand's 交办), for whoever logs records or follows demands up: staff and admins
demand_form_suggest = picker.form_suggestion_view(
    lambda request: DemandInlineForm(),
    allowed=lambda user: staff_of(user) is not None or is_admin(user),
)


def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(
        demands_visible_to(request.user, Demand.objects.alive())
        .for_list()
        .prefetch_related(
            Prefetch(
                "actions", queryset=DemandAction.objects.select_related("by__staff").order_by("date", "id")
            )
        ),
        pk=pk,
    )
    may_handle = can_handle_demand(request.user, demand)
    form = DemandActionForm(request.POST or None, demand=demand, initial={"kind": next_step(demand)})
    if request.method == "POST":
        if not may_handle:
            raise PermissionDenied
        with transaction.atomic():
            if form.is_valid() and _demand_unchanged(form, demand):
                try:
                    contacts.demand_act(
                        demand=demand,
                        kind=form.cleaned_data["kind"],
                        by=request.user,
                        text=form.cleaned_data["text"],
                        status=form.cleaned_data["status"] or None,
                        date=form.cleaned_data["date"],
                        handler=form.cleaned_data["handler"],
                        department=form.cleaned_data["department"],
                        due_date=form.cleaned_data["due_date"],
                        satisfied=form.cleaned_data["satisfied"],
                    )
                except ValidationError as error:
                    for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, "已记录办理情况。")
                    if form.cleaned_data["kind"] == DemandActionKind.ASSIGN:
                        tell_handover(request, demand, note=form.cleaned_data["text"])
                    return redirect(demand)
    steps = {name: form.steps_of(name) for name in STEP_FIELD_NAMES}
    return render(
        request,
        "liaison/contacts/demand_detail.html",
        {
            "demand": demand,
            "form": form,
            "steps": steps,
            "may_handle": may_handle,
            "today": timezone.localdate(),
        },
    )


def next_step(demand: Demand) -> str:
    """The step the form offers first: 交办 for a demand not handed over, 回访 for a closed one, else 办理."""
    if demand.status == DemandStatus.PENDING:
        return DemandActionKind.ASSIGN
    if not demand.is_open:
        return DemandActionKind.REVISIT
    return DemandActionKind.PROGRESS


def tell_handover(request: HttpRequest, demand: Demand, note: str = "") -> None:
    """Email the person or department a demand was handed to; a mail server down costs a warning, not the
    step (it is saved, and the demand is in their 我的工作 anyway)."""
    try:
        sent = handover.tell(
            demand, by=request.user, link=request.build_absolute_uri(demand.get_absolute_url()), note=note
        )
    except OSError:
        messages.warning(request, "已交办，但通知邮件未能发出，请另行告知承办人。")
        return
    if sent:
        messages.info(request, f"已发邮件通知：{'、'.join(sent)}。")


def _demand_unchanged(form: DemandActionForm, demand: Demand) -> bool:
    """Lock the demand for this step; if someone recorded a step since the page was opened, say which and
    save nothing (so a demand is never closed twice by two people at once)."""
    current = lock(demand)
    if form.cleaned_data["version"] == current.version:
        demand.version = current.version
        return True
    since = list(
        DemandAction.objects.filter(demand=demand, pk__gt=form.cleaned_data["seen_action"] or 0)
        .select_related("by__staff")
        .order_by("id")
    )
    steps = format_html_join(
        "",
        "<li>{} {} {}</li>",
        ((f"{a.date:%Y-%m-%d}", actor_name(a.by), a.sentence) for a in since),
    )
    form.add_error(
        None,
        format_html(
            "未保存：在您打开本页之后，这条诉求已有新的办理（现状态：{}）。您填写的内容仍在下面，"
            "请看过上面的办理记录后再决定是否继续办理。{}",
            current.get_status_display(),
            format_html('<ul class="mb-0">{}</ul>', steps) if since else "",
        ),
    )
    form.data = form.data.copy()
    form.data["version"] = str(current.version)
    form.data["seen_action"] = str(max([a.pk for a in since] + [form.cleaned_data["seen_action"] or 0]))
    return False


def my_work(request: HttpRequest) -> HttpResponse:
    """我的工作: the staff home page."""
    staff = staff_of(request.user)
    if staff is None:
        return render(request, "liaison/contacts/my_work.html", {"staff": None})
    return render(
        request,
        "liaison/contacts/my_work.html",
        {
            "staff": staff,
            **mywork.my_work(
                staff, timezone.localdate(), only_uncontacted=request.GET.get("uncontacted") == "1"
            ),
        },
    )


@require_GET
def record_target_search(request: HttpRequest) -> HttpResponse:
    """htmx: search-as-you-type for the logging form; results are checkboxes that join the picked ones."""
    text = request.GET.get("q", "")
    picked = set(request.GET.getlist("targets"))
    results = [found for found in search_targets(text) if found.value not in picked]
    return render(
        request, "liaison/contacts/_record_target_results.html", {"results": results, "q": text.strip()}
    )


@require_POST
def demand_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a demand on an existing record (by those who may log for its team, or the liaison office)."""
    record = _record_for_user(request, pk)
    if not (can_log_for(request.user, record.team) or can_edit_record(request.user, record)):
        raise PermissionDenied
    form = DemandInlineForm(request.POST, prefix="new")
    if form.is_valid():
        demand = form.save(commit=False)
        demand.record = record
        scientists = [t.scientist for t in record.targets.select_related("scientist") if t.scientist_id]
        if not demand.raised_by_text and len(scientists) == 1:
            demand.raised_by_scientist = scientists[0]
        contacts.demand_create(demand=demand, by=request.user)
        messages.success(request, "已登记诉求。")
        if demand.status == DemandStatus.ASSIGNED:
            tell_handover(request, demand)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(record)
