"""The network page, its lists, the filing overview, the reminder export and emails, and the scientist's
联系网络 section, on the hand-built case of factories.py (answers worked out there by hand)."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import GrassrootsAccount, PersonalDataView
from tests.conftest import _client_for, count_queries, listed
from tests.factories import OrganizationFactory, ScientistFactory, UserFactory
from tests.reports.network.factories import build_case

pytestmark = pytest.mark.django_db

NETWORK = reverse("reports:network", args=[2025])
SCIENTISTS = reverse("reports:network_scientists", args=[2025])
PLACES = reverse("reports:network_places", args=[2025])
FILINGS = reverse("reports:network_filings", args=[2025])
EXPORT = reverse("reports:network_reminder_export", args=[2025])
REMIND = reverse("reports:network_remind", args=[2025])
PAGES = [NETWORK, SCIENTISTS, PLACES, FILINGS, EXPORT, REMIND]


@pytest.fixture
def case(liaison_officer):
    found = build_case(liaison_officer.user)
    found.li.organization = found.physics
    found.li.save()
    found.chen.organization = found.village
    found.chen.save()
    return found


# --- refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, case, url):
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("url", PAGES)
def test_department_staff_are_refused(staff_client, case, url):
    assert staff_client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_an_account_without_a_role_is_refused(outsider_client, case, url):
    assert outsider_client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_grassroots_account_is_refused(case, url):
    user = UserFactory(username="jiceng")
    GrassrootsAccount.objects.create(user=user, organization=case.mechanical)
    assert _client_for(user).get(url).status_code in (302, 403, 404)


def test_leadership_reads_but_sends_no_reminders(leader_client, case):
    assert leader_client.get(NETWORK).status_code == 200
    assert leader_client.get(FILINGS).status_code == 200
    assert leader_client.get(REMIND).status_code == 403
    assert leader_client.post(REMIND).status_code == 403
    assert mail.outbox == []


def test_an_unknown_year_is_404(liaison_client, case):
    assert liaison_client.get(reverse("reports:network", args=[2031])).status_code == 404


def test_reminders_are_sent_by_post_only(liaison_client, case):
    assert liaison_client.put(REMIND).status_code == 405


# --- the network page -----------------------------------------------------------------------------------


def test_the_counts_by_links_and_layers(liaison_client, case):
    response = liaison_client.get(NETWORK)
    summary = response.context["summary"]
    assert (summary.active, summary.linked) == (4, 2)
    assert response.context["buckets"] == [("0", 2), ("1", 1), ("2", 0), ("3+", 1)]
    assert dict(response.context["combinations"])["点线面"] == 1
    assert dict(response.context["combinations"])["面"] == 1
    assert response.context["without_filing"] == 3
    assert "在册科技工作者 4 人，有联系 2 人" in response.content.decode()


def test_the_county_rollup(liaison_client, case):
    (row,) = liaison_client.get(NETWORK).context["county_rows"]
    assert row.county == case.county
    assert (row.townships.total, row.townships.no_filing, row.townships.no_contact) == (1, 0, 1)
    assert (row.villages.total, row.villages.no_filing, row.villages.no_contact) == (1, 1, 0)


def test_one_countys_townships(liaison_client, case):
    (row,) = liaison_client.get(NETWORK, {"county": case.county.pk}).context["township_rows"]
    assert row.township == case.township
    assert (row.township.filed, row.township.contacted) == (True, False)
    assert (row.villages.total, row.villages.no_filing, row.villages.no_contact) == (1, 1, 0)


def test_a_county_that_is_not_one_is_404(liaison_client, case):
    assert liaison_client.get(NETWORK, {"county": case.mechanical.pk}).status_code == 404
    assert liaison_client.get(NETWORK, {"county": "x"}).status_code == 200


# --- the lists behind the counts ------------------------------------------------------------------------


def test_the_unlinked_list(liaison_client, case):
    assert listed(liaison_client.get(SCIENTISTS)) == {"陈六", "李四"}


def test_the_unlinked_filtered_by_county_category_and_organisation(liaison_client, case):
    assert listed(liaison_client.get(SCIENTISTS, {"county": case.county.pk})) == {"陈六"}
    assert listed(liaison_client.get(SCIENTISTS, {"organization": case.physics.pk})) == {"李四"}
    assert listed(liaison_client.get(SCIENTISTS, {"category": "academician"})) == set()


def test_each_count_opens_its_list(liaison_client, case):
    assert listed(liaison_client.get(SCIENTISTS, {"links": "3+"})) == {"张三"}
    assert listed(liaison_client.get(SCIENTISTS, {"links": "1"})) == {"王五"}
    assert listed(liaison_client.get(SCIENTISTS, {"links": "0"})) == {"陈六", "李四"}
    assert listed(liaison_client.get(SCIENTISTS, {"layers": "面"})) == {"王五"}
    # the counts that are 0 open empty lists: nobody has exactly two links, nobody only 点 and 线
    assert listed(liaison_client.get(SCIENTISTS, {"links": "2"})) == set()
    assert listed(liaison_client.get(SCIENTISTS, {"layers": "点线"})) == set()
    response = liaison_client.get(SCIENTISTS, {"layers": "点线面"})
    assert listed(response) == {"张三"}
    assert "面：机械工程学会 主席 孙主席" in response.content.decode()


def test_the_blank_spot_lists(liaison_client, case):
    county = case.county.pk
    assert listed(liaison_client.get(PLACES, {"county": county, "kind": "village", "gap": "filing"})) == {
        "东村科协"
    }
    assert listed(liaison_client.get(PLACES, {"county": county, "kind": "township", "gap": "contact"})) == {
        "城关镇科协"
    }
    assert listed(liaison_client.get(PLACES, {"kind": "township", "gap": "filing"})) == set()
    assert listed(liaison_client.get(PLACES)) == {"城关镇科协", "东村科协"}
    assert listed(liaison_client.get(PLACES, {"township": case.township.pk, "kind": "village"})) == {
        "东村科协"
    }


# --- the filing overview --------------------------------------------------------------------------------


def test_the_states_of_the_year(liaison_client, case):
    response = liaison_client.get(FILINGS)
    counts = {state: n for state, _, n in response.context["counts"]}
    assert counts == {"none": 2, "draft": 1, "filed": 1, "confirmed": 1, "returned": 1}
    assert response.context["reminded"] == 3
    states = {o.name: o.state_label for o in response.context["page"].object_list}
    assert states == {
        "梅山县科协": "未报备",
        "城关镇科协": "已报备",
        "东村科协": "未报备",
        "机械工程学会": "已确认",
        "物理学会": "草稿",
        "化工学会": "退回待改",
    }
    assert case.mechanical.filings.get().get_absolute_url() in response.content.decode()


def test_the_overview_filters(liaison_client, case):
    assert listed(liaison_client.get(FILINGS, {"state": "not_in_force"})) == {
        "梅山县科协",
        "东村科协",
        "物理学会",
    }
    assert listed(liaison_client.get(FILINGS, {"state": "returned"})) == {"化工学会"}
    assert listed(liaison_client.get(FILINGS, {"kind": "village"})) == {"东村科协"}
    assert listed(liaison_client.get(FILINGS, {"county": case.county.pk})) == {
        "梅山县科协",
        "城关镇科协",
        "东村科协",
    }
    response = liaison_client.get(FILINGS, {"state": "nonsense"})
    assert response.status_code == 200
    assert "state" in response.context["filter"].form.errors


def test_the_reminder_export_reads_back(liaison_client, case):
    response = liaison_client.get(EXPORT)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == ["组织名称", "类别", "所在区县", "联系人", "联系电话", "联系邮箱", "备案状态"]
    assert rows[1:] == [
        ["梅山县科协", "区县(市)科协", "梅山县科协", None, None, "meishan@example.org", "未报备"],
        ["物理学会", "市级学会(协会、研究会)", None, None, "13812345678", None, "草稿"],
        ["东村科协", "村(社区)科协", "梅山县科协", "东主任", None, None, "未报备"],
    ]
    view = PersonalDataView.objects.get(what="reports:network_reminder_export")
    assert view.people_count == 2  # 梅山县科协 and 物理学会 have contact details; 东村科协 none


def test_text_that_looks_like_a_formula_is_text(liaison_client, case):
    OrganizationFactory(name="=HYPERLINK(1)", kind="society")
    response = liaison_client.get(EXPORT)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [c.value for c in book.worksheets[0]["A"]]
    assert "=HYPERLINK(1)" in names
    cell = next(c for c in book.worksheets[0]["A"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_the_confirmation_step_then_the_emails(liaison_client, case):
    response = liaison_client.get(REMIND)
    assert [r.organization.name for r in response.context["reachable"]] == ["梅山县科协", "物理学会"]
    assert [o.name for o in response.context["unreachable"]] == ["东村科协"]
    assert (
        "将向尚无生效备案的 <strong>2</strong> 个组织发送提醒邮件（共 2 个邮箱" in response.content.decode()
    )
    assert mail.outbox == []

    response = liaison_client.post(REMIND, follow=True)
    assert "已向 2 个组织发送备案提醒（2 个邮箱）。另有 1 个组织没有邮箱" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["meishan@example.org", "wuli@example.org"]
    assert all(m.subject == "请报送2025年度联系科技工作者分工备案" for m in mail.outbox)
    assert "物理学会：" in next(m.body for m in mail.outbox if m.to == ["wuli@example.org"])


def test_an_inactive_account_gets_no_reminder(liaison_client, case):
    account = case.physics.accounts.get()
    account.user.is_active = False
    account.user.save()
    liaison_client.post(REMIND)
    assert [m.to for m in mail.outbox] == [["meishan@example.org"]]


# --- the scientist's page -------------------------------------------------------------------------------


def test_the_scientists_page_shows_every_link(liaison_client, case):
    html = liaison_client.get(case.zhang.get_absolute_url()).content.decode()
    assert "联系网络（2025 年度）" in html
    assert ">王主席专班</a>" in html
    assert ">科普部长专班</a>" in html
    assert ">机械工程学会</a> 主席 孙主席" in html


def test_the_scientists_page_says_when_there_is_none(staff_client, case):
    html = staff_client.get(case.chen.get_absolute_url()).content.decode()
    assert "无任何联系" in html


def test_the_year_switch(liaison_client, case):
    html = liaison_client.get(case.zhang.get_absolute_url(), {"network_year": "2025"}).content.decode()
    assert "联系网络（2025 年度）" in html
    assert liaison_client.get(case.zhang.get_absolute_url(), {"network_year": "9" * 30}).status_code == 200


# --- bounded queries ------------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_data(liaison_client, case):
    urls = [
        (NETWORK, {}),
        (NETWORK, {"county": case.county.pk}),
        (SCIENTISTS, {}),
        (SCIENTISTS, {"links": "1"}),
        (PLACES, {}),
        (FILINGS, {}),
        (REMIND, {}),
    ]
    before = [count_queries(liaison_client, url, params) for url, params in urls]
    for i in range(25):
        scientist = ScientistFactory(name=f"新人{i}", organization=case.village)
        scientist.save()
        OrganizationFactory(
            name=f"新村{i}科协", kind="village", parent=case.township, contact_email=f"c{i}@example.org"
        )
    after = [count_queries(liaison_client, url, params) for url, params in urls]
    assert after == before
