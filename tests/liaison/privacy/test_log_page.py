"""The page that reads the personal-data view log: who may read it, its filters, its .xlsx; the purge."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.personal_data import Kind, Person
from liaison.models import PersonalDataSubject, PersonalDataView
from liaison.privacy.log import purge, record_view
from tests.conftest import count_queries
from tests.factories import PASSWORD, StaffFactory
from tests.liaison.privacy.factories import admin_account

pytestmark = pytest.mark.django_db

URL = "/liaison/privacy/log/"
EXPORT = "/liaison/privacy/log.xlsx"


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def auditor():
    return admin_account("shenji", "安全审计员")


@pytest.fixture
def auditor_client(auditor) -> Client:
    return client_for(auditor)


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def entries(leader, dept_staff):
    """Three views: the leader saw 曾国华 on a detail page 40 days ago, the leader exported the whole registry
    today, the staff member saw 李青 and 王田 on the list 2 days ago."""
    first = record_view(
        user=leader.user,
        what="experts:detail",
        people=[Person(Kind.SCIENTIST, 1, "曾国华")],
        client_ip="10.0.0.1",
    )
    whole = record_view(user=leader.user, what="reports:io_export_scientists", everyone="全部科技工作者 9 人")
    listed = record_view(
        user=dept_staff.user,
        what="experts:list",
        people=[Person(Kind.SCIENTIST, 2, "李青"), Person(Kind.SCIENTIST, 3, "王田")],
    )
    PersonalDataView.objects.filter(pk=first.pk).update(at=at(40))
    PersonalDataView.objects.filter(pk=listed.pk).update(at=at(2))
    return {"first": first, "whole": whole, "listed": listed}


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [v.pk for v in response.context["page"].object_list]


class TestWhoMayRead:
    def test_the_auditor_and_the_head_of_the_liaison_office_read_it(
        self, auditor_client, liaison_client, entries
    ):
        for client in (auditor_client, liaison_client):  # liaison_officer is the office's 部长
            response = client.get(URL)
            assert len(shown(response)) == 3
            assert "个人信息查看记录" in response.content.decode()

    def test_ordinary_liaison_office_staff_are_refused(self, liaison_office):
        clerk = StaffFactory(user__username="keyuan", department=liaison_office)
        client = client_for(clerk.user)
        assert client.get(URL).status_code == 403
        assert client.get(EXPORT).status_code == 403

    @pytest.mark.parametrize("persona", ["leader_client", "staff_client", "outsider_client", "admin_client_"])
    def test_everyone_else_is_refused_a_superuser_too(self, request, persona):
        client = request.getfixturevalue(persona)
        assert client.get(URL).status_code == 403
        assert client.get(EXPORT).status_code == 403

    @pytest.mark.parametrize("group", ["系统管理员", "安全保密管理员"])
    def test_the_other_administrators_are_refused(self, group):
        client = client_for(admin_account("guanliyuan", group))
        assert client.get(URL).status_code == 403

    def test_the_auditor_must_not_be_a_working_account(self, dept_staff):
        """An auditor group on a staff account gives nothing (role from the Staff record: 三员分立)."""
        from django.contrib.auth.models import Group

        dept_staff.user.groups.add(Group.objects.get(name="安全审计员"))
        assert client_for(dept_staff.user).get(URL).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        assert client.get(URL)["Location"].startswith("/login/")

    def test_post_is_refused(self, auditor_client):
        assert auditor_client.post(URL).status_code == 405

    def test_the_nav_links_the_page_for_readers_only(self, auditor_client, staff_client):
        assert URL in auditor_client.get(URL).content.decode()
        assert URL not in staff_client.get(reverse("experts:list")).content.decode()


class TestFilters:
    def test_whose_by_name_pinyin_and_initials_includes_whole_registry_exports(self, auditor_client, entries):
        for query in ["曾国华", "zengguohua", "zgh"]:
            assert set(shown(auditor_client.get(URL, {"q": query}))) == {
                entries["first"].pk,
                entries["whole"].pk,
            }, query
        assert set(shown(auditor_client.get(URL, {"q": "wangtian"}))) == {
            entries["listed"].pk,
            entries["whole"].pk,
        }

    def test_who(self, auditor_client, entries):
        assert shown(auditor_client.get(URL, {"who": "陈干部"})) == [entries["listed"].pk]
        assert shown(auditor_client.get(URL, {"who": "lingdao"})) == [
            entries["whole"].pk,
            entries["first"].pk,
        ]

    def test_what(self, auditor_client, entries):
        assert shown(auditor_client.get(URL, {"what": "experts:list"})) == [entries["listed"].pk]

    def test_date_range(self, auditor_client, entries):
        start = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
        end = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        assert shown(auditor_client.get(URL, {"start": start, "end": end})) == [entries["listed"].pk]
        assert shown(auditor_client.get(URL, {"start": start})) == [entries["whole"].pk, entries["listed"].pk]

    def test_the_end_date_holds_its_whole_local_day(self, auditor_client, leader):
        late = record_view(user=leader.user, what="experts:list", people=[Person(Kind.SCIENTIST, 1, "甲")])
        early = record_view(user=leader.user, what="experts:list", people=[Person(Kind.SCIENTIST, 2, "乙")])
        day = timezone.localdate() - datetime.timedelta(days=5)
        PersonalDataView.objects.filter(pk=late.pk).update(
            at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
        )
        PersonalDataView.objects.filter(pk=early.pk).update(
            at=timezone.make_aware(
                datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 1))
            )
        )
        assert shown(auditor_client.get(URL, {"start": day.isoformat(), "end": day.isoformat()})) == [late.pk]

    def test_a_bad_date_gets_a_chinese_error_not_a_500(self, auditor_client, entries):
        response = auditor_client.get(URL, {"start": "2026-13-45"})
        assert response.status_code == 200
        assert "请输入有效的日期" in response.content.decode()

    def test_the_page_shows_label_summary_and_address(self, auditor_client, entries):
        text = auditor_client.get(URL).content.decode()
        assert "科技工作者详情" in text
        assert "李青、王田" in text
        assert "10.0.0.1" in text
        assert "王领导（lingdao）" in text
        assert "记录保留 180 天" in text

    def test_query_count_does_not_grow_with_rows(self, auditor_client, entries, leader):
        few = count_queries(auditor_client, URL)
        for i in range(30):
            record_view(user=leader.user, what="experts:list", people=[Person(Kind.SCIENTIST, i, f"人{i}")])
        assert count_queries(auditor_client, URL) == few


def test_the_export_holds_the_filtered_rows(auditor_client, entries):
    response = auditor_client.get(EXPORT, {"who": "lingdao"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "查看人", "用户名", "查看内容", "查看对象")
    assert [row[3] for row in rows[1:]] == ["导出科技工作者", "科技工作者详情"]
    assert rows[2][4] == "曾国华"
    assert rows[2][6] == "10.0.0.1"


class TestPurge:
    def test_the_purge_deletes_what_is_older_than_the_retention_period(self, entries):
        assert purge(days=30) == 1
        assert set(PersonalDataView.objects.values_list("pk", flat=True)) == {
            entries["whole"].pk,
            entries["listed"].pk,
        }
        assert sorted(PersonalDataSubject.objects.values_list("name", flat=True)) == ["李青", "王田"]

    @override_settings(PERSONAL_DATA_LOG_DAYS=180)
    def test_the_command_keeps_what_is_younger_than_the_setting(self, entries):
        out = io.StringIO()
        call_command("purge_access_log", stdout=out)
        assert PersonalDataView.objects.count() == 3
        assert "已删除 0 条" in out.getvalue()

    @override_settings(PERSONAL_DATA_LOG_DAYS=35)
    def test_the_command_reads_the_setting(self, entries):
        out = io.StringIO()
        call_command("purge_access_log", "--dry-run", stdout=out)
        assert "将删除 1 条" in out.getvalue()
        assert PersonalDataView.objects.count() == 3
        call_command("purge_access_log", stdout=out)
        assert "已删除 1 条" in out.getvalue()
        assert PersonalDataView.objects.count() == 2
        assert PersonalDataSubject.objects.count() == 2


def test_a_retention_under_six_months_is_refused_at_start():
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "kexie.settings.test",
            "DJANGO_PERSONAL_DATA_LOG_DAYS": "30",
            "PATH": "/usr/bin:/bin",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_PERSONAL_DATA_LOG_DAYS=30" in result.stderr
