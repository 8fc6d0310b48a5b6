"""The awards pages: who sees and does what (awards/access.py), on hand-built data.

2026: 青年科技奖 (quota 2, open until today). 王领导专班 (lead 王领导, member 陈干部) nominated 赵院士;
张主任专班 (lead 张主任, no member of ours) nominated 钱教授; the grassroots account of 和平区科协 nominated
孙研究员. 陈干部 sees the first only; 王领导 (leadership) and 刘联络 (the office) see all three; the account
sees its own; 吴干事, on no team, sees none and may not nominate.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Award, Nomination, NominationAttachment
from liaison.models import Position
from tests.awards.factories import make_award, nominated
from tests.conftest import _client_for, count_queries
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, UserFactory, today
from tests.liaison.filing.factories import client_for, make_account
from tests.liaison.plan.factories import make_team, make_year

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    award: Award
    mine: Nomination  # 王领导专班's
    theirs: Nomination  # 张主任专班's
    grassroots: Nomination  # 和平区科协's
    team_a: object
    team_b: object
    heping: object
    account: object


@pytest.fixture
def world(leader, dept_staff, liaison_officer) -> World:
    year = make_year(2026)
    team_a = make_team(year, leader, members=[dept_staff])
    zhang = StaffFactory(
        user=UserFactory(username="zhangzhuren"), name="张主任", department=None, position=Position.LEADERSHIP
    )
    team_b = make_team(year, zhang)
    heping = OrganizationFactory(name="和平区科协", kind="district")
    account = make_account(heping, "hepingqu")
    award = make_award(quota=2)
    mine = nominated(
        award, team=team_a, by=leader.user, scientist=ScientistFactory(name="赵院士", gender="M")
    )
    theirs = nominated(award, team=team_b, by=zhang.user, scientist=ScientistFactory(name="钱教授"))
    grassroots = nominated(
        award, organization=heping, by=account.user, scientist=ScientistFactory(name="孙研究员")
    )
    return World(award, mine, theirs, grassroots, team_a, team_b, heping, account)


@pytest.fixture
def loner_client(other_department) -> Client:
    loner = StaffFactory(user=UserFactory(username="wuganshi"), name="吴干事", department=other_department)
    return _client_for(loner.user)


@pytest.fixture
def grassroots_client(world) -> Client:
    return client_for(world.account)


def names(response) -> set[str]:
    return {n.scientist.name for n in response.context["nominations"]}


# --- refusals -------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, world):
    for url in (
        reverse("awards:award_list"),
        reverse("awards:award_detail", args=[world.award.pk]),
        reverse("awards:nominate", args=[world.award.pk]),
        reverse("awards:nomination_detail", args=[world.mine.pk]),
        reverse("awards:award_export", args=[world.award.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_an_account_without_a_role_reads_nothing(outsider_client, world):
    assert outsider_client.get(reverse("awards:award_list")).status_code == 403
    assert outsider_client.get(reverse("awards:nomination_detail", args=[world.mine.pk])).status_code == 403


# --- who sees which nominations ---------------------------------------------------------------------------


def test_each_role_sees_its_own_nominations_on_the_award_page(
    world, liaison_client, leader_client, staff_client, grassroots_client, loner_client
):
    url = reverse("awards:award_detail", args=[world.award.pk])
    assert names(liaison_client.get(url)) == {"赵院士", "钱教授", "孙研究员"}
    assert names(leader_client.get(url)) == {"赵院士", "钱教授", "孙研究员"}
    assert names(staff_client.get(url)) == {"赵院士"}
    assert names(grassroots_client.get(url)) == {"孙研究员"}
    assert names(loner_client.get(url)) == set()


def test_the_lists_count_is_what_the_award_page_lists_to_each_role(
    world, liaison_client, staff_client, grassroots_client
):
    """推荐 N 人 on the awards list opens the award's page, whose 全部 tab lists N: three for the office, the one
    of the staff member's team, the grassroots association's own one."""
    for client, n in ((liaison_client, 3), (staff_client, 1), (grassroots_client, 1)):
        listed = {a.pk: a.total for a in client.get(reverse("awards:award_list")).context["awards"]}
        page = client.get(reverse("awards:award_detail", args=[world.award.pk]))
        assert listed[world.award.pk] == page.context["total"] == n
        assert f"{n} 人" in client.get(reverse("awards:award_list")).content.decode()


def test_a_nomination_outside_ones_teams_is_not_found(world, staff_client, grassroots_client, leader_client):
    def status(client, nomination):
        return client.get(reverse("awards:nomination_detail", args=[nomination.pk])).status_code

    assert (status(staff_client, world.mine), status(staff_client, world.theirs)) == (200, 404)
    assert status(staff_client, world.grassroots) == 404
    assert (status(grassroots_client, world.grassroots), status(grassroots_client, world.mine)) == (200, 404)
    assert {status(leader_client, n) for n in (world.mine, world.theirs, world.grassroots)} == {200}


def test_an_inactive_award_is_the_offices_only(world, liaison_client, staff_client):
    Award.objects.filter(pk=world.award.pk).update(is_active=False)
    url = reverse("awards:award_detail", args=[world.award.pk])
    assert liaison_client.get(url).status_code == 200
    assert staff_client.get(url).status_code == 404
    assert staff_client.get(reverse("awards:nomination_detail", args=[world.mine.pk])).status_code == 404
    assert "青年科技奖" not in staff_client.get(reverse("awards:award_list")).content.decode()


def test_the_page_shows_quota_used_and_counts_by_state(world, liaison_client):
    office = liaison_client
    office.post(reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": "passed"})
    office.post(reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": "submitted"})
    office.post(reverse("awards:nomination_move", args=[world.theirs.pk]), {"to_state": "rejected"})
    response = office.get(reverse("awards:award_detail", args=[world.award.pk]))
    assert response.context["used"] == 1
    assert {value: n for value, _label, n in response.context["tabs"]} == {
        "nominated": 1,
        "passed": 0,
        "submitted": 1,
        "awarded": 0,
        "not_awarded": 0,
        "rejected": 1,
    }
    assert "1 / 2" in response.content.decode()
    filtered = office.get(reverse("awards:award_detail", args=[world.award.pk]), {"state": "rejected"})
    assert names(filtered) == {"钱教授"}
    # the figure lists what it counts
    assert names(office.get(reverse("awards:award_detail", args=[world.award.pk]), {"state": "used"})) == {
        "赵院士"
    }


# --- nominating -------------------------------------------------------------------------------------------


def test_staff_nominate_for_their_team(world, staff_client, dept_staff):
    person = ScientistFactory(name="李工程师")
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {"team": world.team_a.pk, "scientist": person.pk, "reason": "攻克关键技术难题"},
    )
    nomination = Nomination.objects.get(scientist=person)
    assert response.status_code == 302
    assert response["Location"] == nomination.get_absolute_url()
    assert (nomination.team, nomination.organization, nomination.nominated_by) == (
        world.team_a,
        None,
        dept_staff.user,
    )
    assert (nomination.state, nomination.reason) == ("nominated", "攻克关键技术难题")


def test_staff_cannot_nominate_for_another_team(world, staff_client):
    person = ScientistFactory(name="李工程师")
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {"team": world.team_b.pk, "scientist": person.pk, "reason": "攻克关键技术难题"},
    )
    assert response.status_code == 200
    assert "只能以您所在的本年度专班推荐" in response.content.decode()
    assert "攻克关键技术难题" in response.content.decode()  # what was typed is kept
    assert not Nomination.objects.filter(scientist=person).exists()


def test_staff_on_no_team_of_the_year_may_not_nominate(world, loner_client):
    url = reverse("awards:nominate", args=[world.award.pk])
    assert loner_client.get(url).status_code == 403
    assert loner_client.post(url, {"scientist": ScientistFactory().pk, "reason": "x"}).status_code == 403
    page = loner_client.get(reverse("awards:award_detail", args=[world.award.pk]))
    assert page.context["may_nominate"] is False


def test_a_team_of_another_year_gives_no_right_to_nominate(world, dept_staff, staff_client):
    award = make_award(name="往年奖项", year=2025)
    assert staff_client.get(reverse("awards:nominate", args=[award.pk])).status_code == 403


def test_grassroots_nominate_for_their_own_organisation_only(world, grassroots_client):
    person = ScientistFactory(name="周研究员")
    response = grassroots_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {
            "team": world.team_a.pk,
            "scientist": person.pk,
            "reason": "社区科普骨干",
        },  # a forged team is ignored
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(scientist=person)
    assert (nomination.organization, nomination.team) == (world.heping, None)


def test_a_missing_scientist_or_reason_keeps_what_was_typed(world, staff_client):
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]), {"team": world.team_a.pk, "reason": "事迹突出"}
    )
    assert response.status_code == 200
    assert "请选择科技工作者" in response.content.decode()
    assert "事迹突出" in response.content.decode()
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {"team": world.team_a.pk, "scientist": ScientistFactory().pk, "reason": "长" * 2001},
    )
    assert "最多 2000 个字" in response.content.decode()


def test_nominating_the_same_scientist_again_is_refused_in_chinese(world, staff_client):
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {"team": world.team_a.pk, "scientist": world.theirs.scientist_id, "reason": "再次推荐"},
    )
    assert response.status_code == 200
    assert "钱教授已被推荐参评“青年科技奖”，不能重复推荐" in response.content.decode()


def test_after_the_deadline_the_form_is_closed(world, staff_client):
    Award.objects.filter(pk=world.award.pk).update(deadline=today() - datetime.timedelta(days=1))
    url = reverse("awards:nominate", args=[world.award.pk])
    response = staff_client.get(url)
    assert response.status_code == 302
    person = ScientistFactory()
    response = staff_client.post(
        url, {"team": world.team_a.pk, "scientist": person.pk, "reason": "晚了"}, follow=True
    )
    assert "推荐已于" in response.content.decode()
    assert not Nomination.objects.filter(scientist=person).exists()
    assert (
        staff_client.get(reverse("awards:award_detail", args=[world.award.pk])).context["may_nominate"]
        is False
    )


def test_attachments_are_kept_and_served_as_downloads_to_those_who_see_the_nomination(
    world, staff_client, loner_client, leader_client
):
    person = ScientistFactory(name="李工程师")
    staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {
            "team": world.team_a.pk,
            "scientist": person.pk,
            "reason": "见推荐表",
            "attachments": [SimpleUploadedFile("推荐表.pdf", PDF, content_type="application/pdf")],
        },
    )
    attachment = NominationAttachment.objects.get(nomination__scientist=person)
    assert (attachment.original_name, attachment.content_type) == ("推荐表.pdf", "application/pdf")
    response = staff_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert leader_client.get(attachment.get_absolute_url()).status_code == 200
    assert loner_client.get(attachment.get_absolute_url()).status_code == 404


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(world, staff_client):
    person = ScientistFactory()
    response = staff_client.post(
        reverse("awards:nominate", args=[world.award.pk]),
        {
            "team": world.team_a.pk,
            "scientist": person.pk,
            "reason": "见附件",
            "attachments": [
                SimpleUploadedFile("表.pdf", b"<html><script>x</script>", content_type="application/pdf")
            ],
        },
    )
    assert "不是照片或 PDF 文件" in response.content.decode()
    assert not Nomination.objects.filter(scientist=person).exists()


def test_material_is_added_before_review_by_the_team_not_after(world, staff_client, liaison_client):
    url = reverse("awards:nomination_attach", args=[world.mine.pk])
    upload = {"attachments": [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")]}
    assert staff_client.post(url, upload).status_code == 302
    assert world.mine.attachments.count() == 1
    liaison_client.post(reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": "passed"})
    upload = {"attachments": [SimpleUploadedFile("证明2.pdf", PDF, content_type="application/pdf")]}
    assert staff_client.post(url, upload).status_code == 403
    assert world.mine.attachments.count() == 1


# --- the office's steps -----------------------------------------------------------------------------------


def test_only_the_office_moves_a_nomination(
    world, liaison_client, leader_client, staff_client, grassroots_client
):
    url = reverse("awards:nomination_move", args=[world.mine.pk])
    assert leader_client.post(url, {"to_state": "passed"}).status_code == 403
    assert staff_client.post(url, {"to_state": "passed"}).status_code == 403
    assert grassroots_client.post(url, {"to_state": "passed"}).status_code == 403
    assert liaison_client.get(url).status_code == 405
    assert Nomination.objects.get(pk=world.mine.pk).state == "nominated"
    response = liaison_client.post(url, {"to_state": "passed", "note": "材料齐全"})
    assert response.status_code == 302
    assert Nomination.objects.get(pk=world.mine.pk).state == "passed"
    page = liaison_client.get(reverse("awards:nomination_detail", args=[world.mine.pk]))
    assert [s.note for s in page.context["steps"]] == ["", "材料齐全"]
    # the buttons are the office's; others see the steps without them
    assert page.context["actions"] == [("submitted", "报送")]
    assert (
        staff_client.get(reverse("awards:nomination_detail", args=[world.mine.pk])).context["actions"] == []
    )


def test_a_step_past_the_quota_is_refused_with_the_quota_named(world, liaison_client):
    for n in (world.mine, world.theirs, world.grassroots):
        liaison_client.post(reverse("awards:nomination_move", args=[n.pk]), {"to_state": "passed"})
    for n in (world.mine, world.theirs):
        liaison_client.post(reverse("awards:nomination_move", args=[n.pk]), {"to_state": "submitted"})
    response = liaison_client.post(
        reverse("awards:nomination_move", args=[world.grassroots.pk]), {"to_state": "submitted"}
    )
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert "报送名额已满：“青年科技奖”可报送 2 名，已报送 2 名，不能再报送。" in text
    assert Nomination.objects.get(pk=world.grassroots.pk).state == "passed"


def test_a_forged_state_is_refused_without_a_500(world, liaison_client):
    response = liaison_client.post(
        reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": "awarded\x00"}, follow=True
    )
    assert response.status_code == 200
    assert Nomination.objects.get(pk=world.mine.pk).state == "nominated"


# --- awards: the office manages ---------------------------------------------------------------------------


def test_the_office_creates_and_edits_awards_others_may_not(
    world, liaison_client, leader_client, staff_client
):
    data = {
        "name": "最美科技工作者",
        "body": "市委宣传部",
        "year": 2026,
        "quota": 3,
        "deadline": "2026-12-31",
        "description": "",
        "is_active": "on",
    }
    assert leader_client.post(reverse("awards:award_create"), data).status_code == 403
    assert staff_client.get(reverse("awards:award_create")).status_code == 403
    response = liaison_client.post(reverse("awards:award_create"), data)
    award = Award.objects.get(name="最美科技工作者")
    assert response["Location"] == award.get_absolute_url()
    assert (award.quota, award.deadline) == (3, datetime.date(2026, 12, 31))
    assert staff_client.get(reverse("awards:award_edit", args=[award.pk])).status_code == 403


def test_an_award_edited_meanwhile_is_not_overwritten(world, liaison_client):
    award = world.award
    url = reverse("awards:award_edit", args=[award.pk])
    form = liaison_client.get(url).context["form"]
    seen = {"version": form["version"].value(), "seen": form["seen"].value()}
    award.quota = 4
    award.save()  # someone else raised the quota
    data = {
        "name": award.name,
        "body": award.body,
        "year": 2026,
        "quota": 9,
        "deadline": award.deadline.isoformat(),
        "is_active": "on",
        **seen,
    }
    response = liaison_client.post(url, data)
    assert response.status_code == 200
    assert "保存未成功" in response.content.decode()
    assert Award.objects.get(pk=award.pk).quota == 4


# --- the grassroots fence ---------------------------------------------------------------------------------


def test_a_grassroots_account_reaches_its_nomination_pages_and_nothing_else(world, grassroots_client):
    award = world.award
    for url in (
        reverse("awards:award_list"),
        reverse("awards:award_detail", args=[award.pk]),
        reverse("awards:nominate", args=[award.pk]),
        reverse("awards:nomination_detail", args=[world.grassroots.pk]),
        reverse("awards:scientist_suggest") + "?scientist_q=zhao",
    ):
        assert grassroots_client.get(url).status_code == 200, url
    for url in (
        reverse("awards:award_create"),
        reverse("awards:award_edit", args=[award.pk]),
        reverse("awards:award_export", args=[award.pk]),
        reverse("liaison:record_list"),
        reverse("experts:list"),
        reverse("experts:detail", args=[world.grassroots.scientist_id]),
        reverse("orgs:list"),
    ):
        assert grassroots_client.get(url).status_code == 403, url


# --- the export -------------------------------------------------------------------------------------------


def test_the_export_reads_back_for_the_submitting_body(world, liaison_client, staff_client, leader_client):
    office = liaison_client
    zhao = world.mine.scientist
    zhao.title, zhao.post, zhao.employer = "研究员", "所长", "辽川农科院"
    zhao.save()
    for state in ("passed", "submitted", "awarded"):
        office.post(reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": state})
    office.post(reverse("awards:nomination_move", args=[world.grassroots.pk]), {"to_state": "passed"})
    url = reverse("awards:award_export", args=[world.award.pk])
    assert staff_client.get(url).status_code == 403
    assert leader_client.get(url).status_code == 403
    response = office.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows == [
        ("序号", "姓名", "性别", "工作单位", "职称", "职务", "推荐单位", "推荐理由", "状态"),
        (1, "赵院士", "男", "辽川农科院", "研究员", "所长", "王领导专班", "成果突出，贡献显著", "获奖"),
    ]
    response = office.get(url, {"scope": "all"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    # by state in the order of the way (推荐, 初审通过, 报送, 获奖 …), then by name
    assert [(r[0], r[1], r[6], r[8]) for r in rows[1:]] == [
        (1, "钱教授", "张主任专班", "推荐"),
        (2, "孙研究员", "和平区科协", "初审通过"),
        (3, "赵院士", "王领导专班", "获奖"),
    ]


# --- query counts -----------------------------------------------------------------------------------------


def test_the_lists_run_the_same_queries_at_two_sizes(world, liaison_client, staff_client, leader, dept_staff):
    list_url = reverse("awards:award_list")
    detail_url = reverse("awards:award_detail", args=[world.award.pk])
    counts = [
        (count_queries(client, list_url), count_queries(client, detail_url))
        for client in (liaison_client, staff_client)
    ]
    for i in range(8):
        make_award(name=f"奖项{i}")
        nominated(world.award, team=world.team_a, by=leader.user)
    grown = [
        (count_queries(client, list_url), count_queries(client, detail_url))
        for client in (liaison_client, staff_client)
    ]
    assert grown == counts
    assert len(staff_client.get(detail_url).context["nominations"]) == 9


# --- correcting the reason --------------------------------------------------------------------------------


def edit_data(client, nomination, reason: str) -> dict:
    """The edit form as the page gives it (its version and snapshot), with a new reason."""
    page = client.get(reverse("awards:nomination_edit", args=[nomination.pk]))
    assert 'name="version"' in page.content.decode()
    form = page.context["form"]
    return {"reason": reason, "version": form["version"].value(), "seen": form["seen"].value()}


def test_the_team_corrects_the_reason_before_review(world, staff_client, loner_client, grassroots_client):
    url = reverse("awards:nomination_edit", args=[world.mine.pk])
    assert loner_client.get(url).status_code == 404
    assert grassroots_client.get(url).status_code == 404
    response = staff_client.post(url, edit_data(staff_client, world.mine, "补充：获省科技进步奖"))
    assert response.status_code == 302
    assert Nomination.objects.get(pk=world.mine.pk).reason == "补充：获省科技进步奖"
    own = reverse("awards:nomination_edit", args=[world.grassroots.pk])
    assert (
        grassroots_client.post(own, edit_data(grassroots_client, world.grassroots, "社区骨干")).status_code
        == 302
    )
    assert Nomination.objects.get(pk=world.grassroots.pk).reason == "社区骨干"


def test_a_reason_edited_meanwhile_is_not_overwritten(world, staff_client, leader_client):
    first = edit_data(staff_client, world.mine, "陈干部的理由")
    second = edit_data(leader_client, world.mine, "王领导的理由")
    assert (
        staff_client.post(reverse("awards:nomination_edit", args=[world.mine.pk]), first).status_code == 302
    )
    response = leader_client.post(reverse("awards:nomination_edit", args=[world.mine.pk]), second)
    assert response.status_code == 200
    assert "保存未成功" in response.content.decode()
    assert "王领导的理由" in response.content.decode()  # kept in the form
    assert Nomination.objects.get(pk=world.mine.pk).reason == "陈干部的理由"


def test_no_edit_once_reviewed(world, staff_client, liaison_client):
    data = edit_data(staff_client, world.mine, "迟到的修改")
    liaison_client.post(reverse("awards:nomination_move", args=[world.mine.pk]), {"to_state": "passed"})
    assert staff_client.post(reverse("awards:nomination_edit", args=[world.mine.pk]), data).status_code == 403
    assert Nomination.objects.get(pk=world.mine.pk).reason == "成果突出，贡献显著"
