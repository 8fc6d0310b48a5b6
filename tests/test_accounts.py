"""Accounts (docs/deployment.md): Argon2id hashing that upgrades old hashes, a deactivated person locked out at
once, sessions that end when idle and at browser close, changing one's own password, resetting a forgotten
one by email, and server errors mailed to the administrators."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from kexie.settings import base
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = base.PASSWORD_HASHERS


def test_the_preferred_hash_is_argon2id_at_owasp_s_minimum(settings):
    assert PRODUCTION_HASHERS[0] == "kexie.hashers.Argon2idHasher"
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    assert make_password("一个密码").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_pbkdf2_hash_is_upgraded_at_the_next_login(settings, dept_staff):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = dept_staff.user
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert Client().login(username=user.username, password=PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_deactivated_person_is_logged_out_at_once_and_cannot_log_in(staff_client, dept_staff):
    assert staff_client.get(reverse("liaison:my_work")).status_code == 200
    dept_staff.is_active = False
    dept_staff.save()
    response = staff_client.get(reverse("liaison:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not Client().login(username=dept_staff.user.username, password=PASSWORD)
    dept_staff.is_active = True
    dept_staff.save()
    assert Client().login(username=dept_staff.user.username, password=PASSWORD)


def test_sessions_end_when_idle_for_thirty_minutes_and_when_the_browser_closes(dept_staff):
    from kexie.middleware import KEY

    staff_client = Client()
    login = staff_client.post(reverse("login"), {"username": dept_staff.user.username, "password": PASSWORD})
    assert login.status_code == 302
    cookie = login.cookies["sessionid"]  # a browser-session cookie: no expiry of its own
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert staff_client.session.get_expiry_age() == 30 * 60
    assert staff_client.session.get_expire_at_browser_close()
    # within the minute the session is not written again; a minute later activity moves its expiry forward
    assert "sessionid" not in staff_client.get(reverse("liaison:my_work")).cookies
    session = staff_client.session
    session[KEY] -= 61
    session.save()
    assert "sessionid" in staff_client.get(reverse("liaison:my_work")).cookies


def test_an_idle_session_is_over(staff_client, dept_staff):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff_client.get(reverse("liaison:my_work"))
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))  # 30 idle minutes on
    response = staff_client.get(reverse("liaison:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_person_changes_their_own_password(staff_client, dept_staff):
    url = reverse("password_change")
    wrong = staff_client.post(
        url, {"old_password": "不对", "new_password1": "Kx-新密码-2026", "new_password2": "Kx-新密码-2026"}
    )
    assert wrong.status_code == 200
    assert "旧密码不正确" in wrong.content.decode()
    response = staff_client.post(
        url, {"old_password": PASSWORD, "new_password1": "Kx-新密码-2026", "new_password2": "Kx-新密码-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert Client().login(username=dept_staff.user.username, password="Kx-新密码-2026")
    assert not Client().login(username=dept_staff.user.username, password=PASSWORD)


def test_a_forgotten_password_is_reset_by_email(client, dept_staff):
    dept_staff.user.email = "zhao@example.org"
    dept_staff.user.save()
    assert client.get(reverse("password_reset")).status_code == 200  # no login needed
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert unknown.status_code == 302
    assert mail.outbox == []  # the page says the same either way; nothing is sent to a stranger
    client.post(reverse("password_reset"), {"email": "zhao@example.org"})
    (message,) = mail.outbox
    assert message.subject == "市科协联系科技工作者工作平台：重设密码"
    link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Kx-重设-2026", "new_password2": "Kx-重设-2026"}
    )
    assert done.status_code == 302
    assert Client().login(username=dept_staff.user.username, password="Kx-重设-2026")
    again = client.get(link, follow=True).content.decode()
    assert 'data-testid="invalid-link"' in again  # a link works once


def test_server_errors_are_mailed_to_the_administrators(settings):
    settings.ADMINS = [("管理员", "admin@example.org")]
    logging.getLogger("django.request").error("Internal Server Error: /liaison/records/")
    (message,) = mail.outbox
    assert message.to == ["admin@example.org"]
    assert "Internal Server Error" in message.subject


def test_behind_a_proxy_lockouts_are_per_real_address(settings, dept_staff):
    """With DJANGO_PROXY_COUNT=1 the client's address comes from X-Forwarded-For: eight wrong passwords from
    one address lock that address out for the username, and the right password still works from another."""
    settings.AXES_ENABLED = True
    settings.PROXY_COUNT = 1
    username = dept_staff.user.username
    # the proxy (10.0.0.1) appends what it saw; what the client sent before it is not believed
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": username, "password": "猜错了"})
    locked = attacker.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    colleague = Client(
        HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.0.0.1"
    )  # same proxy, other person
    response = colleague.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_each_request_reads_the_user_with_their_staff_record_and_permissions_in_one_query_each(
    staff_client, dept_staff
):
    """kexie/backends.py: the user and their staff record and department in one query, the user's own and
    their groups' permissions in one more (Django's backend takes four)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_client.get(reverse("experts:list"))
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("experts:list")).status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    user_reads = [s for s in sqls if 'FROM "auth_user"' in s]
    assert len(user_reads) == 1
    assert '"liaison_staff"' in user_reads[0]
    assert '"liaison_department"' in user_reads[0]
    assert not [s for s in sqls if s.startswith("SELECT") and 'FROM "liaison_staff"' in s]
    assert len([s for s in sqls if 'FROM "auth_permission"' in s]) <= 1


def test_permissions_of_the_user_and_of_their_groups_both_count_and_a_removal_counts_at_the_next_request(
    dept_staff,
):
    from django.contrib.auth.models import Group, Permission

    user = dept_staff.user
    client = Client()
    client.force_login(user)
    add_scientist = reverse("experts:create")
    assert client.get(add_scientist).status_code == 403

    editors = Group.objects.create(name="登记员")
    editors.permissions.add(Permission.objects.get(codename="add_scientist"))
    user.groups.add(editors)
    assert client.get(add_scientist).status_code == 200  # through the group

    user.groups.remove(editors)
    assert client.get(add_scientist).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_scientist"))
    assert client.get(add_scientist).status_code == 200  # given to the user directly
