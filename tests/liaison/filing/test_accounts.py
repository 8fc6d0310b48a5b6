"""Grassroots accounts (issue 16 §1): opened by the liaison office, handed out as a one-time password (changed
at the first login) or a set-password link, reset, disabled (at once) and re-enabled."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from liaison.models import GrassrootsAccount
from tests.conftest import count_queries
from tests.liaison.filing.factories import make_account
from tests.liaison.plan.factories import make_year, org

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kexie-2026-jixie"


@pytest.fixture
def society():
    return org(name="辽川市机械工程学会")


def _create(client, society, handout: str, **extra):
    data = {"username": "jixie", "holder": "周秘书长", "email": "", "handout": handout, **extra}
    return client.post(f"/filing/org/{society.pk}/accounts/new/", data)


def _one_time_password(response) -> str:
    return re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(1)


def test_one_time_password_then_forced_change(liaison_client, society):
    make_year(2026)
    response = _create(liaison_client, society, "password")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = _one_time_password(response)
    account = GrassrootsAccount.objects.get(user__username="jixie")
    assert (account.organization, account.holder, account.must_change_password) == (society, "周秘书长", True)

    client = Client()
    response = client.post("/login/", {"username": "jixie", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/password/change/"
    # every other page sends it back to the change-password page
    assert client.get(f"/filing/org/{society.pk}/")["Location"] == "/password/change/"
    response = client.post(
        "/password/change/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.must_change_password is False
    assert client.get(f"/filing/org/{society.pk}/").status_code == 200
    client.logout()
    assert client.login(username="jixie", password=NEW_PASSWORD)


def test_a_wrong_old_password_keeps_the_change_pending(liaison_client, society):
    password = _one_time_password(_create(liaison_client, society, "password"))
    client = Client()
    client.login(username="jixie", password=password)
    response = client.post(
        "/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert GrassrootsAccount.objects.get().must_change_password is True


def test_set_password_link_emailed_and_used(liaison_client, society):
    response = _create(liaison_client, society, "link", email="zhou@example.org")
    link = re.search(r'value="(http[^"]+)"', response.content.decode()).group(1)
    assert "/password/reset/" in link
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhou@example.org"]
    assert link in mail.outbox[0].body
    user = User.objects.get(username="jixie")
    assert not user.has_usable_password()

    client = Client()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert Client().login(username="jixie", password=NEW_PASSWORD)
    assert GrassrootsAccount.objects.get().must_change_password is False
    # the link is spent
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False


def test_link_without_email_is_shown_only(liaison_client, society):
    response = _create(liaison_client, society, "link")
    assert "账号未填邮箱，请复制后发给使用人。" in response.content.decode()
    assert mail.outbox == []


def test_reset_voids_the_old_password(liaison_client, society):
    account = make_account(society, "jixie")
    client = Client()
    assert client.login(username="jixie", password="test-pass-123")
    response = liaison_client.post(f"/filing/accounts/{account.pk}/handout/", {"handout": "password"})
    new = _one_time_password(response)
    assert not Client().login(username="jixie", password="test-pass-123")
    assert Client().login(username="jixie", password=new)
    account.refresh_from_db()
    assert account.must_change_password is True


def test_disabling_stops_login_at_once_and_enabling_restores_it(liaison_client, society):
    make_year(2026)
    account = make_account(society, "jixie")
    client = Client()
    assert client.login(username="jixie", password="test-pass-123")
    assert client.get(f"/filing/org/{society.pk}/").status_code == 200
    response = liaison_client.post(f"/filing/accounts/{account.pk}/active/", {"active": "0"}, follow=True)
    assert "已停用账号“jixie”" in response.content.decode()
    # the open session is gone at its next request, and logging in is refused
    response = client.get(f"/filing/org/{society.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not Client().login(username="jixie", password="test-pass-123")
    liaison_client.post(f"/filing/accounts/{account.pk}/active/", {"active": "1"})
    assert Client().login(username="jixie", password="test-pass-123")


def test_username_taken_keeps_what_was_typed(liaison_client, society):
    User.objects.create_user("jixie")
    response = _create(liaison_client, society, "password")
    assert response.status_code == 200
    text = response.content.decode()
    assert "该用户名已被使用，请换一个。" in text
    assert 'value="周秘书长"' in text


def test_only_the_office_manages_accounts(staff_client, leader_client, society):
    account = make_account(society, "jixie")
    for client in (staff_client, leader_client):
        assert _create(client, society, "password").status_code == 403
        assert client.get("/filing/accounts/").status_code == 403
        assert client.get(f"/filing/accounts/{account.pk}/").status_code == 403
        assert client.post(f"/filing/accounts/{account.pk}/active/", {"active": "0"}).status_code == 403
        assert client.post(f"/filing/accounts/{account.pk}/handout/", {"handout": "link"}).status_code == 403
    account.user.refresh_from_db()
    assert account.user.is_active


def test_account_lists(liaison_client, society):
    make_account(society, "jixie")
    other = org(name="辽川市化工学会")
    make_account(other, "huagong")
    page = liaison_client.get(f"/filing/org/{society.pk}/")
    assert [a.user.username for a in page.context["accounts"]] == ["jixie"]
    listing = liaison_client.get("/filing/accounts/", {"q": "huagong"})
    assert [a.user.username for a in listing.context["page"].object_list] == ["huagong"]
    listing = liaison_client.get("/filing/accounts/", {"q": "jxgc"})  # the organisation's pinyin initials
    assert [a.user.username for a in listing.context["page"].object_list] == ["jixie"]
    few = count_queries(liaison_client, "/filing/accounts/")
    for i in range(15):
        make_account(org(name=f"学会{i}"), f"acc{i}")
    assert count_queries(liaison_client, "/filing/accounts/") == few


def test_staff_and_admin_roles_outrank_an_account(liaison_officer, society):
    from liaison.people.access import Role, role_of

    GrassrootsAccount.objects.create(user=liaison_officer.user, organization=society)
    assert role_of(liaison_officer.user) == Role.LIAISON_OFFICE


def test_an_organisation_taken_out_of_the_registry_takes_its_accounts_with_it(society):
    make_year(2026)
    make_account(society, "jixie")
    client = Client()
    assert client.login(username="jixie", password="test-pass-123")
    assert client.get(f"/filing/org/{society.pk}/").status_code == 200
    society.is_active = False  # 停用 in the registry
    society.save()
    # the open session ends at its next request, with the reason
    response = client.get(f"/filing/org/{society.pk}/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "本组织已在名录中停用，基层账号暂不能使用" in response.content.decode()
    assert client.get("/filing/mine/").status_code == 302  # logged out
    # logging in again leads nowhere but back to the login page
    assert client.login(username="jixie", password="test-pass-123")
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/login/")
    # restored, the account works again
    society.is_active = True
    society.save()
    assert client.login(username="jixie", password="test-pass-123")
    assert client.get(f"/filing/org/{society.pk}/").status_code == 200
