"""The surveys pages: who may see and change what (404 for what one cannot see, 403 for what one may only
read), the forms keeping what was typed, filling in during a contact, and query counts that do not grow
with the data."""

from __future__ import annotations

import datetime

import pytest

from liaison.plan import services as plans
from surveys.models import Invitation, InvitationState, Question, Survey, SurveyState
from tests.conftest import count_queries
from tests.factories import ScientistFactory, today
from tests.liaison.contacts.factories import log
from tests.liaison.filing.factories import client_for, make_account
from tests.liaison.plan.factories import make_leader, make_team, make_year, org
from tests.surveys.factories import FULL, answer, invite, make_survey, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dept_staff, liaison_officer):
    """王主席专班 (陈干部 is a member) has 单志强 and 曾国华 as targets; 赵主席专班 has 李青."""
    year = make_year(today().year)
    ours = make_team(year, make_leader("王主席"), members=[dept_staff])
    theirs = make_team(year, make_leader("赵主席"))
    start = datetime.date(year.year, 1, 1)
    people = {}
    for team, name in [(ours, "单志强"), (ours, "曾国华"), (theirs, "李青")]:
        people[name] = ScientistFactory(name=name)
        plans.assignment_add(team=team, by=None, scientist=people[name], start_date=start)
    survey = make_survey(liaison_officer.user)
    invitations = {i.scientist.name: i for i in invite(survey, *people.values())}
    return {
        "year": year,
        "ours": ours,
        "theirs": theirs,
        "people": people,
        "survey": survey,
        "inv": invitations,
    }


def fill_data(survey, action="submit", **values):
    by_kind = questions(survey)
    data = {"action": action}
    for kind, value in values.items():
        data[f"q{by_kind[kind].pk}"] = value
    return data


class TestWhoSeesWhat:
    def test_the_office_designs_opens_sends_and_exports(self, liaison_client, world):
        survey = world["survey"]
        for url in [
            "/surveys/",
            "/surveys/new/",
            f"/surveys/{survey.pk}/",
            f"/surveys/{survey.pk}/send/",
            f"/surveys/{survey.pk}/invitations/",
            f"/surveys/{survey.pk}/results/",
            f"/surveys/{survey.pk}/export/",
            f"/surveys/{survey.pk}/edit/",
        ]:
            assert liaison_client.get(url).status_code == 200, url

    def test_leadership_reads_results_and_progress_but_changes_nothing(self, leader_client, world):
        survey = world["survey"]
        assert leader_client.get("/surveys/").status_code == 200
        assert leader_client.get(f"/surveys/{survey.pk}/").status_code == 200
        assert leader_client.get(f"/surveys/{survey.pk}/results/").status_code == 200
        assert leader_client.get(f"/surveys/{survey.pk}/invitations/").status_code == 200
        assert leader_client.get("/surveys/new/").status_code == 403
        for url in [
            f"/surveys/{survey.pk}/edit/",
            f"/surveys/{survey.pk}/send/",
            f"/surveys/{survey.pk}/export/",
        ]:
            assert leader_client.get(url).status_code == 403, url
        assert leader_client.post(f"/surveys/{survey.pk}/close/").status_code == 403
        invitation = world["inv"]["李青"]
        assert leader_client.post(f"/surveys/invitations/{invitation.pk}/link/").status_code == 403
        assert Survey.objects.get().state == SurveyState.OPEN
        assert Invitation.objects.get(pk=invitation.pk).token_hash == ""

    def test_leadership_does_not_see_a_draft(self, leader_client, liaison_officer):
        draft = make_survey(liaison_officer.user, title="草稿问卷", opened=False)
        assert leader_client.get(f"/surveys/{draft.pk}/").status_code == 404
        assert "草稿问卷" not in leader_client.get("/surveys/").content.decode()

    def test_staff_see_their_teams_invitations_only(self, staff_client, world):
        survey = world["survey"]
        assert staff_client.get("/surveys/")["Location"] == "/surveys/todo/"
        page = staff_client.get("/surveys/todo/")
        assert {i.scientist.name for i in page.context["page"].object_list} == {"单志强", "曾国华"}
        for url in [
            f"/surveys/{survey.pk}/",
            f"/surveys/{survey.pk}/invitations/",
            f"/surveys/{survey.pk}/edit/",
            f"/surveys/{survey.pk}/send/",
            f"/surveys/{survey.pk}/export/",
        ]:
            assert staff_client.get(url).status_code == 404, url
        assert staff_client.get(f"/surveys/{survey.pk}/results/").status_code == 403
        assert staff_client.get("/surveys/new/").status_code == 403
        assert staff_client.get(f"/surveys/invitations/{world['inv']['单志强'].pk}/fill/").status_code == 200
        # another team's invitation: as if it did not exist
        other = world["inv"]["李青"]
        assert staff_client.get(f"/surveys/invitations/{other.pk}/fill/").status_code == 404
        assert (
            staff_client.post(f"/surveys/invitations/{other.pk}/fill/", fill_data(survey, **FULL)).status_code
            == 404
        )
        assert Invitation.objects.get(pk=other.pk).state == InvitationState.PENDING

    def test_an_account_without_a_role_and_a_grassroots_account_get_nothing(self, outsider_client, world):
        survey = world["survey"]
        grassroots = client_for(make_account(org(name="辽川市机械工程学会"), "jixie"))
        invitation = world["inv"]["单志强"]
        for client in (outsider_client, grassroots):
            for url in [
                "/surveys/",
                "/surveys/todo/",
                f"/surveys/{survey.pk}/",
                f"/surveys/{survey.pk}/results/",
                f"/surveys/invitations/{invitation.pk}/fill/",
            ]:
                assert client.get(url).status_code in (403, 404), url

    def test_the_nav_entry_is_for_staff_and_admin(self, liaison_client, staff_client, outsider_client, world):
        assert 'href="/surveys/"' in liaison_client.get("/liaison/my-teams/").content.decode()
        assert 'href="/surveys/"' in staff_client.get("/liaison/my-teams/").content.decode()
        assert 'href="/surveys/"' not in outsider_client.get("/liaison/my-teams/").content.decode()

    def test_wrong_methods(self, liaison_client, world):
        survey = world["survey"]
        assert liaison_client.get(f"/surveys/{survey.pk}/close/").status_code == 405
        assert liaison_client.get(f"/surveys/invitations/{world['inv']['李青'].pk}/link/").status_code == 405


