"""Duty report pages: what the user sees (figures of the hand-built year of tests/reports/duty/test_duty.py), who may see
whose report, the evaluation workbook's gate, marking highlights and its refusals, fixed query counts."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db.models import F
from django.test import Client

from liaison.models import ContactRecord, Staff, TeamFigures, Year
from tests.conftest import count_queries
from tests.factories import PASSWORD
from tests.reports.duty.test_duty import HIGHLIGHT_SUMMARY, ZHANG_SENTENCE, build_duty_data, grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_duty_data()


def client_for(staff: Staff) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client


def page_url(staff: Staff, year: int = 2025, suffix: str = "") -> str:
    return f"/reports/duty/{year}/{staff.pk}/{suffix}"


def toggle_url(record: ContactRecord) -> str:
    return f"/reports/duty/records/{record.pk}/highlight/"


def highlighted(record: ContactRecord) -> bool:
    return ContactRecord.objects.values_list("highlighted", flat=True).get(pk=record.pk)


# --- the person's page ----------------------------------------------------------------------------------


def test_leadership_sees_a_persons_figures(leader_client, data):
    response = leader_client.get(page_url(data.zhang))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "张主席 · 2025 年度述职",
        ZHANG_SENTENCE,
        "2 / 3（67%）",  # 春节 greeting coverage
        "1 / 3（33%）",  # 科技工作者日
        "下基层 2 次，少 1 次",
        "未达标 · 1 项",
        HIGHLIGHT_SUMMARY,
    ):
        assert text in html, text
    assert response.context["report"].records == 5


def test_page_shows_records_by_month(leader_client, data):
    response = leader_client.get(page_url(data.zhang))
    methods = {row.label: row.total for row in response.context["report"].methods}
    assert methods == {"调查了解": 1, "开展座谈": 1, "看望慰问": 2, "参与活动": 1, "广泛交友": 0}
    assert 'data-testid="duty-months"' in response.content.decode()


def test_a_person_sees_their_own_report(data):
    response = client_for(data.li).get(page_url(data.li))
    assert response.status_code == 200
    assert response.context["report"].records == 2
    assert response.context["can_mark"] is True


def test_liaison_office_sees_everyones_and_may_mark(liaison_client, data):
    response = liaison_client.get(page_url(data.chen))
    assert response.status_code == 200
    assert response.context["can_mark"] is True


def test_leadership_reads_but_does_not_mark(leader_client, data):
    assert leader_client.get(page_url(data.zhang)).context["can_mark"] is False


def test_staff_opening_someone_elses_report_gets_404(staff_client, data):
    for suffix in ("", "pdf/", "xlsx/", "highlights/"):
        assert staff_client.get(page_url(data.zhang, suffix=suffix)).status_code == 404, suffix


def test_team_lead_and_member_cannot_open_each_others_report(data):
    assert client_for(data.li).get(page_url(data.chen)).status_code == 404
    assert client_for(data.chen).get(page_url(data.li)).status_code == 404


def test_outsider_gets_404_on_a_report_and_403_on_the_list(outsider_client, data):
    assert outsider_client.get(page_url(data.zhang)).status_code == 404
    assert outsider_client.get("/reports/duty/").status_code == 403


def test_anonymous_is_sent_to_login(client, data):
    for url in ("/reports/duty/", page_url(data.zhang), page_url(data.zhang, suffix="pdf/")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_unknown_year_or_person_is_404(leader_client, data):
    assert leader_client.get(page_url(data.zhang, year=2031)).status_code == 404
    assert leader_client.get("/reports/duty/2025/999999/").status_code == 404


def test_pages_answer_get_only(leader_client, data):
    assert leader_client.post(page_url(data.zhang)).status_code == 405


# --- the list of everyone -------------------------------------------------------------------------------


def test_list_shows_everyone_with_key_figures(liaison_client, data):
    response = liaison_client.get("/reports/duty/", {"year": 2025})
    assert response.status_code == 200
    rows = {row.staff.name: row for row in response.context["rows"]}
    assert {"张主席", "陈部长", "李干事", "刘联络"} <= set(rows)
    assert rows["张主席"].records == 5
    html = response.content.decode()
    assert f'href="/reports/duty/2025/{data.zhang.pk}/"' in html
    assert "/reports/duty/2025/summary.xlsx" in html


def test_list_defaults_to_this_year_or_the_latest(leader_client, data):
    response = leader_client.get("/reports/duty/")
    assert response.status_code == 200
    assert response.context["year"].year == 2025  # no 2026 in the data: the latest year


def test_staff_are_sent_to_their_own_report(data):
    response = client_for(data.li).get("/reports/duty/", {"year": 2025})
    assert response.status_code == 302
    assert response.url == page_url(data.li)


def test_list_without_any_year_is_empty_not_an_error(leader_client):
    response = leader_client.get("/reports/duty/")
    assert response.status_code == 200
    assert "还没有任何年度" in response.content.decode()


# --- files: gates and names -----------------------------------------------------------------------------


def test_files_are_attachments_with_chinese_names(leader_client, data):
    pdf = leader_client.get(page_url(data.zhang, suffix="pdf/"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote('张主席_2025年度述职报告.pdf')}" in pdf["Content-Disposition"]
    assert pdf["Content-Disposition"].startswith("attachment;")
    xlsx = leader_client.get(page_url(data.zhang, suffix="xlsx/"))
    assert xlsx.status_code == 200
    assert f"filename*=UTF-8''{quote('张主席_2025年度述职报告.xlsx')}" in xlsx["Content-Disposition"]
    summary = leader_client.get("/reports/duty/2025/summary.xlsx")
    assert summary.status_code == 200
    expected = quote("2025年度个人联系工作汇总（评先评优参考）.xlsx")
    assert f"filename*=UTF-8''{expected}" in summary["Content-Disposition"]


def test_a_person_downloads_their_own_files(data):
    client = client_for(data.li)
    assert client.get(page_url(data.li, suffix="pdf/")).status_code == 200
    assert client.get(page_url(data.li, suffix="xlsx/")).status_code == 200


@pytest.mark.parametrize("who", ["liaison_client", "leader_client", "admin_client_"])
def test_summary_workbook_for_leadership_liaison_and_admin(who, request, data):
    assert request.getfixturevalue(who).get("/reports/duty/2025/summary.xlsx").status_code == 200


def test_summary_workbook_refused_to_staff_and_outsiders(staff_client, outsider_client, data):
    assert staff_client.get("/reports/duty/2025/summary.xlsx").status_code == 403
    assert outsider_client.get("/reports/duty/2025/summary.xlsx").status_code == 403
    assert client_for(data.li).get("/reports/duty/2025/summary.xlsx").status_code == 403


# --- marking highlights ---------------------------------------------------------------------------------


def test_participant_marks_and_unmarks_a_record(data):
    client = client_for(data.zhang)
    r1, r5 = data.records["r1"], data.records["r5"]
    response = client.post(toggle_url(r1), {"highlighted": "1", "next": page_url(data.zhang)})
    assert response.status_code == 302
    assert response.url == page_url(data.zhang)
    assert highlighted(r1) is True
    client.post(toggle_url(r5), {"highlighted": "0"})
    assert highlighted(r5) is False
    client.post(toggle_url(r5))  # no wanted state: flips
    assert highlighted(r5) is True


def test_marking_twice_keeps_the_wanted_state(data):
    client = client_for(data.zhang)
    for _ in range(2):
        client.post(toggle_url(data.records["r3"]), {"highlighted": "1"})
    assert highlighted(data.records["r3"]) is True


def test_participant_of_another_teams_record_may_mark_it(data):
    """张主席 took part in r9 of 陈部长专班 without being a member: it is his record too."""
    assert (
        client_for(data.zhang).post(toggle_url(data.records["r9"]), {"highlighted": "1"}).status_code == 302
    )
    assert highlighted(data.records["r9"]) is True


def test_liaison_office_marks_anyones_record(liaison_client, data):
    assert liaison_client.post(toggle_url(data.records["r10"]), {"highlighted": "1"}).status_code == 302
    assert highlighted(data.records["r10"]) is True


def test_team_member_who_did_not_take_part_gets_403(data):
    """李干事 sees r3 (his team's) but did not take part in it."""
    assert client_for(data.li).post(toggle_url(data.records["r3"]), {"highlighted": "1"}).status_code == 403
    assert highlighted(data.records["r3"]) is False


def test_leadership_sees_but_does_not_mark_403(leader_client, data):
    assert leader_client.post(toggle_url(data.records["r3"]), {"highlighted": "1"}).status_code == 403


def test_someone_who_cannot_see_the_record_gets_404(staff_client, outsider_client, data):
    assert client_for(data.chen).post(toggle_url(data.records["r5"]), {"highlighted": "0"}).status_code == 404
    assert staff_client.post(toggle_url(data.records["r5"]), {"highlighted": "0"}).status_code == 404
    assert outsider_client.post(toggle_url(data.records["r5"]), {"highlighted": "0"}).status_code == 404
    assert highlighted(data.records["r5"]) is True


def test_deleted_and_draft_records_are_not_marked(data):
    client = client_for(data.zhang)
    assert client.post(toggle_url(data.records["r7"]), {"highlighted": "1"}).status_code == 404
    assert client.post(toggle_url(data.records["r6"]), {"highlighted": "1"}).status_code == 404


def test_archived_year_is_read_only(data):
    Year.objects.filter(pk=data.year.pk).update(status="archived")
    client = client_for(data.zhang)
    assert client.post(toggle_url(data.records["r1"]), {"highlighted": "1"}).status_code == 403
    assert client.get(page_url(data.zhang)).context["can_mark"] is False
    assert client.get(page_url(data.zhang, suffix="highlights/")).status_code == 403


def test_marking_needs_post(data):
    assert client_for(data.zhang).get(toggle_url(data.records["r1"])).status_code == 405


def test_anonymous_marking_goes_to_login(client, data):
    response = client.post(toggle_url(data.records["r1"]), {"highlighted": "1"})
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert highlighted(data.records["r1"]) is False


def test_unsafe_next_is_ignored(data):
    response = client_for(data.zhang).post(
        toggle_url(data.records["r1"]), {"highlighted": "1", "next": "https://evil.example/"}
    )
    assert response.url == "/reports/duty/"


def test_chooser_lists_the_persons_records_with_buttons(data):
    response = client_for(data.zhang).get(page_url(data.zhang, suffix="highlights/"))
    assert response.status_code == 200
    assert [r.date.isoformat() for r in response.context["page"].object_list] == [
        "2025-01-28",
        "2025-03-10",
        "2025-05-30",
        "2025-07-15",
        "2025-09-09",
    ]
    html = response.content.decode()
    assert html.count(">标为重点</button>") == 4
    assert html.count(">移出重点</button>") == 1


def test_chooser_refused_to_leadership_403(leader_client, data):
    assert leader_client.get(page_url(data.zhang, suffix="highlights/")).status_code == 403


# --- query counts ---------------------------------------------------------------------------------------


def test_page_and_list_run_a_fixed_number_of_queries(leader_client, data):
    urls = [
        page_url(data.zhang),
        page_url(data.li),
        "/reports/duty/?year=2025",
    ]

    def counts() -> list[int]:
        """Every team's stored figures out of date, then each page twice: recomputing and reading them."""
        TeamFigures.objects.update(version=F("version") + 1)
        cold = [count_queries(leader_client, url) for url in urls]
        return cold + [count_queries(leader_client, url) for url in urls]

    before = counts()
    grow(data)
    assert counts() == before


def test_summary_workbook_runs_a_fixed_number_of_queries(leader_client, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert leader_client.get("/reports/duty/2025/summary.xlsx").status_code == 200
        return len(context.captured_queries)

    before = queries()
    grow(data)
    assert queries() == before
