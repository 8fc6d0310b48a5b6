"""Every write of the surveys app (issue 20 §1): views, the demo and tests call these.

A survey's state moves one way (草稿 → 进行中 → 已结束) by a conditional UPDATE, so that it cannot happen
twice; its questions change only while it is a draft. An invitation's answers are saved by first claiming
the invitation at the version the form was read at, while it is not yet submitted (one UPDATE), then
replacing its answers, in one transaction: two saves from the same copy never both succeed, and a submitted
questionnaire is never changed again.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, QuerySet, When
from django.utils import timezone

from experts.models import Scientist
from liaison.models import Assignment, ContactRecord, TeamKind
from surveys.models import (
    CHOICE_KINDS,
    Answer,
    AnswerChannel,
    Invitation,
    InvitationState,
    Question,
    QuestionKind,
    Survey,
    SurveyState,
)

AnswerValue = list[int] | Decimal | int | str | None
BATCH = 1000


# --- the questionnaire ----------------------------------------------------------------------------------


def survey_save(*, survey: Survey, by: User | None) -> Survey:
    """Create or edit a survey's title, introduction and period (allowed until it has ended)."""
    if survey.pk is not None and Survey.objects.filter(pk=survey.pk, state=SurveyState.CLOSED).exists():
        raise ValidationError("问卷已结束，不能再修改。")
    if survey.pk is None:
        survey.created_by = by
    survey.full_clean()
    survey.save()
    return survey


def _ensure_draft(survey: Survey) -> None:
    if not Survey.objects.filter(pk=survey.pk, state=SurveyState.DRAFT).exists():
        raise ValidationError("问卷已开始填写，题目不能再修改。")


def question_save(*, question: Question) -> Question:
    """Add or edit a question while its survey is a draft; options and scale bounds are kept only for the
    kinds that use them."""
    _ensure_draft(question.survey)
    question.choices = [str(c).strip() for c in question.choices or [] if str(c).strip()]
    if question.kind in CHOICE_KINDS:
        if len(question.choices) < 2:
            raise ValidationError({"choices": "选择题至少要有两个选项。"})
        if len(set(question.choices)) != len(question.choices):
            raise ValidationError({"choices": "选项不能重复。"})
    else:
        question.choices = []
    if question.kind != QuestionKind.SCALE:
        question.scale_min = question.scale_max = None
        question.scale_min_label = question.scale_max_label = ""
    if not question.order:  # left blank: last
        last = (
            question.survey.questions.exclude(pk=question.pk)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        question.order = (last or 0) + 1
    question.full_clean()
    question.save()
    return question


def question_delete(*, question: Question) -> None:
    _ensure_draft(question.survey)
    question.delete()


def _audit_state(instance: Survey | Invitation, was: str, now: str, by: User | None) -> None:
    """The audit entry of a transition made by a conditional UPDATE (which django-auditlog does not see)."""
    LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE, changes={"state": [was, now]}, actor=by, force_log=True
    )