class TestDesign:
    def test_the_office_creates_a_survey_adds_questions_and_opens_it(self, liaison_client, liaison_officer):
        response = liaison_client.post(
            "/surveys/new/",
            {
                "title": "科研人员住房状况调查",
                "intro": "",
                "opens_on": today().isoformat(),
                "closes_on": (today() + datetime.timedelta(days=30)).isoformat(),
            },
        )
        survey = Survey.objects.get()
        assert response["Location"] == f"/surveys/{survey.pk}/"
        assert survey.created_by == liaison_officer.user
        response = liaison_client.post(
            f"/surveys/{survey.pk}/questions/new/",
            {
                "kind": "single",
                "text": "住房类型",
                "required": "on",
                "choices_text": "自有\n租住\n单位宿舍\n",
            },
        )
        assert response.status_code == 302
        question = Question.objects.get()
        assert question.choices == ["自有", "租住", "单位宿舍"]
        assert question.order == 1
        liaison_client.post(f"/surveys/{survey.pk}/open/")
        assert Survey.objects.get().state == SurveyState.OPEN
        # questions no longer change
        response = liaison_client.post(
            f"/surveys/{survey.pk}/questions/{question.pk}/edit/", {"kind": "short", "text": "改"}
        )
        assert response.status_code == 302
        assert Question.objects.get().text == "住房类型"

    def test_a_bad_question_keeps_what_was_typed(self, liaison_client, liaison_officer):
        survey = make_survey(liaison_officer.user, opened=False)
        response = liaison_client.post(
            f"/surveys/{survey.pk}/questions/new/",
            {"kind": "multiple", "text": "只写了一个选项", "choices_text": "甲"},
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "至少要有两个选项" in text
        assert "只写了一个选项" in text
        assert survey.questions.count() == 6

    def test_the_period_is_checked(self, liaison_client):
        response = liaison_client.post(
            "/surveys/new/", {"title": "倒过来的", "opens_on": "2026-05-01", "closes_on": "2026-04-01"}
        )
        assert response.status_code == 200
        assert "截止日期不能早于开始日期" in response.content.decode()
        assert not Survey.objects.exists()

    def test_nul_is_refused(self, liaison_client):
        response = liaison_client.post(
            "/surveys/new/", {"title": "a\x00b", "opens_on": "2026-05-01", "closes_on": "2026-06-01"}
        )
        assert response.status_code == 200
        assert not Survey.objects.exists()


class TestSending:
    def test_the_preview_names_them_and_the_post_invites_them(self, liaison_client, world):
        survey = make_survey(title="第二份")
        params = {"source": "targets", "teams": [world["ours"].pk]}
        response = liaison_client.get(f"/surveys/{survey.pk}/send/", params)
        assert response.context["count"] == 2
        assert {s.name for s in response.context["found"]} == {"单志强", "曾国华"}
        assert not survey.invitations.exists()  # the preview invites nobody
        response = liaison_client.post(f"/surveys/{survey.pk}/send/", params)
        assert response["Location"] == f"/surveys/{survey.pk}/invitations/"
        assert set(survey.invitations.values_list("scientist__name", "team_id")) == {
            ("单志强", world["ours"].pk),
            ("曾国华", world["ours"].pk),
        }
        assert liaison_client.get(f"/surveys/{survey.pk}/send/", params).context["count"] == 0


class TestFillingDuringAContact:
    def test_the_record_page_offers_the_questionnaire_and_the_answer_is_tied_to_it(
        self, staff_client, dept_staff, world
    ):
        record = log(world["ours"], dept_staff, [world["people"]["单志强"]], day=today())
        page = staff_client.get(f"/liaison/records/{record.pk}/").content.decode()
        invitation = world["inv"]["单志强"]
        assert f"/surveys/invitations/{invitation.pk}/fill/?record={record.pk}" in page
        url = f"/surveys/invitations/{invitation.pk}/fill/?record={record.pk}"

        # a draft first: nothing required
        response = staff_client.post(
            url, {**fill_data(world["survey"], "draft", single="1"), "version": invitation.version}
        )
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.DRAFT
        form = staff_client.get(url).context["form"]
        assert form.initial[f"q{questions(world['survey'])['single'].pk}"] == "1"

        # submitting without the required answers keeps what was typed
        data = {
            **fill_data(world["survey"], single="2", short="想了解人才政策"),
            "version": invitation.version,
        }
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "此题必答" in response.content.decode()
        assert "想了解人才政策" in response.content.decode()

        data = {
            **fill_data(world["survey"], single="2", multiple=["0", "1"], scale="3", number="45"),
            "version": invitation.version,
        }
        response = staff_client.post(url, data)
        assert response["Location"] == f"/liaison/records/{record.pk}/"
        invitation.refresh_from_db()
        assert invitation.state == InvitationState.SUBMITTED
        assert invitation.record == record
        assert invitation.channel == "contact"
        assert invitation.submitted_by == dept_staff.user
        # once: a second submission changes nothing
        again = staff_client.post(
            url, {**data, "version": invitation.version, f"q{questions(world['survey'])['number'].pk}": "99"}
        )
        assert again.status_code == 200
        assert "不能再修改" in again.content.decode()
        assert invitation.answers.get(question__kind="number").number == 45
        assert "本次联系中填写" in staff_client.get(f"/liaison/records/{record.pk}/").content.decode()

    def test_a_record_of_another_team_is_not_reachable(self, staff_client, world, leader):
        record = log(world["theirs"], leader, [world["people"]["单志强"]], day=today())
        invitation = world["inv"]["单志强"]
        response = staff_client.get(f"/surveys/invitations/{invitation.pk}/fill/?record={record.pk}")
        assert response.status_code == 404

    def test_the_section_shows_only_what_the_user_may_fill(self, staff_client, dept_staff, world, leader):
        record = log(
            world["ours"], dept_staff, [world["people"]["单志强"], world["people"]["李青"]], day=today()
        )
        page = staff_client.get(f"/liaison/records/{record.pk}/").content.decode()
        assert f"/surveys/invitations/{world['inv']['单志强'].pk}/fill/" in page
        assert (
            f"/surveys/invitations/{world['inv']['李青'].pk}/fill/" not in page
        )  # another team's invitation


class TestLinkFromTheOffice:
    def test_the_link_is_shown_once_and_works_without_an_account(self, liaison_client, client, world):
        invitation = world["inv"]["李青"]
        response = liaison_client.post(f"/surveys/invitations/{invitation.pk}/link/")
        link = response.context["link"]
        assert response["Cache-Control"] == "no-store"
        assert link.startswith("http://testserver/surveys/a/")
        token = link.rsplit("/", 2)[-2]
        invitation.refresh_from_db()
        assert token not in invitation.token_hash
        assert client.get(f"/surveys/a/{token}/").status_code == 200
        # remade: the old one is dead
        liaison_client.post(f"/surveys/invitations/{invitation.pk}/link/")
        assert "链接无效" in client.get(f"/surveys/a/{token}/").content.decode()


class TestQueryCounts:
    def _grow(self, world, n):
        survey = world["survey"]
        team = world["ours"]
        extra = []
        for i in range(n):
            person = ScientistFactory(name=f"加{i}")
            plans.assignment_add(
                team=team, by=None, scientist=person, start_date=datetime.date(today().year, 1, 1)
            )
            extra.append(person)
        for invitation in invite(survey, *extra):
            answer(invitation, **FULL, long="意见" * 3)
        for i in range(n):
            make_survey(title=f"问卷{i}")

    def test_pages_do_not_grow_with_the_data(self, liaison_client, staff_client, world):
        survey = world["survey"]
        answer(world["inv"]["单志强"], **FULL, long="一条意见")
        pages = [
            (liaison_client, "/surveys/"),
            (liaison_client, f"/surveys/{survey.pk}/"),
            (liaison_client, f"/surveys/{survey.pk}/invitations/"),
            (liaison_client, f"/surveys/{survey.pk}/results/"),
            (liaison_client, f"/surveys/{survey.pk}/results/{survey.questions.get(kind='long').pk}/"),
            (staff_client, "/surveys/todo/"),
        ]
        small = [count_queries(client, url) for client, url in pages]
        self._grow(world, 15)
        large = [count_queries(client, url) for client, url in pages]
        assert large == small
        assert max(small) <= 20


class TestTeamSection:
    def test_the_team_page_shows_its_progress_to_its_members_the_office_and_leadership(
        self, staff_client, liaison_client, leader_client, world
    ):
        answer(world["inv"]["单志强"], submit=False, single=0)
        answer(world["inv"]["曾国华"], **FULL)
        url = f"/liaison/teams/{world['ours'].pk}/"
        for client in (staff_client, liaison_client, leader_client):
            text = client.get(url).content.decode()
            assert "状况调查" in text
            assert "已发送 2 · 草稿 1 · 已提交 1" in text
        assert "本专班待填写问卷" in staff_client.get(url).content.decode()
        # another team's page shows the member nothing of it
        assert (
            'data-testid="team-surveys"'
            not in staff_client.get(f"/liaison/teams/{world['theirs'].pk}/").content.decode()
        )


def test_a_draft_is_not_sent_from_its_page(liaison_client, liaison_officer, world):
    draft = make_survey(liaison_officer.user, title="草稿", opened=False)
    response = liaison_client.post(f"/surveys/{draft.pk}/send/", {"source": "registry"})
    assert response["Location"] == f"/surveys/{draft.pk}/"
    assert not draft.invitations.exists()


def test_a_forged_version_is_refused_with_a_message(staff_client, world):
    invitation = world["inv"]["单志强"]
    response = staff_client.post(
        f"/surveys/invitations/{invitation.pk}/fill/",
        {**fill_data(world["survey"], "draft", single="1"), "version": "x"},
    )
    assert response.status_code == 200
    assert "页面已过期" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).state == InvitationState.PENDING


def test_two_people_editing_a_survey_lose_nothing(liaison_client, liaison_officer):
    from tests.pages import form_data

    survey = make_survey(liaison_officer.user, opened=False)
    url = f"/surveys/{survey.pk}/edit/"
    mine = form_data(liaison_client.get(url).content, "title")
    theirs = form_data(liaison_client.get(url).content, "title")
    assert liaison_client.post(url, {**theirs, "closes_on": "2099-12-31"}).status_code == 302
    response = liaison_client.post(url, {**mine, "title": "我改的名称"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "保存未成功" in text
    assert "我改的名称" in text
    survey.refresh_from_db()
    assert survey.title == "2026年科技工作者状况调查"
    assert str(survey.closes_on) == "2099-12-31"
    # sent again, knowingly
    again = form_data(text, "title")
    assert liaison_client.post(url, again).status_code == 302
    assert Survey.objects.get().title == "我改的名称"
