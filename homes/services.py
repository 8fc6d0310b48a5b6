"""Every write of the homes: a checklist point with its evidence, removing evidence, naming and withdrawing
联系点 / 示范点. Atomic, validated (full_clean) and audited (django-auditlog)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from homes.models import HomeCheck, HomeDesignation, HomeEvidence
from orgs.models import Organization


@transaction.atomic
def check_save(*, check: HomeCheck, files: list[UploadedFile], by: User) -> HomeCheck:
    """Save one point of a checklist (its version already claimed by the form) and add the uploaded files."""
    check.checked_by = by
    check.full_clean()
    check.save()
    for upload in files:
        evidence_add(check=check, upload=upload, by=by)
    return check


def evidence_add(*, check: HomeCheck, upload: UploadedFile, by: User) -> HomeEvidence:
    """A photo or PDF, its type told by its bytes (`sniffed_type`, set by the form's AttachmentsField)."""
    evidence = HomeEvidence(
        home_check=check,
        original_name=upload.name[:200],
        content_type=upload.sniffed_type,
        size=upload.size,
        uploaded_by=by,
    )
    evidence.file = upload
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: HomeEvidence, by: User) -> None:
    """Remove a file: the row now, the stored bytes once the transaction has committed."""
    file = evidence.file
    storage, name = file.storage, file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def designation_name(
    *, organization: Organization, kind: str, year_named: int, note: str = "", by: User
) -> HomeDesignation:
    """Name an association a 联系点 or 示范点 from `year_named`: refused while it already is one, and for a year
    before an earlier designation of the kind was withdrawn (the history does not overlap)."""
    earlier = (
        HomeDesignation.objects.select_for_update()
        .filter(organization=organization, kind=kind)
        .order_by("-year_named")
    )
    label = dict(HomeDesignation._meta.get_field("kind").choices).get(kind, kind)
    for other in earlier:
        if other.year_withdrawn is None:
            raise ValidationError(f"该组织已是{label}（{other.year_named} 年命名），不能重复命名。")
        if year_named < other.year_withdrawn:
            raise ValidationError(
                f"该组织 {other.year_named}—{other.year_withdrawn - 1} 年曾是{label}，"
                f"重新命名的年度不能早于 {other.year_withdrawn}。"
            )
    designation = HomeDesignation(
        organization=organization, kind=kind, year_named=year_named, note=note, created_by=by
    )
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def designation_withdraw(*, designation: HomeDesignation, year: int, by: User) -> None:
    """Withdraw a standing designation from `year` on: one-way, by a conditional UPDATE so that two withdrawals
    can't both happen; written to the audit log like every other change."""
    if year <= designation.year_named:
        raise ValidationError(f"撤销年度须晚于命名年度 {designation.year_named}。")
    changed = HomeDesignation.objects.filter(pk=designation.pk, year_withdrawn__isnull=True).update(
        year_withdrawn=year
    )
    if not changed:
        raise ValidationError("该命名已被撤销（可能是其他人刚刚撤销的），请刷新页面查看。")
    designation.year_withdrawn = year
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(HomeDesignation),
        object_pk=str(designation.pk),
        object_id=designation.pk,
        object_repr=str(designation)[:1000],
        action=LogEntry.Action.UPDATE,
        changes={"year_withdrawn": ["None", str(year)]},
        actor=by,
    )
