"""The one-time link (surveys/public.py): no login, no session, that survey only, a draft then one
submission, a plain message afterwards, and nothing else of the site reachable with it."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from surveys import services
from surveys.models import InvitationState
from tests.factories import ScientistFactory, today
from tests.surveys.factories import invite, make_survey, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    survey = make_survey()
    invitation = invite(survey, ScientistFactory(name="单志强"))[0]
    token = services.link_make(invitation=invitation)
    invitation.refresh_from_db()
    return survey, invitation, f"/surveys/a/{token}/"


def data(survey, version, action, **values):
    by_kind = questions(survey)
    return {"action": action, "version": version, **{f"q{by_kind[k].pk}": v for k, v in values.items()}}


def test_the_scientist_answers_without_an_account_in_two_sittings(client, linked):
    survey, invitation, url = linked
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "单志强，您好" in text
    assert "您的工作单位类型" in text
    assert page["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    # nothing of the site is linked from it
    assert 'href="/' not in text.replace('href="/static/', "")

    saved = client.post(url, data(survey, invitation.version, "draft", single="1", short="人才政策"))
    assert saved.status_code == 302
    assert saved["Location"] == f"{url}?saved=1"
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DRAFT
    assert invitation.channel == "link"
    back = client.get(saved["Location"])
    assert "草稿已保存" in back.content.decode()
    assert "人才政策" in back.content.decode()

    done = client.post(
        url, data(survey, invitation.version, "submit", single="1", multiple=["2"], scale="5", number="38")
    )
    assert done.status_code == 200
    assert "问卷已提交" in done.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SUBMITTED
    assert invitation.submitted_by is None
    assert invitation.token_hash == ""  # spent
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    # the link now shows a plain message, and a second submission is impossible
    assert "链接无效" in client.get(url).content.decode()
    client.post(
        url, data(survey, invitation.version, "submit", single="0", multiple=["0"], scale="1", number="1")
    )
    assert invitation.answers.get(question__kind="number").number == 38


def test_required_answers_are_asked_for_and_what_was_typed_kept(client, linked):
    survey, invitation, url = linked
    response = client.post(url, data(survey, invitation.version, "submit", short="只填了这一题"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "此题必答" in text
    assert "只填了这一题" in text
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_no_other_page_is_reachable_with_it(client, linked):
    survey, invitation, url = linked
    client.get(url)
    for other in [
        "/",
        "/surveys/",
        f"/surveys/{survey.pk}/",
        f"/surveys/invitations/{invitation.pk}/fill/",
        f"/experts/{invitation.scientist_id}/",
    ]:
        response = client.get(other)
        assert response.status_code == 302, other
        assert "/login/" in response["Location"], other


def test_a_closed_or_not_yet_open_survey_shows_a_plain_message(client, linked):
    survey, _invitation, url = linked
    services.survey_close(survey=survey)
    response = client.get(url)
    assert "不在填写期内" in response.content.decode()
    assert "您的工作单位类型" not in response.content.decode()


def test_before_the_period_the_link_does_not_open():
    survey = make_survey(
        opens_on=today() + datetime.timedelta(days=3), closes_on=today() + datetime.timedelta(days=9)
    )
    invitation = invite(survey, ScientistFactory())[0]
    token = services.link_make(invitation=invitation)
    from django.test import Client

    assert "不在填写期内" in Client().get(f"/surveys/a/{token}/").content.decode()


def test_an_unknown_token_names_nothing(client):
    response = client.get("/surveys/a/" + "x" * 43 + "/")
    assert response.status_code == 200
    assert "链接无效" in response.content.decode()
    assert client.post("/surveys/a/" + "x" * 500 + "/", {"action": "submit"}).status_code == 200
