"""The duty report's text (述职正文, issue 21 §4): the draft written from the figures of the hand-built year of
tests/reports/duty/test_duty.py (the text below is worked out from that module's docstring, not from the code),
keeping an edited text, the new draft offered beside it, no lost update, and who may edit.

Drafts, by hand:
- 张主席 leads 张主席专班 (领导专班): 区县(市)科协 2 (和平, 沈河: both contacted), 知名专家/高层次人才 3 in force
  (赵, 钱, 孙: all contacted; 周 ended in June); the team's 下基层 2 of at least 3 → not compliant. His records:
  5 (调查了解 1, 开展座谈 1, 看望慰问 2, 参与活动 1), 1 grassroots visit, no personal minimum in these rules;
  3 scientists in force, 春节 2, 科技工作者日 1; demands 3 (办结 1, open 2); no nominations; one highlight, r5
  on 7-15 (开展座谈, 赵院士、钱教授、孙研究员). Shortfall: "下基层 2 次，少 1 次".
- 李干事 is a member of both teams: 陈部长专班 (部室专班) has 市级学会 1 (contacted) and 基层一线 1 (contacted),
  下基层 1 of at least 1. Records 2 (调查了解 1, 看望慰问 1), 1 grassroots visit; 4 scientists over both teams,
  春节 2, 科技工作者日 1; demands 1, open 1; no highlight, no shortfall of his own.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from liaison.models import Staff, Year, YearStatus
from reports.duty.models import NARRATIVE_MAX, DutyNarrative
from reports.duty.narrative import draft_assessment, draft_text, paragraphs, tidy
from reports.duty.services import duty_report
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.reports.duty.test_duty import build_duty_data, rec

pytestmark = pytest.mark.django_db

ZHANG_DRAFT = [
    "2025年度，本人牵头张主席专班，按照市科协联系科技工作者工作安排开展联系服务工作。"
    "张主席专班（领导专班）负责联系区县（市）科协2个（均已联系）、知名专家/高层次人才3名（均已联系），"
    "专班下基层2次（要求不少于3次），年度考评尚未达标。",
    "全年参加联系记录5条，其中调查了解1条、开展座谈1条、看望慰问2条、参与活动1条；本人下基层1次。"
    "所在专班年末在册科技工作者3人，春节慰问2人，全国科技工作者日慰问1人。",
    "记录科技工作者反映的诉求3件，已办结1件，未办结2件。",
    "本年度重点工作：一是7月15日开展座谈（赵院士、钱教授、孙研究员），召开院士专家座谈会，听取对科技创新的意见。",
]
LI_DRAFT = [
    "2025年度，本人参与张主席专班、陈部长专班，按照市科协联系科技工作者工作安排开展联系服务工作。"
    "张主席专班（领导专班）负责联系区县（市）科协2个（均已联系）、知名专家/高层次人才3名（均已联系），"
    "专班下基层2次（要求不少于3次）。"
    "陈部长专班（部室专班）负责联系市级学会（协会、研究会）1家（均已联系）、基层一线科技工作者1名（均已联系），"
    "专班下基层1次（要求不少于1次）。",
    "全年参加联系记录2条，其中调查了解1条、看望慰问1条；本人下基层1次。"
    "所在专班年末在册科技工作者4人次，春节慰问2人次，全国科技工作者日慰问1人次。",
    "记录科技工作者反映的诉求1件，已办结0件，未办结1件。",
]


@pytest.fixture
def data():
    return build_duty_data()


def client_for(staff: Staff) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client


def edit_url(staff: Staff, year: int = 2025) -> str:
    return f"/reports/duty/{year}/{staff.pk}/narrative/"


def page_url(staff: Staff, year: int = 2025, suffix: str = "") -> str:
    return f"/reports/duty/{year}/{staff.pk}/{suffix}"


# --- the draft ------------------------------------------------------------------------------------------


def test_draft_of_a_team_lead(data):
    report = duty_report(data.zhang, data.year)
    assert paragraphs(draft_text(report)) == ZHANG_DRAFT
    assert draft_assessment(report) == "存在的不足：牵头的张主席专班尚未达标（下基层2次，少1次）。"


def test_draft_of_a_member_of_two_teams(data):
    report = duty_report(data.li, data.year)
    assert paragraphs(draft_text(report)) == LI_DRAFT
    assert draft_assessment(report) == ""  # he leads no team and has no minimum of his own


def test_a_target_outside_the_quota_never_contacted_is_named_beside_the_categories(data):
    """An organisation assigned with no category (留空：不计入定额) and never contacted: the categories stay
    "均已联系", the team's never-contacted count (and the self-assessment's shortfall) has one more, and the
    draft says where it is."""
    from liaison.plan import services as plans
    from tests.factories import OrganizationFactory

    plans.assignment_add(
        team=data.team_a,
        by=None,
        organization=OrganizationFactory(name="某企业科协"),
        category="",
        start_date=datetime.date(2025, 1, 1),
    )
    report = duty_report(data.zhang, data.year)
    assert paragraphs(draft_text(report))[0] == (
        "2025年度，本人牵头张主席专班，按照市科协联系科技工作者工作安排开展联系服务工作。"
        "张主席专班（领导专班）负责联系区县（市）科协2个（均已联系）、知名专家/高层次人才3名（均已联系），"
        "另有1个不计入定额的联系对象尚未联系，专班下基层2次（要求不少于3次），年度考评尚未达标。"
    )
    assert draft_assessment(report) == (
        "存在的不足：牵头的张主席专班尚未达标（1个联系对象全年未联系；下基层2次，少1次）。"
    )


def test_draft_of_someone_without_teams_or_records(data):
    nobody = StaffFactory(user=UserFactory(username="xinlai"), name="新来的")
    report = duty_report(nobody, data.year)
    assert paragraphs(draft_text(report)) == [
        "2025年度，本人未参加联系科技工作者专班。",
        "全年参加联系记录0条；本人下基层0次。",
    ]


def test_draft_names_nominations_and_a_personal_minimum_and_cuts_long_summaries(data):
    from liaison.models import VisitQuota

    VisitQuota.objects.filter(year=data.year, team_kind="leader").update(person_minimum=2)
    long_summary = "座谈" * 40  # 80 characters: the text quotes the first 60
    zhao = data.records["r2"].targets.get().scientist
    rec(
        data.team_a,
        datetime.date(2025, 11, 3),
        data.zhang,
        [zhao],
        grassroots=False,
        method="friendship",
        channel="online",
        highlighted=True,
        summary=long_summary,
    )
    report = duty_report(data.zhang, data.year)
    report.nominations, report.nominations_awarded = 2, 1
    text = paragraphs(draft_text(report))
    assert (
        "全年参加联系记录6条，其中调查了解1条、开展座谈1条、看望慰问2条、参与活动1条、广泛交友1条；本人下基层1次（每人不少于2次）。"
        in text[1]
    )
    assert (
        text[2]
        == "记录科技工作者反映的诉求3件，已办结1件，未办结2件。举荐科技工作者参评奖项2人次，其中获奖1人次。"
    )
    assert text[3].endswith(f"；二是11月3日广泛交友（赵院士），{'座谈' * 30}……。")
    assert draft_assessment(report) == (
        "存在的不足：本人下基层1次，未达到每人不少于2次的要求；牵头的张主席专班尚未达标（下基层2次，少1次）。"
    )


def test_tidy_writes_full_width_punctuation_without_spaces():
    assert tidy("区县(市)科协: 下基层 2 次, 少 1 次") == "区县（市）科协：下基层2次，少1次"


# --- editing and keeping --------------------------------------------------------------------------------

EDITED = "2025年度，本人牵头张主席专班，全年走访基层科协和专家。\n第二段：听取诉求并跟踪办理。"
ASSESSMENT = "不足：下基层次数偏少。明年将每季度至少走访一次基层。"


def form_data(response) -> dict:
    """The hidden fields of the edit page (version and snapshot) as the browser sends them back."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in ("version", "seen")}


