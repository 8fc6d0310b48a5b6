"""Every page requires login; registries are read by everyone logged in and edited only by the liaison
office and admin (docs/design.md, Roles)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liaison.people.access import Role, role_of
from tests.factories import OrganizationFactory, ScientistFactory

pytestmark = pytest.mark.django_db

# The login page, the pages that reset a forgotten password (a link by email) and the health check for load
# balancers (ops/health) and a survey's one-time link for a scientist without an account (surveys/public.py,
# which answers a token that names nothing with a plain message) need no login; so does a person's
# subscribed calendar (a secret address).
PUBLIC = {
    "answer_by_link",
    "healthz",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # a person's subscribed calendar of planned contacts (liaison/schedule/views.py, plan_feed): phone
    # calendars cannot log in; a token that names nobody gets an empty calendar
    "plan_feed",
}
# The phone's sync answers JSON: with no session it says so (401) rather than sending the page's script to
# the login page, and the page keeps its queue (liaison/contacts/sync.py).
JSON_ENDPOINTS = {"record_sync"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _concrete(route: str) -> str:
    """Turn a route into a URL: converters get 1, regex parts (admin) get a plausible value."""
    url = re.sub(r"<(?:int:)?[^>]+>", "1", route)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "")
    url = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", url)
    return "/" + url


def all_urls() -> list[tuple[str, str]]:
    return [(_concrete(route), name) for route, name in _walk(get_resolver().url_patterns)]


def test_the_walk_finds_every_app():
    urls = [url for url, _ in all_urls()]
    for prefix in ["/orgs/", "/experts/", "/liaison/", "/admin/"]:
        assert any(url.startswith(prefix) for url in urls), prefix
    assert len(urls) > 30


@pytest.mark.parametrize(("url", "name"), all_urls())
def test_anonymous_is_sent_to_login(client, url, name):
    if name in PUBLIC:
        assert client.get(url).status_code == 200
        return
    if name in JSON_ENDPOINTS:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 401, (url, response.status_code)
            assert response.json()["status"] == "login"
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (url, response.status_code)
        assert "/login/" in response["Location"], (url, response["Location"])


class TestRoles:
    def test_roles_come_from_staff_records(self, liaison_officer, leader, dept_staff, outsider, admin_user):
        assert role_of(liaison_officer.user) == Role.LIAISON_OFFICE
        assert role_of(leader.user) == Role.LEADERSHIP
        assert role_of(dept_staff.user) == Role.STAFF
        assert role_of(outsider) == Role.NONE
        assert role_of(admin_user) == Role.ADMIN

    def test_department_head_outside_liaison_office(self, other_department):
        from liaison.models import Position
        from tests.factories import StaffFactory

        head = StaffFactory(department=other_department, position=Position.DEPARTMENT_HEAD)
        assert role_of(head.user) == Role.DEPARTMENT_HEAD

    def test_inactive_staff_loses_role(self, liaison_officer):
        liaison_officer.is_active = False
        liaison_officer.save()
        liaison_officer.user.refresh_from_db()
        assert role_of(liaison_officer.user) == Role.NONE


@pytest.fixture
def objects(liaison_officer):
    org = OrganizationFactory(name="和平区科协", kind="district")
    scientist = ScientistFactory()
    return {
        "org": org,
        "scientist": scientist,
        "staff": liaison_officer,
        "department": liaison_officer.department,
    }


def _edit_urls(objects) -> list[tuple[str, str]]:
    """(method, url) of every page that changes a registry."""
    return [
        ("get", reverse("orgs:create")),
        ("post", reverse("orgs:create")),
        ("get", reverse("orgs:edit", args=[objects["org"].pk])),
        ("post", reverse("orgs:edit", args=[objects["org"].pk])),
        ("post", reverse("orgs:set_active", args=[objects["org"].pk])),
        ("get", reverse("experts:create")),
        ("post", reverse("experts:create")),
        ("get", reverse("experts:edit", args=[objects["scientist"].pk])),
        ("post", reverse("experts:edit", args=[objects["scientist"].pk])),
        ("post", reverse("experts:set_active", args=[objects["scientist"].pk])),
        ("get", reverse("liaison:staff_create")),
        ("post", reverse("liaison:staff_create")),
        ("get", reverse("liaison:staff_edit", args=[objects["staff"].pk])),
        ("post", reverse("liaison:staff_edit", args=[objects["staff"].pk])),
        ("get", reverse("liaison:department_create")),
        ("post", reverse("liaison:department_create")),
        ("get", reverse("liaison:department_edit", args=[objects["department"].pk])),
        ("post", reverse("liaison:department_edit", args=[objects["department"].pk])),
    ]


def _read_urls(objects) -> list[str]:
    return [
        reverse("home"),
        reverse("orgs:list"),
        reverse("orgs:detail", args=[objects["org"].pk]),
        reverse("experts:list"),
        reverse("experts:detail", args=[objects["scientist"].pk]),
        reverse("liaison:staff_list"),
        reverse("liaison:staff_detail", args=[objects["staff"].pk]),
    ]


@pytest.mark.parametrize("client_name", ["leader_client", "staff_client", "outsider_client"])
def test_others_cannot_edit_registries(request, client_name, objects):
    client = request.getfixturevalue(client_name)
    for method, url in _edit_urls(objects):
        response = getattr(client, method)(url, {"name": "改名", "active": "0"})
        assert response.status_code == 403, (client_name, method, url)
        assert "没有权限" in response.content.decode()
    objects["org"].refresh_from_db()
    objects["scientist"].refresh_from_db()
    assert objects["org"].is_active
    assert objects["org"].name == "和平区科协"
    assert objects["scientist"].is_active


@pytest.mark.parametrize("group", ["系统管理员", "安全保密管理员", "安全审计员"])
def test_the_three_administrators_change_no_registry(group, objects):
    """三员分立: the administrators keep the system; the data is the liaison office's."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(username="sanyuan")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    assert client.login(username="sanyuan", password=PASSWORD)
    for method, url in _edit_urls(objects):
        assert getattr(client, method)(url, {"name": "改名"}).status_code == 403, (group, method, url)
    objects["org"].refresh_from_db()
    assert objects["org"].name == "和平区科协"


