"""The organisation registry: model rules, list and search, detail, forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orgs.models import Officer, Organization, OrgKind
from tests.conftest import count_queries, listed
from tests.factories import OfficerFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heping():
    return OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)


def _org_post(**overrides) -> dict:
    data = {
        "name": "辽川市测绘学会",
        "kind": OrgKind.SOCIETY,
        "parent": "",
        "county": "",
        "address": "文化路 3 号",
        "contact_person": "李明",
        "contact_phone": "024 2345 6789",
        "notes": "",
        "officers-TOTAL_FORMS": "1",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "0",
        "officers-MAX_NUM_FORMS": "1000",
        "officers-0-post": "chair",
        "officers-0-name": "赵主席",
        "officers-0-job": "辽川测绘院院长",
        "officers-0-phone": "13912345678",
    }
    data.update(overrides)
    return data


class TestHierarchyRules:
    def test_township_must_sit_under_a_county(self, heping):
        society = OrganizationFactory(kind=OrgKind.SOCIETY)
        town = Organization(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=society)
        with pytest.raises(ValidationError) as error:
            town.full_clean()
        assert "上级组织必须是区县(市)科协" in str(error.value)
        town.parent = heping
        town.full_clean()

    def test_township_without_parent_is_refused(self):
        with pytest.raises(ValidationError):
            Organization(name="无上级街道科协", kind=OrgKind.TOWNSHIP).full_clean()

    def test_village_must_sit_under_a_township(self, heping):
        town = OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        village = Organization(name="新华社区科协", kind=OrgKind.VILLAGE, parent=heping)
        with pytest.raises(ValidationError) as error:
            village.full_clean()
        assert "上级组织必须是乡镇(街道)科协" in str(error.value)
        village.parent = town
        village.full_clean()
        village.save()
        assert village.county == heping  # located in the county of its township

    def test_hierarchy_cannot_form_a_cycle(self):
        top = OrganizationFactory(name="辽川市医学会")
        middle = OrganizationFactory(name="辽川市医学会分会", parent=top)
        bottom = OrganizationFactory(name="辽川市医学会分会小组", parent=middle)
        top.parent = bottom
        with pytest.raises(ValidationError) as error:
            top.full_clean()
        assert "成环" in str(error.value)
        top.parent = top
        with pytest.raises(ValidationError):
            top.full_clean()

    def test_name_is_unique(self, heping):
        with pytest.raises(ValidationError) as error:
            Organization(name="和平区科协", kind=OrgKind.DISTRICT).full_clean()
        assert "name" in error.value.message_dict

    def test_kinds_are_exactly_those_of_the_domain(self):
        assert [label for _, label in OrgKind.choices] == [
            "区县(市)科协",
            "兼职副主席单位",
            "市级学会(协会、研究会)",
            "企业(园区)科协",
            "高校院所科协",
            "农技协",
            "乡镇(街道)科协",
            "村(社区)科协",
            "其他",
        ]


class TestList:
    def test_search_matches_name_pinyin_and_initials(self, staff_client, heping):
        OrganizationFactory(name="辽川市化工学会")
        url = reverse("orgs:list")
        for query in ["和平", "hpq", "heping", "HePing", "hepingqu"]:
            response = staff_client.get(url, {"q": query})
            assert "和平区科协" in response.content.decode(), query
            assert "辽川市化工学会" not in response.content.decode(), query

    def test_filters_by_kind_county_and_active(self, staff_client, heping):
        town = OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        other_county = OrganizationFactory(name="铁西区科协", kind=OrgKind.DISTRICT)
        OrganizationFactory(name="兴工街道科协", kind=OrgKind.TOWNSHIP, parent=other_county)
        closed = OrganizationFactory(name="已撤销学会", is_active=False)
        url = reverse("orgs:list")

        assert listed(staff_client.get(url, {"kind": OrgKind.TOWNSHIP})) == {town.name, "兴工街道科协"}
        assert listed(staff_client.get(url, {"county": heping.pk})) == {town.name, "和平区科协"}
        assert closed.name not in listed(staff_client.get(url))
        assert listed(staff_client.get(url, {"active": "0"})) == {closed.name}
        assert closed.name in listed(staff_client.get(url, {"active": "all"}))

    def test_paginates(self, staff_client, settings):
        settings.PAGE_SIZE = 5
        for i in range(12):
            OrganizationFactory(name=f"测试学会{i:02d}")
        response = staff_client.get(reverse("orgs:list"), {"page": 3})
        assert response.context["page"].number == 3
        assert len(response.context["page"].object_list) == 2
        assert "共 12 条" in response.content.decode()
        assert staff_client.get(reverse("orgs:list"), {"page": "abc"}).status_code == 200

    def test_query_count_does_not_grow_with_rows(self, staff_client, heping):
        url = reverse("orgs:list")
        OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        params = {"q": "jd", "county": heping.pk}
        few = count_queries(staff_client, url)
        few_filtered = count_queries(staff_client, url, params)
        for i in range(20):
            town = OrganizationFactory(name=f"街道科协{i}", kind=OrgKind.TOWNSHIP, parent=heping)
            OrganizationFactory(name=f"社区科协{i}", kind=OrgKind.VILLAGE, parent=town)
        assert count_queries(staff_client, url) == few
        assert count_queries(staff_client, url, params) == few_filtered
        assert few <= 11  # the page in two steps (common/views.py TwoStepPaginator): its ids, then its rows


class TestCountyPicker:
    """A province's hundred counties: the 上级/区县 filter is picked by typing once there are more than 50."""

    @pytest.fixture
    def many_counties(self, heping):
        return [OrganizationFactory(name=f"第{i:02d}区科协", kind=OrgKind.DISTRICT) for i in range(51)]

    def test_many_counties_get_a_search_box_and_id_links_keep_working(
        self, staff_client, heping, many_counties
    ):
        town = OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        url = reverse("orgs:list")
        html = staff_client.get(url).content.decode()
        assert '<select name="county"' not in html
        assert 'name="county_q"' in html
        assert reverse("orgs:filter_suggest", args=["county"]) in html

        response = staff_client.get(url, {"county": heping.pk, "kind": OrgKind.TOWNSHIP})
        html = response.content.decode()
        assert listed(response) == {town.name}
        assert 'data-testid="picked-county">和平区科协' in html
        assert f'href="?kind={OrgKind.TOWNSHIP}" title="清除"' in html

        # typed text filters by every county it matches, by name, pinyin or initials
        for text in ("和平", "heping", "hpq"):
            assert listed(staff_client.get(url, {"county_q": text})) == {"和平区科协", town.name}, text
        assert "所选的区县不存在" in staff_client.get(url, {"county": town.pk}).content.decode()

    def test_suggestions_need_login(self, client, staff_client, heping, many_counties):
        suggest = reverse("orgs:filter_suggest", args=["county"])
        response = client.get(suggest, {"county_q": "hp"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        found = staff_client.get(suggest, {"county_q": "hpq"}).content.decode()
        assert f'<button type="submit" name="county" value="{heping.pk}"' in found
        assert staff_client.get(reverse("orgs:filter_suggest", args=["kind"])).status_code == 404
        assert staff_client.post(suggest, {"county_q": "hp"}).status_code == 405

    def test_query_count_is_the_same_for_a_select_and_a_search_box(self, staff_client, heping):
        url = reverse("orgs:list")
        params = {"county": heping.pk}
        few = count_queries(staff_client, url, params)
        assert '<select name="county"' in staff_client.get(url).content.decode()
        for i in range(55):
            OrganizationFactory(name=f"第{i:02d}区科协", kind=OrgKind.DISTRICT)
        assert '<select name="county"' not in staff_client.get(url).content.decode()
        assert count_queries(staff_client, url, params) == few


class TestDetail:
    def test_shows_kind_parent_children_and_officers(self, staff_client, heping):
        OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        OfficerFactory(organization=heping, name="赵主席", post="chair", phone="13912345678")
        OfficerFactory(organization=heping, name="钱秘书长", post="secretary_general")
        text = staff_client.get(heping.get_absolute_url()).content.decode()
        for expected in [
            "区县(市)科协",
            "新华街道科协",
            "赵主席",
            "主席",
            "钱秘书长",
            "秘书长",
            "139****5678",  # a staff member without this target this year sees the phone masked
        ]:
            assert expected in text
        assert "13912345678" not in text

    def test_unknown_id_is_404(self, staff_client):
        assert staff_client.get(reverse("orgs:detail", args=[99999])).status_code == 404


class TestForms:
    def test_liaison_office_creates_organisation_with_officer(self, liaison_client):
        response = liaison_client.post(reverse("orgs:create"), _org_post())
        org = Organization.objects.get(name="辽川市测绘学会")
        assert response.status_code == 302
        assert response["Location"] == org.get_absolute_url()
        assert org.contact_phone == "024-23456789"
        assert org.name_initials == "lcschxh"
        officer = Officer.objects.get(organization=org)
        assert (officer.name, officer.post, officer.phone) == ("赵主席", "chair", "13912345678")

    def test_invalid_input_keeps_what_was_typed(self, liaison_client, heping):
        response = liaison_client.post(
            reverse("orgs:create"),
            _org_post(name="和平区科协", contact_phone="12345", **{"officers-0-phone": "999"}),
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "已有同名的基层组织" in text
        assert "有效的电话号码" in text
        assert 'value="文化路 3 号"' in text
        assert 'value="赵主席"' in text
        assert Organization.objects.count() == 1
        assert not Officer.objects.exists()

    def test_township_under_a_society_is_refused_in_the_form(self, liaison_client):
        society = OrganizationFactory(name="辽川市医学会")
        response = liaison_client.post(
            reverse("orgs:create"), _org_post(name="某街道科协", kind=OrgKind.TOWNSHIP, parent=society.pk)
        )
        assert response.status_code == 200
        assert "上级组织必须是区县(市)科协" in response.content.decode()

    def test_edit_refuses_a_cycle(self, liaison_client):
        top = OrganizationFactory(name="辽川市医学会")
        child = OrganizationFactory(name="辽川市医学会分会", parent=top)
        data = _org_post(name=top.name, parent=child.pk, **{"officers-0-name": "", "officers-0-post": ""})
        response = liaison_client.post(reverse("orgs:edit", args=[top.pk]), data)
        assert response.status_code == 200
        assert "成环" in response.content.decode()
        top.refresh_from_db()
        assert top.parent is None

    def test_deactivate_and_reactivate(self, liaison_client, heping):
        url = reverse("orgs:set_active", args=[heping.pk])
        page = liaison_client.get(heping.get_absolute_url()).content.decode()
        assert f'action="{url}" data-confirm="确定停用“和平区科协”吗？' in page
        assert liaison_client.post(url, {"active": "0"}).status_code == 302
        heping.refresh_from_db()
        assert heping.is_active is False
        assert "恢复启用" in liaison_client.get(heping.get_absolute_url()).content.decode()
        liaison_client.post(url, {"active": "1"})
        heping.refresh_from_db()
        assert heping.is_active is True

    def test_deactivate_requires_post(self, liaison_client, heping):
        assert liaison_client.get(reverse("orgs:set_active", args=[heping.pk])).status_code == 405
