"""The duplicates pages (experts/duplicates/views.py): the liaison office and admin find, merge and mark "不是
重复"; only an admin undoes; everyone else is refused; the list's queries do not grow with the pairs."""

from __future__ import annotations

import datetime

import pytest

from experts.duplicates.models import DuplicateDismissal, MergeRecord
from experts.models import Scientist
from tests.conftest import count_queries
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.filing.factories import client_for, make_account

pytestmark = pytest.mark.django_db

LIST = "/experts/duplicates/"
MERGES = "/experts/duplicates/merges/"


@pytest.fixture
def pair(db):
    a = ScientistFactory(name="周文博", employer="辽川理工大学", birth_date=datetime.date(1979, 4, 12))
    b = ScientistFactory(name="周文博", employer="辽川 理工大学", title="教授", mobile="13904110017")
    return a, b


def pair_url(a, b, action: str = "") -> str:
    return f"/experts/duplicates/{a.pk}/{b.pk}/{action}"


def merge_post(a, b, **choices) -> dict:
    data = {"keep": "first", "first_version": a.version, "second_version": b.version}
    data.update(choices)
    return data


@pytest.mark.parametrize("name", ["liaison_client", "admin_client_"])
def test_the_office_and_admin_see_the_pairs(request, name, pair):
    client = request.getfixturevalue(name)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [(p.first.id, p.second.id, p.score) for p in response.context["page"].object_list] == [
        (pair[0].pk, pair[1].pk, 60)
    ]
    page = client.get(pair_url(*pair))
    assert page.status_code == 200
    assert "工作单位相同" in page.content.decode()
    assert client.get(MERGES).status_code == 200


@pytest.mark.parametrize("name", ["leader_client", "staff_client", "outsider_client"])
def test_everyone_else_is_refused(request, name, pair):
    client = request.getfixturevalue(name)
    a, b = pair
    for url in (LIST, pair_url(a, b), MERGES):
        assert client.get(url).status_code == 403
    assert client.post(pair_url(a, b), merge_post(a, b)).status_code == 403
    assert client.post(pair_url(a, b, "dismiss/")).status_code == 403
    assert Scientist.objects.count() == 2
    assert not DuplicateDismissal.objects.exists()


def test_a_grassroots_account_and_anonymous_are_refused(client, pair):
    account = make_account(OrganizationFactory(name="和平区科协"), "hepingqu")
    assert client_for(account).get(LIST).status_code == 403
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_office_merges_with_its_choice_of_fields(liaison_client, pair):
    a, b = pair
    # where they differ: the title and mobile are empty on the left, so the right's are chosen by default
    form = liaison_client.get(pair_url(a, b)).context["form"]
    assert form["use_title"].initial == "second"
    assert form["use_employer"].initial == "first"
    response = liaison_client.post(
        pair_url(a, b),
        merge_post(
            a, b, use_name="first", use_employer="second", use_title="second", use_mobile="second",
            use_birth_date="first",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/experts/{a.pk}/"
    a.refresh_from_db()
    assert (a.employer, a.title, a.mobile, a.birth_date) == (
        "辽川 理工大学",
        "教授",
        "13904110017",
        datetime.date(1979, 4, 12),
    )
    assert not Scientist.objects.filter(pk=b.pk).exists()
    assert MergeRecord.objects.get().merged_by.username == "lianluo"


def test_keeping_the_right_record(liaison_client, pair):
    a, b = pair
    response = liaison_client.post(pair_url(a, b), merge_post(a, b, keep="second"))
    assert response["Location"] == f"/experts/{b.pk}/"
    assert list(Scientist.objects.values_list("pk", flat=True)) == [b.pk]


def test_a_stale_page_shows_the_form_again_with_the_reason(liaison_client, pair):
    a, b = pair
    data = merge_post(a, b)
    b.notes = "同事刚改过"
    b.save()
    response = liaison_client.post(pair_url(a, b), data)
    assert response.status_code == 200
    assert "被修改过" in response.content.decode()
    assert Scientist.objects.count() == 2


def test_not_duplicate_hides_the_pair(liaison_client, pair):
    a, b = pair
    assert liaison_client.get(pair_url(a, b, "dismiss/")).status_code == 405
    response = liaison_client.post(pair_url(a, b, "dismiss/"))
    assert response.status_code == 302
    assert list(liaison_client.get(LIST).context["page"].object_list) == []


def test_a_pair_page_of_one_record_or_a_missing_one_is_404(liaison_client, pair):
    a, _ = pair
    assert liaison_client.get(pair_url(a, a)).status_code == 404
    assert liaison_client.get(f"/experts/duplicates/{a.pk}/999999/").status_code == 404


def test_only_an_admin_undoes(liaison_client, admin_client_, pair):
    a, b = pair
    liaison_client.post(pair_url(a, b), merge_post(a, b))
    record = MergeRecord.objects.get()
    undo = f"{MERGES}{record.pk}/undo/"
    assert "撤销合并" not in liaison_client.get(MERGES).content.decode()
    assert liaison_client.post(undo).status_code == 403
    assert "撤销合并" in admin_client_.get(MERGES).content.decode()
    assert admin_client_.get(undo).status_code == 405
    response = admin_client_.post(undo, follow=True)
    assert "已撤销合并" in response.content.decode()
    assert Scientist.objects.filter(pk=b.pk).exists()
    response = admin_client_.post(undo, follow=True)
    assert "已经撤销过了" in response.content.decode()


def test_the_lists_queries_do_not_grow_with_the_data(liaison_client, admin_client_):
    def add_pairs(first: int, n: int) -> None:
        for i in range(first, first + n):
            ScientistFactory(name=f"重名{i}", employer=f"第{i}研究所")
            kept = ScientistFactory(name=f"重名{i}", employer=f"第{i} 研究所")
            MergeRecord.objects.create(
                kept=kept,
                kept_name=kept.name,
                absorbed_id=10_000 + i,
                absorbed_name=kept.name,
                absorbed_row={},
            )

    add_pairs(0, 1)
    small = count_queries(liaison_client, LIST), count_queries(admin_client_, MERGES)
    add_pairs(1, 6)
    assert len(liaison_client.get(LIST).context["page"].object_list) == 7
    assert (count_queries(liaison_client, LIST), count_queries(admin_client_, MERGES)) == small


def test_the_navigation_offers_the_page_to_those_who_may_open_it(liaison_client, staff_client):
    assert "重复的科技工作者" in liaison_client.get("/experts/").content.decode()
    assert "重复的科技工作者" not in staff_client.get("/experts/").content.decode()
