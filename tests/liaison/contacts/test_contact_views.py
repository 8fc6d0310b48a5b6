"""Pages of contact records, greetings, demands and 我的工作: what users see, refusals, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.contacts import services as contacts
from liaison.models import Attachment, ContactRecord, Demand, QuotaRule, Year, YearStatus
from liaison.plan import services as plans
from tests.conftest import count_queries, listed
from tests.factories import ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def year():
    return make_year(today().year)


@pytest.fixture
def team(year, dept_staff):
    return make_team(year, make_leader("王主席"), members=[dept_staff])


@pytest.fixture
def other_team(year):
    outsider_staff = StaffFactory(name="孙干部")
    return make_team(year, make_leader("李副主席"), members=[outsider_staff])


def _post(team, **extra) -> dict:
    data = {
        "team": team.pk,
        "date": today().isoformat(),
        "method": "survey",
        "channel": "visit",
        "occasion": "",
        "grassroots": "on",
        "place": "辽川理工大学",
        "summary": "了解重点实验室建设进展",
        "topics": ["policy", "difficulties"],
        "demands-TOTAL_FORMS": "1",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "10",
        "demands-0-kind": "difficulty",  # a browser posts the select's default
    }
    data.update(extra)
    return data


class TestLogging:
    def test_staff_logs_a_visit_with_a_demand(self, staff_client, dept_staff, team, liaison_officer):
        scientist = ScientistFactory(name="单志强")
        plans.assignment_add(team=team, by=None, scientist=scientist)
        response = staff_client.post(
            reverse("liaison:record_create"),
            _post(
                team,
                targets=[f"sci:{scientist.pk}"],
                participants=[dept_staff.pk],
                **{
                    "demands-0-kind": "difficulty",
                    "demands-0-text": "实验室用房紧张",
                    "demands-0-handler": liaison_officer.pk,
                },
            ),
        )
        record = ContactRecord.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{record.get_absolute_url()}?saved=1"
        assert record.author == dept_staff
        assert record.topics == ["policy", "difficulties"]
        assert record.targets.get().assigned is True
        demand = Demand.objects.get()
        assert (demand.raised_by_scientist, demand.handler) == (scientist, liaison_officer)
        page = staff_client.get(response["Location"]).content.decode()
        assert "再记一条" in page
        assert "实验室用房紧张" in page

    def test_form_prefills_from_a_reminder_link(self, staff_client, team):
        scientist = ScientistFactory(name="曾国华")
        response = staff_client.get(
            reverse("liaison:record_create"),
            {"team": team.pk, "target": f"sci:{scientist.pk}", "occasion": "birthday"},
        )
        text = response.content.decode()
        assert response.context["form"].initial["method"] == "greeting"
        assert f'value="sci:{scientist.pk}"' in text
        assert "曾国华" in text
        assert f'value="{today().isoformat()}"' in text  # date defaults to today

    def test_invalid_input_keeps_everything_typed(self, staff_client, team):
        scientist = ScientistFactory(name="单志强")
        response = staff_client.post(
            reverse("liaison:record_create"),
            _post(team, summary="", place="新华街道", targets=[f"sci:{scientist.pk}"]),
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "请填写情况摘要" in text
        assert 'value="新华街道"' in text
        assert (
            f'value="sci:{scientist.pk}" id="t-sci{scientist.pk}" checked' in text
        )  # the picked target stays ticked
        assert "单志强" in text
        assert 'value="policy"' in text
        assert not ContactRecord.objects.exists()

    def test_draft_then_complete(self, staff_client, dept_staff, team):
        target = org(name="辽川市医学会")
        response = staff_client.post(
            reverse("liaison:record_create"),
            _post(team, summary="", targets=[f"org:{target.pk}"], save_draft="1"),
        )
        record = ContactRecord.objects.get()
        assert record.status == "draft"
        assert "我的草稿（1）" in staff_client.get(reverse("liaison:my_work")).content.decode()
        staff_client.post(
            reverse("liaison:record_edit", args=[record.pk]),
            _post(team, targets=[f"org:{target.pk}"], save="1", version=record.version),
        )
        record.refresh_from_db()
        assert record.status == "done"
        assert response.status_code == 302

    def test_cannot_log_for_another_team(self, staff_client, other_team):
        response = staff_client.post(
            reverse("liaison:record_create"), _post(other_team, targets=[f"org:{org().pk}"])
        )
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.content.decode()
        assert not ContactRecord.objects.exists()

    def test_outsider_without_staff_record_cannot_log(self, outsider_client):
        assert outsider_client.get(reverse("liaison:record_create")).status_code == 403

    def test_attachment_is_checked_and_served_only_to_those_who_may_see(
        self, staff_client, team, other_team, client, liaison_client
    ):
        target = org()
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        fake = SimpleUploadedFile("病毒.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
        bad = staff_client.post(
            reverse("liaison:record_create"), _post(team, targets=[f"org:{target.pk}"], attachments=[fake])
        )
        assert "不是照片或 PDF 文件" in bad.content.decode()
        staff_client.post(
            reverse("liaison:record_create"), _post(team, targets=[f"org:{target.pk}"], attachments=[photo])
        )
        attachment = Attachment.objects.get()
        assert attachment.content_type == "image/png"
        url = attachment.get_absolute_url()
        assert b"".join(staff_client.get(url).streaming_content) == PNG
        assert liaison_client.get(url).status_code == 200
        stranger = other_team.members.first()
        stranger.user.set_password("pw-123456")
        stranger.user.save()
        client.login(username=stranger.user.username, password="pw-123456")
        assert client.get(url).status_code == 404


class TestVisibility:
    def test_staff_see_their_teams_records_leaders_and_liaison_see_all(
        self, staff_client, leader_client, liaison_client, team, other_team, dept_staff
    ):
        mine = log(team, dept_staff, [org(name="本组学会")], summary="本专班记录")
        theirs = log(other_team, other_team.members.first(), [org(name="他组学会")], summary="别的专班记录")
        assert {
            r.pk for r in staff_client.get(reverse("liaison:record_list")).context["page"].object_list
        } == {mine.pk}
        for client in (leader_client, liaison_client):
            seen = {r.pk for r in client.get(reverse("liaison:record_list")).context["page"].object_list}
            assert seen == {mine.pk, theirs.pk}
        # guessing another team's record id reveals nothing
        for name in ("record_detail", "record_edit"):
            assert staff_client.get(reverse(f"liaison:{name}", args=[theirs.pk])).status_code == 404
        assert (
            staff_client.post(reverse("liaison:record_delete", args=[theirs.pk]), {"reason": "x"}).status_code
            == 404
        )

    def test_only_author_or_liaison_office_edits(
        self, leader_client, liaison_client, staff_client, team, dept_staff
    ):
        record = log(team, team.lead, [org()])
        assert staff_client.get(reverse("liaison:record_edit", args=[record.pk])).status_code == 403
        assert (
            staff_client.post(reverse("liaison:record_delete", args=[record.pk]), {"reason": "x"}).status_code
            == 403
        )
        assert leader_client.get(reverse("liaison:record_edit", args=[record.pk])).status_code == 403
        assert liaison_client.get(reverse("liaison:record_edit", args=[record.pk])).status_code == 200

    def test_archived_year_is_read_only_except_for_admin(self, staff_client, admin_client_, team, dept_staff):
        record = log(team, dept_staff, [org()], day=datetime.date(today().year, 1, 5))
        Year.objects.filter(pk=team.year_id).update(status=YearStatus.ARCHIVED)
        assert staff_client.get(reverse("liaison:record_edit", args=[record.pk])).status_code == 403
        assert staff_client.get(record.get_absolute_url()).status_code == 200
        assert admin_client_.get(reverse("liaison:record_edit", args=[record.pk])).status_code == 200

    def test_delete_is_soft_and_needs_a_reason(self, staff_client, team, dept_staff):
        record = log(team, dept_staff, [org()])
        staff_client.post(reverse("liaison:record_delete", args=[record.pk]), {"reason": ""})
        record.refresh_from_db()
        assert not record.is_deleted
        staff_client.post(reverse("liaison:record_delete", args=[record.pk]), {"reason": "重复录入"})
        record.refresh_from_db()
        assert record.is_deleted
        assert record.pk not in listed(staff_client.get(reverse("liaison:record_list")), "pk")


class TestRecordList:
    def test_filters(self, liaison_client, team, other_team, dept_staff):
        heping = org(name="和平区科协")
        a = log(team, dept_staff, [heping], day=datetime.date(today().year, 1, 10), grassroots=True)
        b = log(
            team,
            dept_staff,
            [ScientistFactory(name="单志强")],
            day=datetime.date(today().year, 2, 10),
            method="event",
            channel="meeting",
            grassroots=False,
        )
        c = log(other_team, other_team.members.first(), [org()], day=datetime.date(today().year, 3, 10))
        url = reverse("liaison:record_list")
        pks = lambda params: listed(liaison_client.get(url, params), "pk")  # noqa: E731
        assert pks({}) == {a.pk, b.pk, c.pk}
        assert pks({"team": team.pk}) == {a.pk, b.pk}
        assert pks({"method": "event"}) == {b.pk}
        assert pks({"target": "hpq"}) == {a.pk}
        assert pks({"target": "shanzhiqiang"}) == {b.pk}
        assert pks({"participant": dept_staff.pk}) == {a.pk, b.pk}
        assert pks({"date_from": f"{today().year}-02-01", "date_to": f"{today().year}-02-28"}) == {b.pk}
        assert pks({"grassroots": "1"}) == {a.pk, c.pk}
        assert pks({"year": today().year}) == {a.pk, b.pk, c.pk}

    def test_query_count_is_fixed(self, liaison_client, team, dept_staff):
        url = reverse("liaison:record_list")
        log(team, dept_staff, [org(), ScientistFactory()])
        few = count_queries(liaison_client, url)
        for _ in range(15):
            log(team, dept_staff, [org(), ScientistFactory(), ScientistFactory()])
        assert count_queries(liaison_client, url) == few


def _crowd(year, n: int = 51) -> list:
    """More teams (and so more staff) than a filter offers in a select: the list switches to search boxes."""
    return [make_team(year, make_leader(f"欧阳{i:02d}")) for i in range(n)]


def _picked(html: str, name: str) -> str:
    found = re.search(rf'data-testid="picked-{name}">(.*?)</output>', html, re.S)
    return found.group(1) if found else ""


class TestRecordListPickers:
    """专班 and 参加人员 are picked by typing (name, pinyin, initials), not from a select of every row."""

    def test_team_and_participant_found_by_name_pinyin_and_initials(
        self, liaison_client, team, other_team, dept_staff
    ):
        mine = log(team, dept_staff, [org()])
        theirs = log(other_team, other_team.members.first(), [org()])
        url = reverse("liaison:record_list")
        pks = lambda params: listed(liaison_client.get(url, params), "pk")  # noqa: E731
        for text in ("王主席", "wangzhuxi", "WZX", "王主席专班"):
            assert pks({"team_q": text}) == {mine.pk}, text
        for text in ("陈干部", "chenganbu", "cgb"):
            assert pks({"participant_q": text}) == {mine.pk}, text
        assert pks({"participant_q": "孙干部"}) == {theirs.pk}
        assert pks({"participant_q": "干部"}) == {mine.pk, theirs.pk}  # every match, one row per record
        assert pks({"team_q": "没有这个专班"}) == set()
        # a picked id wins over the text still in the box
        assert pks({"team": other_team.pk, "team_q": "王主席"}) == {theirs.pk}

    def test_many_teams_and_people_get_search_boxes_and_id_links_keep_working(
        self, liaison_client, year, team, other_team, dept_staff
    ):
        _crowd(year)
        mine = log(team, dept_staff, [org()])
        log(other_team, other_team.members.first(), [org()])
        url = reverse("liaison:record_list")
        html = liaison_client.get(url).content.decode()
        assert '<select name="team"' not in html
        assert '<select name="participant"' not in html
        assert 'name="team_q"' in html
        assert 'name="participant_q"' in html
        assert "欧阳07专班" not in html  # no option per team
        assert 'collapse d-lg-block" id="more-filters"' in html

        # the dashboard's and team pages' links: ?team=<id>
        response = liaison_client.get(url, {"team": team.pk, "method": "survey"})
        html = response.content.decode()
        assert listed(response, "pk") == {mine.pk}
        assert f"{today().year} · 王主席专班" in _picked(html, "team")
        assert f'<input type="hidden" name="team" value="{team.pk}">' in html
        assert 'href="?method=survey" title="清除"' in html  # clearing keeps the other filters
        assert 'collapse d-lg-block show" id="more-filters"' in html  # not folded away on phones
        response = liaison_client.get(url, {"participant": dept_staff.pk})
        assert listed(response, "pk") == {mine.pk}
        assert "陈干部" in _picked(response.content.decode(), "participant")

        # typed text filters by every match and offers the matches to narrow to one
        html = liaison_client.get(url, {"team_q": "ouyang0"}).content.decode()
        assert 'value="ouyang0"' in html
        assert html.count('name="team" value="') == 8  # the first matches as buttons
        assert "还有更多" in html

    def test_few_choices_stay_a_select(self, staff_client, team, other_team, dept_staff):
        html = staff_client.get(reverse("liaison:record_list"), {"team": team.pk}).content.decode()
        select = re.search(r'<select name="team".*?</select>', html, re.S).group(0)
        assert f'<option value="{team.pk}" selected>{today().year} · 王主席专班</option>' in select
        assert f'value="{other_team.pk}"' not in select
        assert "李副主席专班" not in html

    def test_staff_cannot_filter_by_or_find_a_team_they_cannot_see(
        self, staff_client, year, team, other_team, dept_staff
    ):
        _crowd(year, 3)
        mine = log(team, dept_staff, [org()])
        log(other_team, other_team.members.first(), [org()])
        url = reverse("liaison:record_list")
        response = staff_client.get(url, {"team": other_team.pk})
        html = response.content.decode()
        assert "所选的专班不存在，或您无权查看" in html
        assert "李副主席专班" not in html
        assert listed(response, "pk") == {mine.pk}  # still only their own team's records
        assert listed(staff_client.get(url, {"team_q": "李副主席"}), "pk") == set()
        assert listed(staff_client.get(url, {"team_q": "欧阳"}), "pk") == set()

        suggest = reverse("liaison:record_filter_suggest", args=["team"])
        found = staff_client.get(suggest, {"team_q": "lfzx"}).content.decode()
        assert "李副主席" not in found
        assert "没有找到“lfzx”" in found
        found = staff_client.get(suggest, {"team_q": "专班"}).content.decode()
        assert f'name="team" value="{team.pk}"' in found
        assert found.count('name="team"') == 1

    def test_suggestions_need_login_and_a_known_filter(self, client, liaison_client, outsider_client, team):
        suggest = reverse("liaison:record_filter_suggest", args=["team"])
        response = client.get(suggest, {"team_q": "王"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "王主席专班" not in outsider_client.get(suggest, {"team_q": "王"}).content.decode()
        found = liaison_client.get(suggest, {"team_q": "wzx"}).content.decode()
        assert f'<button type="submit" name="team" value="{team.pk}"' in found
        people = reverse("liaison:record_filter_suggest", args=["participant"])
        assert "陈干部" in liaison_client.get(people, {"participant_q": "cgb"}).content.decode()
        for field in ("method", "target", "nothing"):
            url = reverse("liaison:record_filter_suggest", args=[field])
            assert liaison_client.get(url, {f"{field}_q": "x"}).status_code == 404
        assert liaison_client.post(suggest, {"team_q": "王"}).status_code == 405

    def test_participant_filter_has_an_index_by_person_then_record(self):
        """Migration liaison 0006: typed participant text reads record ids from the link table's index alone."""
        from django.db import connection

        table = ContactRecord.participants.through._meta.db_table
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, table)
        assert indexes["participant_staff_record"]["columns"] == ["staff_id", "contactrecord_id"]

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"method": "survey"},
            {"team": "TEAM"},
            {"participant": "PERSON"},
            {"team_q": "wang", "participant_q": "chen"},
        ],
    )
    def test_query_count_is_the_same_for_a_select_and_a_search_box(
        self, liaison_client, year, team, dept_staff, params
    ):
        """A few teams give a select, many a search box: the page runs the same queries either way."""
        log(team, dept_staff, [org()])
        params = {k: {"TEAM": team.pk, "PERSON": dept_staff.pk}.get(v, v) for k, v in params.items()}
        url = reverse("liaison:record_list")
        few = count_queries(liaison_client, url, params)
        assert '<select name="team"' in liaison_client.get(url).content.decode()
        for other in _crowd(year, 55)[:5]:
            log(other, other.lead, [org()])
        assert '<select name="team"' not in liaison_client.get(url).content.decode()
        assert count_queries(liaison_client, url, params) == few


