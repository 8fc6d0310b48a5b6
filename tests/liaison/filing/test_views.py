"""The filing workflow through its pages (issue 16 §2): draft, lines added from the registry or proposed,
removed, 报备, 确认, 退回 with a comment, 修订, comparison, and the office filing on an organisation's behalf."""

from __future__ import annotations

import pytest

from liaison.models import Filing, FilingAction, FilingStatus
from tests.conftest import count_queries
from tests.factories import OfficerFactory, ScientistFactory
from tests.liaison.filing.factories import client_for, make_account
from tests.liaison.plan.factories import make_year, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def society():
    return org(name="辽川市机械工程学会")


@pytest.fixture
def year():
    return make_year(2026)


@pytest.fixture
def chair(society):
    return OfficerFactory(organization=society, name="孙主席", post="chair", tenure="concurrent")


@pytest.fixture
def org_client(society):
    return client_for(make_account(society, "jixie"))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _start(client, society, year) -> Filing:
    page = client.get(f"/filing/org/{society.pk}/{year.year}/")
    assert page.status_code == 200
    assert "开始填报" in page.content.decode()
    response = client.post(f"/filing/org/{society.pk}/{year.year}/start/")
    filing = Filing.objects.get(organization=society, year=year)
    assert response["Location"] == f"/filing/{filing.pk}/"
    return filing