def save(client: Client, staff: Staff, text: str = EDITED, assessment: str = ASSESSMENT, **extra):
    page = client.get(edit_url(staff))
    return client.post(
        edit_url(staff),
        {**form_data(page), "text": text, "self_assessment": assessment, "save": "1", **extra},
    )


def test_first_visit_offers_the_draft_not_yet_kept(data):
    client = client_for(data.zhang)
    page = client.get(page_url(data.zhang)).content.decode()
    assert "草稿 · 尚未保存" in page
    assert ZHANG_DRAFT[2] in page
    assert "述职人：张主席" in page
    assert "日期：＿＿＿＿年＿＿月＿＿日" in page
    form = client.get(edit_url(data.zhang)).context["form"]
    assert paragraphs(form["text"].value()) == ZHANG_DRAFT
    assert form["self_assessment"].value() == "存在的不足：牵头的张主席专班尚未达标（下基层2次，少1次）。"
    assert not DutyNarrative.objects.exists()


def test_the_person_edits_and_keeps_the_text(data, leader_client):
    client = client_for(data.zhang)
    response = save(client, data.zhang)
    assert response.status_code == 302
    assert response["Location"] == page_url(data.zhang)
    kept = DutyNarrative.objects.get(staff=data.zhang, year=data.year)
    assert paragraphs(kept.text) == paragraphs(EDITED)
    assert (kept.self_assessment, kept.updated_by, kept.version) == (ASSESSMENT, data.zhang.user, 1)
    assert kept.basis == draft_text(duty_report(data.zhang, data.year))
    page = client.get(page_url(data.zhang)).content.decode()
    assert "已保存" in page
    for text in (*paragraphs(EDITED), ASSESSMENT):
        assert f"<p>{text}</p>" in page
    assert ZHANG_DRAFT[2] not in page  # the draft is no longer shown as the text
    # leadership reads the kept text, without a link to edit it
    html = leader_client.get(page_url(data.zhang)).content.decode()
    assert "第二段：听取诉求并跟踪办理。" in html
    assert edit_url(data.zhang) not in html


