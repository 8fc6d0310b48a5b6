"""Creating a year on the years page, blank or 延续上一年度 in the same step (issue 18 §3): the carried year has
last year's teams, members still in post, targets in force at year end and quota rules, made by the yearly
adjustment's own service; a second submit of the same page creates nothing twice; refusals."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from liaison.models import QuotaRule, Team, Year
from liaison.plan import services as plans
from reports.models import ChangeKind, PlanChange, TeamOrigin
from tests.pages import form_data
from tests.reports.cycle.factories import NEXT, THIS, make_cycle

pytestmark = pytest.mark.django_db

URL = reverse("liaison:year_list")


@pytest.fixture
def cycle(leader, dept_staff):
    return make_cycle(lead=leader, member=dept_staff)


def in_force_names(team: Team) -> set[str]:
    return {a.target_name for a in team.assignments.in_force_at_year_end().with_targets()}


class TestCarryOver:
    def test_the_form_offers_next_year_carried_over_by_default(self, liaison_client, cycle):
        data = form_data(liaison_client.get(URL).content, "start")
        assert data["year"] == str(NEXT)
        assert data["start"] == "carry"  # last year has teams: carrying them over is what the office wants
        assert data["once"]  # the page's token against a second submit
        text = liaison_client.get(URL).content.decode()
        assert "延续上一年度" in text
        assert "空白年度" in text

    def test_without_a_year_with_teams_the_default_is_blank(self, liaison_client, db):
        plans.year_create(year=THIS)
        data = form_data(liaison_client.get(URL).content, "start")
        assert data["start"] == "blank"

    def test_carrying_over_copies_teams_members_targets_and_rules(self, liaison_client, cycle, dept_staff):
        data = form_data(liaison_client.get(URL).content, "start")
        response = liaison_client.post(URL, data, follow=True)
        assert response.redirect_chain[-1][0] == reverse("liaison:year_detail", args=[NEXT])
        text = response.content.decode()
        assert f"已创建 {NEXT} 年度：由 {THIS} 年度延续 2 个专班" in text
        assert "王领导专班" in text
        assert "李部长专班" in text
        new = Year.objects.get(year=NEXT)
        assert new.status == "draft"
        wang = Team.objects.get(year=new, lead=cycle.wang.lead)
        # 停用学会 was deactivated in the registry and 赵退休 ended mid-year: neither is carried
        assert in_force_names(wang) == {"和平区科协", "辽川市医学会", "张院士"}
        assert [m.name for m in wang.members.all()] == ["陈干部"]  # 离职干部 is no longer in post
        assert in_force_names(Team.objects.get(year=new, lead=cycle.li.lead)) == {"铁西区科协"}
        assert QuotaRule.objects.filter(year=new).count() == QuotaRule.objects.filter(year=cycle.year).count()
        # the adjustment's own opening: its origin links and its recorded changes
        assert TeamOrigin.objects.get(team=wang).source == cycle.wang
        opening = PlanChange.objects.get(year=new, kind=ChangeKind.OPEN)
        assert opening.details["text"] == f"由 {THIS} 年度延续 2 个专班、4 个联系对象"
        assert PlanChange.objects.get(year=new, kind=ChangeKind.REMOVE).old_target == "停用学会"

    def test_a_second_submit_of_the_page_creates_nothing_twice(self, liaison_client, cycle):
        data = form_data(liaison_client.get(URL).content, "start")
        first = liaison_client.post(URL, data)
        second = liaison_client.post(URL, data, follow=True)  # the double click
        assert first.status_code == 302
        assert second.redirect_chain[-1][0] == reverse("liaison:year_detail", args=[NEXT])
        assert f"{NEXT} 年度已创建，重复提交未再创建。" in second.content.decode()
        assert Year.objects.filter(year=NEXT).count() == 1
        assert Team.objects.filter(year__year=NEXT).count() == 2
        assert PlanChange.objects.filter(year__year=NEXT, kind=ChangeKind.OPEN).count() == 1
        assert (
            QuotaRule.objects.filter(year__year=NEXT).count()
            == QuotaRule.objects.filter(year__year=THIS).count()
        )

    def test_a_second_submit_that_read_the_session_before_the_first_saved_it_finds_the_first_years(
        self, liaison_client, cycle
    ):
        """On a busy server a double click's second request reads the session before the first has saved its
        token there (tests/browser/test_year_steps.py met it on a slow machine): the page's token, claimed in
        the cache by the first, sends it to the year the first created. Here the second request is the same
        person in a session that never saw the token."""
        data = form_data(liaison_client.get(URL).content, "start")
        same_person = Client()
        same_person.force_login(get_user_model().objects.get(pk=liaison_client.session["_auth_user_id"]))

        assert liaison_client.post(URL, data).status_code == 302
        second = same_person.post(URL, data, follow=True)

        assert second.redirect_chain[-1][0] == reverse("liaison:year_detail", args=[NEXT])
        assert f"{NEXT} 年度已创建，重复提交未再创建。" in second.content.decode()
        assert Team.objects.filter(year__year=NEXT).count() == 2
        assert PlanChange.objects.filter(year__year=NEXT, kind=ChangeKind.OPEN).count() == 1

    def test_a_page_refused_once_may_be_sent_again_without_waiting(self, liaison_client, db):
        """A submit that created nothing gives its claim back: the same page, corrected, is not kept waiting."""
        plans.year_create(year=THIS)  # a year without teams: nothing to carry over
        refused = liaison_client.post(URL, {"year": NEXT, "start": "carry", "once": "page"})
        assert "没有专班" in refused.content.decode()
        started = time.monotonic()
        blank = liaison_client.post(URL, {"year": NEXT, "start": "blank", "once": "page"})
        assert blank.status_code == 302
        assert time.monotonic() - started < 5
        assert Year.objects.filter(year=NEXT).count() == 1

    def test_another_page_for_the_same_year_is_told_it_exists(self, liaison_client, cycle):
        liaison_client.post(URL, {"year": NEXT, "start": "carry", "once": "page-one"})
        response = liaison_client.post(URL, {"year": NEXT, "start": "carry", "once": "page-two"})
        assert response.status_code == 200
        assert f"{NEXT} 年度已存在。" in response.content.decode()
        assert Team.objects.filter(year__year=NEXT).count() == 2

    def test_carrying_over_from_a_year_without_teams_is_refused_with_input_kept(self, liaison_client, db):
        plans.year_create(year=THIS)
        response = liaison_client.post(URL, {"year": NEXT, "start": "carry", "once": "x"})
        assert response.status_code == 200
        text = response.content.decode()
        assert f"{THIS} 年度没有专班，无从延续；请选择“空白年度”" in text
        assert f'value="{NEXT}"' in text
        assert not Year.objects.filter(year=NEXT).exists()

    def test_a_year_two_after_the_last_has_nothing_to_carry(self, liaison_client, cycle):
        response = liaison_client.post(URL, {"year": NEXT + 1, "start": "carry"})
        assert f"{NEXT} 年度没有专班，无从延续" in response.content.decode()
        assert not Year.objects.filter(year=NEXT + 1).exists()


class TestBlank:
    def test_a_blank_year_has_last_years_rules_and_no_teams(self, liaison_client, cycle):
        response = liaison_client.post(URL, {"year": NEXT, "start": "blank", "once": "b"}, follow=True)
        assert f"已创建 {NEXT} 年度，定额已按上一年度" in response.content.decode()
        new = Year.objects.get(year=NEXT)
        assert not Team.objects.filter(year=new).exists()
        assert QuotaRule.objects.filter(year=new).count() == QuotaRule.objects.filter(year=cycle.year).count()
        assert not PlanChange.objects.filter(year=new).exists()

    def test_bad_years_get_chinese_errors(self, liaison_client, db):
        for value, error in [("", "请填写年度。"), ("abc", "请填写四位数的年度"), ("1999", "2000 至 2100")]:
            response = liaison_client.post(URL, {"year": value, "start": "blank"})
            assert response.status_code == 200
            assert error in response.content.decode(), value
        assert not Year.objects.exists()


@pytest.mark.parametrize("client_name", ["leader_client", "staff_client", "outsider_client"])
def test_only_the_liaison_office_creates_years(request, client_name, cycle):
    client = request.getfixturevalue(client_name)
    assert client.post(URL, {"year": NEXT, "start": "carry", "once": "z"}).status_code == 403
    assert not Year.objects.filter(year=NEXT).exists()
    assert 'name="start"' not in client.get(URL).content.decode()
