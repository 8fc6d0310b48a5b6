"""The demo is loaded through the importer from fixtures/demo_workbook.xlsx (`manage.py seed_demo`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from demo.data import build_demo_data
from demo.seed import DEMO_WORKBOOK, DemoWorkbookError, seed_demo, write_demo_workbook
from liaison.models import Department
from orgs.models import Organization
from reports.workbook.imports import import_workbook
from tests.reports.workbook.workbooks import read, xlsx

pytestmark = pytest.mark.django_db


def test_the_committed_demo_workbook_is_current():
    """Someone changed demo/data.py without `manage.py demo_workbook`? Then this fails."""
    fresh = io.BytesIO()
    write_demo_workbook(fresh)
    assert read(DEMO_WORKBOOK.read_bytes()) == read(fresh.getvalue())


def test_the_demo_workbook_has_the_demo_registries():
    data = build_demo_data()
    sheets = read(DEMO_WORKBOOK.read_bytes())
    assert list(sheets) == ["组织", "科技工作者", "干部"]
    assert len(sheets["组织"]) - 1 == len(data.organizations)
    assert len(sheets["科技工作者"]) - 1 == len(data.scientists)
    assert len(sheets["干部"]) - 1 == len(data.staff)


def test_the_demo_workbook_imports_cleanly_into_an_empty_database():
    result = import_workbook(DEMO_WORKBOOK.read_bytes(), dry_run=True)
    assert result.ok, [str(p) for p in result.problems[:5]]
    data = build_demo_data()
    assert [(name, c.created) for name, c in result.sheets] == [
        ("组织", len(data.organizations)),
        ("科技工作者", len(data.scientists)),
        ("干部", len(data.staff)),
    ]


def test_a_bad_demo_workbook_stops_the_seed_and_writes_nothing():
    bad = xlsx({"组织": [["名称", "类别"], ["和平区科协", "不存在的类别"]]})
    with pytest.raises(DemoWorkbookError, match="demo_workbook"):
        seed_demo(workbook=bad)
    assert not Organization.objects.exists()
    assert not Department.objects.exists()


def test_the_command_writes_the_workbook(tmp_path):
    target = tmp_path / "demo.xlsx"
    call_command("demo_workbook", "--output", str(target), stdout=io.StringIO())
    assert read(target.read_bytes()) == read(DEMO_WORKBOOK.read_bytes())
