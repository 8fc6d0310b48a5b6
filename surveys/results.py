"""What a survey's answers add up to (issue 20 §1): progress per team, counts per option with the share of
submitted questionnaires, number statistics, the free text; and the .xlsx export. Only submitted
questionnaires count; drafts are work in progress.

Every page reads a fixed number of queries whatever the number of answers (tests/surveys/test_views.py)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from common.xlsx_writer import XlsxWriter
from liaison.models import Team
from surveys.models import (
    Answer,
    Invitation,
    InvitationState,
    Question,
    QuestionKind,
    Survey,
)

TEXTS_SHOWN = 5  # free-text answers shown on the results page per question; the rest on its own page


@dataclass
class TeamProgress:
    team_id: int | None
    name: str
    invited: int
    draft: int
    submitted: int

    @property
    def pending(self) -> int:
        return self.invited - self.draft - self.submitted


def progress(survey: Survey, invitations: QuerySet[Invitation] | None = None) -> list[TeamProgress]:
    """Invited / draft / submitted per responsible team, in the teams' order; invitations without a team
    (scientists no team has as a target) last. One query."""
    invitations = invitations if invitations is not None else survey.invitations.all()
    rows = (
        invitations.order_by()
        .values("team_id", "team__name", "team__kind", "team__lead__order")
        .annotate(
            invited=Count("pk"),
            draft=Count("pk", filter=Q(state=InvitationState.DRAFT)),
            submitted=Count("pk", filter=Q(state=InvitationState.SUBMITTED)),
        )
    )
    found = [
        (
            (
                row["team_id"] is None,
                row["team__kind"] != "leader",
                row["team__lead__order"] or 0,
                row["team_id"] or 0,
            ),
            TeamProgress(
                row["team_id"],
                row["team__name"] or "无负责专班",
                row["invited"],
                row["draft"],
                row["submitted"],
            ),
        )
        for row in rows
    ]
    return [item for _key, item in sorted(found, key=lambda pair: pair[0])]


def totals(rows: list[TeamProgress]) -> TeamProgress:
    return TeamProgress(
        None,
        "合计",
        sum(r.invited for r in rows),
        sum(r.draft for r in rows),
        sum(r.submitted for r in rows),
    )


@dataclass
class OptionCount:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionCount] = field(default_factory=list)
    stats: dict[str, Decimal | int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        return {
            "id": self.question.pk,
            "labels": [o.label for o in self.options],
            "counts": [o.count for o in self.options],
        }


def submitted_answers(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(invitation__survey=survey, invitation__state=InvitationState.SUBMITTED)


def _percent(count: int, whole: int) -> float:
    return round(count * 100 / whole, 1) if whole else 0.0


def _plain_number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """(submitted questionnaires, one result per question). Four queries."""
    questions = list(survey.questions.all())
    submitted = survey.invitations.filter(state=InvitationState.SUBMITTED).count()
    results = {q.pk: QuestionResult(q) for q in questions}
    chosen: dict[int, Counter] = defaultdict(Counter)
    numbers: dict[int, list[Decimal]] = defaultdict(list)
    measured = [q.pk for q in questions if not q.is_text]
    for question_id, choices, number in (
        submitted_answers(survey)
        .filter(question_id__in=measured)
        .values_list("question_id", "choices", "number")
    ):
        results[question_id].answered += 1
        if number is not None:
            numbers[question_id].append(number)
        for choice in choices or []:
            chosen[question_id][choice] += 1
    texts = submitted_answers(survey).filter(question__kind__in=[QuestionKind.SHORT, QuestionKind.LONG])
    for row in texts.order_by().values("question_id").annotate(n=Count("pk")):
        results[row["question_id"]].answered = row["n"]
    latest = texts.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("question_id"),
            order_by=[F("invitation__submitted_at").desc(), F("pk").desc()],
        )
    ).filter(rank__lte=TEXTS_SHOWN)
    for question_id, text in latest.order_by("question_id", "rank").values_list("question_id", "text"):
        results[question_id].texts.append(text)
    for question in questions:
        result = results[question.pk]
        if question.is_choice:
            result.options = [
                OptionCount(label, chosen[question.pk][i], _percent(chosen[question.pk][i], submitted))
                for i, label in enumerate(question.choices)
            ]
        elif question.kind == QuestionKind.SCALE:
            counted = Counter(int(n) for n in numbers[question.pk])
            result.options = [
                OptionCount(str(v), counted[v], _percent(counted[v], submitted))
                for v in question.scale_values()
            ]
        if question.kind in (QuestionKind.NUMBER, QuestionKind.SCALE) and numbers[question.pk]:
            values = sorted(numbers[question.pk])
            result.stats = {
                "count": len(values),
                "min": _plain_number(values[0]),
                "median": _plain_number(Decimal(statistics.median(values)).quantize(Decimal("0.01"))),
                "max": _plain_number(values[-1]),
            }
    return submitted, [results[q.pk] for q in questions]


def text_answers(survey: Survey, question: Question) -> QuerySet[Answer]:
    """The free text of one question, newest first (its own paginated page)."""
    return (
        submitted_answers(survey)
        .filter(question=question)
        .exclude(text="")
        .select_related("invitation__scientist", "invitation__team")
        .order_by("-invitation__submitted_at", "-pk")
    )


# --- export -----------------------------------------------------------------------------------------------

ANSWER_HEADERS = ["科技工作者", "工作单位", "负责专班", "填写方式", "提交时间"]


def _cell(question: Question, answer: Answer | None):
    if answer is None:
        return ""
    if question.is_choice:
        return "、".join(question.choices[i] for i in answer.choices if 0 <= i < len(question.choices))
    if answer.number is not None:
        value = _plain_number(answer.number)
        return value if isinstance(value, int) else float(value)
    return answer.text


def answer_rows(survey: Survey, questions: list[Question]) -> Iterator[list]:
    """One row per submitted questionnaire, one column per question (chunks of 500, answers prefetched)."""
    invitations = (
        survey.invitations.filter(state=InvitationState.SUBMITTED)
        .select_related("scientist", "team")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    for invitation in invitations.iterator(chunk_size=500):
        by_question = {a.question_id: a for a in invitation.answers.all()}
        yield [
            invitation.scientist.name,
            invitation.scientist.employer,
            invitation.team.name if invitation.team else "",
            invitation.get_channel_display(),
            timezone.localtime(invitation.submitted_at).strftime("%Y-%m-%d %H:%M")
            if invitation.submitted_at
            else "",
            *(_cell(q, by_question.get(q.pk)) for q in questions),
        ]


def count_rows(submitted: int, results: list[QuestionResult]) -> Iterator[list]:
    for number, result in enumerate(results, start=1):
        question = result.question
        title = f"{number}. {question.text}"
        if result.options:
            for option in result.options:
                yield [title, question.get_kind_display(), option.label, option.count, option.percent]
        if result.stats:
            for key, label in (("count", "人数"), ("min", "最小值"), ("median", "中位数"), ("max", "最大值")):
                value = result.stats[key]
                yield [
                    title,
                    question.get_kind_display(),
                    label,
                    value if isinstance(value, int) else float(value),
                    "",
                ]
        if question.is_text:
            yield [
                title,
                question.get_kind_display(),
                "作答人数",
                result.answered,
                _percent(result.answered, submitted),
            ]


def write_export(survey: Survey, target: IO[bytes]) -> None:
    questions = list(survey.questions.all())
    submitted, results = survey_results(survey)
    with XlsxWriter(target) as book:
        book.add_sheet(
            "答卷",
            [*ANSWER_HEADERS, *(f"{i}. {q.text}" for i, q in enumerate(questions, start=1))],
            answer_rows(survey, questions),
            [10, 24, 16, 10, 18, *([24] * len(questions))],
        )
        book.add_sheet(
            "统计",
            ["题目", "题型", "选项", "人数", "占已提交 %"],
            count_rows(submitted, results),
            [40, 8, 24, 8, 10],
        )


def teams_of_year(survey: Survey) -> QuerySet[Team]:
    return Team.objects.filter(year__year=survey.year).in_year_order()
