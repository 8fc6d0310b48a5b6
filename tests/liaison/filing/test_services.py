"""The filing workflow's core (liaison/filing/services.py): draft → 已报备 → 已确认, 退回 back to draft,
revisions kept, the revision in force, and proposed scientists confirmed or merged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liaison.filing import services as filings
from liaison.models import FilingAction, FilingStatus, ProposalStatus
from tests.factories import OfficerFactory, ScientistFactory, UserFactory
from tests.liaison.plan.factories import make_year, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    year = make_year(2026)
    society = org(name="辽川市机械工程学会")
    chair = OfficerFactory(organization=society, name="孙主席", post="chair", tenure="concurrent")
    return year, society, chair


def test_filing_confirming_sending_back_and_revising(setting):
    year, society, chair = setting
    office = UserFactory(username="office")
    li, wang = ScientistFactory(name="李工"), ScientistFactory(name="王工")
    filing = filings.filing_for(society, year, office)
    draft = filings.open_draft(filing, office)
    assert draft.number == 1

    with pytest.raises(ValidationError, match="备案内容为空"):
        filings.file_revision(draft, office)
    filings.add_line(draft, filings.Line(chair, li))
    filings.add_line(draft, filings.Line(chair, li))  # the same line twice is one line
    assert draft.entries.count() == 1
    first = filings.file_revision(draft, office)
    filing.refresh_from_db()
    assert (first.status, filing.in_force) == (FilingStatus.FILED, first)
    with pytest.raises(ValidationError, match="不能直接修改"):
        filings.add_line(first, filings.Line(chair, wang))
    with pytest.raises(ValidationError):
        filings.file_revision(first, office)  # filed once only

    filings.confirm_revision(first, office)
    second = filings.open_draft(filing, office)
    assert second.number == 2
    assert [e.scientist for e in second.entries.all()] == [li]
    filings.add_line(second, filings.Line(chair, wang))
    filings.file_revision(second, office)
    filings.send_back(second, office, "王工不是本会会员，请核实")
    filing.refresh_from_db()
    second.refresh_from_db()
    # back to draft with the comment; the first (confirmed) revision is in force meanwhile
    assert (second.status, second.return_comment) == (FilingStatus.DRAFT, "王工不是本会会员，请核实")
    assert filing.in_force.number == 1
    assert set(filings.lines_in_force(year).values_list("scientist__name", flat=True)) == {"李工"}
    actions = list(filing.steps.values_list("revision_number", "action"))
    assert actions == [
        (1, FilingAction.CREATE),
        (1, FilingAction.FILE),
        (1, FilingAction.CONFIRM),
        (2, FilingAction.REVISE),
        (2, FilingAction.FILE),
        (2, FilingAction.SEND_BACK),
    ]


def test_file_lines_twice_changes_nothing(setting):
    year, society, chair = setting
    li = ScientistFactory(name="李工")
    first = filings.file_lines(society, year, [filings.Line(chair, li)], None, imported=True)
    assert first.number == 1
    assert first.status == FilingStatus.FILED
    assert filings.file_lines(society, year, [filings.Line(chair, li)], None, imported=True) is None
    assert society.filings.get().revisions.count() == 1


def test_a_proposed_scientist_confirmed_then_another_merged(setting):
    year, society, chair = setting
    existing = ScientistFactory(name="赵工", employer="辽川机床厂")
    filing = filings.filing_for(society, year, None)
    draft = filings.open_draft(filing, None)
    new = filings.propose_scientist(society, None, name="钱工", employer="辽川轴承厂")
    same = filings.propose_scientist(society, None, name="赵 工", employer="机床厂")
    filings.add_line(draft, filings.Line(chair, proposal=new))
    filings.add_line(draft, filings.Line(chair, proposal=same))
    filings.file_revision(draft, None)
    assert filings.lines_in_force(year).count() == 0  # proposals are not in the network until resolved

    made = filings.confirm_proposal(new, None)
    filings.merge_proposal(same, existing, None, "同一人")
    assert (made.name, made.employer) == ("钱工", "辽川轴承厂")
    new.refresh_from_db()
    assert new.status == ProposalStatus.CONFIRMED
    names = sorted(filings.lines_in_force(year).values_list("scientist__name", flat=True))
    assert names == ["赵工", "钱工"]
    with pytest.raises(ValidationError, match="已处理"):
        filings.merge_proposal(same, existing, None)
