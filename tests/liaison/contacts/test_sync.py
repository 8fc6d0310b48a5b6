"""The phone's sync endpoint (liaison/contacts/sync.py), its cached data, the visit's location and the list by
county/township: what the phone is answered, what is stored (exactly once), refusals."""

from __future__ import annotations

import datetime
import json
import re
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from liaison.models import Attachment, ContactRecord
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.conftest import count_queries
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SYNC = "/liaison/records/sync/"


@pytest.fixture
def year():
    return make_year(today().year)


@pytest.fixture
def team(year, dept_staff):
    return make_team(year, make_leader("王主席"), members=[dept_staff])


@pytest.fixture
def other_team(year):
    return make_team(year, make_leader("李副主席"), members=[StaffFactory(name="孙干部")])


def _visit(team, key=None, **extra) -> dict:
    data = {
        "client_key": str(key or uuid.uuid4()),
        "team": team.pk,
        "date": today().isoformat(),
        "method": "survey",
        "channel": "visit",
        "grassroots": "on",
        "place": "新民村",
        "summary": "走访村科协，了解大棚技术需求",
        "demands-TOTAL_FORMS": "1",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "10",
        "demands-0-kind": "difficulty",
        "save": "",
    }
    data.update(extra)
    return data


LOCATION = {
    "latitude": "41.805699",
    "longitude": "123.431472",
    "accuracy": "15",
    "located_at": "2026-03-02T01:30:00.000Z",  # what the phone sends: UTC, ISO 8601
}


class TestSend:
    def test_a_visit_with_photo_and_location_is_saved_once(self, staff_client, team, dept_staff):
        target = org(OrgKind.SOCIETY)
        key = uuid.uuid4()
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        first = staff_client.post(
            SYNC, _visit(team, key, targets=[f"org:{target.pk}"], attachments=[photo], **LOCATION)
        )
        assert first.status_code == 201
        record = ContactRecord.objects.get()
        assert first.json() == {
            "status": "created",
            "id": record.pk,
            "url": f"/liaison/records/{record.pk}/",
            "message": f"已保存联系记录（{today():%Y-%m-%d} 调查了解）。",
        }
        assert record.client_key == key
        assert record.author == dept_staff
        assert [t.organization for t in record.targets.all()] == [target]
        assert (str(record.latitude), str(record.longitude), record.accuracy) == (
            "41.805699",
            "123.431472",
            15,
        )
        assert record.located_at == datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)
        assert Attachment.objects.get().original_name == "现场.png"

        # the answer was lost: the phone sends it again, with its photo
        again = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        second = staff_client.post(SYNC, _visit(team, key, targets=[f"org:{target.pk}"], attachments=[again]))
        assert second.status_code == 200
        assert second.json()["status"] == "exists"
        assert second.json()["id"] == record.pk
        assert ContactRecord.objects.count() == 1
        assert Attachment.objects.count() == 1

        # the record page shows where and when (Beijing time)
        page = staff_client.get(record.get_absolute_url()).content.decode()
        assert "记录时的位置" in page
        assert "纬度 41.80570，经度 123.43147" in page
        assert "精度约 15 米" in page
        assert "定位于 2026-03-02 09:30" in page

    def test_the_page_refuses_the_same_things_in_the_same_words(self, staff_client, team):
        target = org()
        key = uuid.uuid4()
        response = staff_client.post(SYNC, _visit(team, key, summary="", targets=[f"org:{target.pk}"]))
        assert response.status_code == 422
        body = response.json()
        assert body["status"] == "rejected"
        assert body["errors"] == [
            {"field": "summary", "label": "情况摘要", "messages": ["请填写情况摘要（存草稿时可暂不填写）。"]}
        ]
        assert not ContactRecord.objects.exists()
        # corrected and sent again under the same key: saved
        fixed = staff_client.post(SYNC, _visit(team, key, targets=[f"org:{target.pk}"]))
        assert fixed.status_code == 201
        assert ContactRecord.objects.get().client_key == key

    def test_a_draft_is_a_draft(self, staff_client, team):
        response = staff_client.post(
            SYNC, _visit(team, summary="", targets=[f"org:{org().pk}"], save_draft="1")
        )
        assert response.status_code == 201
        assert ContactRecord.objects.get().status == "draft"

    def test_a_demand_raised_in_the_visit_comes_with_it(self, staff_client, team):
        scientist = ScientistFactory(name="周研究员")
        response = staff_client.post(
            SYNC,
            _visit(team, targets=[f"sci:{scientist.pk}"], **{"demands-0-text": "实验室用电容量不足"}),
        )
        assert response.status_code == 201
        demand = ContactRecord.objects.get().demands.get()
        assert (demand.text, demand.raised_by_scientist) == ("实验室用电容量不足", scientist)

    def test_a_demand_error_is_named_with_its_number(self, staff_client, team):
        response = staff_client.post(
            SYNC,
            _visit(
                team, targets=[f"org:{org().pk}"], **{"demands-0-text": "x", "demands-0-kind": "nonsense"}
            ),
        )
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "demands-0-kind"
        assert error["label"] == "诉求 1 · 类别"

    def test_a_partial_or_impossible_location_is_refused(self, staff_client, team):
        target = f"org:{org().pk}"
        partial = staff_client.post(SYNC, _visit(team, targets=[target], latitude="41.8"))
        assert partial.status_code == 422
        assert partial.json()["errors"][0]["messages"] == [
            "位置信息不完整，请重新勾选“记录当前位置”或取消勾选。"
        ]
        wrong = staff_client.post(SYNC, _visit(team, targets=[target], **{**LOCATION, "latitude": "95"}))
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["messages"] == ["位置信息无效，请重新勾选“记录当前位置”或取消勾选。"]
        garbage = staff_client.post(
            SYNC, _visit(team, targets=[target], **{**LOCATION, "located_at": "昨天"})
        )
        assert garbage.status_code == 422
        assert not ContactRecord.objects.exists()

    def test_editing_a_located_record_on_the_page_keeps_its_location(self, staff_client, team, dept_staff):
        record = log(
            team,
            dept_staff,
            [org()],
            latitude="41.805699",
            longitude="123.431472",
            accuracy=15,
            located_at=datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC),
        )
        url = reverse("liaison:record_edit", args=[record.pk])
        page = staff_client.get(url).content.decode()
        hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
        assert {k: hidden[k] for k in ("latitude", "longitude", "accuracy")} == {
            "latitude": "41.805699",
            "longitude": "123.431472",
            "accuracy": "15",
        }
        data = _visit(team, summary="改过的摘要", targets=[f"org:{record.targets.get().organization_id}"])
        data.pop("client_key")
        data.update({k: v for k, v in hidden.items() if k != "csrfmiddlewaretoken"})
        response = staff_client.post(url, data)
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.summary == "改过的摘要"
        assert (str(record.latitude), record.accuracy) == ("41.805699", 15)
        assert record.located_at == datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)


