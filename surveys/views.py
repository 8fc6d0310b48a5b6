"""The surveys pages (issue 20 §1). Thin: each view reaches its object through surveys/access.py, binds a
form and calls one function of surveys/services.py; errors re-render the form with what was typed."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Q, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.limits import parse_id
from common.views import paginate
from liaison.models import ContactRecord, TeamKind
from liaison.people.access import records_visible_to, team_ids_of
from surveys import results as tally
from surveys import services
from surveys.access import MANAGE, RESULTS, get_invitation_to_fill, get_survey, surveys_visible_to
from surveys.forms import AnswerForm, QuestionForm, SendForm, SurveyForm
from surveys.models import (
    AnswerChannel,
    Invitation,
    InvitationState,
    Question,
    QuestionKind,
    Survey,
    SurveyState,
)
from surveys.selection import candidates

PREVIEW_NAMES = 50


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


# --- the list and the team's questionnaires to fill in ------------------------------------------------------


@require_GET
@permission_required("surveys.view_surveys", raise_exception=True)
def survey_list(request: HttpRequest) -> HttpResponse:
    """The office and leadership: every survey with its progress; others go to their team's list."""
    if not request.user.has_perm(RESULTS):
        return redirect("surveys:todo")
    surveys = surveys_visible_to(request.user).annotate(
        invited=Count("invitations"),
        submitted=Count("invitations", filter=Q(invitations__state=InvitationState.SUBMITTED)),
    )
    return render(
        request,
        "surveys/survey_list.html",
        {
            "page": paginate(request, surveys.order_by("-opens_on", "-pk")),
            "can_manage": request.user.has_perm(MANAGE),
            "has_teams": bool(team_ids_of(request.user)),
        },
    )


@require_GET
@permission_required("surveys.view_surveys", raise_exception=True)
def todo(request: HttpRequest) -> HttpResponse:
    """待填写问卷: the open surveys' invitations of the user's teams not yet submitted."""
    today = timezone.localdate()
    invitations = (
        Invitation.objects.for_list()
        .filter(
            team_id__in=team_ids_of(request.user),
            survey__state=SurveyState.OPEN,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .exclude(state=InvitationState.SUBMITTED)
        .order_by("survey__closes_on", "survey_id", "team_id", "scientist__name_pinyin", "pk")
    )
    return render(request, "surveys/todo.html", {"page": paginate(request, invitations)})


# --- design -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def survey_create(request: HttpRequest) -> HttpResponse:
    return _save_survey(request, None)


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk, manage=True)
    if survey.state == SurveyState.CLOSED:
        raise PermissionDenied
    return _save_survey(request, survey)


def _save_survey(request: HttpRequest, survey: Survey | None) -> HttpResponse:
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.claim():
                    saved = services.survey_save(survey=form.instance, by=request.user)
                    messages.success(request, f"已保存问卷“{saved.title}”。")
                    return redirect(saved)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk)
    rows = tally.progress(survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "progress": rows,
            "total": tally.totals(rows),
            "can_manage": request.user.has_perm(MANAGE),
            "today": timezone.localdate(),
        },
    )


@require_POST
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk, manage=True)
    try:
        services.survey_open(survey=survey, by=request.user)
        messages.success(request, "问卷已开始，可以发送给科技工作者了。")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(survey)


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk, manage=True)
    try:
        services.survey_close(survey=survey, by=request.user)
        messages.success(request, "问卷已结束，不再接受填写。")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(survey)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    survey = get_survey(request.user, pk, manage=True)
    question = (
        get_object_or_404(survey.questions, pk=parse_id(question_pk) or 0)
        if question_pk is not None
        else Question(survey=survey)
    )
    if not survey.is_draft:
        messages.error(request, "问卷已开始填写，题目不能再修改。")
        return redirect(survey)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(question=form.instance)
            messages.success(request, "题目已保存。")
            return redirect(survey)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request, "surveys/question_form.html", {"form": form, "survey": survey, "question": question}
    )


@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk, manage=True)
    question = get_object_or_404(survey.questions, pk=parse_id(question_pk) or 0)
    try:
        services.question_delete(question=question)
        messages.success(request, "题目已删除。")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(survey)


# --- sending ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose scientists (GET: the preview shows how many and who), then invite them (POST, same filters)."""
    survey = get_survey(request.user, pk, manage=True)
    if survey.state != SurveyState.OPEN:
        messages.error(
            request,
            "只有进行中的问卷可以发送：请先开始调查。" if survey.is_draft else "问卷已结束，不能再发送。",
        )
        return redirect(survey)
    data = request.POST if request.method == "POST" else (request.GET if "source" in request.GET else None)
    form = SendForm(data, year=survey.year)
    found = count = None
    if form.is_bound and form.is_valid():
        chosen = candidates(survey, form.cleaned_data)
        if request.method == "POST":
            created = services.invitations_create(
                survey=survey, scientists=chosen, by=request.user, teams=form.cleaned_data["teams"] or None
            )
            messages.success(request, f"已向 {created} 名科技工作者发送问卷。")
            return redirect("surveys:invitations", survey.pk)
        count = chosen.count()
        found = list(chosen.select_related("organization").order_by("name_pinyin", "pk")[:PREVIEW_NAMES])
    return render(
        request,
        "surveys/survey_send.html",
        {"survey": survey, "form": form, "found": found, "count": count, "shown": PREVIEW_NAMES},
    )


