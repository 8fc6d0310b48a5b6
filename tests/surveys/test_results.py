"""Results and export (surveys/results.py) worked out by hand: three submitted questionnaires and a draft.

甲: single 0 (高校), multiple [0, 2], scale 4, number 50, short "政策解读"
乙: single 0 (高校), multiple [1],    scale 5, number 40, long "多组织交流"
丙: single 2 (企业), multiple [0],    scale 2, number 61.5
丁 (draft): single 1 — drafts count for nothing
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import load_workbook

from surveys import results
from surveys.models import InvitationState
from tests.factories import ScientistFactory, today
from tests.liaison.plan.factories import make_leader, make_team, make_year
from tests.surveys.factories import answer, invite, make_survey
from tests.xlsx_strict import assert_strict, libreoffice_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = make_survey()
    team = make_team(make_year(today().year), make_leader("王主席"))
    people = [ScientistFactory(name=n, employer=f"{n}单位") for n in ["甲", "乙", "丙", "丁", "戊"]]
    from liaison.plan import services as plans

    for person in people[:2]:
        plans.assignment_add(
            team=team, by=None, scientist=person, start_date=datetime.date(today().year, 1, 1)
        )
    first, second, third, draft, _pending = invite(survey, *people)
    answer(first, single=0, multiple=[0, 2], scale=4, number=50, short="政策解读")
    answer(second, single=0, multiple=[1], scale=5, number=40, long="多组织交流")
    answer(third, single=2, multiple=[0], scale=2, number=Decimal("61.5"))
    answer(draft, submit=False, single=1)
    return survey


def test_counts_percentages_and_statistics(survey):
    submitted, found = results.survey_results(survey)
    assert submitted == 3
    single, multiple, scale, number, short, long_ = found
    assert [(o.label, o.count, o.percent) for o in single.options] == [
        ("高校", 2, 66.7),
        ("科研院所", 0, 0.0),  # the draft's answer is not counted
        ("企业", 1, 33.3),
    ]
    assert [(o.label, o.count) for o in multiple.options] == [("经费", 2), ("住房", 1), ("子女教育", 1)]
    assert [(o.label, o.count) for o in scale.options] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 1)]
    assert scale.stats == {"count": 3, "min": 2, "median": 4, "max": 5}
    assert number.stats == {"count": 3, "min": 40, "median": 50, "max": Decimal("61.50")}
    assert (short.answered, short.texts) == (1, ["政策解读"])
    assert (long_.answered, long_.texts) == (1, ["多组织交流"])
    assert single.answered == 3


def test_progress_per_team(survey):
    rows = results.progress(survey)
    assert [(r.name, r.invited, r.pending, r.draft, r.submitted) for r in rows] == [
        ("王主席专班", 2, 0, 0, 2),
        ("无负责专班", 3, 1, 1, 1),
    ]
    total = results.totals(rows)
    assert (total.invited, total.draft, total.submitted) == (5, 1, 3)


def test_free_text_is_listed_newest_first(survey):
    long_question = survey.questions.get(kind="long")
    assert [a.text for a in results.text_answers(survey, long_question)] == ["多组织交流"]


def test_the_export_reads_back(survey):
    buffer = io.BytesIO()
    results.write_export(survey, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["答卷", "统计"]
    rows = list(book["答卷"].iter_rows(values_only=True))
    assert rows[0][:6] == (
        "科技工作者",
        "工作单位",
        "负责专班",
        "填写方式",
        "提交时间",
        "1. 您的工作单位类型",
    )
    assert len(rows) == 4  # header and the three submitted, never the draft
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["甲"][1:4] == ("甲单位", "王主席专班", "联系时填写")
    assert by_name["甲"][5:] == ("高校", "经费、子女教育", 4, 50, "政策解读", None)
    assert by_name["丙"][2] is None  # no responsible team
    assert by_name["丙"][5:10] == ("企业", "经费", 2, 61.5, None)
    counts = list(book["统计"].iter_rows(values_only=True))
    assert counts[0] == ("题目", "题型", "选项", "人数", "占已提交 %")
    assert ("1. 您的工作单位类型", "单选", "高校", 2, 66.7) in counts
    assert ("4. 每周平均工作时长（小时）", "数字", "中位数", 50, None) in counts
    assert ("6. 其他意见和建议", "详答", "作答人数", 1, 33.3) in counts
    assert survey.invitations.filter(state=InvitationState.DRAFT).count() == 1


def test_the_export_from_its_page_is_a_strict_xlsx_download(survey, liaison_client):
    response = liaison_client.get(f"/surveys/{survey.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    assert_strict(data)
    assert load_workbook(io.BytesIO(data))["答卷"].max_row == 4


@pytest.mark.libreoffice
def test_libreoffice_reads_the_export_as_openpyxl_does(survey):
    buffer = io.BytesIO()
    results.write_export(survey, buffer)
    data = buffer.getvalue()
    read = libreoffice_text({"survey": data})["survey"]
    book = load_workbook(io.BytesIO(data))
    assert sorted(read) == sorted(book.sheetnames)
    for sheet in book.worksheets:
        expected = [[shown(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        assert trimmed(read[sheet.title]) == trimmed(expected), sheet.title


def shown(value) -> str:
    """A cell as a spreadsheet shows it: 0.0 as 0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def trimmed(rows) -> list[list[str]]:
    """Without trailing empty cells (a CSV row has no width of its own)."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    return out