class TestGreetingsPage:
    def test_preselects_those_not_yet_greeted_and_saves_all(self, staff_client, team, dept_staff):
        greeted, pending = ScientistFactory(name="已慰问"), ScientistFactory(name="待慰问")
        for s in (greeted, pending):
            plans.assignment_add(
                team=team, by=None, scientist=s, start_date=datetime.date(today().year, 1, 1)
            )
        contacts.greetings_create(
            team=team,
            occasion="workers_day",
            channel="phone",
            date=datetime.date(today().year, 5, 30),
            scientists=[greeted],
            author=dept_staff,
        )
        page = staff_client.get(reverse("liaison:greetings"), {"team": team.pk, "occasion": "workers_day"})
        assert page.context["form"].initial["scientists"] == [pending.pk]
        assert "本节已慰问" in page.content.decode()
        response = staff_client.post(
            reverse("liaison:greetings"),
            {
                "team": team.pk,
                "occasion": "workers_day",
                "channel": "message",
                "date": f"{today().year}-05-30",
                "scientists": [pending.pk],
            },
        )
        assert response.status_code == 302
        assert contacts.greeted_scientists(
            team=team, occasion="workers_day", day=datetime.date(today().year, 5, 30)
        ) == {
            greeted.pk,
            pending.pk,
        }

    def test_nobody_ticked_is_refused(self, staff_client, team):
        response = staff_client.post(
            reverse("liaison:greetings"),
            {
                "team": team.pk,
                "occasion": "spring_festival",
                "channel": "message",
                "date": f"{today().year}-02-17",
            },
        )
        assert "请至少选择一名科技工作者" in response.content.decode()


