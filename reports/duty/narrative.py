"""The duty report's text (述职正文, issue 21 §4): a draft written from the year's figures in the register of a
述职, which the person edits and keeps (reports/duty/models.py DutyNarrative).

Every number in the draft is one the DutyReport already holds (reports/duty/services.py): nothing is counted
here, so the text can never disagree with the tables beside it. The draft is plain text, paragraphs one per
line; `paragraphs` splits any kept text the same way for the page, the PDF, the Word file and the workbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction

from liaison.compliance import categories
from reports.duty.models import DutyNarrative

if TYPE_CHECKING:
    from reports.duty.services import DutyReport

ORDINALS = "一二三四五六七八九十"
HIGHLIGHTS_LISTED = len(ORDINALS)  # at most this many 述职重点 in the text; the table lists them all
SUMMARY_CHARS = 60  # of a highlighted record's summary quoted in the text
SIGNATURE_LINE = "述职人：{name}"
DATE_LINE = "日期：＿＿＿＿年＿＿月＿＿日"

_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})
# a space beside a CJK or full-width character (the compliance texts put spaces around numbers)
_CJK_SPACE = re.compile(r"\s*([\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s*")


def tidy(text: str) -> str:
    """Text as an official document writes it: full-width punctuation, no spaces around Chinese."""
    return _CJK_SPACE.sub(r"\1", text.translate(_HALF_TO_FULL)).strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a kept or drafted text: one per non-blank line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _names(items: list[str]) -> str:
    return "、".join(items)


def _teams_paragraph(report: DutyReport) -> str:
    year = report.year.year
    if not report.teams:
        return f"{year}年度，本人未参加联系科技工作者专班。"
    roles = []
    led = [t.team.name for t in report.teams if t.is_lead]
    joined = [t.team.name for t in report.teams if not t.is_lead]
    if led:
        roles.append(f"牵头{_names(led)}")
    if joined:
        roles.append(f"参与{_names(joined)}")
    sentences = [f"{year}年度，本人{'，'.join(roles)}，按照市科协联系科技工作者工作安排开展联系服务工作。"]
    for part in report.teams:
        data = part.review.data
        counted = [(key, v) for key, v in data["categories"].items() if v["assigned"]]
        targets = "、".join(
            f"{tidy(categories.label(key))}{v['assigned']}{categories.unit(key)}"
            + (
                "（均已联系）"
                if v["contacted"] >= v["assigned"]
                else f"（已联系{v['contacted']}{categories.unit(key)}）"
            )
            for key, v in counted
        )
        sentence = f"{part.team.name}（{part.team.get_kind_display()}）"
        sentence += f"负责联系{targets}" if targets else "本年度没有计入定额的联系对象"
        # targets outside the quota's categories count among the team's never-contacted too (the shortfall
        # "N 个联系对象从未联系" of the self-assessment): say so, or "均已联系" would read as a contradiction
        gaps = sum(max(v["assigned"] - v["contacted"], 0) for _, v in counted)
        others = part.review.uncontacted - gaps
        if others > 0:
            sentence += f"，另有{others}个不计入定额的联系对象尚未联系"
        visits = data["grassroots_visits"]
        sentence += f"，专班下基层{visits['count']}次"
        if visits["min"] is not None:
            sentence += f"（要求不少于{visits['min']}次）"
        if part.is_lead:
            sentence += "，年度考评达标" if data["compliant"] else "，年度考评尚未达标"
        sentences.append(sentence + "。")
    return "".join(sentences)


def _work_paragraph(report: DutyReport) -> str:
    methods = [f"{row.label}{row.total}条" for row in report.methods if row.total]
    text = f"全年参加联系记录{report.records}条"
    if methods:
        text += f"，其中{'、'.join(methods)}"
    text += f"；本人下基层{report.grassroots}次"
    if report.grassroots_minimum is not None:
        text += f"（每人不少于{report.grassroots_minimum}次）"
    text += "。"
    greeting = report.greeting
    if greeting.scientists:
        # over several teams a scientist assigned to two of them counts twice: person-times
        unit = "人" if len(report.teams) == 1 else "人次"
        text += (
            f"所在专班年末在册科技工作者{greeting.scientists}{unit}，春节慰问{greeting.spring_festival}{unit}，"
            f"全国科技工作者日慰问{greeting.workers_day}{unit}。"
        )
    return text


def _results_paragraph(report: DutyReport) -> str:
    sentences = []
    demands = report.demands
    if demands.raised:
        sentences.append(
            f"记录科技工作者反映的诉求{demands.raised}件，已办结{demands.done}件，未办结{demands.open}件。"
        )
    if report.nominations:
        sentences.append(
            f"举荐科技工作者参评奖项{report.nominations}人次，其中获奖{report.nominations_awarded}人次。"
        )
    return "".join(sentences)


def _summary(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS] + "……"
    return tidy(text).rstrip("。；，、")


def _highlights_paragraph(report: DutyReport) -> str:
    listed = report.highlighted[:HIGHLIGHTS_LISTED]
    if not listed:
        return ""
    items = []
    for ordinal, record in zip(ORDINALS, listed, strict=False):
        targets = _names([t.target_name for t in record.targets.all()])
        item = f"{ordinal}是{record.date.month}月{record.date.day}日{record.get_method_display()}"
        if targets:
            item += f"（{targets}）"
        summary = _summary(record.summary)
        items.append(item + (f"，{summary}" if summary else ""))
    text = f"本年度重点工作：{'；'.join(items)}。"
    if len(report.highlighted) > len(listed):
        text += f"共{len(report.highlighted)}项，详见述职重点表。"
    return text


def draft_text(report: DutyReport) -> str:
    """The narrative drafted from the report's figures: two to four paragraphs, one per line."""
    parts = [
        _teams_paragraph(report),
        _work_paragraph(report),
        _results_paragraph(report),
        _highlights_paragraph(report),
    ]
    return "\n".join(p for p in parts if p)


def draft_assessment(report: DutyReport) -> str:
    """The self-assessment's start: the shortfalls the figures show (empty when there are none); what went
    well and the way forward are the person's to write."""
    items = []
    if report.grassroots_short:
        items.append(f"本人下基层{report.grassroots}次，未达到每人不少于{report.grassroots_minimum}次的要求")
    for part in report.led:
        shortfalls = part.review.data["shortfalls"]
        if shortfalls:
            items.append(f"牵头的{part.team.name}尚未达标（{'；'.join(tidy(s) for s in shortfalls)}）")
    return f"存在的不足：{'；'.join(items)}。" if items else ""


def signature_lines(report: DutyReport) -> list[str]:
    """The signature and date block closing the report (the date is written by hand when signed)."""
    return [SIGNATURE_LINE.format(name=report.staff.name), DATE_LINE]


@transaction.atomic
def narrative_save(*, narrative: DutyNarrative, draft: str, adopted: bool, by: User) -> DutyNarrative:
    """Keep the person's text (its version already claimed by the form). `draft` is the draft of the figures
    now; it becomes the text's basis on the first save and when the user took the new draft in."""
    if narrative.pk is None or adopted:
        narrative.basis = draft
    narrative.updated_by = by
    narrative.full_clean()
    narrative.save()
    return narrative
