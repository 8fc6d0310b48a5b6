"""Departments and staff: the association's own people, and the login page and site shell."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from liaison.models import Department, Position, Staff
from tests.conftest import count_queries, listed
from tests.factories import PASSWORD, DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_logs_in(client, liaison_officer):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page
    assert "密码" in page
    assert "登录" in page
    bad = client.post(reverse("login"), {"username": "lianluo", "password": "wrong"})
    assert "用户名或密码不正确" in bad.content.decode()
    assert 'value="lianluo"' in bad.content.decode()
    good = client.post(reverse("login"), {"username": "lianluo", "password": PASSWORD})
    assert good.status_code == 302
    assert good["Location"] == reverse("home")


def test_login_follows_next(client, liaison_officer):
    response = client.post(
        reverse("login") + "?next=/orgs/", {"username": "lianluo", "password": PASSWORD, "next": "/orgs/"}
    )
    assert response["Location"] == "/orgs/"


@pytest.mark.parametrize(
    ("client_name", "expected"),
    [
        ("liaison_client", ["刘联络", "组织联络部"]),
        ("leader_client", ["王领导", "领导"]),
        ("staff_client", ["陈干部", "科普部", "工作人员"]),
        ("outsider_client", ["waibu", "尚未登记为本会干部"]),
    ],
)
def test_site_shell_shows_user_role_and_year(request, client_name, expected):
    from django.utils import timezone

    text = request.getfixturevalue(client_name).get(reverse("home")).content.decode()
    for piece in [*expected, f"{timezone.localdate().year} 年度", "退出登录"]:
        assert piece in text


def test_admin_link_only_for_superusers(admin_client_, liaison_client):
    assert 'href="/admin/"' in admin_client_.get(reverse("home")).content.decode()
    assert 'href="/admin/"' not in liaison_client.get(reverse("home")).content.decode()


class TestModels:
    def test_only_one_liaison_office(self, liaison_office):
        with pytest.raises(IntegrityError), transaction.atomic():
            Department.objects.create(name="第二联络部", is_liaison_office=True)

    def test_staff_needs_a_department_unless_leadership(self):
        user = get_user_model().objects.create(username="x")
        with pytest.raises(ValidationError) as error:
            Staff(user=user, name="无部室", position=Position.STAFF).full_clean()
        assert "必须属于一个部室" in str(error.value)
        Staff(user=user, name="领导", position=Position.LEADERSHIP).full_clean()

    def test_display_title(self, leader):
        assert leader.display_title == "王领导（副主席）"


class TestPages:
    def test_staff_list_filters_by_department_and_search(self, staff_client, liaison_officer, dept_staff):
        url = reverse("liaison:staff_list")
        assert listed(staff_client.get(url)) == {"刘联络", "陈干部"}
        assert listed(staff_client.get(url, {"department": liaison_officer.department_id})) == {"刘联络"}
        assert listed(staff_client.get(url, {"q": "cgb"})) == {"陈干部"}
        assert listed(staff_client.get(url, {"position": Position.DEPARTMENT_HEAD})) == {"刘联络"}

    def test_many_departments_get_a_search_box_and_the_department_links_keep_working(
        self, staff_client, liaison_officer, dept_staff
    ):
        url = reverse("liaison:staff_list")
        params = {"department": liaison_officer.department_id}
        few = count_queries(staff_client, url, params)
        assert '<select name="department"' in staff_client.get(url).content.decode()
        for i in range(51):
            DepartmentFactory(name=f"第{i:02d}办公室")
        html = staff_client.get(url).content.decode()
        assert '<select name="department"' not in html
        assert 'name="department_q"' in html
        assert count_queries(staff_client, url, params) == few

        response = staff_client.get(url, params)  # the link of each department's button
        assert listed(response) == {"刘联络"}
        assert 'data-testid="picked-department">组织联络部' in response.content.decode()
        assert listed(staff_client.get(url, {"department_q": "科普"})) == {"陈干部"}
        assert "所选的部室不存在" in staff_client.get(url, {"department": 999999}).content.decode()

        suggest = reverse("liaison:staff_filter_suggest", args=["department"])
        found = staff_client.get(suggest, {"department_q": "联络"}).content.decode()
        assert f'name="department" value="{liaison_officer.department_id}"' in found
        assert staff_client.get(reverse("liaison:staff_filter_suggest", args=["position"])).status_code == 404

    def test_liaison_office_creates_staff_with_account_that_cannot_log_in(
        self, liaison_client, other_department
    ):
        response = liaison_client.post(
            reverse("liaison:staff_create"),
            {
                "username": "zhangsan",
                "name": "张三",
                "department": other_department.pk,
                "position": Position.STAFF,
                "title": "科员",
                "phone": "13912345678",
                "order": 0,
                "is_active": "on",
            },
        )
        staff = Staff.objects.get(name="张三")
        assert response["Location"] == staff.get_absolute_url()
        assert staff.user.username == "zhangsan"
        assert not staff.user.has_usable_password()

    def test_duplicate_username_is_refused(self, liaison_client, other_department, liaison_officer):
        response = liaison_client.post(
            reverse("liaison:staff_create"),
            {
                "username": "LianLuo",
                "name": "重名",
                "department": other_department.pk,
                "position": "staff",
                "order": 0,
            },
        )
        assert response.status_code == 200
        assert "该用户名已被使用" in response.content.decode()
        assert 'value="重名"' in response.content.decode()

    def test_edit_staff_keeps_username(self, liaison_client, dept_staff):
        response = liaison_client.post(
            reverse("liaison:staff_edit", args=[dept_staff.pk]),
            {
                "username": "hacked",
                "name": "陈干部",
                "department": dept_staff.department_id,
                "position": Position.DEPARTMENT_HEAD,
                "title": "部长",
                "phone": "",
                "order": 1,
                "is_active": "on",
                "version": dept_staff.version,
            },
        )
        assert response.status_code == 302
        dept_staff.refresh_from_db()
        assert dept_staff.user.username == "ganbu"
        assert dept_staff.position == Position.DEPARTMENT_HEAD

    def test_second_liaison_office_is_refused_in_the_form(self, liaison_client, liaison_office):
        response = liaison_client.post(
            reverse("liaison:department_create"), {"name": "新部室", "is_liaison_office": "on", "order": 3}
        )
        assert response.status_code == 200
        assert "只能有一个" in response.content.decode()

    def test_department_created(self, liaison_client):
        liaison_client.post(reverse("liaison:department_create"), {"name": "信息中心", "order": 9})
        assert Department.objects.filter(name="信息中心").exists()


def test_staff_factory_personas_are_distinct():
    a, b = StaffFactory(), StaffFactory()
    assert a.user != b.user
    assert DepartmentFactory(name="办公室") == DepartmentFactory(name="办公室")