class TestDemandsPages:
    def test_list_marks_overdue_and_filters(self, liaison_client, team, dept_staff):
        record = log(team, dept_staff, [ScientistFactory()], day=datetime.date(today().year, 1, 5))
        late = raise_demand(
            record, dept_staff.user, text="逾期的诉求", due_date=today() - datetime.timedelta(days=3)
        )
        raise_demand(
            record, dept_staff.user, text="未到期的诉求", due_date=today() + datetime.timedelta(days=3)
        )
        response = liaison_client.get(reverse("liaison:demand_list"), {"state": "overdue"})
        assert listed(response, "text") == {"逾期的诉求"}
        assert 'data-overdue="1"' in response.content.decode()
        assert late.pk in listed(liaison_client.get(reverse("liaison:demand_list"), {"state": "open"}), "pk")

    def test_handler_closes_with_a_reply_others_cannot(self, staff_client, leader_client, team, dept_staff):
        record = log(team, dept_staff, [ScientistFactory()])
        demand = raise_demand(record, dept_staff.user, handler=dept_staff)
        url = demand.get_absolute_url()
        assert (
            leader_client.post(url, {"kind": "reply", "date": today().isoformat(), "text": "x"}).status_code
            == 403
        )
        response = staff_client.post(
            url,
            {
                "kind": "reply",
                "date": today().isoformat(),
                "text": "已协调解决",
                "status": "done",
                "version": demand.version,
            },
        )
        assert response.status_code == 302
        demand.refresh_from_db()
        assert (demand.status, demand.reply) == ("done", "已协调解决")

    def test_closing_without_reply_is_explained(self, staff_client, team, dept_staff):
        demand = raise_demand(
            log(team, dept_staff, [ScientistFactory()]), dept_staff.user, handler=dept_staff
        )
        response = staff_client.post(
            demand.get_absolute_url(),
            {"kind": "progress", "date": today().isoformat(), "status": "done", "version": demand.version},
        )
        assert "办结前请先向提出人反馈" in response.content.decode()

    def test_other_teams_demands_are_hidden(self, staff_client, other_team):
        record = log(other_team, other_team.members.first(), [ScientistFactory()])
        demand = raise_demand(record, other_team.lead.user)
        assert staff_client.get(demand.get_absolute_url()).status_code == 404

    def test_demand_list_query_count_is_fixed(self, liaison_client, team, dept_staff):
        url = reverse("liaison:demand_list")
        raise_demand(log(team, dept_staff, [ScientistFactory()]), dept_staff.user, handler=dept_staff)
        few = count_queries(liaison_client, url)
        for _ in range(12):
            raise_demand(log(team, dept_staff, [ScientistFactory()]), dept_staff.user, handler=dept_staff)
        assert count_queries(liaison_client, url) == few


