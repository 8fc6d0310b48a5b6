"""Every write of the third layer (备案): drafts, lines, filing, confirming, sending back, revising, and the
scientists an organisation proposes. Views, the importer and the demo call these; none writes filing rows
directly. Each transition re-reads the filing under a row lock, so that two people can't file, confirm or send
back the same revision twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from common.concurrency import lock
from experts.models import Scientist
from liaison.contacts import services as contacts
from liaison.models import (
    IN_FORCE_STATUSES,
    ContactRecord,
    Filing,
    FilingAction,
    FilingEntry,
    FilingRevision,
    FilingStatus,
    FilingStep,
    ProposalStatus,
    ScientistProposal,
    Year,
)
from orgs.models import Officer, Organization

NOT_A_DRAFT = "这一版备案已报备，不能直接修改；请先点击“修订”生成新的草稿。"
NOT_LATEST = "只能处理最新一版备案。"
EMPTY_FILING = "备案内容为空：请至少为一位负责人选择一名联系的科技工作者。"


@dataclass(frozen=True)
class Line:
    """One line of a division as the importer and the forms hand it over."""

    officer: Officer
    scientist: Scientist | None = None
    proposal: ScientistProposal | None = None


def latest_revision(filing: Filing) -> FilingRevision | None:
    return filing.revisions.order_by("-number").first()


def filing_for(organization: Organization, year: Year, by: User | None) -> Filing:
    """The organisation's filing for the year, created (with an empty draft) on first use."""
    with transaction.atomic():
        filing, created = Filing.objects.get_or_create(organization=organization, year=year)
        if created:
            FilingRevision.objects.create(filing=filing, number=1)
            FilingStep.objects.create(filing=filing, revision_number=1, action=FilingAction.CREATE, by=by)
    return filing


@transaction.atomic
def open_draft(filing: Filing, by: User | None) -> FilingRevision:
    """The draft to edit: the latest revision if it is one, else a new revision copying the latest (修订)."""
    lock(filing)
    latest = latest_revision(filing)
    if latest is not None and latest.status == FilingStatus.DRAFT:
        return latest
    number = (latest.number if latest else 0) + 1
    draft = FilingRevision.objects.create(filing=filing, number=number)
    if latest is not None:
        FilingEntry.objects.bulk_create(
            FilingEntry(
                revision=draft,
                officer_id=e.officer_id,
                officer_name=e.officer_name,
                post=e.post,
                tenure=e.tenure,
                scientist_id=e.scientist_id,
                proposal_id=e.proposal_id,
            )
            for e in latest.entries.all()
        )
    FilingStep.objects.create(filing=filing, revision_number=number, action=FilingAction.REVISE, by=by)
    filing.save()
    return draft


def _editable(revision: FilingRevision) -> None:
    if revision.status != FilingStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)


def add_line(revision: FilingRevision, line: Line) -> FilingEntry:
    """Add one officer → scientist line to a draft (nothing if the same line is already there)."""
    _editable(revision)
    officer = line.officer
    if officer.organization_id != revision.filing.organization_id:
        raise ValidationError("联系人必须是本组织的负责人。")
    if line.scientist is None and line.proposal is None:
        raise ValidationError("请选择一名科技工作者，或申请新增。")
    existing = revision.entries.filter(officer=officer)
    existing = (
        existing.filter(scientist=line.scientist)
        if line.scientist
        else existing.filter(proposal=line.proposal)
    )
    found = existing.first()
    if found is not None:
        return found
    return FilingEntry.objects.create(
        revision=revision,
        officer=officer,
        officer_name=officer.name,
        post=officer.post,
        tenure=officer.tenure,
        scientist=line.scientist,
        proposal=line.proposal,
    )


def remove_line(revision: FilingRevision, entry_id: int) -> None:
    _editable(revision)
    revision.entries.filter(pk=entry_id).delete()


NO_DRAFT = "这份备案当前没有草稿（已报备或已确认），不能修改；如需变更，请先点击“修订”。"