def test_liaison_office_may_edit_someone_elses_text(liaison_client, data):
    page = liaison_client.get(edit_url(data.li))
    assert page.status_code == 200
    response = liaison_client.post(
        edit_url(data.li),
        {**form_data(page), "text": "由组织联络部代为整理。", "self_assessment": "", "save": "1"},
    )
    assert response.status_code == 302
    assert DutyNarrative.objects.get(staff=data.li).text == "由组织联络部代为整理。"


def test_refusals(data, leader_client, client):
    # leadership reads but does not edit: 403, nothing stored
    assert leader_client.get(page_url(data.zhang)).status_code == 200
    assert leader_client.get(edit_url(data.zhang)).status_code == 403
    assert leader_client.post(edit_url(data.zhang), {"text": "x", "save": "1"}).status_code == 403
    # another member of staff does not even see the report: 404
    li = client_for(data.li)
    assert li.get(edit_url(data.zhang)).status_code == 404
    assert li.post(edit_url(data.zhang), {"text": "x", "save": "1"}).status_code == 404
    assert li.get(page_url(data.zhang, suffix="docx/")).status_code == 404
    # anonymous: to the login page
    response = client.get(edit_url(data.zhang))
    assert response.status_code == 302
    assert "/login" in response["Location"]
    # an archived year is read only, even for the person
    Year.objects.filter(pk=data.year.pk).update(status=YearStatus.ARCHIVED)
    assert client_for(data.zhang).get(edit_url(data.zhang)).status_code == 403
    assert client_for(data.zhang).post(edit_url(data.zhang), {"text": "x", "save": "1"}).status_code == 403
    assert not DutyNarrative.objects.exists()


def test_bad_input_keeps_what_was_typed(data):
    client = client_for(data.zhang)
    response = save(client, data.zhang, text="", assessment=ASSESSMENT)
    assert response.status_code == 200
    assert "请填写述职正文。" in response.content.decode()
    assert ASSESSMENT in response.content.decode()
    response = save(client, data.zhang, text="正文\x00含空字符")
    assert "输入含有不允许的控制字符" in response.content.decode()
    assert response.context["form"]["text"].value() == "正文\x00含空字符"
    response = save(client, data.zhang, text="长" * (NARRATIVE_MAX + 1))
    assert f"最多 {NARRATIVE_MAX} 个字（现有 {NARRATIVE_MAX + 1} 个）。" in response.content.decode()
    assert not DutyNarrative.objects.exists()


