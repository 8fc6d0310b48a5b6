"""The duty report's files carry the kept text (述职正文), the self-assessment and the signature block: the PDF
(through pdftotext), the Word file (read back with python-docx, and converted by LibreOffice Writer to PDF
whose text pdftotext reads) and the workbook's 述职正文 table. Figures as in tests/reports/duty/test_duty.py.

LibreOffice Writer (Debian's libreoffice-writer-nogui) is installed by `scripts/setup.sh --test`; without it
the conversion test skips, and fails under CI=true (tests/xlsx_strict.py's rule).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from docx import Document

from reports.duty.docx import duty_docx_bytes
from reports.duty.models import DutyNarrative
from reports.duty.narrative import draft_text, paragraphs
from reports.duty.pdf import duty_pdf_bytes
from reports.duty.services import duty_report
from reports.duty.xlsx import duty_workbook_bytes
from tests.reports.duty.test_duty import HIGHLIGHT_SUMMARY, ZHANG_SENTENCE, build_duty_data
from tests.reports.duty.test_duty_files import pdf_text, sheet_rows, squeeze
from tests.xlsx_strict import _missing, soffice_convert

pytestmark = pytest.mark.django_db

KEPT = "本人牵头张主席专班，全年走访基层科协2家、院士专家3名。\n下一步继续做好联系服务工作。"
ASSESSMENT = "下基层次数尚未达到要求，明年每季度至少走访一次。"


def kept_report(data):
    narrative = DutyNarrative(staff=data.zhang, year=data.year, text=KEPT, self_assessment=ASSESSMENT)
    narrative.save()
    return duty_report(data.zhang, data.year)


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def docx_cells(content: bytes) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in Document(io.BytesIO(content)).tables for row in t.rows]


def test_pdf_carries_the_kept_text_and_the_signature(db):
    data = build_duty_data()
    text = pdf_text(duty_pdf_bytes(kept_report(data)))
    for needle in (
        "一、工作总结",
        *paragraphs(KEPT),
        "二、自我评价与努力方向",
        ASSESSMENT,
        ZHANG_SENTENCE,  # the figures follow
        "述职人：张主席",
        "日期：＿＿＿＿年＿＿月＿＿日",
    ):
        assert squeeze(needle) in text, needle
    assert "按照市科协联系科技工作者工作安排" not in text  # not the draft: the kept text
    assert text.index(squeeze("述职人：张主席")) > text.index(squeeze(HIGHLIGHT_SUMMARY))  # signed at the end


def test_pdf_without_a_kept_text_carries_the_draft(db):
    data = build_duty_data()
    report = duty_report(data.zhang, data.year)
    text = pdf_text(duty_pdf_bytes(report))
    for paragraph in paragraphs(draft_text(report)):
        assert squeeze(paragraph) in text, paragraph
    assert squeeze("存在的不足：牵头的张主席专班尚未达标（下基层2次，少1次）。") in text


def test_word_file_reads_back(db):
    data = build_duty_data()
    content = duty_docx_bytes(kept_report(data))
    texts = docx_paragraphs(content)
    assert texts[0] == "2025年度联系科技工作者工作述职报告"
    assert texts[1] == "张主席 · 副主席"
    start = texts.index("一、工作总结")
    assert texts[start + 1 : start + 4] == [*paragraphs(KEPT), "二、自我评价与努力方向"]
    assert texts[start + 4] == ASSESSMENT
    assert ZHANG_SENTENCE in texts
    assert "七、牵头专班达标情况" in texts
    assert "八、述职重点" in texts
    assert texts[-2:] == ["述职人：张主席", "日期：＿＿＿＿年＿＿月＿＿日"]
    cells = docx_cells(content)
    assert ["参加联系记录", "5 条"] in cells
    assert ["春节慰问覆盖", "2 / 3（67%）"] in cells
    assert ["看望慰问", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "2"] in cells
    assert ["2025-07-15", "张主席专班", "开展座谈", "赵院士、钱教授、孙研究员", HIGHLIGHT_SUMMARY] in cells
    assert ["区县(市)科协", "2", "2", "1–2"] in cells
    assert ["知名专家/高层次人才", "3", "3", "≥ 1"] in cells


def test_word_file_download(db):
    from django.test import Client

    from tests.factories import PASSWORD

    data = build_duty_data()
    kept_report(data)
    client = Client()
    assert client.login(username=data.zhang.user.username, password=PASSWORD)
    response = client.get(f"/reports/duty/2025/{data.zhang.pk}/docx/")
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "filename*=UTF-8''%E5%BC%A0%E4%B8%BB%E5%B8%AD_2025" in response["Content-Disposition"]
    assert paragraphs(KEPT)[0] in docx_paragraphs(response.content)


@pytest.mark.libreoffice
def test_libreoffice_writer_opens_the_word_file(db):
    soffice = shutil.which("soffice")
    program = Path(soffice).resolve().parent if soffice else None
    if soffice is None or not any(program.glob("libswlo.so*")):
        _missing("LibreOffice Writer (Debian's libreoffice-writer-nogui)")
    data = build_duty_data()
    content = duty_docx_bytes(kept_report(data))
    with tempfile.TemporaryDirectory() as tmp:
        out = soffice_convert({"duty": content}, Path(tmp), "pdf", suffix=".docx")
        pdf = (out / "duty.pdf").read_bytes()
    text = pdf_text(pdf)
    for needle in (*paragraphs(KEPT), ASSESSMENT, ZHANG_SENTENCE, HIGHLIGHT_SUMMARY, "述职人：张主席"):
        assert squeeze(needle) in text, needle


def test_workbook_has_the_text_as_a_table(db):
    data = build_duty_data()
    content = duty_workbook_bytes(kept_report(data))
    rows = sheet_rows(content, "述职正文")
    assert rows == [
        ("部分", "内容"),
        ("工作总结", paragraphs(KEPT)[0]),
        ("工作总结", paragraphs(KEPT)[1]),
        ("自我评价与努力方向", ASSESSMENT),
        ("签署", "述职人：张主席"),
        ("签署", "日期：＿＿＿＿年＿＿月＿＿日"),
    ]
