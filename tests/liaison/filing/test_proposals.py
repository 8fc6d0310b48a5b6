"""Proposed scientists through the office's pages (issue 16 §2–3): listed with the filing that proposed them,
confirmed into the registry with the category the office sets, merged into a namesake, or rejected."""

from __future__ import annotations

import pytest

from experts.models import Scientist
from liaison.filing import services as filings
from liaison.models import ProposalStatus
from tests.conftest import count_queries
from tests.factories import OfficerFactory, ScientistFactory
from tests.liaison.plan.factories import make_year, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed():
    """A society's draft naming a proposed scientist (a namesake is already in the registry elsewhere)."""
    year = make_year(2026)
    society = org(name="辽川市机械工程学会")
    chair = OfficerFactory(organization=society, name="孙主席")
    filing = filings.filing_for(society, year, None)
    entry = filings.propose_line(
        filing, chair, None, name="赵新人", employer="辽川农科院", title="研究员", mobile="13912345678"
    )
    return filing, entry


def test_the_list_shows_who_proposed_and_masks_the_phone(liaison_client, proposed):
    filing, entry = proposed
    page = liaison_client.get("/filing/proposals/")
    text = page.content.decode()
    assert "赵新人" in text
    assert "辽川市机械工程学会" in text
    assert f'href="/filing/{filing.pk}/"' in text
    assert "139****5678" in text
    assert "13912345678" not in text


def test_confirm_creates_the_record_with_the_category(liaison_client, proposed):
    filing, entry = proposed
    proposal = entry.proposal
    response = liaison_client.post(f"/filing/proposals/{proposal.pk}/confirm/", {"category": "high_level"})
    assert response["Location"] == "/filing/proposals/"
    scientist = Scientist.objects.get(name="赵新人")
    assert (scientist.employer, scientist.category, scientist.title, scientist.mobile) == (
        "辽川农科院",
        "high_level",
        "研究员",
        "13912345678",
    )
    entry.refresh_from_db()
    proposal.refresh_from_db()
    assert (entry.scientist, proposal.status) == (scientist, ProposalStatus.CONFIRMED)
    # a second confirm (another tab) changes nothing and says so
    response = liaison_client.post(
        f"/filing/proposals/{proposal.pk}/confirm/", {"category": "other"}, follow=True
    )
    assert "这条新增申请已处理过。" in response.content.decode()
    assert Scientist.objects.filter(name="赵新人").count() == 1


def test_merge_suggests_namesakes_and_points_the_line_at_the_record(liaison_client, proposed):
    filing, entry = proposed
    proposal = entry.proposal
    namesake = ScientistFactory(name="赵新人", employer="辽川农业科学院")
    ScientistFactory(name="赵新")
    page = liaison_client.get(f"/filing/proposals/{proposal.pk}/")
    assert [s.pk for s in page.context["namesakes"]] == [namesake.pk]
    assert f'value="{namesake.pk}" id="namesake-{namesake.pk}"' in page.content.decode()
    liaison_client.post(
        f"/filing/proposals/{proposal.pk}/merge/", {"scientist": namesake.pk, "note": "同一人"}
    )
    entry.refresh_from_db()
    proposal.refresh_from_db()
    assert (entry.scientist, proposal.status, proposal.resolution_note) == (
        namesake,
        ProposalStatus.MERGED,
        "同一人",
    )
    assert not Scientist.objects.filter(employer="辽川农科院").exists()
    # the organisation's page now names the registry record
    assert "已并入已有记录" in liaison_client.get(f"/filing/{filing.pk}/").content.decode()


def test_merge_by_pinyin_search_needs_a_pick(liaison_client, proposed):
    _filing, entry = proposed
    page = liaison_client.post(f"/filing/proposals/{entry.proposal.pk}/merge/", {"scientist_q": "zhao"})
    assert page.status_code == 200
    assert "请从候选中选择科技工作者" in page.content.decode()


def test_reject_needs_a_reason(liaison_client, proposed):
    _filing, entry = proposed
    proposal = entry.proposal
    page = liaison_client.post(f"/filing/proposals/{proposal.pk}/reject/", {"note": ""})
    assert "请写明不采纳的理由。" in page.content.decode()
    liaison_client.post(f"/filing/proposals/{proposal.pk}/reject/", {"note": "不在本市工作"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.resolution_note) == (ProposalStatus.REJECTED, "不在本市工作")


def test_list_queries_do_not_grow(liaison_client, proposed):
    filing, entry = proposed
    few = count_queries(liaison_client, "/filing/proposals/")
    chair = entry.officer
    for i in range(10):
        filings.propose_line(filing, chair, None, name=f"新人{i}", employer="某单位")
    assert count_queries(liaison_client, "/filing/proposals/") == few
