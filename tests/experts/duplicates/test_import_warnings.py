"""The workbook importer's dry run (and run) warns of 科技工作者 rows that look like a scientist in the
registry or like another new row of the same sheet — the finder's rules — on both of its paths, without
stopping the import (reports/workbook/imports/registries.py, ScientistSheet.warn_likely_duplicates)."""

from __future__ import annotations

import pytest

from experts.models import Scientist
from reports.workbook.imports import import_workbook
from tests.factories import ScientistFactory
from tests.reports.workbook.test_import_views import URL, upload
from tests.reports.workbook.workbooks import SCIENTIST_HEADER, TEAM_HEADER, xlsx

pytestmark = pytest.mark.django_db

FRONTLINE = "基层一线科技工作者"


def row(name: str, employer: str, *, mobile: str = "", born: str = "") -> list[str]:
    return [name, "", born, employer, "", "", "", "", FRONTLINE, mobile, "", ""]


def workbook(*, row_by_row: bool) -> bytes:
    sheets = {
        "科技工作者": [
            SCIENTIST_HEADER,
            row("孙新", "辽川市中心医院急诊科", mobile="13904110017"),  # row 2: like 孙立新 in the registry
            row("李静怡", "辽川市第一人民医院"),  # row 3
            row("李静仪", "辽川市第一人民医院心内科"),  # row 4: like row 3
            row(
                "孙立新", "辽川市中心医院", mobile="13904110017"
            ),  # row 5: updates 孙立新 (same name and employer)
            row("王伟", "沈北理工大学", born="1970-01-01"),  # row 6: like nobody
        ]
    }
    if row_by_row:
        sheets["专班"] = [
            TEAM_HEADER
        ]  # a sheet the set-wise path does not take (reports/workbook/imports/bulk.py)
    return xlsx(sheets)


@pytest.fixture
def registry(db):
    return ScientistFactory(name="孙立新", employer="辽川市中心医院", mobile="13904110017")


@pytest.mark.parametrize("row_by_row", [False, True], ids=["set-wise", "row by row"])
def test_both_paths_warn_of_the_same_rows_and_still_pass(registry, row_by_row):
    result = import_workbook(workbook(row_by_row=row_by_row), dry_run=True)
    assert result.ok
    assert [(w.sheet, w.row, w.column, w.value, w.letter) for w in result.warnings] == [
        ("科技工作者", 2, "姓名", "孙新", "A"),
        ("科技工作者", 4, "姓名", "李静仪", "A"),
    ]
    assert result.warnings[1].reason.startswith(
        "可能与本表第 3 行的“李静怡”（辽川市第一人民医院）是同一人（35 分：姓名拼音相同（lijingyi）、工作单位相近（86%））。"
    )
    assert result.warnings[0].reason.startswith(
        f"可能与已有的科技工作者“孙立新”（辽川市中心医院，编号 {registry.pk}）是同一人（65 分：手机号码相同、工作单位相近（82%））。"
    )
    assert Scientist.objects.count() == 1  # a dry run


@pytest.mark.parametrize("row_by_row", [False, True], ids=["set-wise", "row by row"])
def test_the_import_itself_still_runs(registry, row_by_row):
    """The warnings are the dry run's; the import writes the rows and leaves the pairs to the duplicates page."""
    result = import_workbook(workbook(row_by_row=row_by_row))
    assert result.written
    assert result.warnings == []
    assert Scientist.objects.count() == 5


def test_the_job_page_shows_the_warnings(registry, liaison_client):
    response = liaison_client.post(
        URL, {"file": upload(workbook(row_by_row=False)), "dry_run": "on"}, follow=True
    )
    text = response.content.decode()
    assert "检查通过" in text
    assert "提示：2 行可能与已有记录或本表其他行重复" in text
    assert "可能与已有的科技工作者“孙立新”" in text
