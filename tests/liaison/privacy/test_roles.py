"""三员分立: the system, security and audit administrators, kept apart, and the Django admin under them."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client

from liaison.people.access import ROLE_LABELS, Role, role_of
from tests.factories import PASSWORD, OfficerFactory, UserFactory
from tests.liaison.privacy.factories import admin_account

pytestmark = pytest.mark.django_db

LOGENTRY = "/admin/auditlog/logentry/"
VIEWLOG = "/admin/liaison/personaldataview/"
SUBJECTS = "/admin/liaison/personaldatasubject/"
USERS = "/admin/auth/user/"


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def system():
    return admin_account("xitong", "系统管理员")


@pytest.fixture
def security():
    return admin_account("anquan", "安全保密管理员")


@pytest.fixture
def auditor():
    return admin_account("shenji", "安全审计员")


def test_the_three_roles_come_from_their_groups(system, security, auditor):
    assert role_of(User.objects.get(pk=system.pk)) == Role.SYSTEM_ADMIN
    assert role_of(User.objects.get(pk=security.pk)) == Role.SECURITY_ADMIN
    assert role_of(User.objects.get(pk=auditor.pk)) == Role.AUDITOR
    assert [ROLE_LABELS[r] for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)] == [
        "系统管理员",
        "安全保密管理员",
        "安全审计员",
    ]


def test_an_account_in_two_administrator_groups_is_none_of_them(system):
    system.groups.add(Group.objects.get(name="安全审计员"))
    assert role_of(User.objects.get(pk=system.pk)) == Role.NONE


def test_the_shell_shows_the_role(auditor):
    assert "安全审计员" in client_for(auditor).get("/experts/").content.decode()


class TestAuditLogs:
    def test_the_auditor_reads_the_change_log_and_the_view_log(self, auditor):
        OfficerFactory()  # writes a change log entry
        client = client_for(auditor)
        for url in [LOGENTRY, VIEWLOG, SUBJECTS]:
            assert client.get(url).status_code == 200, url
        entry = LogEntry.objects.first()
        assert client.get(f"{LOGENTRY}{entry.pk}/change/").status_code == 200
        assert "个人信息查看记录" in client.get("/admin/").content.decode()

    def test_the_auditor_changes_and_deletes_nothing(self, auditor):
        OfficerFactory()
        entry = LogEntry.objects.first()
        client = client_for(auditor)
        assert client.post(f"{LOGENTRY}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        assert LogEntry.objects.filter(pk=entry.pk).exists()
        assert client.get(f"{VIEWLOG}add/").status_code == 403
        assert client.get(USERS).status_code == 403
        assert client.get("/admin/experts/scientist/").status_code == 403

    @pytest.mark.parametrize("who", ["system", "security", "admin_user"])
    def test_nobody_else_reads_the_audit_logs_not_even_a_superuser(self, request, who):
        client = client_for(request.getfixturevalue(who))
        for url in [LOGENTRY, VIEWLOG, SUBJECTS]:
            assert client.get(url).status_code == 403, (who, url)


class TestAccounts:
    def test_the_system_administrator_manages_accounts_but_not_roles(self, system):
        target = UserFactory(username="xinren")
        client = client_for(system)
        page = client.get(f"{USERS}{target.pk}/change/")
        assert page.status_code == 200
        form = page.context["adminform"].form
        assert "email" in form.fields
        assert "groups" not in form.fields  # read-only for the system administrator
        assert "is_superuser" not in form.fields
        assert client.get(f"{USERS}{target.pk}/password/").status_code == 200
        assert client.get(f"{USERS}add/").status_code == 200

    def test_the_security_administrator_assigns_roles_but_not_passwords_or_names(self, security):
        target = UserFactory(username="xinren")
        client = client_for(security)
        form = client.get(f"{USERS}{target.pk}/change/").context["adminform"].form
        assert "groups" in form.fields
        assert "is_staff" in form.fields
        assert "email" not in form.fields
        assert "is_superuser" not in form.fields
        assert client.get(f"{USERS}{target.pk}/password/").status_code == 403
        assert client.get(f"{USERS}add/").status_code == 403
        assert client.get("/admin/axes/accessattempt/").status_code == 200  # lockouts

    def test_no_administrator_edits_a_superuser(self, system, security, admin_user):
        for who in (system, security):
            client = client_for(who)
            assert client.post(f"{USERS}{admin_user.pk}/change/", {}).status_code == 403

    def test_the_security_administrator_cannot_give_two_administrator_roles(self, security):
        target = UserFactory(username="xinren")
        groups = Group.objects.filter(name__in=["系统管理员", "安全审计员"])
        response = client_for(security).post(
            f"{USERS}{target.pk}/change/",
            {"is_staff": "on", "groups": [g.pk for g in groups]},
        )
        assert response.status_code == 200
        assert "一个账号只能担任" in response.content.decode()
        assert not target.groups.exists()

    def test_a_working_account_cannot_become_the_auditor(self, security, dept_staff):
        auditors = Group.objects.get(name="安全审计员")
        response = client_for(security).post(
            f"{USERS}{dept_staff.user.pk}/change/", {"groups": [auditors.pk]}
        )
        assert response.status_code == 200
        assert "工作账号不能担任" in response.content.decode()
        assert not dept_staff.user.groups.exists()

    def test_the_security_administrator_assigns_the_auditor_role(self, security):
        target = UserFactory(username="xinren")
        auditors = Group.objects.get(name="安全审计员")
        response = client_for(security).post(
            f"{USERS}{target.pk}/change/", {"is_staff": "on", "groups": [auditors.pk]}
        )
        assert response.status_code == 302
        assert role_of(User.objects.get(pk=target.pk)) == Role.AUDITOR

    def test_the_system_administrator_cannot_raise_anyone(self, system):
        target = UserFactory(username="xinren")
        response = client_for(system).post(
            f"{USERS}{target.pk}/change/",
            {
                "username": "xinren",
                "is_active": "on",
                "is_superuser": "on",
                "is_staff": "on",
                "groups": [Group.objects.get(name="安全审计员").pk],
            },
        )
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.is_superuser is False
        assert target.is_staff is False
        assert not target.groups.exists()


class TestGrants:
    def test_the_security_administrator_cannot_grant_a_permission_on_the_data(self, security):
        from django.contrib.auth.models import Permission

        client = client_for(security)
        change_scientist = Permission.objects.get(codename="change_scientist")
        response = client.post(
            "/admin/auth/group/add/", {"name": "编辑科技工作者", "permissions": [change_scientist.pk]}
        )
        assert response.status_code == 200  # the form refuses the choice
        assert not Group.objects.filter(name="编辑科技工作者").exists()
        target = UserFactory(username="xinren")
        client.post(f"{USERS}{target.pk}/change/", {"user_permissions": [change_scientist.pk]})
        assert not User.objects.get(pk=target.pk).has_perm("experts.change_scientist")

    def test_the_security_administrator_makes_a_group_of_account_permissions(self, security):
        from django.contrib.auth.models import Permission

        view_user = Permission.objects.get(codename="view_user")
        response = client_for(security).post(
            "/admin/auth/group/add/", {"name": "账号查看", "permissions": [view_user.pk]}
        )
        assert response.status_code == 302
        assert list(Group.objects.get(name="账号查看").permissions.all()) == [view_user]

    def test_nobody_but_a_superuser_changes_the_three_groups(self, security):
        auditors = Group.objects.get(name="安全审计员")
        response = client_for(security).post(f"/admin/auth/group/{auditors.pk}/change/", {"name": "改名"})
        assert response.status_code == 403
        assert Group.objects.filter(name="安全审计员").exists()