@pytest.mark.parametrize(
    "client_name", ["leader_client", "staff_client", "outsider_client", "liaison_client"]
)
def test_everyone_logged_in_reads_registries(request, client_name, objects):
    client = request.getfixturevalue(client_name)
    for url in _read_urls(objects):
        assert client.get(url).status_code == 200, (client_name, url)


@pytest.mark.parametrize("client_name", ["staff_client", "leader_client"])
def test_edit_buttons_hidden_from_readers(request, client_name, objects):
    client = request.getfixturevalue(client_name)
    text = client.get(reverse("orgs:detail", args=[objects["org"].pk])).content.decode()
    assert reverse("orgs:edit", args=[objects["org"].pk]) not in text
    assert "新增科技工作者" not in client.get(reverse("experts:list")).content.decode()


@pytest.mark.parametrize("client_name", ["liaison_client", "admin_client_"])
def test_liaison_office_and_admin_open_every_edit_page(request, client_name, objects):
    client = request.getfixturevalue(client_name)
    for method, url in _edit_urls(objects):
        if method == "get":
            assert client.get(url).status_code == 200, (client_name, url)


@pytest.mark.parametrize("client_name", ["leader_client", "staff_client", "liaison_client"])
def test_only_admin_opens_the_django_admin(request, client_name):
    response = request.getfixturevalue(client_name).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_logout_requires_post_and_logs_out(liaison_client):
    assert liaison_client.get(reverse("logout")).status_code == 405
    response = liaison_client.post(reverse("logout"))
    assert response.status_code == 302
    assert liaison_client.get(reverse("home")).status_code == 302