@transaction.atomic
def add_to_draft(filing: Filing, line: Line) -> FilingEntry:
    """A page's 添加: the line goes into the filing's latest revision if it is still a draft, checked under
    the filing's lock (a line never slips into a revision filed meanwhile)."""
    lock(filing)
    latest = latest_revision(filing)
    if latest is None or latest.status != FilingStatus.DRAFT:
        raise ValidationError(NO_DRAFT)
    latest.filing = filing
    return add_line(latest, line)


@transaction.atomic
def remove_from_draft(filing: Filing, entry_id: int) -> bool:
    """A page's 删除: whether the line was there (a second click finds it gone and changes nothing)."""
    lock(filing)
    latest = latest_revision(filing)
    if latest is None or latest.status != FilingStatus.DRAFT:
        raise ValidationError(NO_DRAFT)
    return latest.entries.filter(pk=entry_id).delete()[0] > 0


@transaction.atomic
def propose_line(filing: Filing, officer: Officer, by: User | None, **fields) -> FilingEntry:
    """申请新增: a scientist not in the registry, proposed and put on the officer's line in one step."""
    proposal = propose_scientist(filing.organization, by, **fields)
    return add_to_draft(filing, Line(officer, proposal=proposal))


@transaction.atomic
def revise(filing: Filing, from_number: int, by: User | None) -> FilingRevision:
    """修订 of revision `from_number` (the one the user saw): a new draft copying it. Refused when that is no
    longer the latest filed revision (a second click, or someone else revised or sent it back meanwhile)."""
    filing = lock(filing)
    latest = latest_revision(filing)
    if latest is None or latest.number != from_number or latest.status not in IN_FORCE_STATUSES:
        raise ValidationError("这一版已不是最新的已报备版本（可能已有人修订或退回），请查看当前状态。")
    return open_draft(filing, by)


def _refresh_officer_copies(revision: FilingRevision) -> None:
    """At filing, each line takes its officer's name, post and tenure as they are now."""
    for entry in revision.entries.select_related("officer"):
        officer = entry.officer
        if officer is None:
            continue
        if (entry.officer_name, entry.post, entry.tenure) != (officer.name, officer.post, officer.tenure):
            entry.officer_name, entry.post, entry.tenure = officer.name, officer.post, officer.tenure
            entry.save(update_fields=["officer_name", "post", "tenure"])


@transaction.atomic
def file_revision(revision: FilingRevision, by: User | None, *, on_behalf: bool = False) -> FilingRevision:
    """报备 (or 代为报备 by the liaison office): the draft becomes the division in force."""
    filing = lock(revision.filing)
    revision = FilingRevision.objects.get(pk=revision.pk)
    _editable(revision)
    if latest_revision(filing).pk != revision.pk:
        raise ValidationError(NOT_LATEST)
    if not revision.entries.exists():
        raise ValidationError(EMPTY_FILING)
    _refresh_officer_copies(revision)
    revision.status = FilingStatus.FILED
    revision.filed_at, revision.filed_by, revision.on_behalf = timezone.now(), by, on_behalf
    revision.return_comment = ""
    revision.save()
    filing.in_force = revision
    filing.save()
    action = FilingAction.FILE_ON_BEHALF if on_behalf else FilingAction.FILE
    FilingStep.objects.create(filing=filing, revision_number=revision.number, action=action, by=by)
    return revision


@transaction.atomic
def confirm_revision(revision: FilingRevision, by: User | None) -> FilingRevision:
    """确认: the liaison office accepts a filed revision."""
    filing = lock(revision.filing)
    revision = FilingRevision.objects.get(pk=revision.pk)
    if revision.status != FilingStatus.FILED:
        raise ValidationError("只有已报备的备案可以确认。")
    revision.status = FilingStatus.CONFIRMED
    revision.confirmed_at, revision.confirmed_by = timezone.now(), by
    revision.save()
    filing.save()
    FilingStep.objects.create(
        filing=filing, revision_number=revision.number, action=FilingAction.CONFIRM, by=by
    )
    return revision