def survey_open(*, survey: Survey, by: User | None = None) -> None:
    """草稿 → 进行中: only with at least one question; once."""
    if not survey.questions.exists():
        raise ValidationError("问卷还没有题目，不能开始。")
    moved = Survey.objects.filter(pk=survey.pk, state=SurveyState.DRAFT).update(
        state=SurveyState.OPEN, version=F("version") + 1, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError("问卷已不是草稿。")
    survey.refresh_from_db()
    _audit_state(survey, SurveyState.DRAFT, SurveyState.OPEN, by)


def survey_close(*, survey: Survey, by: User | None = None) -> None:
    """进行中 → 已结束, once; answers are no longer saved, links show a plain message."""
    moved = Survey.objects.filter(pk=survey.pk, state=SurveyState.OPEN).update(
        state=SurveyState.CLOSED, version=F("version") + 1, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError("只有进行中的问卷可以结束。")
    survey.refresh_from_db()
    _audit_state(survey, SurveyState.OPEN, SurveyState.CLOSED, by)


# --- sending ----------------------------------------------------------------------------------------------


def responsible_teams(survey: Survey, scientists: QuerySet[Scientist], teams=None) -> dict[int, int]:
    """scientist id → the team that has them as a target in force in the survey's year (among `teams` when
    given): a leader team before a department team, then in the order of their leads. One query."""
    assignments = Assignment.objects.filter(
        team__year__year=survey.year, end_date__isnull=True, scientist__in=scientists.values("pk")
    )
    if teams:
        assignments = assignments.filter(team__in=teams)
    ordered = assignments.order_by(
        "scientist_id",
        Case(When(team__kind=TeamKind.LEADER, then=0), default=1),
        "team__lead__order",
        "team_id",
    ).values_list("scientist_id", "team_id")
    found: dict[int, int] = {}
    for scientist_id, team_id in ordered:
        found.setdefault(scientist_id, team_id)
    return found


@transaction.atomic
def invitations_create(
    *, survey: Survey, scientists: QuerySet[Scientist], by: User | None, teams=None
) -> int:
    """Invite the scientists not yet invited to the survey (bulk; a scientist is never invited twice, the
    database's unique constraint says so too). Returns how many were invited."""
    if survey.state != SurveyState.OPEN:
        raise ValidationError("只有进行中的问卷可以发送。")
    fresh = scientists.exclude(survey_invitations__survey=survey).order_by()
    team_of = responsible_teams(survey, fresh, teams)
    ids = list(fresh.values_list("pk", flat=True))
    before = survey.invitations.count()
    for start in range(0, len(ids), BATCH):
        Invitation.objects.bulk_create(
            [
                Invitation(survey=survey, scientist_id=pk, team_id=team_of.get(pk), created_by=by)
                for pk in ids[start : start + BATCH]
            ],
            ignore_conflicts=True,
        )
    return survey.invitations.count() - before


# --- the one-time link ------------------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_make(*, invitation: Invitation) -> str:
    """A new link token for the invitation (the old one stops working); only its sha256 is stored, the token
    is returned to be shown once."""
    if invitation.is_submitted:
        raise ValidationError("该科技工作者已提交问卷，无需再发链接。")
    if invitation.survey.state == SurveyState.CLOSED:
        raise ValidationError("问卷已结束。")
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.token_made_at = timezone.now()
    invitation.save(update_fields=["token_hash", "token_made_at", "updated_at"])
    return token


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("survey", "scientist")
        .filter(token_hash=token_digest(token))
        .exclude(token_hash="")
        .first()
    )


# --- answers ----------------------------------------------------------------------------------------------


def _is_empty(value: AnswerValue) -> bool:
    return value is None or value == "" or value == []


@transaction.atomic
def answers_save(
    *,
    invitation: Invitation,
    values: Mapping[int, AnswerValue],
    submit: bool,
    version: int,
    by: User | None,
    channel: str,
    record: ContactRecord | None = None,
    today: datetime.date | None = None,
) -> Invitation:
    """Keep the answers as a draft, or submit them (every required question answered). `values` maps each
    question's id to its cleaned value (surveys/forms.py). Refused once submitted, outside the survey's
    period, or when someone saved the same invitation since `version` was read."""
    survey = invitation.survey
    if not survey.accepts_answers(today or timezone.localdate()):
        raise ValidationError("问卷不在填写期内，不能保存。")
    if record is not None and (
        record.is_deleted or not record.targets.filter(scientist_id=invitation.scientist_id).exists()
    ):
        raise ValidationError("这条联系记录的联系对象中没有该科技工作者。")
    questions = list(survey.questions.all())
    if submit:
        missing = [q.text for q in questions if q.required and _is_empty(values.get(q.pk))]
        if missing:
            raise ValidationError("还有必答题没有回答：" + "；".join(missing))
    now = timezone.now()
    changes = {
        "state": InvitationState.SUBMITTED if submit else InvitationState.DRAFT,
        "channel": channel,
        "version": F("version") + 1,
        "updated_at": now,
    }
    if record is not None:
        changes["record"] = record
    if submit:
        changes.update(submitted_at=now, submitted_by=by)
        if channel == AnswerChannel.LINK:
            changes["token_hash"] = ""  # one-time: the link is spent
    claimed = (
        Invitation.objects.filter(pk=invitation.pk, version=version)
        .exclude(state=InvitationState.SUBMITTED)
        .update(**changes)
    )
    if not claimed:
        if Invitation.objects.filter(pk=invitation.pk, state=InvitationState.SUBMITTED).exists():
            raise ValidationError("问卷已提交，不能再修改。")
        raise ValidationError("这份问卷刚被他人保存过，请重新打开后再填写。")
    if submit or invitation.state != changes["state"]:
        _audit_state(invitation, invitation.state, changes["state"], by)
    invitation.answers.all().delete()
    Answer.objects.bulk_create(
        [_answer(invitation, q, values[q.pk]) for q in questions if not _is_empty(values.get(q.pk))]
    )
    invitation.refresh_from_db()
    return invitation


def _answer(invitation: Invitation, question: Question, value: AnswerValue) -> Answer:
    answer = Answer(invitation=invitation, question=question)
    if question.kind in CHOICE_KINDS:
        answer.choices = sorted(int(v) for v in (value if isinstance(value, list) else [value]))
    elif question.kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        answer.number = Decimal(value)
    else:
        answer.text = str(value)
    return answer


def answers_of(invitation: Invitation) -> dict[int, AnswerValue]:
    """The stored answers as form initial values (question id → value)."""
    found: dict[int, AnswerValue] = {}
    for answer in invitation.answers.select_related("question"):
        kind = answer.question.kind
        if kind == QuestionKind.MULTIPLE:
            found[answer.question_id] = [str(c) for c in answer.choices]
        elif kind == QuestionKind.SINGLE:
            found[answer.question_id] = str(answer.choices[0]) if answer.choices else None
        elif kind == QuestionKind.SCALE:
            found[answer.question_id] = str(int(answer.number)) if answer.number is not None else None
        elif kind == QuestionKind.NUMBER:
            found[answer.question_id] = answer.number
        else:
            found[answer.question_id] = answer.text
    return found