def test_two_editors_from_the_same_copy_do_not_overwrite_each_other(data, liaison_client):
    client = client_for(data.zhang)
    save(client, data.zhang)  # kept: version 1
    mine = client.get(edit_url(data.zhang))
    theirs = liaison_client.get(edit_url(data.zhang))
    first = liaison_client.post(
        edit_url(data.zhang),
        {**form_data(theirs), "text": "组织联络部的修改", "self_assessment": "", "save": "1"},
    )
    assert first.status_code == 302
    second = client.post(
        edit_url(data.zhang),
        {**form_data(mine), "text": "本人的修改", "self_assessment": ASSESSMENT, "save": "1"},
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "保存未成功" in html
    assert "组织联络部的修改" in html
    assert second.context["form"]["text"].value() == "本人的修改"  # what was typed is still there
    assert DutyNarrative.objects.get().text == "组织联络部的修改"
    # saving again from the refreshed form overwrites knowingly
    third = client.post(
        edit_url(data.zhang),
        {**form_data(second), "text": "本人的修改", "self_assessment": ASSESSMENT, "save": "1"},
    )
    assert third.status_code == 302
    assert DutyNarrative.objects.get().text == "本人的修改"


def test_new_figures_offer_a_new_draft_but_never_replace_the_kept_text(data):
    client = client_for(data.zhang)
    save(client, data.zhang)
    assert 'data-testid="narrative-moved"' not in client.get(page_url(data.zhang)).content.decode()
    # a new grassroots visit: 6 records, 2 visits of his own, the team's 3 of 3
    rec(data.team_a, datetime.date(2025, 10, 8), data.zhang, [data.records["r3"].targets.get().organization])
    page = client.get(page_url(data.zhang)).content.decode()
    assert 'data-testid="narrative-moved"' in page
    assert "第二段：听取诉求并跟踪办理。" in page  # the kept text, untouched
    edit = client.get(edit_url(data.zhang))
    html = edit.content.decode()
    new_work = "全年参加联系记录6条，其中调查了解2条、开展座谈1条、看望慰问2条、参与活动1条；本人下基层2次。"
    assert new_work in html  # the new draft, beside
    assert paragraphs(edit.context["form"]["text"].value()) == paragraphs(
        EDITED
    )  # the form holds the kept text
    assert 'data-testid="draft-moved"' in html
    # take the new draft in: shown in the form, nothing saved yet; the typed assessment stays
    taken = client.post(
        edit_url(data.zhang),
        {**form_data(edit), "text": EDITED, "self_assessment": "我改过的评价", "use_draft": "1"},
    )
    assert taken.status_code == 200
    assert "尚未保存" in taken.content.decode()
    assert paragraphs(taken.context["form"]["text"].value())[1].startswith(new_work)
    assert taken.context["form"]["self_assessment"].value() == "我改过的评价"
    assert paragraphs(DutyNarrative.objects.get().text) == paragraphs(EDITED)
    # saving it makes the new draft the basis: the notice goes away
    kept = client.post(
        edit_url(data.zhang),
        {
            **form_data(taken),
            "text": taken.context["form"]["text"].value(),
            "self_assessment": "我改过的评价",
            "adopted": "True",
            "save": "1",
        },
    )
    assert kept.status_code == 302
    narrative = DutyNarrative.objects.get()
    assert narrative.basis == draft_text(duty_report(data.zhang, data.year))
    assert paragraphs(narrative.text)[1].startswith(new_work)
    assert 'data-testid="narrative-moved"' not in client.get(page_url(data.zhang)).content.decode()


def test_saving_without_taking_the_new_draft_keeps_the_old_basis(data):
    client = client_for(data.zhang)
    save(client, data.zhang)
    basis = DutyNarrative.objects.get().basis
    rec(data.team_a, datetime.date(2025, 10, 8), data.zhang, [data.records["r3"].targets.get().organization])
    save(client, data.zhang, text="只改了一个字")
    assert DutyNarrative.objects.get().basis == basis  # still offered the new draft
    assert 'data-testid="narrative-moved"' in client.get(page_url(data.zhang)).content.decode()


def test_a_first_save_after_someone_elses_first_save_is_refused(data, liaison_client):
    client = client_for(data.zhang)
    page = client.get(edit_url(data.zhang))  # no text kept yet: the form holds the draft
    save(liaison_client, data.zhang, text="组织联络部先保存的正文")
    response = client.post(
        edit_url(data.zhang), {**form_data(page), "text": "本人的正文", "self_assessment": "", "save": "1"}
    )
    assert response.status_code == 200
    assert "保存未成功" in response.content.decode()
    assert response.context["form"]["text"].value() == "本人的正文"
    assert DutyNarrative.objects.get().text == "组织联络部先保存的正文"
