"""Every write of the awards (issue 20 §2), and the counts other pages read.

- `nominate`: a team or a grassroots association nominates a scientist to an award, before its deadline,
  once per award and scientist.
- `move`: the one-way steps 推荐 → 初审通过 / 初审未通过, 初审通过 → 报送 (refused when the award's quota of
  报送 is used up), 报送 → 获奖 / 未获奖. Each is a conditional UPDATE (`filter(state=old).update(...)`), so the
  same step taken twice at once happens once; the quota is counted under a lock of the award's row, so two
  submissions for the last place cannot both pass.
- `quota_used`: how many of an award's nominations have been submitted (报送, 获奖, 未获奖).
- `filed_counts`: per person, the nominations they filed for the awards of a year and how many were awarded
  (the duty report's figure, reports/duty/services.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from awards.access import is_open
from awards.models import (
    STATE_ORDER,
    SUBMITTED_STATES,
    TRANSITIONS,
    Award,
    Nomination,
    NominationAttachment,
    NominationStep,
    State,
)
from common.limits import MULTILINE_MAX
from experts.models import Scientist
from liaison.models import Team
from orgs.models import Organization


def quota_used(award: Award) -> int:
    """报送名额已用: the award's nominations that have been submitted, whatever came of them."""
    return award.nominations.filter(state__in=SUBMITTED_STATES).count()


def state_counts(nominations: QuerySet[Nomination]) -> dict[str, int]:
    """{state: n} of the given nominations, every state present (one grouped query)."""
    counts = dict.fromkeys(STATE_ORDER, 0)
    for row in nominations.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


@transaction.atomic
def award_save(award: Award) -> Award:
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def nomination_save(nomination: Nomination) -> Nomination:
    """A nomination's reason, edited (the view has checked it is still 推荐, under the row lock)."""
    nomination.reason = nomination.reason.strip()
    nomination.full_clean(validate_unique=False, validate_constraints=False)
    nomination.save(update_fields=["reason", "updated_at"])
    return nomination


def attach(nomination: Nomination, uploads: Iterable, by: User) -> list[NominationAttachment]:
    """Uploaded files checked by the form (common/files.py's policy: photos and PDFs by their bytes)."""
    return [
        NominationAttachment.objects.create(
            nomination=nomination,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.sniffed_type,
            size=upload.size,
            uploaded_by=by,
        )
        for upload in uploads
    ]


@transaction.atomic
def nominate(
    *,
    award: Award,
    scientist: Scientist,
    by: User,
    reason: str,
    team: Team | None = None,
    organization: Organization | None = None,
    attachments: Iterable = (),
) -> Nomination:
    """A nomination of `scientist` to `award` by a team of the award's year or by a grassroots association
    (exactly one). Who may nominate for which team or organisation is the view's question (awards/access.py);
    here: the award must take nominations, the team be of its year, the scientist be in the registry and not
    yet nominated to it."""
    if (team is None) == (organization is None):
        raise ValidationError("推荐单位须为一个专班或一个基层组织。")
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not award.is_active:
        raise ValidationError(f"“{award.name}”已停用，不再接受推荐。")
    if not is_open(award):
        raise ValidationError(f"“{award.name}”的推荐已于 {award.deadline:%Y-%m-%d} 截止，不再接受推荐。")
    if team is not None and team.year.year != award.year:
        raise ValidationError(f"只能以 {award.year} 年度的专班推荐。")
    if not scientist.is_active:
        raise ValidationError(f"{scientist.name}已不在册，不能推荐。")
    if not reason.strip():
        raise ValidationError("请填写推荐理由。")
    if len(reason) > MULTILINE_MAX:
        raise ValidationError(f"推荐理由最多 {MULTILINE_MAX} 个字（现有 {len(reason)} 个）。")
    if Nomination.objects.filter(award=award, scientist=scientist).exists():
        raise ValidationError(f"{scientist.name}已被推荐参评“{award.name}”，不能重复推荐。")
    nomination = Nomination(
        award=award,
        scientist=scientist,
        team=team,
        organization=organization,
        nominated_by=by,
        reason=reason.strip(),
    )
    nomination.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:  # nominated by someone else in the same moment
        raise ValidationError(f"{scientist.name}已被推荐参评“{award.name}”，不能重复推荐。") from error
    NominationStep.objects.create(nomination=nomination, from_state="", to_state=State.NOMINATED, by=by)
    attach(nomination, attachments, by)
    return nomination


@transaction.atomic
def move(*, nomination: Nomination, to_state: str, by: User, note: str = "") -> Nomination:
    """One step of the nomination's way (see the module docstring); who may take it is the view's question
    (the liaison office). Raises ValidationError with a Chinese message when the step is not possible."""
    from_state = nomination.state
    if to_state not in TRANSITIONS.get(from_state, ()):
        raise ValidationError(
            f"当前状态为“{State(from_state).label}”，不能改为“{State(to_state).label if to_state in State.values else to_state}”。"
        )
    if to_state == State.SUBMITTED:
        # the award's row is the lock every submission to it takes: the count below cannot change under us
        award = Award.objects.select_for_update().get(pk=nomination.award_id)
        used = quota_used(award)
        if used >= award.quota:
            raise ValidationError(
                f"报送名额已满：“{award.name}”可报送 {award.quota} 名，已报送 {used} 名，不能再报送。"
            )
    changed = Nomination.objects.filter(pk=nomination.pk, state=from_state).update(
        state=to_state, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        now = Nomination.objects.filter(pk=nomination.pk).values_list("state", flat=True).first()
        label = State(now).label if now else "已删除"
        raise ValidationError(f"这条推荐已被他人处理（现为“{label}”），本次操作未执行。")
    NominationStep.objects.create(
        nomination=nomination, from_state=from_state, to_state=to_state, by=by, note=note.strip()
    )
    nomination.refresh_from_db()
    return nomination


def filed_counts(award_year: int, user_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
    """{user id: (nominations filed, of them awarded)} for the awards of the year: one grouped query. A
    nomination counts for the person who filed it (推荐人), whatever team or organisation it was for."""
    rows = Nomination.objects.filter(award__year=award_year, nominated_by__isnull=False)
    if user_ids is not None:
        rows = rows.filter(nominated_by_id__in=list(user_ids))
    rows = rows.values("nominated_by").annotate(n=Count("id"), won=Count("id", filter=Q(state=State.AWARDED)))
    return {row["nominated_by"]: (row["n"], row["won"]) for row in rows.order_by()}
