"""Pages that show contact details: in full under the rule, masked otherwise, each full view logged once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from liaison.models import PersonalDataSubject, PersonalDataView
from tests.conftest import count_queries
from tests.factories import PASSWORD, ScientistFactory
from tests.liaison.privacy.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def client_for(staff) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client


def subjects(view: PersonalDataView) -> set[tuple[str, str]]:
    return {(s.kind, s.name) for s in view.subjects.all()}


class TestScientistPages:
    def test_a_team_member_sees_their_target_in_full_and_that_view_is_logged(self, world):
        client = client_for(world.member)
        text = client.get(reverse("experts:detail", args=[world.ours.pk]), REMOTE_ADDR="10.1.2.3").content
        text = text.decode()
        assert "13811112222" in text
        assert "qian@example.org" in text
        assert 'href="tel:13811112222"' in text
        view = PersonalDataView.objects.get()
        assert view.user == world.member.user
        assert view.user_label == "周成员（chengyuan）"
        assert view.what == "experts:detail"
        assert view.path == f"/experts/{world.ours.pk}/"
        assert str(view.client_ip) == "10.1.2.3"
        assert view.people_count == 1
        assert subjects(view) == {("scientist", "钱学者")}
        assert view.subjects.get().object_id == world.ours.pk

    @pytest.mark.parametrize("whom", ["stranger", "last_years", "ended"])
    def test_others_are_masked_and_not_logged(self, world, whom):
        scientist = getattr(world, whom)
        text = client_for(world.member).get(reverse("experts:detail", args=[scientist.pk])).content.decode()
        assert scientist.mobile not in text
        assert scientist.email not in text
        assert f"{scientist.mobile[:3]}****{scientist.mobile[-4:]}" in text
        assert f"{scientist.email[0]}***@example.org" in text
        assert "tel:" not in text
        assert "仅领导、组织联络部和本年度联系该对象的专班可见" in text
        assert not PersonalDataView.objects.exists()

    def test_the_list_shows_and_logs_only_the_visible_in_one_entry(self, world):
        text = client_for(world.member).get(reverse("experts:list")).content.decode()
        assert "13811112222" in text
        for masked in ["138****4444", "138****6666", "138****8888"]:
            assert masked in text
        for hidden in ["13833334444", "13855556666", "13877778888"]:
            assert hidden not in text
        view = PersonalDataView.objects.get()
        assert view.what == "experts:list"
        assert subjects(view) == {("scientist", "钱学者")}

    def test_leadership_list_logs_every_person_with_contacts_on_the_page(self, leader_client, world):
        ScientistFactory(name="无电话")  # nothing to show: not among the people seen
        leader_client.get(reverse("experts:list"))
        view = PersonalDataView.objects.get()
        assert view.people_count == 4
        assert {name for _kind, name in subjects(view)} == {"钱学者", "郑去年", "冯终止", "褚陌生"}
        assert view.user_label == "王领导（lingdao）"

    def test_a_page_with_only_masked_people_writes_nothing(self, staff_client, world):
        staff_client.get(reverse("experts:list"))
        staff_client.get(reverse("experts:detail", args=[world.ours.pk]))
        assert PersonalDataView.objects.count() == 0

    def test_each_view_is_one_entry(self, liaison_client, world):
        url = reverse("experts:detail", args=[world.stranger.pk])
        liaison_client.get(url)
        liaison_client.get(url)
        assert PersonalDataView.objects.count() == 2
        assert PersonalDataSubject.objects.count() == 2

    def test_the_edit_form_shows_the_stored_details_and_is_logged(self, liaison_client, world):
        text = liaison_client.get(reverse("experts:edit", args=[world.stranger.pk])).content.decode()
        assert "13877778888" in text
        assert PersonalDataView.objects.get().what == "experts:edit"

    def test_the_list_query_count_does_not_grow_for_a_team_member(self, world):
        client = client_for(world.member)
        url = reverse("experts:list")
        few = count_queries(client, url)
        for i in range(20):
            ScientistFactory(name=f"新人{i}", mobile="13900000000")
        assert count_queries(client, url) == few


class TestOrganizationPage:
    def test_a_team_member_sees_the_targeted_organisations_phones_and_it_is_logged(self, world):
        text = client_for(world.member).get(reverse("orgs:detail", args=[world.our_org.pk])).content.decode()
        assert "024-23456789" in text
        assert "13911112222" in text
        view = PersonalDataView.objects.get()
        assert view.what == "orgs:detail"
        assert subjects(view) == {("organization", "辽川物理学会"), ("officer", "施会长")}

    @pytest.mark.parametrize("persona", ["staff_client", "outsider_client"])
    def test_other_roles_see_officers_phones_masked(self, request, persona, world):
        client = request.getfixturevalue(persona)
        text = client.get(reverse("orgs:detail", args=[world.our_org.pk])).content.decode()
        assert "施会长" in text
        assert "13911112222" not in text
        assert "139****2222" in text
        assert "024-23456789" not in text
        assert "024****6789" in text
        assert "电话属于个人信息" in text
        assert not PersonalDataView.objects.exists()

    def test_a_team_member_sees_other_organisations_masked(self, world):
        text = (
            client_for(world.member).get(reverse("orgs:detail", args=[world.other_org.pk])).content.decode()
        )
        assert "13933334444" not in text
        assert "139****4444" in text
        assert not PersonalDataView.objects.exists()

    def test_leadership_sees_all_and_is_logged(self, leader_client, world):
        text = leader_client.get(reverse("orgs:detail", args=[world.other_org.pk])).content.decode()
        assert "13933334444" in text
        assert "024-87654321" in text
        assert subjects(PersonalDataView.objects.get()) == {
            ("organization", "辽川化学会"),
            ("officer", "孔会长"),
        }

    def test_the_audit_log_masks_officers_and_organisations_phones(self, world):
        from auditlog.models import LogEntry

        world.our_org.contact_phone = "024-22223333"
        world.our_org.save()
        entry = LogEntry.objects.get_for_object(world.our_org).order_by("-pk").first()
        assert "024-22223333" not in str(entry.changes)
        entry = LogEntry.objects.get_for_object(world.our_officer).first()
        assert "13911112222" not in str(entry.changes)


class TestAdminPages:
    """The admin's pages of scientists, organisations and officers show contact details: logged too."""

    def test_a_scientists_change_page_is_logged(self, admin_client_, world):
        response = admin_client_.get(f"/admin/experts/scientist/{world.ours.pk}/change/")
        assert "13811112222" in response.content.decode()
        view = PersonalDataView.objects.get()
        assert view.what == "admin:experts.scientist_change"
        assert subjects(view) == {("scientist", "钱学者")}

    def test_an_organisations_change_page_logs_it_and_its_officers(self, admin_client_, world):
        admin_client_.get(f"/admin/orgs/organization/{world.our_org.pk}/change/")
        assert subjects(PersonalDataView.objects.get()) == {
            ("organization", "辽川物理学会"),
            ("officer", "施会长"),
        }

    def test_the_officers_list_shows_phones_and_is_logged(self, admin_client_, world):
        text = admin_client_.get("/admin/orgs/officer/").content.decode()
        assert "13933334444" in text
        view = PersonalDataView.objects.get()
        assert view.what == "admin:orgs.officer_changelist"
        assert subjects(view) == {("officer", "施会长"), ("officer", "孔会长")}

    def test_the_scientists_list_shows_no_phone_and_is_not_logged(self, admin_client_, world):
        text = admin_client_.get("/admin/experts/scientist/").content.decode()
        assert "13811112222" not in text
        assert not PersonalDataView.objects.exists()
