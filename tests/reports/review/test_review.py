"""The year-end review: the JSON of docs/workbook.md on a hand-built year with known answers, the shared
figures behind it, and `manage.py review`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from liaison.compliance import figures
from liaison.plan import services as plans
from reports.review.services import build_review
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.review.factories import EXPECTED_REVIEW, build_review_data, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_review_data()


def test_review_gives_the_known_answers(data):
    assert build_review(data.year) == EXPECTED_REVIEW


def test_review_is_plain_json(data):
    review = build_review(data.year)
    assert json.loads(json.dumps(review)) == review


class TestFigures:
    def test_contacted_counts_per_team_and_category(self, data):
        counts = figures.contacted_counts(data.year)
        assert counts[data.wang.pk] == {"district": 1}
        assert counts[data.li.pk] == {"district": 3}
        assert counts[data.chen.pk] == {"society": 1, "frontline": 1, "": 1}

    def test_grassroots_visits_count_completed_records_only(self, data):
        assert figures.grassroots_visits(data.year) == {data.wang.pk: 2, data.li.pk: 1, data.chen.pk: 1}

    def test_open_demands_skip_closed_ones_and_deleted_records(self, data):
        assert figures.open_demands(data.year) == {data.wang.pk: 2}

    def test_last_years_contact_does_not_count_this_year(self, data):
        from liaison.models import Year

        last = figures.contacted_counts(Year.objects.get(year=2024))
        assert sum(n for team in last.values() for n in team.values()) == 1
        assert figures.uncontacted_targets(data.year).get(data.chen.pk) is None

    def test_a_year_without_anything_has_empty_figures(self, db):
        year = plans.year_create(year=2030)
        assert figures.contacted_counts(year) == {}
        assert figures.uncontacted_targets(year) == {}
        assert figures.grassroots_visits(year) == {}
        assert figures.open_demands(year) == {}
        assert build_review(year) == {"year": 2030, "teams": []}


def test_review_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries, data, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        build_review(data.year)
    for i in range(6):
        team = make_team(data.year, make_leader(f"新领导{i}"), members=[data.author])
        target = OrganizationFactory(kind="district")
        plans.assignment_add(team=team, by=None, organization=target)
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory())
        record(team, data.year.first_day.replace(month=2), data.author, [target])
    with django_assert_num_queries(len(few.captured_queries)):
        build_review(data.year)


class TestCommand:
    def test_json_is_exactly_the_review(self, data):
        out = io.StringIO()
        call_command("review", "2025", "--json", stdout=out)
        assert json.loads(out.getvalue()) == EXPECTED_REVIEW

    def test_table_is_readable_chinese(self, data):
        out = io.StringIO()
        call_command("review", "2025", stdout=out)
        text = out.getvalue()
        assert text.startswith("2025 年度考评：3 个专班，达标 1 个，未达标 2 个")
        assert "1. 王主席专班（领导专班，负责人 wangzhuxi）：未达标" in text
        assert "3. 陈部长专班（部室专班，负责人 chenbuzhang）：达标" in text
        assert "全年未联系：沈河区科协、李专家、张院士" in text
        assert "下基层 2 次（最少 2 次）；待办诉求 2 件" in text
        assert "× 下基层 1 次，少 1 次" in text
        assert "2–3" not in text  # the cut-down rules of this year, not the seed's
        assert "1–2" in text

    def test_unknown_year_is_a_chinese_error(self, db):
        with pytest.raises(CommandError, match="没有 1999 年度"):
            call_command("review", "1999")
