"""A staff member logging a contact proposes a scientist who is not in the registry (issue 18 §5); the liaison
office confirms, merges or rejects it on the proposals page it uses for the organisations' filings; once
resolved, the record names the registry scientist as its target and as the one who raised its demand.

陈干部 (a member of 王主席专班) visits 郑新人 of 辽川大学, who is not in the registry, and notes a demand of his.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from experts.models import Scientist
from liaison.models import ContactRecord, ContactTarget, Demand, ScientistProposal
from tests.factories import ScientistFactory, today

pytestmark = pytest.mark.django_db


def record_post(team, **extra) -> dict:
    return {
        "team": team.pk,
        "date": today().isoformat(),
        "method": "survey",
        "channel": "visit",
        "summary": "走访辽川大学新建实验室",
        "demands-TOTAL_FORMS": "1",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "10",
        "demands-0-kind": "difficulty",
        **extra,
    }


@pytest.fixture
def proposed(staff_client, team) -> ScientistProposal:
    response = staff_client.post(
        reverse("liaison:record_create"),
        record_post(
            team,
            new_name="郑新人",
            new_employer="辽川大学",
            new_title="副教授",
            **{"demands-0-text": "希望申报市级平台"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ScientistProposal.objects.get()


class TestProposingWhileLogging:
    def test_the_record_is_saved_with_the_proposal_and_no_target_yet(self, proposed, dept_staff):
        record = ContactRecord.objects.get()
        assert (record.status, record.targets.count()) == ("done", 0)
        assert (proposed.name, proposed.employer, proposed.title) == ("郑新人", "辽川大学", "副教授")
        assert (proposed.record, proposed.organization, proposed.proposed_by) == (
            record,
            None,
            dept_staff.user,
        )
        assert proposed.status == "pending"
        # the demand names him by the proposed name until he is in the registry
        demand = Demand.objects.get()
        assert (demand.raised_by_text, demand.raised_by_scientist) == ("郑新人", None)

    def test_the_record_page_shows_him_as_waiting(self, proposed, staff_client):
        html = staff_client.get(proposed.record.get_absolute_url()).content.decode()
        assert "郑新人" in html
        assert "名录中没有 · 待组织联络部确认" in html

    def test_a_name_without_employer_is_refused_and_kept(self, staff_client, team):
        response = staff_client.post(reverse("liaison:record_create"), record_post(team, new_name="郑新人"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "请填写其工作单位，便于组织联络部核对。" in html
        assert 'value="郑新人"' in html
        assert ContactRecord.objects.count() == 0
        assert ScientistProposal.objects.count() == 0

    def test_without_target_or_proposal_a_target_is_still_required(self, staff_client, team):
        response = staff_client.post(reverse("liaison:record_create"), record_post(team))
        assert "请至少选择一个联系对象。" in response.content.decode()
        assert ContactRecord.objects.count() == 0


class TestTheLiaisonOfficeDecides:
    def test_the_proposals_page_lists_it_with_its_record(self, proposed, liaison_client):
        html = liaison_client.get(reverse("filing:proposals")).content.decode()
        assert "郑新人" in html
        assert f"联系记录 {today():%Y-%m-%d} 王主席专班" in html
        assert "陈干部 记录时提出" in html
        detail = liaison_client.get(reverse("filing:proposal", args=[proposed.pk])).content.decode()
        assert "陈干部 记录联系工作时提出" in detail

    def test_staff_may_not_see_or_decide(self, proposed, staff_client):
        assert staff_client.get(reverse("filing:proposals")).status_code == 403
        response = staff_client.post(
            reverse("filing:proposal_confirm", args=[proposed.pk]), {"category": "frontline"}
        )
        assert response.status_code == 403
        proposed.refresh_from_db()
        assert proposed.status == "pending"
        assert not Scientist.objects.filter(name="郑新人").exists()

    def test_confirming_makes_him_the_records_target(self, proposed, liaison_client, staff_client):
        response = liaison_client.post(
            reverse("filing:proposal_confirm", args=[proposed.pk]), {"category": "frontline"}
        )
        assert response.status_code == 302
        scientist = Scientist.objects.get(name="郑新人")
        assert (scientist.employer, scientist.title, scientist.organization) == ("辽川大学", "副教授", None)
        record = proposed.record
        target = ContactTarget.objects.get(record=record)
        assert (target.scientist, target.team, target.date, target.counts, target.assigned) == (
            scientist,
            record.team,
            record.date,
            True,
            False,  # not an assigned target of the team: work, not coverage
        )
        demand = Demand.objects.get()
        assert (demand.raised_by_scientist, demand.raised_by_text) == (scientist, "")
        html = staff_client.get(record.get_absolute_url()).content.decode()
        assert f'<a href="{scientist.get_absolute_url()}">郑新人</a>' in html
        assert "待组织联络部确认" not in html

    def test_merging_names_the_existing_scientist(self, proposed, liaison_client):
        same = ScientistFactory(name="郑新人", employer="辽川大学化工学院")
        response = liaison_client.post(
            reverse("filing:proposal_merge", args=[proposed.pk]), {"scientist": same.pk, "note": "同一人"}
        )
        assert response.status_code == 302
        assert [t.scientist for t in proposed.record.targets.all()] == [same]
        assert Scientist.objects.filter(name="郑新人").count() == 1

    def test_rejecting_leaves_the_record_without_him(self, proposed, liaison_client):
        liaison_client.post(reverse("filing:proposal_reject", args=[proposed.pk]), {"note": "非科技工作者"})
        proposed.refresh_from_db()
        assert proposed.status == "rejected"
        assert proposed.record.targets.count() == 0
        assert not Scientist.objects.filter(name="郑新人").exists()

    def test_the_records_other_targets_stay(self, staff_client, liaison_client, team):
        known = ScientistFactory(name="单志强")
        staff_client.post(
            reverse("liaison:record_create"),
            record_post(team, targets=[f"sci:{known.pk}"], new_name="郑新人", new_employer="辽川大学"),
        )
        proposal = ScientistProposal.objects.get()
        liaison_client.post(reverse("filing:proposal_confirm", args=[proposal.pk]), {"category": "frontline"})
        names = sorted(t.scientist.name for t in proposal.record.targets.all())
        assert names == ["单志强", "郑新人"]


def test_editing_a_record_whose_proposal_waits_needs_no_other_target(proposed, staff_client, team):
    record = proposed.record
    edit = reverse("liaison:record_edit", args=[record.pk])
    form = staff_client.get(edit).context["form"]
    data = record_post(
        team, summary="补充：参观了新建实验室", version=form["version"].value(), seen=form["seen"].value()
    )
    data = {k: v for k, v in data.items() if not k.startswith("demands-")}
    response = staff_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert record.summary == "补充：参观了新建实验室"
    assert ScientistProposal.objects.count() == 1
