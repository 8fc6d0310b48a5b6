"""Form fields over thousands of rows (common/picker.py FormPickField): a select while there are at most 50
choices, else a search box whose matches are radio buttons; the scientist's organisation, an organisation's
parent and county, a staff member's department."""

from __future__ import annotations

import pytest
from django.urls import reverse

from experts.models import Scientist, TalentCategory
from liaison.models import Position, Staff, Team
from orgs.models import Organization, OrgKind
from tests.conftest import count_queries
from tests.factories import DepartmentFactory, OrganizationFactory, ScientistFactory, StaffFactory
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db


def _scientist(**overrides) -> dict:
    data = {
        "name": "单志强",
        "employer": "辽川理工大学",
        "category": TalentCategory.RENOWNED,
        "organization": "",
    }
    data.update(overrides)
    return data


def _org(**overrides) -> dict:
    data = {
        "name": "辽川市测绘学会",
        "kind": OrgKind.SOCIETY,
        "parent": "",
        "county": "",
        "officers-TOTAL_FORMS": "0",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "0",
        "officers-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _staff(**overrides) -> dict:
    data = {"username": "zhangsan", "name": "张三", "position": Position.STAFF, "order": 0, "is_active": "on"}
    data.update(overrides)
    return data


@pytest.fixture
def societies(db) -> list[Organization]:
    """60 societies: more than a select holds."""
    return [OrganizationFactory(name=f"第{i:02d}测试学会") for i in range(60)]


@pytest.fixture
def heping(db) -> Organization:
    return OrganizationFactory(name="和平区科协", kind=OrgKind.DISTRICT)


class TestScientistOrganization:
    def test_few_organisations_keep_a_select(self, liaison_client, heping):
        html = liaison_client.get(reverse("experts:create")).content.decode()
        assert '<select name="organization"' in html
        assert f'<option value="{heping.pk}">和平区科协</option>' in html
        assert 'name="organization_q"' not in html

    def test_many_organisations_give_a_search_box(self, liaison_client, heping, societies):
        html = liaison_client.get(reverse("experts:create")).content.decode()
        assert '<select name="organization"' not in html
        assert 'name="organization_q"' in html
        assert reverse("experts:form_suggest", args=["organization"]) in html
        assert "第59测试学会" not in html  # no list of every organisation

    def test_create_with_a_picked_organisation(self, liaison_client, heping, societies):
        response = liaison_client.post(
            reverse("experts:create"), _scientist(organization=heping.pk, organization_q="hpq")
        )
        scientist = Scientist.objects.get(name="单志强")
        assert response["Location"] == scientist.get_absolute_url()
        assert scientist.organization == heping

    def test_edit_shows_the_current_organisation_by_name_and_keeps_it(
        self, liaison_client, heping, societies
    ):
        scientist = ScientistFactory(organization=heping)
        url = reverse("experts:edit", args=[scientist.pk])
        html = liaison_client.get(url).content.decode()
        assert f'name="organization" value="{heping.pk}" checked' in html
        assert "当前：和平区科协" in html
        liaison_client.post(
            url, _scientist(name=scientist.name, organization=heping.pk, version=scientist.version)
        )
        scientist.refresh_from_db()
        assert scientist.organization == heping
        # choosing 不选 clears it (the field is optional)
        liaison_client.post(url, _scientist(name=scientist.name, organization="", version=scientist.version))
        scientist.refresh_from_db()
        assert scientist.organization is None

    def test_typed_text_without_a_pick_shows_matches_and_keeps_the_text(
        self, liaison_client, heping, societies
    ):
        response = liaison_client.post(reverse("experts:create"), _scientist(organization_q="01测试"))
        html = response.content.decode()
        assert response.status_code == 200
        assert not Scientist.objects.exists()
        assert "请从候选中选择组织" in html
        assert 'value="01测试"' in html
        assert f'type="radio" name="organization" value="{societies[1].pk}"' in html
        assert 'value="单志强"' in html  # the rest of the form is kept too

    def test_typed_full_name_is_taken_without_javascript(self, liaison_client, heping, societies):
        liaison_client.post(reverse("experts:create"), _scientist(organization_q="和平区科协"))
        assert Scientist.objects.get(name="单志强").organization == heping

    @pytest.mark.parametrize("bad", ["999999", "abc"])
    def test_unknown_id_gives_a_chinese_error_and_keeps_the_text(self, liaison_client, societies, bad):
        response = liaison_client.post(
            reverse("experts:create"), _scientist(organization=bad, organization_q="测试")
        )
        html = response.content.decode()
        assert "所选的组织不在可选范围内" in html
        assert 'value="测试"' in html
        assert not Scientist.objects.exists()

    def test_an_inactive_organisation_is_refused(self, liaison_client, societies):
        closed = OrganizationFactory(name="已撤销学会", is_active=False)
        response = liaison_client.post(reverse("experts:create"), _scientist(organization=closed.pk))
        assert "所选的组织不在可选范围内" in response.content.decode()

    def test_suggestions_match_name_pinyin_and_initials(self, liaison_client, heping, societies):
        url = reverse("experts:form_suggest", args=["organization"])
        for text in ("和平", "heping", "hpq"):
            html = liaison_client.get(url, {"organization_q": text}).content.decode()
            assert f'type="radio" name="organization" value="{heping.pk}"' in html, text
        html = liaison_client.get(url, {"organization_q": "测试学会"}).content.decode()
        assert "还有更多" in html
        assert "没有找到“zzzz”" in liaison_client.get(url, {"organization_q": "zzzz"}).content.decode()

    def test_suggestions_refused_without_login_or_permission(
        self, client, staff_client, leader_client, outsider_client, liaison_client
    ):
        url = reverse("experts:form_suggest", args=["organization"])
        response = client.get(url, {"organization_q": "hp"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        for refused in (staff_client, leader_client, outsider_client):
            assert refused.get(url, {"organization_q": "hp"}).status_code == 403
        assert liaison_client.get(reverse("experts:form_suggest", args=["category"])).status_code == 404
        assert liaison_client.post(url, {"organization_q": "hp"}).status_code == 405

    def test_query_count_is_the_same_for_10_and_60_organisations(self, liaison_client):
        first = [OrganizationFactory(name=f"第{i:02d}学会") for i in range(10)]
        scientist = ScientistFactory(organization=first[3])
        pages = [reverse("experts:create"), reverse("experts:edit", args=[scientist.pk])]
        few = [count_queries(liaison_client, url) for url in pages]
        for i in range(50):
            OrganizationFactory(name=f"第{i:02d}协会")
        many = [count_queries(liaison_client, url) for url in pages]
        assert "当前：第03学会" in liaison_client.get(pages[1]).content.decode()
        assert many == few


class TestOrganizationParentAndCounty:
    def test_few_organisations_keep_selects(self, liaison_client, heping):
        html = liaison_client.get(reverse("orgs:create")).content.decode()
        assert '<select name="parent"' in html
        assert '<select name="county"' in html

    def test_many_parents_give_a_search_box_and_save(self, liaison_client, heping, societies):
        html = liaison_client.get(reverse("orgs:create")).content.decode()
        assert 'name="parent_q"' in html
        assert '<select name="county"' in html  # one county: still a select
        response = liaison_client.post(
            reverse("orgs:create"), _org(kind=OrgKind.TOWNSHIP, name="新华街道科协", parent=heping.pk)
        )
        town = Organization.objects.get(name="新华街道科协")
        assert response["Location"] == town.get_absolute_url()
        assert town.parent == heping
        assert town.county == heping

    def test_edit_shows_the_current_parent_and_excludes_itself(self, liaison_client, heping, societies):
        town = OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        url = reverse("orgs:edit", args=[town.pk])
        html = liaison_client.get(url).content.decode()
        assert "当前：和平区科协" in html
        suggest = reverse("orgs:form_suggest", args=["parent"])
        assert f'value="{heping.pk}"' in liaison_client.get(suggest, {"parent_q": "hpq"}).content.decode()
        # a society can't be its own parent
        society = societies[0]
        response = liaison_client.post(
            reverse("orgs:edit", args=[society.pk]), _org(name=society.name, parent=society.pk)
        )
        assert "所选的组织不在可选范围内" in response.content.decode()

    def test_unpicked_text_is_refused_with_matches(self, liaison_client, heping, societies):
        response = liaison_client.post(reverse("orgs:create"), _org(parent_q="10测试"))
        html = response.content.decode()
        assert "请从候选中选择组织" in html
        assert 'value="10测试"' in html
        assert f'type="radio" name="parent" value="{societies[10].pk}"' in html
        assert not Organization.objects.filter(name="辽川市测绘学会").exists()

    def test_many_counties_give_a_search_box(self, liaison_client, heping):
        for i in range(51):
            OrganizationFactory(name=f"第{i:02d}区科协", kind=OrgKind.DISTRICT)
        html = liaison_client.get(reverse("orgs:create")).content.decode()
        assert 'name="county_q"' in html
        suggest = reverse("orgs:form_suggest", args=["county"])
        found = liaison_client.get(suggest, {"county_q": "和平"}).content.decode()
        assert f'type="radio" name="county" value="{heping.pk}"' in found

    def test_suggestions_refused_without_permission(self, client, staff_client, liaison_client, heping):
        url = reverse("orgs:form_suggest", args=["parent"])
        assert client.get(url, {"parent_q": "hp"}).status_code == 302
        assert staff_client.get(url, {"parent_q": "hp"}).status_code == 403
        assert liaison_client.get(url, {"parent_q": "hp"}).status_code == 200

    def test_query_count_is_the_same_for_10_and_60_organisations(self, liaison_client, heping):
        for i in range(9):
            OrganizationFactory(name=f"第{i:02d}学会")
        town = OrganizationFactory(name="新华街道科协", kind=OrgKind.TOWNSHIP, parent=heping)
        pages = [reverse("orgs:create"), reverse("orgs:edit", args=[town.pk])]
        few = [count_queries(liaison_client, url) for url in pages]
        for i in range(50):
            OrganizationFactory(name=f"第{i:02d}协会")
        assert [count_queries(liaison_client, url) for url in pages] == few


class TestStaffDepartment:
    @pytest.fixture
    def many_departments(self, db):
        return [DepartmentFactory(name=f"第{i:02d}业务部") for i in range(60)]

    def test_few_departments_keep_a_select(self, liaison_client, other_department):
        html = liaison_client.get(reverse("liaison:staff_create")).content.decode()
        assert '<select name="department"' in html

    def test_many_departments_give_a_search_box_and_save(self, liaison_client, many_departments):
        html = liaison_client.get(reverse("liaison:staff_create")).content.decode()
        assert 'name="department_q"' in html
        assert '<select name="department"' not in html
        suggest = reverse("liaison:staff_form_suggest", args=["department"])
        found = liaison_client.get(suggest, {"department_q": "07业务"}).content.decode()
        assert f'type="radio" name="department" value="{many_departments[7].pk}"' in found
        liaison_client.post(reverse("liaison:staff_create"), _staff(department=many_departments[7].pk))
        assert Staff.objects.get(name="张三").department == many_departments[7]

    def test_edit_shows_the_current_department(self, liaison_client, dept_staff, many_departments):
        url = reverse("liaison:staff_edit", args=[dept_staff.pk])
        assert "当前：科普部" in liaison_client.get(url).content.decode()

    def test_unknown_department_is_refused_and_text_kept(self, liaison_client, many_departments):
        response = liaison_client.post(
            reverse("liaison:staff_create"), _staff(department="999999", department_q="业务")
        )
        html = response.content.decode()
        assert "所选的部室不在可选范围内" in html
        assert 'value="业务"' in html
        assert not Staff.objects.filter(name="张三").exists()
        response = liaison_client.post(reverse("liaison:staff_create"), _staff(department_q="业务"))
        assert "请从候选中选择部室" in response.content.decode()

    def test_suggestions_refused_without_permission(self, client, staff_client, liaison_client):
        url = reverse("liaison:staff_form_suggest", args=["department"])
        assert client.get(url, {"department_q": "部"}).status_code == 302
        assert staff_client.get(url, {"department_q": "部"}).status_code == 403
        assert liaison_client.get(url, {"department_q": "部"}).status_code == 200

    def test_query_count_is_the_same_for_10_and_60_departments(self, liaison_client, dept_staff):
        for i in range(7):
            DepartmentFactory(name=f"第{i:02d}部")
        pages = [reverse("liaison:staff_create"), reverse("liaison:staff_edit", args=[dept_staff.pk])]
        few = [count_queries(liaison_client, url) for url in pages]
        for i in range(50):
            DepartmentFactory(name=f"第{i:02d}处")
        assert [count_queries(liaison_client, url) for url in pages] == few


class TestStaffListDepartmentCard:
    """The staff list's card of department buttons: every department while few, else only the picked one."""

    def test_few_departments_are_buttons(self, staff_client, liaison_officer, dept_staff):
        html = staff_client.get(reverse("liaison:staff_list")).content.decode()
        assert "部室（2）" in html
        assert f'?department={dept_staff.department_id}">科普部 <span class="badge' in html
        assert 'data-testid="many-departments"' not in html

    def test_many_departments_rely_on_the_filter(self, liaison_client, liaison_officer, dept_staff):
        url = reverse("liaison:staff_list")
        few = count_queries(liaison_client, url)
        for i in range(30):
            DepartmentFactory(name=f"第{i:02d}业务部")
        html = liaison_client.get(url).content.decode()
        assert "部室（32）" in html
        assert 'data-testid="many-departments"' in html
        assert "第29业务部</a>" not in html
        assert count_queries(liaison_client, url) == few
        # the picked department shows as a button with its edit link
        html = liaison_client.get(url, {"department": dept_staff.department_id}).content.decode()
        assert f'?department={dept_staff.department_id}">科普部</a>' in html
        assert reverse("liaison:department_edit", args=[dept_staff.department_id]) in html


class TestTeamLead:
    """A team's 负责人 among a province's 2,000 leaders and department heads."""

    @pytest.fixture
    def year(self, db):
        return make_year(2026)

    @pytest.fixture
    def leaders(self, year) -> list[Staff]:
        return [make_leader(f"领导{i:02d}", username=f"lingdao{i:02d}") for i in range(51)]

    def test_few_leaders_keep_a_select(self, liaison_client, year):
        lead = make_leader("孙主席")
        html = liaison_client.get(reverse("liaison:team_create", args=[2026])).content.decode()
        assert '<select name="lead"' in html
        assert f'<option value="{lead.pk}">' in html

    def test_many_leaders_give_a_search_box_and_save(self, liaison_client, leaders, dept_staff):
        url = reverse("liaison:team_create", args=[2026])
        html = liaison_client.get(url).content.decode()
        assert '<select name="lead"' not in html
        assert 'name="lead_q"' in html
        suggest = reverse("liaison:team_form_suggest", args=["lead"])
        found = liaison_client.get(suggest, {"lead_q": "ld07"}).content.decode()
        assert f'type="radio" name="lead" value="{leaders[7].pk}"' in found
        response = liaison_client.post(url, {"lead": leaders[7].pk, "name": "", "members": [dept_staff.pk]})
        assert response.status_code == 302
        assert Team.objects.get(lead=leaders[7]).name == "领导07专班"

    def test_edit_shows_the_current_lead_and_refuses_plain_staff(
        self, liaison_client, year, leaders, dept_staff
    ):
        team = make_team(year, leaders[3])
        url = reverse("liaison:team_edit", args=[team.pk])
        html = liaison_client.get(url).content.decode()
        assert f'name="lead" value="{leaders[3].pk}" checked' in html
        assert "当前：领导03" in html
        response = liaison_client.post(url, {"lead": dept_staff.pk, "name": team.name, "lead_q": "陈"})
        html = response.content.decode()
        assert "所选的负责人不在可选范围内" in html
        assert 'value="陈"' in html

    def test_suggestions_refused_without_permission(
        self, client, staff_client, leader_client, liaison_client
    ):
        url = reverse("liaison:team_form_suggest", args=["lead"])
        assert client.get(url, {"lead_q": "ld"}).status_code == 302
        assert staff_client.get(url, {"lead_q": "ld"}).status_code == 403
        assert leader_client.get(url, {"lead_q": "ld"}).status_code == 403
        assert liaison_client.get(url, {"lead_q": "ld"}).status_code == 200

    def test_query_count_is_the_same_for_10_and_60_leaders(self, liaison_client, year):
        first = [make_leader(f"甲{i:02d}", username=f"jia{i:02d}") for i in range(10)]
        team = make_team(year, first[4])
        pages = [reverse("liaison:team_create", args=[2026]), reverse("liaison:team_edit", args=[team.pk])]
        few = [count_queries(liaison_client, url) for url in pages]
        for i in range(50):
            make_leader(f"乙{i:02d}", username=f"yi{i:02d}")
        assert [count_queries(liaison_client, url) for url in pages] == few


class TestTeamMembers:
    """A team's members among a province's 6,202 active staff: checkboxes while at most 50, else a search box."""

    @pytest.fixture
    def year(self, db):
        return make_year(2026)

    @pytest.fixture
    def many_staff(self, db, dept_staff) -> list[Staff]:
        return [StaffFactory(name=f"工作人员{i:02d}", department=dept_staff.department) for i in range(55)]

    def _create(self, client, **data):
        return client.post(reverse("liaison:team_create", args=[2026]), {"name": "", **data})

    def test_few_staff_keep_checkboxes(self, liaison_client, year, dept_staff):
        make_leader("孙主席")
        html = liaison_client.get(reverse("liaison:team_create", args=[2026])).content.decode()
        assert f'type="checkbox" name="members" value="{dept_staff.pk}"' in html
        assert 'name="members_q"' not in html

    def test_many_staff_give_a_search_box_and_save_the_ticked(self, liaison_client, year, many_staff):
        lead = make_leader("孙主席")
        html = liaison_client.get(reverse("liaison:team_create", args=[2026])).content.decode()
        assert 'name="members_q"' in html
        assert "工作人员54" not in html
        suggest = reverse("liaison:team_form_suggest", args=["members"])
        found = liaison_client.get(suggest, {"members_q": "gzry07"}).content.decode()
        assert f'type="checkbox" name="members" value="{many_staff[7].pk}"' in found
        response = self._create(liaison_client, lead=lead.pk, members=[many_staff[7].pk, many_staff[9].pk])
        assert response.status_code == 302
        assert set(Team.objects.get(lead=lead).members.all()) == {many_staff[7], many_staff[9]}

    def test_typed_text_without_a_tick_shows_matches_then_a_tick_saves(
        self, liaison_client, year, many_staff
    ):
        lead = make_leader("孙主席")
        response = self._create(
            liaison_client, lead=lead.pk, members=[many_staff[1].pk], members_q="工作人员07"
        )
        html = response.content.decode()
        assert "搜索框中的“工作人员07”还没有选定" in html
        assert 'value="工作人员07"' in html
        assert f'type="checkbox" name="members" value="{many_staff[1].pk}" checked' in html  # kept
        assert (
            f'type="checkbox" name="members" value="{many_staff[7].pk}" data-testid="match-members"' in html
        )
        assert not Team.objects.exists()
        # without JavaScript the text stays in the box: ticking one of its matches is enough
        response = self._create(
            liaison_client, lead=lead.pk, members=[many_staff[1].pk, many_staff[7].pk], members_q="工作人员07"
        )
        assert response.status_code == 302
        assert set(Team.objects.get(lead=lead).members.all()) == {many_staff[1], many_staff[7]}

    def test_unknown_or_inactive_member_is_refused(self, liaison_client, year, many_staff):
        lead = make_leader("孙主席")
        gone = StaffFactory(name="离职干部", is_active=False)
        for bad in ("999999", "abc", str(gone.pk)):
            response = self._create(liaison_client, lead=lead.pk, members=[many_staff[0].pk, bad])
            assert "所选的成员中有不在可选范围内的" in response.content.decode(), bad
        assert not Team.objects.exists()

    def test_edit_shows_the_members_by_name_and_keeps_them(self, liaison_client, year, many_staff):
        lead = make_leader("孙主席")
        team = make_team(year, lead, members=many_staff[3:5])
        url = reverse("liaison:team_edit", args=[team.pk])
        html = liaison_client.get(url).content.decode()
        for member in many_staff[3:5]:
            assert f'type="checkbox" name="members" value="{member.pk}" checked' in html
        assert "工作人员03（科普部）" in html
        response = liaison_client.post(
            url,
            {
                "lead": lead.pk,
                "name": team.name,
                "members": [many_staff[4].pk, many_staff[6].pk],
                "version": team.version,
            },
        )
        assert response.status_code == 302
        assert set(team.members.all()) == {many_staff[4], many_staff[6]}

    def test_query_count_is_the_same_for_10_and_60_staff(self, liaison_client, year, dept_staff):
        lead = make_leader("孙主席")
        first = [StaffFactory(name=f"甲{i:02d}", department=dept_staff.department) for i in range(6)]
        team = make_team(year, lead, members=first[:3])
        pages = [reverse("liaison:team_create", args=[2026]), reverse("liaison:team_edit", args=[team.pk])]
        few = [count_queries(liaison_client, url) for url in pages]
        for i in range(50):
            StaffFactory(name=f"乙{i:02d}", department=dept_staff.department)
        assert 'name="members_q"' in liaison_client.get(pages[1]).content.decode()
        assert [count_queries(liaison_client, url) for url in pages] == few
