"""The scientist registry: fields, duplicates, phones, list filters and search, contact details."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from orgs.models import OrgKind
from tests.conftest import count_queries, listed
from tests.factories import OrganizationFactory, ScientistFactory

pytestmark = pytest.mark.django_db


def _post(**overrides) -> dict:
    data = {
        "name": "单志强",
        "gender": "M",
        "birth_date": "1968-03-12",
        "employer": "辽川理工大学",
        "organization": "",
        "post": "副校长",
        "title": "教授",
        "discipline": "材料科学",
        "category": TalentCategory.RENOWNED,
        "four_heads": "",
        "mobile": "138 1234 5678",
        "email": "shan@example.cn",
        "notes": "",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_liaison_office_creates_a_scientist(self, liaison_client):
        response = liaison_client.post(reverse("experts:create"), _post())
        scientist = Scientist.objects.get()
        assert response["Location"] == scientist.get_absolute_url()
        assert scientist.mobile == "13812345678"
        assert (scientist.name_pinyin, scientist.name_initials) == ("shanzhiqiang", "szq")
        assert scientist.birth_date == datetime.date(1968, 3, 12)

    def test_same_name_at_same_employer_is_refused_with_a_link(self, liaison_client):
        existing = ScientistFactory(name="单志强", employer="辽川理工大学")
        response = liaison_client.post(reverse("experts:create"), _post())
        assert response.status_code == 200
        text = response.content.decode()
        assert "已有名为“单志强”的科技工作者" in text
        assert f'href="{existing.get_absolute_url()}"' in text
        assert 'value="副校长"' in text  # nothing typed is lost
        assert Scientist.objects.count() == 1

    def test_same_name_at_another_employer_is_allowed(self, liaison_client):
        ScientistFactory(name="单志强", employer="辽川医科大学")
        liaison_client.post(reverse("experts:create"), _post())
        assert Scientist.objects.filter(name="单志强").count() == 2

    def test_editing_keeps_own_name_without_duplicate_error(self, liaison_client):
        scientist = ScientistFactory(name="单志强", employer="辽川理工大学")
        response = liaison_client.post(reverse("experts:edit", args=[scientist.pk]), _post(title="研究员"))
        assert response.status_code == 302
        scientist.refresh_from_db()
        assert scientist.title == "研究员"

    @pytest.mark.parametrize("mobile", ["12345", "1381234567", "024-1234"])
    def test_invalid_phone_is_refused_and_input_kept(self, liaison_client, mobile):
        response = liaison_client.post(reverse("experts:create"), _post(mobile=mobile))
        assert response.status_code == 200
        text = response.content.decode()
        assert "有效的电话号码" in text
        assert f'value="{mobile}"' in text
        assert not Scientist.objects.exists()

    def test_landline_is_accepted_and_normalised(self, liaison_client):
        liaison_client.post(reverse("experts:create"), _post(mobile="(024)2345 6789"))
        assert Scientist.objects.get().mobile == "024-23456789"

    def test_required_fields_have_chinese_errors(self, liaison_client):
        response = liaison_client.post(reverse("experts:create"), _post(name="", employer="", category=""))
        assert response.status_code == 200
        assert "这个字段是必填项" in response.content.decode()


class TestList:
    @pytest.fixture
    def people(self):
        university = OrganizationFactory(name="辽川理工大学科协", kind=OrgKind.UNIVERSITY)
        month = timezone.localdate().month
        other_month = month % 12 + 1
        return {
            "academician": ScientistFactory(
                name="曾国华",
                category=TalentCategory.ACADEMICIAN,
                organization=university,
                discipline="冶金工程",
            ),
            "young": ScientistFactory(
                name="李青", category=TalentCategory.YOUNG, birth_date=datetime.date(1990, month, 1)
            ),
            "frontline": ScientistFactory(
                name="王田",
                category=TalentCategory.FRONTLINE,
                birth_date=datetime.date(1975, other_month, 2),
                discipline="农学",
            ),
            "retired": ScientistFactory(name="赵退", is_active=False),
        }

    def test_filters(self, staff_client, people):
        url = reverse("experts:list")
        assert listed(staff_client.get(url, {"category": TalentCategory.YOUNG})) == {"李青"}
        assert listed(staff_client.get(url, {"academician": "1"})) == {"曾国华"}
        org = people["academician"].organization
        assert listed(staff_client.get(url, {"organization": org.pk})) == {"曾国华"}
        assert listed(staff_client.get(url, {"discipline": "冶金"})) == {"曾国华"}
        assert listed(staff_client.get(url, {"birthday": "month"})) == {"李青"}
        assert listed(staff_client.get(url)) == {"曾国华", "李青", "王田"}
        assert listed(staff_client.get(url, {"active": "0"})) == {"赵退"}

    @pytest.mark.parametrize("query", ["曾国", "zengguohua", "zgh", "ZGH", "guohua"])
    def test_search_by_name_pinyin_and_initials(self, staff_client, people, query):
        assert listed(staff_client.get(reverse("experts:list"), {"q": query})) == {"曾国华"}

    def test_query_count_does_not_grow_with_rows(self, leader_client, people):
        url = reverse("experts:list")
        few = count_queries(leader_client, url)
        org = OrganizationFactory(name="辽川医学会")
        for i in range(25):
            ScientistFactory(name=f"医生{i}", organization=org, mobile="13912345678")
        assert count_queries(leader_client, url) == few
        assert few <= 10


class TestContactDetails:
    @pytest.fixture
    def scientist(self):
        return ScientistFactory(name="单志强", mobile="13812345678", email="shan@example.cn")

    @pytest.mark.parametrize("client_name", ["leader_client", "liaison_client", "admin_client_"])
    def test_leadership_liaison_and_admin_see_phone_and_email(self, request, client_name, scientist):
        client = request.getfixturevalue(client_name)
        detail = client.get(scientist.get_absolute_url()).content.decode()
        assert "13812345678" in detail
        assert "shan@example.cn" in detail
        assert "13812345678" in client.get(reverse("experts:list")).content.decode()

    @pytest.mark.parametrize("client_name", ["staff_client", "outsider_client"])
    def test_others_never_see_phone_or_email(self, request, client_name, scientist):
        client = request.getfixturevalue(client_name)
        detail = client.get(scientist.get_absolute_url()).content.decode()
        assert "单志强" in detail
        assert "13812345678" not in detail
        assert "shan@example.cn" not in detail
        assert "仅领导和组织联络部可见" in detail
        assert "13812345678" not in client.get(reverse("experts:list")).content.decode()


def test_deactivate_keeps_the_record(liaison_client):
    scientist = ScientistFactory()
    liaison_client.post(reverse("experts:set_active", args=[scientist.pk]), {"active": "0"})
    scientist.refresh_from_db()
    assert scientist.is_active is False
