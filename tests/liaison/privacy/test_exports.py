"""Exports under the personal-data rule: full for the people the user may see, masked for the others, read
back with openpyxl; every export that holds some in full is logged once."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from liaison.models import PersonalDataView
from tests.factories import PASSWORD
from tests.liaison.privacy.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def sheet(response, title: str) -> dict[str, dict[str, object]]:
    """{first cell (the name): {header: value}} of one sheet of the downloaded workbook."""
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book[title].iter_rows(values_only=True))
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_a_team_member_gets_their_target_in_full_and_the_others_masked(world):
    rows = sheet(client_for(world.member.user).get("/reports/io/export/scientists.xlsx"), "科技工作者")
    assert rows["钱学者"]["手机"] == "13811112222"
    assert rows["钱学者"]["邮箱"] == "qian@example.org"
    assert rows["褚陌生"]["手机"] == "138****8888"
    assert rows["褚陌生"]["邮箱"] == "c***@example.org"
    assert rows["郑去年"]["手机"] == "138****4444"
    assert rows["冯终止"]["手机"] == "138****6666"
    view = PersonalDataView.objects.get()
    assert view.what == "reports:io_export_scientists"
    assert view.everyone is False
    assert [s.name for s in view.subjects.all()] == ["钱学者"]


def test_organisations_export_masks_the_phones_of_organisations_not_targeted(world):
    rows = sheet(client_for(world.member.user).get("/reports/io/export/organizations.xlsx"), "组织")
    assert rows["辽川物理学会"]["联系电话"] == "024-23456789"
    assert rows["辽川化学会"]["联系电话"] == "024****4321"
    assert [s.name for s in PersonalDataView.objects.get().subjects.all()] == ["辽川物理学会"]


def test_staff_without_targets_get_everything_masked_and_no_log_entry(staff_client, world):
    rows = sheet(staff_client.get("/reports/io/export/scientists.xlsx"), "科技工作者")
    assert all("****" in row["手机"] for row in rows.values())
    assert not PersonalDataView.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "liaison_officer"])
def test_leadership_exports_the_whole_registry_in_one_entry(request, persona, world):
    user = request.getfixturevalue(persona).user
    rows = sheet(client_for(user).get("/reports/io/export/scientists.xlsx"), "科技工作者")
    assert rows["褚陌生"]["手机"] == "13877778888"
    view = PersonalDataView.objects.get()
    assert view.everyone is True
    assert view.people_count == 4
    assert view.summary == "全部科技工作者 4 人"
    assert not view.subjects.exists()


def test_the_full_workbook_is_one_entry_naming_both_registries(leader, world):
    year = timezone.localdate().year
    response = client_for(leader.user).get(f"/reports/io/export/{year}/all.xlsx")
    assert sheet(response, "组织")["辽川化学会"]["联系电话"] == "024-87654321"
    view = PersonalDataView.objects.get()
    assert view.summary == "全部科技工作者 4 人、全部基层组织 2 个"
    assert view.people_count == 6
    assert view.what == "reports:io_export_all"
