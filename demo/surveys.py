"""Demo of the surveys (issue 20 §1): this year's 科技工作者状况调查, open, with eight questions of every kind,
sent to twenty scientists across the teams (two targets of each of the first ten teams); five submitted
(one of them during a visit its team's lead records, the others by the team or by link), three drafts; and a
second questionnaire still being designed (草稿).

Every write goes through surveys/services.py. Deterministic (ordered inputs, a seeded generator) and
idempotent: nothing is written when this year's survey exists.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User
from django.db.models import Case, When
from django.utils import timezone

from experts.models import Scientist
from liaison.contacts import services as contacts
from liaison.models import Assignment, ContactChannel, ContactMethod, ContactRecord, TeamKind
from surveys import services
from surveys.models import AnswerChannel, Question, QuestionKind, Survey

PER_TEAM = 2
TEAMS = 10
SUBMITTED = 5
DRAFTS = 3

QUESTIONS = [
    (
        QuestionKind.SINGLE,
        "您所在单位的类型",
        True,
        {"choices": ["高校", "科研院所", "医疗卫生机构", "企业", "其他"]},
    ),
    (QuestionKind.SINGLE, "您的专业技术职称", True, {"choices": ["正高级", "副高级", "中级", "初级及以下"]}),
    (
        QuestionKind.MULTIPLE,
        "您当前工作中遇到的主要困难（可多选）",
        True,
        {
            "choices": [
                "科研经费不足",
                "人才梯队建设难",
                "成果转化渠道少",
                "住房与子女教育",
                "评价考核压力大",
                "学术交流机会少",
            ]
        },
    ),
    (
        QuestionKind.SCALE,
        "您对本市科研环境的总体满意度",
        True,
        {"scale_min": 1, "scale_max": 5, "scale_min_label": "很不满意", "scale_max_label": "很满意"},
    ),
    (
        QuestionKind.SCALE,
        "您对市科协联系服务工作的满意度",
        True,
        {"scale_min": 1, "scale_max": 5, "scale_min_label": "很不满意", "scale_max_label": "很满意"},
    ),
    (QuestionKind.NUMBER, "您每周平均工作时长（小时）", True, {}),
    (QuestionKind.SHORT, "您最希望市科协提供的一项服务", False, {}),
    (QuestionKind.LONG, "对市科协联系服务科技工作者工作的意见和建议", False, {}),
]
SERVICES = ["政策解读与申报辅导", "组织学术交流", "对接企业技术需求", "人才举荐", "科普活动支持"]
ADVICE = [
    "希望多组织跨学科的学术沙龙，帮助青年科技工作者拓展合作。",
    "建议在项目申报季前开展政策宣讲，并提供一对一辅导。",
    "希望协调解决实验用房紧张的问题。",
]


def _answers(rng: random.Random, questions: list[Question], *, partial: bool) -> dict:
    values: dict = {}
    for number, question in enumerate(questions):
        if partial and number >= 3:
            break
        if question.kind == QuestionKind.SINGLE:
            values[question.pk] = rng.randrange(len(question.choices))
        elif question.kind == QuestionKind.MULTIPLE:
            values[question.pk] = sorted(rng.sample(range(len(question.choices)), rng.randint(1, 3)))
        elif question.kind == QuestionKind.SCALE:
            values[question.pk] = rng.randint(3, 5)
        elif question.kind == QuestionKind.NUMBER:
            values[question.pk] = rng.choice([40, 45, 48, 50, 55, 60])
        elif question.kind == QuestionKind.SHORT:
            values[question.pk] = rng.choice(SERVICES)
        elif question.kind == QuestionKind.LONG and rng.random() < 0.6:
            values[question.pk] = rng.choice(ADVICE)
    return values


def seed_demo_surveys(*, year: int, office: User | None) -> dict[str, int]:
    """Must run inside the caller's transaction, after the year's plan and records."""
    title = f"{year}年度科技工作者状况调查"
    if Survey.objects.filter(title=title).exists():
        return {"surveys": 0, "invitations": 0, "submitted": 0}
    today = timezone.localdate()
    survey = services.survey_save(
        survey=Survey(
            title=title,
            intro="为了解我市科技工作者的工作和生活状况、面临的困难和对科协工作的意见建议，市科协开展本次调查。"
            "问卷由联系专班在走访时与科技工作者一同填写，也可通过链接自行填写；所填信息仅用于统计分析。",
            opens_on=max(datetime.date(year, 1, 1), today - datetime.timedelta(days=20)),
            closes_on=max(datetime.date(year, 1, 1), today) + datetime.timedelta(days=40),
        ),
        by=office,
    )
    for kind, text, required, extra in QUESTIONS:
        services.question_save(
            question=Question(survey=survey, kind=kind, text=text, required=required, **extra)
        )
    services.survey_open(survey=survey)

    # two targets of each of the first ten teams, leader teams first
    chosen: list[int] = []
    per_team: dict[int, int] = {}
    teams_seen: list[int] = []
    for team_id, scientist_id in (
        Assignment.objects.filter(team__year__year=year, end_date__isnull=True, scientist__isnull=False)
        .order_by(
            Case(When(team__kind=TeamKind.LEADER, then=0), default=1),
            "team__lead__order",
            "team_id",
            "scientist__name_pinyin",
            "scientist_id",
        )
        .values_list("team_id", "scientist_id")
    ):
        if team_id not in teams_seen:
            if len(teams_seen) == TEAMS:
                break
            teams_seen.append(team_id)
        if per_team.get(team_id, 0) < PER_TEAM and scientist_id not in chosen:
            chosen.append(scientist_id)
            per_team[team_id] = per_team.get(team_id, 0) + 1
    invited = services.invitations_create(
        survey=survey, scientists=Scientist.objects.filter(pk__in=chosen), by=office
    )

    rng = random.Random(f"demo-surveys-{year}")
    questions = list(survey.questions.all())
    invitations = list(
        survey.invitations.select_related("team__lead__user").order_by("team_id", "scientist_id")
    )
    submitted = 0
    for number, invitation in enumerate(invitations[: SUBMITTED + DRAFTS]):
        submit = number < SUBMITTED
        record = None
        if number == 0 and invitation.team_id:
            # filled in during a visit of the team's lead, recorded as every visit is
            record = contacts.record_save(
                record=ContactRecord(
                    team=invitation.team,
                    date=max(survey.opens_on, today - datetime.timedelta(days=2)),
                    method=ContactMethod.SURVEY,
                    channel=ContactChannel.VISIT,
                    grassroots=True,
                    summary=f"登门拜访，了解科研和生活情况，与{invitation.scientist.name}一同填写{survey.title}问卷。",
                    author=invitation.team.lead,
                ),
                targets=[invitation.scientist],
                participants=[invitation.team.lead],
            )
        by_link = submit and number == SUBMITTED - 1
        lead = invitation.team.lead.user if invitation.team else None
        services.answers_save(
            invitation=invitation,
            values=_answers(rng, questions, partial=not submit),
            submit=submit,
            version=invitation.version,
            by=None if by_link else lead,
            channel=AnswerChannel.LINK if by_link else AnswerChannel.CONTACT,
            record=record,
            today=max(survey.opens_on, min(today, survey.closes_on)),
        )
        submitted += submit

    draft = services.survey_save(
        survey=Survey(
            title=f"{year}年度科技工作者创新创业需求调查",
            intro="草稿：题目还在设计中。",
            opens_on=max(datetime.date(year, 1, 1), today) + datetime.timedelta(days=10),
            closes_on=max(datetime.date(year, 1, 1), today) + datetime.timedelta(days=40),
        ),
        by=office,
    )
    services.question_save(
        question=Question(
            survey=draft,
            kind=QuestionKind.SINGLE,
            text="您是否有创办企业或转化成果的打算",
            choices=["已经在做", "有打算", "暂无"],
        )
    )
    return {"surveys": 2, "invitations": invited, "submitted": submitted}
