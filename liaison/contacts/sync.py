"""The phone's way in: visits logged offline (static/js/offline.js) are sent here when the connection returns.

One visit per POST, multipart like the page's form and validated by the very same forms and writer
(views.record_forms / validate_and_write), so the page and the phone refuse the same things in the same words.
Each visit carries the key its phone generated (client_key): the first send creates the record, any later send
of that key (the answer was lost, two tabs synced at once) gets the same record back, never a second one.

The answers are JSON, never a redirect to the login page: the page keeps its queue and asks the user to log in
again when the session has expired (401). CSRF protection stays on; GET gives the page a fresh token (after a
new login the token in the cached page is stale).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from liaison.contacts.forms import target_value
from liaison.contacts.views import loggable_teams, record_forms, validate_and_write
from liaison.models import Assignment, ContactRecord, RecordStatus, Staff, Team
from liaison.people.access import is_admin, records_visible_to, staff_of

LOGIN_AGAIN = "登录已过期，请重新登录，待同步的记录会在登录后发送。"


def _answer(code: int, **data) -> JsonResponse:
    response = JsonResponse(data, status=code, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _refusal(request: HttpRequest) -> JsonResponse | None:
    """401 for no session (expired), 403 for an account that logs no contacts (no staff record)."""
    if not request.user.is_authenticated:
        return _answer(401, status="login", message=LOGIN_AGAIN)
    if staff_of(request.user) is None and not is_admin(request.user):
        return _answer(403, status="forbidden", message="您的账号不是科协干部，不能记录联系工作。")
    return None


def _record_answer(record: ContactRecord, code: int, state: str) -> JsonResponse:
    verb = "已存为草稿" if record.status == RecordStatus.DRAFT else "已保存联系记录"
    return _answer(
        code,
        status=state,
        id=record.pk,
        url=record.get_absolute_url(),
        message=f"{verb}（{record.date:%Y-%m-%d} {record.get_method_display()}）。",
    )


def _errors(form, formset) -> list[dict]:
    """Every refusal as the page shows it: the field's label and its Chinese messages."""
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.append({"field": name if name != "__all__" else "", "label": label, "messages": messages})
    if formset is not None:
        for message in formset.non_form_errors():
            errors.append({"field": "", "label": "反映的问题和诉求", "messages": [message]})
        for number, demand_form in enumerate(formset.forms, start=1):
            for name, messages in demand_form.errors.items():
                label = demand_form.fields[name].label if name in demand_form.fields else ""
                errors.append(
                    {
                        "field": demand_form.add_prefix(name),
                        "label": f"诉求 {number} · {label}",
                        "messages": messages,
                    }
                )
    return errors


def _existing(request: HttpRequest, key: uuid.UUID) -> JsonResponse | None:
    record = ContactRecord.objects.filter(client_key=key).first()
    if record is None:
        return None
    if not records_visible_to(request.user, ContactRecord.objects.filter(pk=record.pk)).exists():
        # a key is a random UUID: one that names someone else's record was not made by this phone
        return _answer(409, status="conflict", message="记录标识冲突，请删除此条后重新记录。")
    return _record_answer(record, 200, "exists")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def record_sync(request: HttpRequest) -> JsonResponse:
    refused = _refusal(request)
    if refused is not None:
        return refused
    if request.method == "GET":
        return _answer(200, status="ready", csrf=get_token(request), user=request.user.get_username())
    try:
        key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return _answer(400, status="bad", message="缺少离线记录标识，请刷新页面后重试。")
    found = _existing(request, key)
    if found is not None:
        return found
    form, formset = record_forms(
        request, ContactRecord(author=staff_of(request.user)), loggable_teams(request)
    )
    try:
        # a savepoint of its own: a concurrent send of the same key that committed first makes this insert
        # fail on the unique key, and the request's transaction (ATOMIC_REQUESTS) must still answer
        with transaction.atomic():
            saved = validate_and_write(request, form, formset, client_key=key)
    except IntegrityError:
        found = _existing(request, key)
        if found is None:
            raise
        return found
    if saved is None:
        return _answer(
            422,
            status="rejected",
            message="未通过校验，请修改后重新发送。",
            errors=_errors(form, formset),
        )
    return _record_answer(saved, 201, "created")


@never_cache
def offline_data(request: HttpRequest) -> JsonResponse:
    """What the logging form needs offline, cached by the page at each sync: the teams the user logs for,
    each with its assigned targets and its people (names only: no phones, no emails). Four queries
    whatever the number of teams."""
    if staff_of(request.user) is None and not is_admin(request.user):
        return _answer(403, status="forbidden", message="您的账号不是科协干部，不能记录联系工作。")
    # a staff member logs for a handful of teams; an administrator may log for any, and gets the newest 200
    teams = list(loggable_teams(request)[:200])
    ids = [team.pk for team in teams]
    targets: dict[int, list[dict]] = {pk: [] for pk in ids}
    assignments = (
        Assignment.objects.in_force_at_year_end()
        .filter(team_id__in=ids)
        .select_related("organization", "scientist")
        .order_by("category", "organization__name_pinyin", "scientist__name_pinyin")
    )
    for a in assignments:
        targets[a.team_id].append(
            {"value": target_value(a.target), "name": a.target_name, "label": a.category_label}
        )
    members = Team.members.through.objects.filter(team_id__in=ids).values_list("team_id", "staff_id")
    leads = {team.pk: team.lead_id for team in teams}
    staff_ids = {sid for _, sid in members} | {sid for sid in leads.values() if sid}
    names = dict(Staff.objects.filter(pk__in=staff_ids).order_by("order", "id").values_list("pk", "name"))
    order = list(names)
    people: dict[int, set[int]] = {pk: {leads[pk]} if leads[pk] else set() for pk in ids}
    for team_id, staff_id in members:
        people[team_id].add(staff_id)
    staff = staff_of(request.user)
    return _answer(
        200,
        user=request.user.get_username(),
        me=staff.pk if staff else None,
        teams=[
            {
                "id": team.pk,
                "label": f"{team.year.year} · {team.name}",
                "targets": targets[team.pk],
                "people": [{"id": pk, "name": names[pk]} for pk in order if pk in people[team.pk]],
            }
            for team in teams
        ],
    )