class TestDemandListPickers:
    """The demand list's 承办人 and 专班 are pickers like the record list's: typed, not a select of every row."""

    @pytest.fixture
    def demands(self, team, other_team, dept_staff):
        """One demand of each team: ours handled by 陈干部, theirs by 孙干部."""
        theirs_staff = other_team.members.first()
        mine = raise_demand(
            log(team, dept_staff, [org()]), dept_staff.user, handler=dept_staff, text="我们的"
        )
        theirs = raise_demand(
            log(other_team, theirs_staff, [org()]), theirs_staff.user, handler=theirs_staff, text="他们的"
        )
        return mine, theirs

    def test_team_and_handler_found_by_name_pinyin_and_initials(self, liaison_client, demands):
        mine, theirs = demands
        url = reverse("liaison:demand_list")
        pks = lambda params: listed(liaison_client.get(url, params), "pk")  # noqa: E731
        for text in ("王主席", "wangzhuxi", "WZX"):
            assert pks({"team_q": text}) == {mine.pk}, text
        for text in ("陈干部", "chenganbu", "cgb"):
            assert pks({"handler_q": text}) == {mine.pk}, text
        assert pks({"handler_q": "干部"}) == {mine.pk, theirs.pk}
        assert pks({"handler_q": "没有这个人"}) == set()
        assert pks({"team": theirs.record.team_id, "team_q": "王主席"}) == {theirs.pk}  # the id wins

    def test_many_teams_and_people_get_search_boxes_and_old_links_keep_working(
        self, liaison_client, year, team, dept_staff, demands
    ):
        _crowd(year)
        mine, _theirs = demands
        url = reverse("liaison:demand_list")
        html = liaison_client.get(url).content.decode()
        assert '<select name="team"' not in html
        assert '<select name="handler"' not in html
        assert 'name="team_q"' in html
        assert 'name="handler_q"' in html
        assert "欧阳07" not in html  # no option per team or person
        assert reverse("liaison:demand_filter_suggest", args=["handler"]) in html

        # the dashboard's link: ?team=<id>&state=open
        response = liaison_client.get(url, {"team": team.pk, "state": "open"})
        html = response.content.decode()
        assert listed(response, "pk") == {mine.pk}
        assert f"{today().year} · 王主席专班" in _picked(html, "team")
        assert f'<input type="hidden" name="team" value="{team.pk}">' in html
        assert 'href="?state=open" title="清除"' in html  # clearing keeps the other filters
        assert 'collapse d-lg-block show" id="more-filters"' in html
        # ?handler=<id>
        response = liaison_client.get(url, {"handler": dept_staff.pk})
        assert listed(response, "pk") == {mine.pk}
        assert "陈干部" in _picked(response.content.decode(), "handler")
        assert "科普部" in _picked(response.content.decode(), "handler")

        # typed text filters by every match and offers the first matches to narrow to one
        html = liaison_client.get(url, {"team_q": "ouyang0"}).content.decode()
        assert html.count('name="team" value="') == 8
        assert "还有更多" in html

    def test_few_choices_stay_a_select(self, staff_client, team, other_team, demands):
        mine, _theirs = demands
        response = staff_client.get(reverse("liaison:demand_list"), {"team": team.pk})
        html = response.content.decode()
        select = re.search(r'<select name="team".*?</select>', html, re.S).group(0)
        assert f'<option value="{team.pk}" selected>{today().year} · 王主席专班</option>' in select
        assert f'value="{other_team.pk}"' not in select
        assert listed(response, "pk") == {mine.pk}

    def test_staff_cannot_filter_by_or_find_what_they_cannot_see(
        self, staff_client, year, team, other_team, demands
    ):
        _crowd(year, 3)
        mine, theirs = demands
        url = reverse("liaison:demand_list")
        response = staff_client.get(url, {"team": other_team.pk})
        html = response.content.decode()
        assert response.status_code == 200
        assert "所选的专班不存在，或您无权查看" in html
        assert "李副主席专班" not in html
        assert listed(response, "pk") == {mine.pk}  # still only the demands they may see
        assert listed(staff_client.get(url, {"team_q": "李副主席"}), "pk") == set()
        # another team's handler can be named, but their demands stay hidden
        assert listed(staff_client.get(url, {"handler": theirs.handler_id}), "pk") == set()
        assert listed(staff_client.get(url, {"handler_q": "孙干部"}), "pk") == set()
        # an inactive or unknown person is refused, not silently ignored
        theirs.handler.is_active = False
        theirs.handler.save()
        for bad in (theirs.handler_id, 999999):
            assert (
                "所选的人员不存在，或您无权查看" in staff_client.get(url, {"handler": bad}).content.decode()
            )

        suggest = reverse("liaison:demand_filter_suggest", args=["team"])
        found = staff_client.get(suggest, {"team_q": "lfzx"}).content.decode()
        assert "李副主席" not in found
        assert "没有找到“lfzx”" in found
        found = staff_client.get(suggest, {"team_q": "专班"}).content.decode()
        assert f'name="team" value="{team.pk}"' in found
        assert found.count('name="team"') == 1

    def test_suggestions_need_login_and_a_known_filter(self, client, liaison_client, outsider_client, team):
        suggest = reverse("liaison:demand_filter_suggest", args=["team"])
        response = client.get(suggest, {"team_q": "王"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "王主席专班" not in outsider_client.get(suggest, {"team_q": "王"}).content.decode()
        found = liaison_client.get(suggest, {"team_q": "wzx"}).content.decode()
        assert f'<button type="submit" name="team" value="{team.pk}"' in found
        people = reverse("liaison:demand_filter_suggest", args=["handler"])
        found = liaison_client.get(people, {"handler_q": "cgb"}).content.decode()
        assert "陈干部" in found
        assert "科普部" in found
        for field in ("kind", "state", "nothing"):
            url = reverse("liaison:demand_filter_suggest", args=[field])
            assert liaison_client.get(url, {f"{field}_q": "x"}).status_code == 404
        assert liaison_client.post(suggest, {"team_q": "王"}).status_code == 405

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"state": "open"},
            {"team": "TEAM", "state": "open"},
            {"handler": "PERSON"},
            {"team_q": "wang", "handler_q": "chen"},
        ],
    )
    def test_query_count_is_the_same_for_a_select_and_a_search_box(
        self, liaison_client, year, team, dept_staff, params
    ):
        """Few teams and people give selects, many give search boxes, more demands fill the page: the page
        runs the same queries."""
        raise_demand(log(team, dept_staff, [org()]), dept_staff.user, handler=dept_staff)
        params = {k: {"TEAM": team.pk, "PERSON": dept_staff.pk}.get(v, v) for k, v in params.items()}
        url = reverse("liaison:demand_list")
        few = count_queries(liaison_client, url, params)
        assert '<select name="handler"' in liaison_client.get(url).content.decode()
        for other in _crowd(year, 55)[:5]:
            raise_demand(log(other, other.lead, [org()]), other.lead.user, handler=dept_staff)
        for _ in range(12):
            raise_demand(log(team, dept_staff, [org()]), dept_staff.user, handler=dept_staff)
        assert '<select name="handler"' not in liaison_client.get(url).content.decode()
        assert count_queries(liaison_client, url, params) == few


