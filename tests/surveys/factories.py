"""Builders for surveys, through the same services the pages use."""

from __future__ import annotations

import datetime

from experts.models import Scientist
from surveys import services
from surveys.models import Invitation, Question, QuestionKind, Survey
from tests.factories import today


def make_survey(by=None, *, title: str = "2026年科技工作者状况调查", opened: bool = True, **dates) -> Survey:
    """A survey with one question of every kind: 1 single (3 options), 2 multiple (3 options), 3 scale 1–5,
    4 number, 5 short text (optional), 6 long text (optional)."""
    day = today()
    survey = services.survey_save(
        survey=Survey(
            title=title,
            intro="了解科技工作者的工作和生活状况",
            opens_on=dates.get("opens_on", day - datetime.timedelta(days=10)),
            closes_on=dates.get("closes_on", day + datetime.timedelta(days=20)),
        ),
        by=by,
    )
    for kind, text, extra in [
        (QuestionKind.SINGLE, "您的工作单位类型", {"choices": ["高校", "科研院所", "企业"]}),
        (QuestionKind.MULTIPLE, "您目前面临的主要困难", {"choices": ["经费", "住房", "子女教育"]}),
        (
            QuestionKind.SCALE,
            "您对科研环境的满意度",
            {"scale_min": 1, "scale_max": 5, "scale_min_label": "很不满意", "scale_max_label": "很满意"},
        ),
        (QuestionKind.NUMBER, "每周平均工作时长（小时）", {}),
        (QuestionKind.SHORT, "最希望科协提供的一项服务", {"required": False}),
        (QuestionKind.LONG, "其他意见和建议", {"required": False}),
    ]:
        services.question_save(question=Question(survey=survey, kind=kind, text=text, **extra))
    if opened:
        services.survey_open(survey=survey)
    return survey


def questions(survey: Survey) -> dict[str, Question]:
    return {q.kind: q for q in survey.questions.all()}


def invite(survey: Survey, *scientists: Scientist, by=None) -> list[Invitation]:
    services.invitations_create(
        survey=survey, scientists=Scientist.objects.filter(pk__in=[s.pk for s in scientists]), by=by
    )
    return list(survey.invitations.filter(scientist__in=scientists).order_by("pk"))


def answer(invitation: Invitation, *, submit: bool = True, by=None, channel="contact", record=None, **values):
    """Answers by kind: single=index, multiple=[indices], scale=int, number=Decimal-like, short=str, long=str."""
    invitation.refresh_from_db()
    by_kind = questions(invitation.survey)
    return services.answers_save(
        invitation=invitation,
        values={by_kind[kind].pk: value for kind, value in values.items()},
        submit=submit,
        version=invitation.version,
        by=by,
        channel=channel,
        record=record,
    )


FULL = {"single": 0, "multiple": [0, 2], "scale": 4, "number": 50, "short": "政策解读"}