class TestRefusals:
    def test_an_expired_session_is_told_in_json_not_sent_to_login(self, client, team):
        for response in (client.get(SYNC), client.post(SYNC, _visit(team))):
            assert response.status_code == 401
            assert response.json() == {
                "status": "login",
                "message": "登录已过期，请重新登录，待同步的记录会在登录后发送。",
            }
        assert not ContactRecord.objects.exists()

    def test_an_account_without_staff_record_logs_nothing(self, outsider_client, team):
        response = outsider_client.post(SYNC, _visit(team))
        assert response.status_code == 403
        assert response.json()["status"] == "forbidden"
        assert outsider_client.get(reverse("liaison:record_offline_data")).status_code == 403
        assert not ContactRecord.objects.exists()

    def test_another_teams_visit_is_refused(self, staff_client, other_team):
        response = staff_client.post(SYNC, _visit(other_team, targets=[f"org:{org().pk}"]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "team"
        assert not ContactRecord.objects.exists()

    def test_a_key_of_someone_elses_record_is_a_conflict_not_a_leak(self, staff_client, team, other_team):
        stranger = other_team.members.first()
        theirs = log(other_team, stranger, [org()])
        theirs.client_key = uuid.uuid4()
        theirs.save(update_fields=["client_key"])
        response = staff_client.post(SYNC, _visit(team, theirs.client_key, targets=[f"org:{org().pk}"]))
        assert response.status_code == 409
        assert "id" not in response.json()
        assert ContactRecord.objects.count() == 1

    def test_a_send_without_a_key_is_refused(self, staff_client, team):
        response = staff_client.post(SYNC, _visit(team, client_key="not-a-uuid"))
        assert response.status_code == 400
        assert not ContactRecord.objects.exists()

    def test_csrf_stays_on_and_get_gives_a_fresh_token(self, dept_staff, team):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(dept_staff.user)
        visit = _visit(team, targets=[f"org:{org().pk}"])
        assert browser.post(SYNC, visit).status_code == 403
        assert not ContactRecord.objects.exists()
        ready = browser.get(SYNC).json()
        assert ready["status"] == "ready"
        assert ready["user"] == dept_staff.user.username
        assert browser.post(SYNC, visit, headers={"X-CSRFToken": ready["csrf"]}).status_code == 201


class TestOfflineData:
    def test_teams_targets_and_people_of_the_user_only(self, staff_client, team, other_team, dept_staff):
        society = org(OrgKind.SOCIETY, name="市机械工程学会")
        plans.assignment_add(team=team, by=None, organization=society)
        plans.assignment_add(team=other_team, by=None, organization=org(name="别的学会"))
        data = staff_client.get(reverse("liaison:record_offline_data")).json()
        assert data["user"] == dept_staff.user.username
        assert data["me"] == dept_staff.pk
        [mine] = data["teams"]
        assert mine["id"] == team.pk
        assert mine["targets"] == [
            {"value": f"org:{society.pk}", "name": "市机械工程学会", "label": "市级学会(协会、研究会)"}
        ]
        assert sorted(p["name"] for p in mine["people"]) == sorted(["王主席", dept_staff.name])
        # names only: nothing personal beyond what the form shows (no phones, no emails)
        assert set(mine) == {"id", "label", "targets", "people"}
        assert all(set(p) == {"id", "name"} for p in mine["people"])

    def test_query_count_does_not_grow_with_teams(self, admin_client_, year):
        url = reverse("liaison:record_offline_data")
        make_team(year, make_leader("甲"), members=[StaffFactory()])
        few = count_queries(admin_client_, url)
        for name in ("乙", "丙", "丁"):
            team = make_team(year, make_leader(name), members=[StaffFactory(), StaffFactory()])
            plans.assignment_add(team=team, by=None, organization=org())
        assert count_queries(admin_client_, url) == few


class TestLocations:
    def test_visits_by_county_and_township_show_which_carried_a_location(
        self, liaison_client, staff_client, team, dept_staff
    ):
        county = OrganizationFactory(kind=OrgKind.DISTRICT, name="新民市科协")
        town = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="兴隆镇科协", parent=county)
        village = OrganizationFactory(kind=OrgKind.VILLAGE, name="新民村科协", parent=town)
        located = log(
            team,
            dept_staff,
            [village],
            latitude="41.9",
            longitude="122.8",
            located_at=datetime.datetime(2026, 1, 5, 2, 0, tzinfo=datetime.UTC),
        )
        log(team, dept_staff, [town])
        own = log(team, dept_staff, [county])
        page = liaison_client.get(reverse("liaison:record_locations"))
        rows = [(g["county"], g["township"], g["records"], g["located"]) for g in page.context["groups"]]
        assert rows == [("新民市科协", "", 1, 0), ("新民市科协", "兴隆镇科协", 2, 1)]

        chosen = liaison_client.get(
            reverse("liaison:record_locations"), {"county": county.pk, "township": town.pk, "located": "1"}
        )
        assert [r.pk for r in chosen.context["page"].object_list] == [located.pk]
        assert "纬度 41.90000，经度 122.80000" in chosen.content.decode()
        # the county's own row: its records naming no township
        county_row = liaison_client.get(
            reverse("liaison:record_locations"), {"county": county.pk, "township": 0}
        )
        assert [r.pk for r in county_row.context["page"].object_list] == [own.pk]
        assert "未记录位置" in county_row.content.decode()

    def test_the_row_under_no_county_opens_its_records(self, liaison_client, team, dept_staff):
        """A city-level society (no county): its row is last, and its 查看记录 (county=0) lists its records only."""
        county = OrganizationFactory(kind=OrgKind.DISTRICT, name="新民市科协")
        society = OrganizationFactory(kind=OrgKind.SOCIETY, name="市机械工程学会", county=None)
        in_county = log(team, dept_staff, [county])
        citywide = log(team, dept_staff, [society])
        url = reverse("liaison:record_locations")
        page = liaison_client.get(url)
        rows = [(g["county"], g["records"]) for g in page.context["groups"]]
        assert rows == [("新民市科协", 1), ("未归属区县（市级组织等）", 1)]
        assert f'href="?year={page.context["year"]}&amp;county=0&amp;township=0"' in page.content.decode()
        none_row = liaison_client.get(url, {"county": 0, "township": 0})
        assert [r.pk for r in none_row.context["page"].object_list] == [citywide.pk]
        assert in_county.pk not in [r.pk for r in none_row.context["page"].object_list]

    def test_only_those_who_see_all_records(self, staff_client):
        assert staff_client.get(reverse("liaison:record_locations")).status_code == 403

    def test_query_count_is_fixed(self, liaison_client, team, dept_staff):
        county = OrganizationFactory(kind=OrgKind.DISTRICT)
        town = OrganizationFactory(kind=OrgKind.TOWNSHIP, parent=county)
        url = reverse("liaison:record_locations")
        params = {"county": county.pk, "township": town.pk}
        log(team, dept_staff, [OrganizationFactory(kind=OrgKind.VILLAGE, parent=town)])
        few = count_queries(liaison_client, url, params)
        for _ in range(5):
            other_town = OrganizationFactory(kind=OrgKind.TOWNSHIP, parent=county)
            log(team, dept_staff, [OrganizationFactory(kind=OrgKind.VILLAGE, parent=other_town), town])
        assert count_queries(liaison_client, url, params) == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real transactions at once")
def test_two_concurrent_sends_of_one_key_make_one_record(dept_staff):
    team = make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
    target = org()
    key = uuid.uuid4()
    first_inserted = threading.Event()

    def hold_first(sender, instance, created, **kwargs):
        # the first send's record is written but not committed: the second send arrives now, finds no record
        # with its key, and its insert waits on the unique key until the first commits
        if created and not first_inserted.is_set():
            first_inserted.set()
            time.sleep(1.5)

    answers = {}

    def send(name):
        browser = Client()
        browser.force_login(dept_staff.user)
        try:
            answers[name] = browser.post(SYNC, _visit(team, key, targets=[f"org:{target.pk}"]))
        finally:
            from django.db import connections

            connections.close_all()

    post_save.connect(hold_first, sender=ContactRecord)
    try:
        one = threading.Thread(target=send, args=("one",))
        one.start()
        assert first_inserted.wait(10)
        two = threading.Thread(target=send, args=("two",))
        two.start()
        one.join(20)
        two.join(20)
    finally:
        post_save.disconnect(hold_first, sender=ContactRecord)
    assert sorted(a.status_code for a in answers.values()) == [200, 201]
    assert answers["one"].json()["id"] == answers["two"].json()["id"]
    assert ContactRecord.objects.filter(client_key=key).count() == 1


class TestInstall:
    def test_the_service_worker_is_a_file_at_the_root_served_without_session(
        self, client, django_assert_num_queries
    ):
        with django_assert_num_queries(0):  # the browser asks for it on every navigation
            response = client.get("/sw.js")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        script = b"".join(response.streaming_content).decode()
        # Workbox from our own static files by version, never from a CDN
        assert 'const WORKBOX = "/static/vendor/workbox/";' in script
        assert 'const VERSION = "7.4.1";' in script
        assert "importScripts(`${WORKBOX}workbox-sw.js?v=${VERSION}`);" in script
        assert "modulePathCb: (name) => `${WORKBOX}${name}.prod.js?v=${VERSION}`" in script
        assert f'const FORM_PATH = "{reverse("liaison:record_create")}";' in script
        assert f'const STATIC_PREFIX = "/{settings.STATIC_URL.strip("/")}/";' in script
        for name in (
            "workbox-sw.js",
            "workbox-core.prod.js",
            "workbox-routing.prod.js",
            "workbox-strategies.prod.js",
        ):
            path = finders.find(f"vendor/workbox/{name}")
            assert path, name
            assert "7.4" in Path(path).read_text(encoding="utf-8")[:200], name  # the version the URL names

    def test_the_manifest_opens_the_logging_form_with_icons_that_exist(self):
        manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text(encoding="utf-8"))
        assert manifest["start_url"] == reverse("liaison:record_create")
        assert manifest["display"] == "standalone"
        assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]
        for icon in manifest["icons"]:
            assert Path(finders.find(icon["src"])).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_every_page_links_the_manifest_and_loads_the_offline_script(self, staff_client):
        page = staff_client.get("/").content.decode()
        assert 'rel="manifest" href="/static/manifest.webmanifest"' in page
        assert 'src="/static/js/offline.js" data-sw="/sw.js"' in page

    def test_every_source_map_a_static_file_names_is_there(self):
        """collectstatic with hashed names (production) follows sourceMappingURL and fails on a missing map."""
        static_root = Path(finders.find("js/offline.js")).parents[1]
        named = 0
        for path in [*static_root.rglob("*.js"), *static_root.rglob("*.css")]:
            for name in re.findall(r"sourceMappingURL=([\w.\-]+\.map)", path.read_text(encoding="utf-8")):
                named += 1
                assert (path.parent / name).exists(), f"{path.relative_to(static_root)} names {name}"
        assert named >= 4  # Workbox's four files at least