class TestMyWork:
    def test_shows_targets_visits_reminders_demands(self, staff_client, team, dept_staff, liaison_officer):
        contacted = ScientistFactory(name="已联系专家")
        silent = ScientistFactory(
            name="未联系专家", birth_date=today().replace(year=1965) + datetime.timedelta(days=0)
        )
        for s in (contacted, silent):
            plans.assignment_add(
                team=team, by=None, scientist=s, start_date=datetime.date(today().year, 1, 1)
            )
        log(team, dept_staff, [contacted], day=datetime.date(today().year, 1, 2), grassroots=True)
        raise_demand(
            log(team, dept_staff, [contacted], day=datetime.date(today().year, 1, 3)),
            dept_staff.user,
            handler=dept_staff,
            text="交给我的诉求",
            due_date=datetime.date(today().year, 1, 20),
        )
        text = staff_client.get(reverse("liaison:my_work")).content.decode()
        assert "今年尚未联系 1 个" in text
        assert "未联系专家 生日" in text
        assert "春节" in text
        assert "全国科技工作者日" in text
        assert f'data-testid="visits-{team.pk}">下基层 2 / 10 次' in text
        assert "交给我的诉求" in text
        assert "已超期" in text

    def test_contact_interval_marks_targets(self, staff_client, team, dept_staff):
        QuotaRule.objects.filter(year=team.year, team_kind="leader", category="expert").update(
            contact_interval_days=60
        )
        s = ScientistFactory(name="间隔专家")
        plans.assignment_add(team=team, by=None, scientist=s, start_date=datetime.date(today().year, 1, 1))
        text = staff_client.get(reverse("liaison:my_work")).content.decode()
        expected = (today() - datetime.date(today().year, 1, 1)).days > 60
        assert ("超过联系间隔（60 天）" in text) is expected  # never contacted since 1 January

    def test_query_count_is_fixed(self, staff_client, team, dept_staff):
        url = reverse("liaison:my_work")
        plans.assignment_add(
            team=team, by=None, scientist=ScientistFactory(birth_date=datetime.date(1960, 1, 1))
        )
        few = count_queries(staff_client, url)
        for i in range(10):
            s = ScientistFactory(birth_date=datetime.date(1960, (i % 12) + 1, 2), birthday_lunar=i % 2 == 0)
            plans.assignment_add(team=team, by=None, scientist=s)
            plans.assignment_add(team=team, by=None, organization=org())
            log(team, dept_staff, [s])
        assert count_queries(staff_client, url) == few


