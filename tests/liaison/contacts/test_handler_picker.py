"""Who handles a demand at a province's scale (liaison/contacts/forms.py handler_picker, department_picker):
past 50 active staff or departments the record form, the record page's 补充诉求 and a demand's 交办 step show a
search box instead of a select of the whole directory; matches come as radio buttons carrying the form's own
field name (a formset's prefix included), typed text naming exactly one person is taken, other text is
refused with what was typed kept, and only staff may ask for suggestions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.models import ContactRecord, Demand
from tests.conftest import count_queries
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log, raise_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_department(db):
    return DepartmentFactory(name="科技服务部")


@pytest.fixture
def zhou(service_department):
    return StaffFactory(name="周干部", department=service_department)


@pytest.fixture
def province(db, zhou):
    """60 more staff in 60 more departments: past what a select offers (50)."""
    departments = [DepartmentFactory(name=f"第{i:02d}业务处") for i in range(60)]
    return [StaffFactory(name=f"测试干部{i:02d}", department=departments[i]) for i in range(60)]


def _record(team, scientist, **demand) -> dict:
    return {
        "team": team.pk,
        "date": today().isoformat(),
        "method": "survey",
        "channel": "visit",
        "summary": "了解重点实验室建设进展",
        "targets": [f"sci:{scientist.pk}"],
        "demands-TOTAL_FORMS": "1",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "10",
        "demands-0-kind": "difficulty",
        "demands-0-text": "实验室用房紧张",
        **{f"demands-0-{name}": value for name, value in demand.items()},
    }


class TestRecordForm:
    def test_a_search_box_not_the_whole_directory(self, staff_client, team, province):
        html = staff_client.get(reverse("liaison:record_create"), {"team": team.pk}).content.decode()
        assert 'name="demands-0-handler_q"' in html
        assert 'name="demands-0-handler_department_q"' in html
        assert '<select name="demands-0-handler"' not in html
        assert "测试干部07" not in html
        assert "第07业务处" not in html
        suggest = reverse("liaison:demand_form_suggest", args=["handler"])
        assert f'hx-get="{suggest}?name=demands-0-handler"' in html

    def test_suggestions_carry_the_formset_name(self, staff_client, province, zhou):
        url = reverse("liaison:demand_form_suggest", args=["handler"])
        html = staff_client.get(
            url, {"name": "demands-0-handler", "demands-0-handler_q": "zhou"}
        ).content.decode()
        assert f'type="radio" name="demands-0-handler" value="{zhou.pk}"' in html
        assert "周干部（科技服务部）" in html
        url = reverse("liaison:demand_form_suggest", args=["handler_department"])
        html = staff_client.get(
            url, {"name": "demands-0-handler_department", "demands-0-handler_department_q": "07业务"}
        ).content.decode()
        assert html.count('type="radio" name="demands-0-handler_department"') == 1
        assert "第07业务处" in html

    def test_a_picked_person_is_saved(self, staff_client, team, province, zhou):
        scientist = ScientistFactory(name="单志强")
        response = staff_client.post(
            reverse("liaison:record_create"), _record(team, scientist, handler=zhou.pk)
        )
        assert response.status_code == 302
        assert Demand.objects.get().handler == zhou

    def test_typed_text_naming_one_person_is_taken(self, staff_client, team, province, zhou):
        scientist = ScientistFactory(name="单志强")
        response = staff_client.post(
            reverse("liaison:record_create"), _record(team, scientist, handler="", handler_q="周干部")
        )
        assert response.status_code == 302
        assert Demand.objects.get().handler == zhou

    def test_ambiguous_text_is_refused_with_its_matches_and_everything_kept(
        self, staff_client, team, province
    ):
        scientist = ScientistFactory(name="单志强")
        response = staff_client.post(
            reverse("liaison:record_create"), _record(team, scientist, handler="", handler_q="测试干部0")
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "请从候选中选择干部" in html
        assert 'value="测试干部0"' in html  # what was typed
        assert "实验室用房紧张" in html
        assert "了解重点实验室建设进展" in html
        # the first matches to pick from, as radio buttons of the same field
        assert f'type="radio" name="demands-0-handler" value="{province[0].pk}"' in html
        assert not ContactRecord.objects.exists()
        assert not Demand.objects.exists()

    def test_a_deactivated_person_is_refused(self, staff_client, team, province):
        gone = province[3]
        gone.is_active = False
        gone.save()
        scientist = ScientistFactory(name="单志强")
        response = staff_client.post(
            reverse("liaison:record_create"), _record(team, scientist, handler=gone.pk)
        )
        assert "所选的干部不在可选范围内" in response.content.decode()
        assert not Demand.objects.exists()

    def test_the_form_costs_the_same_queries_for_10_and_70_staff(self, staff_client, team):
        url = f"{reverse('liaison:record_create')}?team={team.pk}"
        for i in range(8):
            StaffFactory(name=f"少量干部{i}")
        few = count_queries(staff_client, url)
        for i in range(60):
            StaffFactory(name=f"更多干部{i:02d}", department=DepartmentFactory(name=f"新设{i:02d}处"))
        assert count_queries(staff_client, url) == few


class TestSuggestionsRefused:
    def test_only_staff_and_admins_may_ask(self, client, outsider, staff_client, admin_user, province):
        url = reverse("liaison:demand_form_suggest", args=["handler"])
        assert client.get(url, {"handler_q": "测试"}).status_code == 302  # to the login page
        client.force_login(outsider)  # an account without a staff record (no role in the office)
        assert client.get(url, {"handler_q": "测试"}).status_code == 403
        assert staff_client.get(url, {"handler_q": "测试"}).status_code == 200
        client.force_login(admin_user)
        assert client.get(url, {"handler_q": "测试"}).status_code == 200

    def test_an_unknown_field_or_a_forged_name_is_not_found(self, staff_client, province):
        assert staff_client.get(reverse("liaison:demand_form_suggest", args=["text"])).status_code == 404
        url = reverse("liaison:demand_form_suggest", args=["handler"])
        forged = staff_client.get(url, {"name": '"><script>alert(1)</script>', "handler_q": "测试"})
        assert forged.status_code == 404


class TestRecordPageAndAssignStep:
    def test_the_record_pages_new_demand_form_searches(self, staff_client, team, dept_staff, province):
        record = log(team, dept_staff, [ScientistFactory(name="单志强")], day=today())
        html = staff_client.get(record.get_absolute_url()).content.decode()
        assert 'name="new-handler_q"' in html
        assert "name=new-handler" in html  # the suggestions' radio buttons carry the prefix
        assert "测试干部07" not in html

    def test_assigning_to_a_department_found_by_search(
        self, liaison_client, team, dept_staff, province, service_department
    ):
        record = log(team, dept_staff, [ScientistFactory(name="单志强")], day=today())
        demand = raise_demand(record, dept_staff.user, text="实验室用房紧张")
        html = liaison_client.get(demand.get_absolute_url()).content.decode()
        assert 'name="department_q"' in html
        assert 'name="handler_q"' in html
        # the department field is named differently from the demand's: the suggestions say which
        suggest = reverse("liaison:demand_form_suggest", args=["handler_department"])
        assert f'hx-get="{suggest}?name=department"' in html
        found = liaison_client.get(
            suggest, {"name": "department", "department_q": "科技服务"}
        ).content.decode()
        assert f'type="radio" name="department" value="{service_department.pk}"' in found
        demand.refresh_from_db()
        response = liaison_client.post(
            demand.get_absolute_url(),
            {
                "kind": "assign",
                "date": today().isoformat(),
                "department": service_department.pk,
                "version": demand.version,
            },
        )
        assert response.status_code == 302
        demand.refresh_from_db()
        assert (demand.status, demand.handler_department) == ("assigned", service_department)