@transaction.atomic
def send_back(revision: FilingRevision, by: User | None, comment: str) -> FilingRevision:
    """退回: a filed (or confirmed) latest revision goes back to draft with the office's comment; the previous
    filed revision, if any, is in force again meanwhile."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("退回时请写明退回意见。")
    filing = lock(revision.filing)
    revision = FilingRevision.objects.get(pk=revision.pk)
    if revision.status not in IN_FORCE_STATUSES:
        raise ValidationError("只有已报备或已确认的备案可以退回。")
    if latest_revision(filing).pk != revision.pk:
        raise ValidationError(NOT_LATEST)
    revision.status = FilingStatus.DRAFT
    revision.return_comment = comment
    revision.confirmed_at = revision.confirmed_by = None
    revision.save()
    filing.in_force = (
        filing.revisions.filter(status__in=IN_FORCE_STATUSES, number__lt=revision.number)
        .order_by("-number")
        .first()
    )
    filing.save()
    FilingStep.objects.create(
        filing=filing,
        revision_number=revision.number,
        action=FilingAction.SEND_BACK,
        comment=comment,
        by=by,
    )
    return revision


def file_lines(
    organization: Organization, year: Year, lines: Iterable[Line], by: User | None, *, imported: bool = False
) -> FilingRevision | None:
    """File a division in one step (the importer; the office filing on an organisation's behalf): the lines
    are added to what is in force and filed. Returns None, writing nothing, when every line is already in
    force (importing the same workbook twice changes nothing)."""
    lines = list(lines)
    filing = filing_for(organization, year, by)
    in_force = filing.in_force
    if in_force is not None:
        # Matched as add_line matches: a line naming a scientist is in force when the officer has them on a
        # line, even one that came from a proposal since resolved to them.
        have: set[tuple[int | None, str, int]] = set()
        for officer_id, scientist_id, proposal_id in in_force.entries.values_list(
            "officer_id", "scientist_id", "proposal_id"
        ):
            if scientist_id is not None:
                have.add((officer_id, "scientist", scientist_id))
            if proposal_id is not None:
                have.add((officer_id, "proposal", proposal_id))
        if all(
            (ln.officer.pk, "scientist", ln.scientist.pk) in have
            if ln.scientist is not None
            else (ln.officer.pk, "proposal", ln.proposal.pk) in have
            for ln in lines
        ):
            return None
    with transaction.atomic():
        draft = open_draft(filing, by)
        if in_force is not None and draft.number > in_force.number + 1:
            # A draft was being edited since: the import files what is in force plus its lines, on a fresh
            # copy; the organisation's draft is replaced by this filing (its step history says so).
            draft.entries.all().delete()
            for entry in in_force.entries.select_related("officer", "scientist", "proposal"):
                if entry.officer is not None:
                    add_line(draft, Line(entry.officer, entry.scientist, entry.proposal))
        for line in lines:
            add_line(draft, line)
        revision = file_revision(draft, by, on_behalf=not imported)
        if imported:
            # file_revision wrote the step as a plain 报备 (on_behalf is False for an import): say 导入报备
            FilingStep.objects.filter(
                filing=filing, revision_number=revision.number, action=FilingAction.FILE
            ).update(action=FilingAction.IMPORT)
    return revision


# --------------------------------------------------------------------------------------------------------
# Proposed scientists
# --------------------------------------------------------------------------------------------------------


def propose_scientist(organization: Organization, by: User | None, **fields) -> ScientistProposal:
    """A scientist the organisation files who is not in the registry: kept until the liaison office decides."""
    name, employer = (fields.get("name") or "").strip(), (fields.get("employer") or "").strip()
    if not name or not employer:
        raise ValidationError("新增科技工作者须填写姓名和工作单位。")
    fields.update(name=name, employer=employer)
    return ScientistProposal.objects.create(organization=organization, proposed_by=by, **fields)


def propose_from_record(
    record: ContactRecord, by: User | None, *, name: str, employer: str, title: str = ""
) -> ScientistProposal:
    """A scientist a staff member met while logging a contact who is not in the registry: kept, with the
    record, until the liaison office decides on the same proposals page as the organisations' ones."""
    name, employer = (name or "").strip(), (employer or "").strip()
    if not name or not employer:
        raise ValidationError("新增科技工作者须填写姓名和工作单位。")
    return ScientistProposal.objects.create(
        record=record, proposed_by=by, name=name, employer=employer, title=(title or "").strip()
    )


def _name_on_record(proposal: ScientistProposal, scientist: Scientist) -> None:
    """The record a proposal came from names the scientist it was resolved to: as a target (counted for the
    team like any other, an assigned one if the team has them), and as the one who raised the record's
    demands that named them by the proposed name."""
    record = proposal.record
    targets = [t.target for t in record.targets.select_related("organization", "scientist").order_by("id")]
    if scientist not in targets:
        contacts.sync_targets(record, [*targets, scientist])
    record.demands.filter(raised_by_scientist__isnull=True, raised_by_text=proposal.name).update(
        raised_by_scientist=scientist, raised_by_text=""
    )


def _resolve(
    proposal: ScientistProposal, scientist: Scientist, status: str, by: User | None, note: str
) -> None:
    proposal = ScientistProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("这条新增申请已处理过。")
    if proposal.record_id is not None:
        _name_on_record(proposal, scientist)
    for entry in FilingEntry.objects.filter(proposal=proposal).select_related("revision"):
        twin = FilingEntry.objects.filter(
            revision=entry.revision, officer_name=entry.officer_name, post=entry.post, scientist=scientist
        ).exclude(pk=entry.pk)
        if twin.exists():  # the line named the same person twice: keep one
            entry.delete()
            continue
        entry.scientist = scientist
        entry.save(update_fields=["scientist"])
    proposal.status, proposal.scientist = status, scientist
    proposal.resolved_by, proposal.resolved_at, proposal.resolution_note = by, timezone.now(), note
    proposal.save()


@transaction.atomic
def confirm_proposal(proposal: ScientistProposal, by: User | None, **overrides) -> Scientist:
    """确认新增: a registry record is created from the proposal (or the namesake at the same employer is used)."""
    scientist = Scientist.objects.filter(name=proposal.name, employer=proposal.employer).first()
    if scientist is None:
        scientist = Scientist(
            name=proposal.name,
            employer=proposal.employer,
            title=proposal.title,
            category=overrides.pop("category", None) or proposal.category or "frontline",
            mobile=proposal.mobile,
            organization=proposal.organization,
            **overrides,
        )
        scientist.full_clean()
        scientist.save()
    _resolve(proposal, scientist, ProposalStatus.CONFIRMED, by, "")
    return scientist


@transaction.atomic
def merge_proposal(
    proposal: ScientistProposal, scientist: Scientist, by: User | None, note: str = ""
) -> None:
    """并入: the proposal is the same person as an existing registry record."""
    _resolve(proposal, scientist, ProposalStatus.MERGED, by, note)


@transaction.atomic
def reject_proposal(proposal: ScientistProposal, by: User | None, note: str) -> None:
    proposal = ScientistProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("这条新增申请已处理过。")
    proposal.status = ProposalStatus.REJECTED
    proposal.resolved_by, proposal.resolved_at, proposal.resolution_note = by, timezone.now(), note
    proposal.save()


# --------------------------------------------------------------------------------------------------------
# What the network reads
# --------------------------------------------------------------------------------------------------------


def lines_in_force(year: Year) -> QuerySet[FilingEntry]:
    """The 面 of a year: every line, naming a registry scientist, of a revision in force (已报备 or 已确认)."""
    return FilingEntry.objects.filter(
        revision__filing__year=year,
        revision__status__in=IN_FORCE_STATUSES,
        revision__filing__in_force=F("revision"),
        scientist__isnull=False,
    )
