"""联系类别 on a page: the liaison office adds a category and changes what it takes; the seven built-in ones
cannot be redefined; everyone else reads the list and is refused the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.models import ContactCategory
from orgs.models import OrgKind
from tests.factories import OrganizationFactory
from tests.liaison.plan.factories import make_leader, make_team, make_year

pytestmark = pytest.mark.django_db

NEW = reverse("liaison:category_create")


def test_the_liaison_office_adds_a_category_that_takes_townships(liaison_client):
    response = liaison_client.post(
        NEW, {"name": "乡镇(街道)科协", "target_type": "organization", "org_kinds": ["township", "village"]}
    )
    assert response.status_code == 302
    category = ContactCategory.objects.get()
    assert (category.name, category.target_type, category.takes) == (
        "乡镇(街道)科协",
        "organization",
        ["township", "village"],
    )
    page = liaison_client.get(reverse("liaison:category_list")).content.decode()
    assert "乡镇(街道)科协" in page
    assert "乡镇(街道)科协、村(社区)科协" in page
    # a township assigned to a team now counts under it
    from liaison.plan import services as plans

    team = make_team(make_year(2026), make_leader())
    county = OrganizationFactory(kind=OrgKind.DISTRICT)
    town = OrganizationFactory(kind=OrgKind.TOWNSHIP, parent=county)
    assert plans.assignment_add(team=team, by=None, organization=town).category == "乡镇(街道)科协"


def test_a_built_in_name_is_refused_and_the_input_kept(liaison_client):
    response = liaison_client.post(
        NEW, {"name": "区县科协", "target_type": "organization", "org_kinds": ["township"]}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "“区县科协”是内置的联系类别，不能重新定义。" in text
    assert 'value="区县科协"' in text
    assert not ContactCategory.objects.exists()


def test_changing_what_it_takes_keeps_its_name(liaison_client):
    category = ContactCategory.objects.create(
        name="乡镇(街道)科协", target_type="organization", takes=["township"]
    )
    url = reverse("liaison:category_edit", args=[category.pk])
    response = liaison_client.post(
        url,
        {
            "name": "改名",
            "target_type": "scientist",
            "org_kinds": ["township", "village"],
            "version": category.version,
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.target_type, category.takes) == (
        "乡镇(街道)科协",
        "organization",
        ["township", "village"],
    )


def test_staff_read_the_list_but_are_refused_the_form(staff_client):
    assert staff_client.get(reverse("liaison:category_list")).status_code == 200
    assert staff_client.get(NEW).status_code == 403
    assert staff_client.post(NEW, {"name": "x", "target_type": "organization"}).status_code == 403
    assert not ContactCategory.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("liaison:category_list")).status_code == 302