def test_edit_posts_without_demand_fields_and_saves(staff_client, team, dept_staff):
    """The edit form has no demand section: a browser posts no management form and must still save."""
    record = log(team, dept_staff, [org()])
    data = {
        k: v
        for k, v in _post(
            team, summary="改过的摘要", targets=[f"org:{record.targets.get().organization_id}"]
        ).items()
    }
    data = {k: v for k, v in data.items() if not k.startswith("demands-")} | {"version": record.version}
    response = staff_client.post(reverse("liaison:record_edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.summary == "改过的摘要"


def test_demand_added_to_an_existing_record(staff_client, leader_client, team, dept_staff):
    scientist = ScientistFactory(name="单志强")
    record = log(team, dept_staff, [scientist])
    url = reverse("liaison:demand_add", args=[record.pk])
    assert leader_client.post(url, {"new-kind": "suggestion", "new-text": "建议"}).status_code == 403
    staff_client.post(url, {"new-kind": "suggestion", "new-text": "建议设立青年人才专项"})
    demand = Demand.objects.get()
    assert (demand.kind, demand.raised_by_scientist) == ("suggestion", scientist)


def test_demand_list_puts_open_ones_first_soonest_due(liaison_client, team, dept_staff):
    record = log(team, dept_staff, [ScientistFactory()], day=datetime.date(today().year, 1, 5))
    closed = raise_demand(record, dept_staff.user, text="已办结的", handler=dept_staff)
    contacts.demand_act(demand=closed, kind="reply", by=dept_staff.user, text="已解决", status="done")
    raise_demand(record, dept_staff.user, text="晚到期", due_date=today() + datetime.timedelta(days=9))
    raise_demand(record, dept_staff.user, text="已超期", due_date=today() - datetime.timedelta(days=9))
    raise_demand(record, dept_staff.user, text="无时限")
    page = liaison_client.get(reverse("liaison:demand_list")).context["page"]
    assert [d.text for d in page.object_list] == ["已超期", "晚到期", "无时限", "已办结的"]


def test_participant_marks_a_record_as_a_duty_highlight_from_its_page(
    staff_client, leader_client, team, dept_staff
):
    record = log(team, dept_staff, [org()])
    page = staff_client.get(record.get_absolute_url()).content.decode()
    assert "列为述职重点" in page
    response = staff_client.post(
        reverse("reports:duty_highlight_toggle", args=[record.pk]),
        {"highlighted": "1", "next": record.get_absolute_url()},
    )
    assert response["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert record.highlighted
    assert "已列为述职重点" in staff_client.get(record.get_absolute_url()).content.decode()
    # leadership reads the record but did not take part: no button
    assert "述职重点" not in leader_client.get(record.get_absolute_url()).content.decode()


def test_only_staff_are_offered_logging_on_the_record_list(staff_client, client):
    """An auditor (an account without a Staff record) reads the list but is not offered pages that refuse
    them (the crawl walked into 403s from these buttons)."""
    from tests.liaison.privacy.factories import admin_account

    offered = staff_client.get(reverse("liaison:record_list")).content.decode()
    assert "记录联系工作</a>" in offered
    assert "批量慰问</a>" in offered
    auditor = admin_account("shenji", "安全审计员")
    client.force_login(auditor)
    page = client.get(reverse("liaison:record_list"))
    assert page.status_code == 200
    assert reverse("liaison:record_create") not in page.content.decode()
    assert reverse("liaison:greetings") not in page.content.decode()
    assert client.get(reverse("liaison:record_create")).status_code == 403