@require_GET
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk)
    # in the progress table's order: leader teams, then department teams, by their leads; no team last
    invitations = survey.invitations.select_related("scientist", "team", "record").order_by(
        Case(When(team__isnull=True, then=2), When(team__kind=TeamKind.LEADER, then=0), default=1),
        "team__lead__order",
        "team_id",
        "scientist__name_pinyin",
        "pk",
    )
    team = parse_id(request.GET.get("team"))
    if team is not None:
        invitations = invitations.filter(team_id=team)
    elif request.GET.get("team") == "none":
        invitations = invitations.filter(team__isnull=True)
    state = request.GET.get("state", "")
    if state in InvitationState.values:
        invitations = invitations.filter(state=state)
    return render(
        request,
        "surveys/invitation_list.html",
        {
            "survey": survey,
            "page": paginate(request, invitations),
            "teams": tally.progress(survey),
            "states": InvitationState.choices,
            "team": team,
            "state": state,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_POST
def invitation_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make (or re-make, invalidating the old) the invitation's one-time link; the link is shown once."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey", "scientist"), pk=parse_id(pk) or 0
    )
    get_survey(request.user, invitation.survey_id, manage=True)
    try:
        token = services.link_make(invitation=invitation)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("surveys:invitations", invitation.survey_id)
    link = request.build_absolute_uri(reverse("surveys:answer_by_link", args=[token]))
    response = render(request, "surveys/invitation_link.html", {"invitation": invitation, "link": link})
    response["Cache-Control"] = "no-store"
    return response


# --- filling in ---------------------------------------------------------------------------------------------


def _record_for(request: HttpRequest, invitation: Invitation) -> ContactRecord | None:
    """The contact record the questionnaire is filled in during (?record=), if the user may see it."""
    pk = parse_id(request.GET.get("record") or request.POST.get("record"))
    if pk is None:
        return None
    record = get_object_or_404(records_visible_to(request.user, ContactRecord.objects.all()), pk=pk)
    return record


@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, pk: int) -> HttpResponse:
    """A team member (or the office) fills in the questionnaire with the scientist, during a contact."""
    invitation = get_invitation_to_fill(request.user, pk)
    record = _record_for(request, invitation)
    questions = list(invitation.survey.questions.all())
    submit = request.POST.get("action") == "submit"
    form = AnswerForm(
        request.POST or None,
        questions=questions,
        submit=submit,
        initial={"version": invitation.version, **_initial(invitation)},
    )
    if request.method == "POST" and not invitation.is_submitted and form.is_valid():
        try:
            services.answers_save(
                invitation=invitation,
                values=form.values(),
                submit=submit,
                version=form.cleaned_data["version"],
                by=request.user,
                channel=AnswerChannel.CONTACT,
                record=record,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = invitation.scientist.name
            messages.success(request, f"已提交{name}的问卷。" if submit else f"已保存{name}的问卷草稿。")
            if submit:
                return redirect(record.get_absolute_url() if record else reverse("surveys:todo"))
            return redirect(
                f"{reverse('surveys:fill', args=[invitation.pk])}"
                + (f"?record={record.pk}" if record else "")
            )
    return render(
        request,
        "surveys/fill.html",
        {
            "invitation": invitation,
            "survey": invitation.survey,
            "form": form,
            "record": record,
            "open": invitation.survey.accepts_answers(timezone.localdate()),
            "answers": _readable(invitation, questions) if invitation.is_submitted else None,
        },
    )


def _initial(invitation: Invitation) -> dict:
    return {f"q{qid}": value for qid, value in services.answers_of(invitation).items()}


def _readable(invitation: Invitation, questions: list[Question]) -> list[tuple[Question, str]]:
    by_question = {a.question_id: a for a in invitation.answers.all()}
    return [(q, tally._cell(q, by_question.get(q.pk))) for q in questions]


# --- results ------------------------------------------------------------------------------------------------


@require_GET
@permission_required(RESULTS, raise_exception=True)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk)
    submitted, results = tally.survey_results(survey)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "survey": survey,
            "submitted": submitted,
            "results": results,
            "charts": [r.chart for r in results if r.options],
            "can_export": request.user.has_perm(MANAGE),
            "texts_shown": tally.TEXTS_SHOWN,
        },
    )


@require_GET
@permission_required(RESULTS, raise_exception=True)
def text_answers(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = get_survey(request.user, pk)
    question = get_object_or_404(
        survey.questions.filter(kind__in=[QuestionKind.SHORT, QuestionKind.LONG]),
        pk=parse_id(question_pk) or 0,
    )
    return render(
        request,
        "surveys/text_answers.html",
        {
            "survey": survey,
            "question": question,
            "page": paginate(request, tally.text_answers(survey, question)),
        },
    )


@require_GET
def survey_export(request: HttpRequest, pk: int) -> FileResponse:
    survey = get_survey(request.user, pk, manage=True)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    tally.write_export(survey, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{survey.title}_{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
