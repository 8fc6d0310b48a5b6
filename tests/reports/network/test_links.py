"""The year's network (reports/network/links.py) and `manage.py network`, on the hand-built case of
factories.py: the JSON exactly as docs/workbook.md says, worked out by hand."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.network import links
from tests.factories import ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.network.factories import build_case

pytestmark = pytest.mark.django_db

EXPECTED = {
    "year": 2025,
    "scientists": [
        {
            "name": "王五",
            "employer": "辽川化工厂",
            "points": [],
            "lines": [],
            "surfaces": [{"organization": "化工学会", "officer": "赵秘书", "post": "秘书长"}],
        },
        {
            "name": "张三",
            "employer": "辽川大学",
            "points": ["王主席专班"],
            "lines": ["科普部长专班"],
            "surfaces": [{"organization": "机械工程学会", "officer": "孙主席", "post": "主席"}],
        },
    ],
    "unlinked": [{"name": "陈六", "employer": "辽川农科院"}, {"name": "李四", "employer": "辽川医院"}],
}


def _network_json(year: int) -> dict:
    out = StringIO()
    call_command("network", str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_json_is_worked_out_by_hand():
    build_case()
    assert _network_json(2025) == EXPECTED


def test_the_json_keeps_chinese_as_is():
    build_case()
    out = StringIO()
    call_command("network", "2025", "--json", stdout=out)
    assert "张三" in out.getvalue()


def test_the_text_summary_counts_and_names():
    build_case()
    out = StringIO()
    call_command("network", "2025", stdout=out)
    text = out.getvalue()
    assert (
        text.splitlines()[0]
        == "2025 年度联系网络（点、线、面）：在册科技工作者 4 人，有联系 2 人，无任何联系 2 人"
    )
    assert "2. 张三（辽川大学）：点 王主席专班；线 科普部长专班；面 机械工程学会主席孙主席" in text
    assert "  李四（辽川医院）" in text


def test_a_year_that_does_not_exist_is_a_chinese_error():
    with pytest.raises(CommandError, match="没有 2031 年度"):
        call_command("network", "2031", "--json", stdout=StringIO())


def test_the_page_counts_read_the_same_links():
    case = build_case()
    summary = links.summarize(case.year)
    assert summary.active == 4
    assert summary.by_count == {"0": 2, "1": 1, "2": 0, "3+": 1}
    assert summary.by_layers == {
        "点线面": 1,
        "点线": 0,
        "点面": 0,
        "线面": 0,
        "点": 0,
        "线": 0,
        "面": 1,
        "": 2,
    }
    assert set(links.unlinked_scientists(case.year)) == {case.li, case.chen}
    assert links.linked_ids_where(case.year, links="3+") == {case.zhang.pk}
    assert links.linked_ids_where(case.year, layers="面") == {case.wang.pk}


def test_one_scientists_links():
    case = build_case()
    found = links.links_of(case.year, case.zhang)
    assert (found.points, found.lines, found.count) == (["王主席专班"], ["科普部长专班"], 3)
    assert links.links_of(case.year, case.chen).count == 0


def test_the_current_year_counts_assignments_in_force_today(settings):
    """An assignment still in force in the current year links; its team is named as the review names it."""
    from django.utils import timezone

    from liaison.plan import services as plans
    from tests.liaison.plan.factories import make_year

    year = make_year(timezone.localdate().year)
    team = make_team(year, make_leader("李副主席", "lifuzhuxi"))
    scientist = ScientistFactory(name="赵工")
    plans.assignment_add(team=team, by=None, scientist=scientist)
    assert _network_json(year.year)["scientists"][0]["points"] == ["李副主席专班"]


def test_queries_do_not_grow_with_the_data():
    case = build_case()
    with CaptureQueriesContext(connection) as small:
        links.build_network(case.year)
        links.summarize(case.year)
    for i in range(30):
        scientist = ScientistFactory(name=f"新人{i}")
        from liaison.plan import services as plans

        plans.assignment_add(team=case.leader_team, by=None, scientist=scientist)
    with CaptureQueriesContext(connection) as large:
        network = links.build_network(case.year)
        links.summarize(case.year)
    assert len(network["scientists"]) == 32
    assert len(large.captured_queries) == len(small.captured_queries) == 5  # 3 for the JSON, 2 for the counts