def test_the_organisation_files_and_the_office_confirms_sends_back_and_the_org_revises(
    org_client, liaison_client, society, year, chair
):
    li = ScientistFactory(name="李明", employer="辽川理工大学")
    wang = ScientistFactory(name="王强", employer="辽川重机")
    filing = _start(org_client, society, year)
    url = f"/filing/{filing.pk}/"

    # add from the registry: typed pinyin alone is not a choice; the matches are offered to pick from
    page = org_client.post(url + "add/", {"officer": chair.pk, "scientist_q": "liming"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "请从候选中选择科技工作者" in text
    assert f'value="{li.pk}"' in text
    response = org_client.post(url + "add/", {"officer": chair.pk, "scientist": li.pk}, follow=True)
    assert _messages(response) == ["已添加：孙主席 联系 李明（辽川理工大学）。"]

    # propose a scientist the registry lacks: it shows as 待确认
    response = org_client.post(
        url + "propose/",
        {
            "new-officer": chair.pk,
            "new-name": "赵新人",
            "new-employer": "辽川农科院",
            "new-mobile": "13912345678",
        },
        follow=True,
    )
    assert 'data-testid="pending">待确认' in response.content.decode()
    draft = filing.revisions.get()
    assert draft.entries.count() == 2

    # remove the proposed line; a second click finds it gone
    proposed = draft.entries.get(proposal__name="赵新人")
    response = org_client.post(url + f"lines/{proposed.pk}/remove/", follow=True)
    assert _messages(response) == ["已删除这条联系分工。"]
    response = org_client.post(url + f"lines/{proposed.pk}/remove/", follow=True)
    assert _messages(response) == ["这条联系分工已删除过。"]

    # 报备; a double click makes one step and says so
    response = org_client.post(url + "file/", {"revision": 1}, follow=True)
    assert "第1版已报备" in _messages(response)[0]
    response = org_client.post(url + "file/", {"revision": 1}, follow=True)
    assert _messages(response)[0].startswith("操作未执行：")
    assert "第1版当前为“已报备”" in _messages(response)[0]
    assert filing.steps.filter(action=FilingAction.FILE).count() == 1

    # the organisation cannot confirm; the office does
    assert org_client.post(url + "confirm/", {"revision": 1}).status_code == 403
    liaison_client.post(url + "confirm/", {"revision": 1})
    assert filing.revisions.get(number=1).status == FilingStatus.CONFIRMED

    # 修订: a new draft copying the first; the first stays in force
    response = org_client.post(url + "revise/", {"revision": 1}, follow=True)
    assert "已生成第2版草稿" in _messages(response)[0]
    response = org_client.post(url + "revise/", {"revision": 1}, follow=True)  # double click
    assert _messages(response)[0].startswith("操作未执行：")
    assert filing.revisions.count() == 2
    filing.refresh_from_db()
    assert filing.in_force.number == 1
    org_client.post(url + "add/", {"officer": chair.pk, "scientist": wang.pk})
    org_client.post(url + "file/", {"revision": 2})

    # 退回 needs a comment; the comment shows on the organisation's draft
    page = liaison_client.post(url + "send-back/", {"revision": 2, "comment": "  "})
    assert page.status_code == 200
    assert "退回时请写明退回意见。" in page.content.decode()
    assert filing.revisions.get(number=2).status == FilingStatus.FILED
    liaison_client.post(url + "send-back/", {"revision": 2, "comment": "王强不是本会会员，请核实"})
    page = org_client.get(url)
    assert page.context["latest"].status == FilingStatus.DRAFT
    assert "王强不是本会会员，请核实" in page.content.decode()
    filing.refresh_from_db()
    assert filing.in_force.number == 1  # the confirmed first revision meanwhile

    # the history names every step with who did it
    steps = [(s.revision_number, s.action) for s, _who in page.context["steps"]]
    assert steps == [
        (1, FilingAction.CREATE),
        (1, FilingAction.FILE),
        (1, FilingAction.CONFIRM),
        (2, FilingAction.REVISE),
        (2, FilingAction.FILE),
        (2, FilingAction.SEND_BACK),
    ]
    history = page.content.decode()
    assert "jixie的秘书长（基层账号）" in history
    assert "刘联络" in history


def test_compare_shows_added_removed_and_changed_tenure(org_client, society, year, chair):
    secretary = OfficerFactory(
        organization=society, name="周秘书", post="secretary_general", tenure="appointed"
    )
    li, wang, zhao = (ScientistFactory(name=n) for n in ("李明", "王强", "赵刚"))
    filing = _start(org_client, society, year)
    url = f"/filing/{filing.pk}/"
    org_client.post(url + "add/", {"officer": chair.pk, "scientist": li.pk})
    org_client.post(url + "add/", {"officer": secretary.pk, "scientist": wang.pk})
    org_client.post(url + "file/", {"revision": 1})
    org_client.post(url + "revise/", {"revision": 1})
    v2 = filing.revisions.get(number=2)
    org_client.post(url + f"lines/{v2.entries.get(scientist=wang).pk}/remove/")
    org_client.post(url + "add/", {"officer": chair.pk, "scientist": zhao.pk})
    chair.tenure = "seconded"  # 兼职 → 挂职, copied onto the lines when filed
    chair.save()
    org_client.post(url + "file/", {"revision": 2})

    page = org_client.get(url + "v/2/compare/")
    cmp = page.context["cmp"]
    assert [e.scientist.name for e in cmp.added] == ["赵刚"]
    assert [e.scientist.name for e in cmp.removed] == ["王强"]
    assert [(c.after.scientist.name, c.what) for c in cmp.changed] == [("李明", ["任职方式：兼职 → 挂职"])]
    text = page.content.decode()
    assert "任职方式：兼职 → 挂职" in text
    assert "新增（1）" in text
    assert "删除（1）" in text
    # the first revision compares with nothing: everything added
    first = org_client.get(url + "v/1/compare/").context["cmp"]
    assert (len(first.added), first.older) == (2, None)
    # a revision's own page lists its lines as filed
    lines = org_client.get(url + "v/1/").context["lines"]
    assert [(e.officer_name, e.scientist.name) for e in lines] == [("周秘书", "王强"), ("孙主席", "李明")]


def test_the_office_files_on_behalf(liaison_client, society, year, chair):
    li = ScientistFactory(name="李明")
    filing = _start(liaison_client, society, year)
    url = f"/filing/{filing.pk}/"
    page = liaison_client.get(url)
    assert "代为报备" in page.content.decode()
    liaison_client.post(url + "add/", {"officer": chair.pk, "scientist": li.pk})
    liaison_client.post(url + "file/", {"revision": 1})
    revision = filing.revisions.get()
    assert (revision.status, revision.on_behalf) == (FilingStatus.FILED, True)
    assert filing.steps.filter(action=FilingAction.FILE_ON_BEHALF).count() == 1


def test_a_filed_revision_takes_no_lines(org_client, society, year, chair):
    li, wang = ScientistFactory(name="李明"), ScientistFactory(name="王强")
    filing = _start(org_client, society, year)
    url = f"/filing/{filing.pk}/"
    org_client.post(url + "add/", {"officer": chair.pk, "scientist": li.pk})
    org_client.post(url + "file/", {"revision": 1})
    response = org_client.post(url + "add/", {"officer": chair.pk, "scientist": wang.pk}, follow=True)
    assert "请先点击“修订”" in _messages(response)[-1]
    assert filing.revisions.get().entries.count() == 1


def test_an_officer_of_another_organisation_is_refused(org_client, society, year, chair):
    stranger = OfficerFactory(organization=org(name="别的学会"), name="外人")
    filing = _start(org_client, society, year)
    page = org_client.post(
        f"/filing/{filing.pk}/add/", {"officer": stranger.pk, "scientist": ScientistFactory().pk}
    )
    assert page.status_code == 200
    assert "选择一个有效的选项" in page.content.decode()
    assert not filing.revisions.get().entries.exists()


def test_steps_are_post_only(org_client, society, year, chair):
    filing = _start(org_client, society, year)
    for step in ["add", "propose", "file", "confirm", "send-back", "revise"]:
        assert org_client.get(f"/filing/{filing.pk}/{step}/").status_code == 405, step


def test_officers_edited_by_the_organisation(org_client, society, chair):
    page = org_client.get(f"/filing/org/{society.pk}/officers/")
    data = {
        "version": page.context["form"]["version"].value(),
        "seen": page.context["form"]["seen"].value(),
        "officers-TOTAL_FORMS": "2",
        "officers-INITIAL_FORMS": "1",
        "officers-0-id": chair.pk,
        "officers-0-name": "孙主席",
        "officers-0-post": "chair",
        "officers-0-tenure": "seconded",
        "officers-0-phone": "139 1234 5678",
        "officers-0-four_heads": "hospital",
        "officers-1-name": "钱副主席",
        "officers-1-post": "parttime_vice_chair",
        "officers-1-tenure": "concurrent",
    }
    response = org_client.post(f"/filing/org/{society.pk}/officers/", data)
    assert response.status_code == 302
    chair.refresh_from_db()
    assert (chair.tenure, chair.phone, chair.four_heads) == ("seconded", "13912345678", "hospital")
    assert society.officers.filter(name="钱副主席", post="parttime_vice_chair").exists()
    # a second save from the same (now stale) page is refused with what changed
    stale = {k: v for k, v in data.items() if not k.startswith("officers-1-")}
    page = org_client.post(
        f"/filing/org/{society.pk}/officers/",
        {**stale, "officers-TOTAL_FORMS": "1", "officers-0-tenure": "concurrent"},
    )
    assert page.status_code == 200
    assert "保存未成功" in page.content.decode()
    chair.refresh_from_db()
    assert chair.tenure == "seconded"
    # its own officers' phones are shown to the organisation (the privacy rule), and the view is logged
    page = org_client.get(f"/filing/org/{society.pk}/")
    assert "13912345678" in page.content.decode()


def test_leadership_reads_but_does_not_act(leader_client, society, year, chair):
    filing = _start_by_service(society, year)
    assert leader_client.get(f"/filing/{filing.pk}/").status_code == 200
    assert leader_client.post(f"/filing/{filing.pk}/file/", {"revision": 1}).status_code == 403


def test_staff_cannot_read_filings(staff_client, society, year):
    filing = _start_by_service(society, year)
    assert staff_client.get(f"/filing/{filing.pk}/").status_code == 403
    assert staff_client.get(f"/filing/org/{society.pk}/").status_code == 403


def _start_by_service(society, year) -> Filing:
    from liaison.filing import services

    return services.filing_for(society, year, None)


def _filing_with(society, year, officers: int, lines: int) -> Filing:
    from liaison.filing import services

    filing = services.filing_for(society, year, None)
    draft = services.open_draft(filing, None)
    for i in range(officers):
        officer = OfficerFactory(organization=society, name=f"负责人{i}")
        for j in range(lines):
            scientist = ScientistFactory(name=f"{society.name}专家{i}-{j}")
            services.add_line(draft, services.Line(officer, scientist))
        proposal = services.propose_scientist(society, None, name=f"新人{i}", employer="某单位")
        services.add_line(draft, services.Line(officer, proposal=proposal))
    services.file_revision(draft, None)
    services.open_draft(filing, None)
    return filing


def test_filing_page_queries_do_not_grow_with_officers_and_lines(org_client, liaison_client, year):
    small = org(name="小学会")
    big = org(name="大学会")
    small_filing = _filing_with(small, year, officers=1, lines=1)
    big_filing = _filing_with(big, year, officers=20, lines=5)
    for client, name in ((liaison_client, "office"),):
        few = count_queries(client, f"/filing/{small_filing.pk}/")
        many = count_queries(client, f"/filing/{big_filing.pk}/")
        assert many == few, name
    assert few <= 25
    few = count_queries(liaison_client, f"/filing/{small_filing.pk}/v/2/compare/")
    many = count_queries(liaison_client, f"/filing/{big_filing.pk}/v/2/compare/")
    assert many == few
    few = count_queries(liaison_client, f"/filing/org/{small.pk}/")
    many = count_queries(liaison_client, f"/filing/org/{big.pk}/")
    assert many == few


@pytest.mark.parametrize(
    "url",
    [
        "/filing/99999999999999999999/",
        "/filing/org/99999999999999999999/",
        "/filing/org/{org}/99999999999/",
        "/filing/{filing}/v/99999999999999/",
        "/filing/{filing}/v/2/compare/",
        "/filing/proposals/99999999999999999999/",
        "/filing/accounts/99999999999999999999/",
    ],
)
def test_huge_or_missing_ids_are_not_found(liaison_client, society, year, url):
    filing = _start_by_service(society, year)
    assert liaison_client.get(url.format(org=society.pk, filing=filing.pk)).status_code == 404


def test_hostile_query_strings_give_a_page(liaison_client, society, year):
    filing = _start_by_service(society, year)
    assert liaison_client.get(f"/filing/{filing.pk}/", {"officer": "99999999999999999999"}).status_code == 200
    assert liaison_client.get(f"/filing/{filing.pk}/v/1/compare/", {"with": "-1"}).status_code == 200
    assert liaison_client.get("/filing/proposals/", {"status": "x" * 500}).status_code == 200
    assert liaison_client.get("/filing/accounts/", {"q": "x" * 5000}).status_code == 200
    response = liaison_client.get("/filing/scientists/suggest/", {"scientist_q": "李" * 300})
    assert response.status_code == 200
