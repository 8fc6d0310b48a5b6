"""推荐名单: the list of an award's nominations for the submitting body (报送单位), as .xlsx rows."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, IntegerField, QuerySet, Value, When

from awards.models import STATE_ORDER, SUBMITTED_STATES, Award, Nomination

EXPORT_HEADERS = ["序号", "姓名", "性别", "工作单位", "职称", "职务", "推荐单位", "推荐理由", "状态"]
EXPORT_WIDTHS = [6, 10, 6, 30, 16, 16, 24, 60, 10]


def exported(award: Award, scope: str) -> QuerySet[Nomination]:
    """The nominations in the file: the submitted ones (报送, 获奖, 未获奖) or all, by state then name."""
    rows = award.nominations.select_related("scientist", "team__lead", "organization")
    if scope == "submitted":
        rows = rows.filter(state__in=SUBMITTED_STATES)
    order = Case(
        *(When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)), output_field=IntegerField()
    )
    return rows.order_by(order, "scientist__name_pinyin", "id")


def export_rows(nominations: QuerySet[Nomination]) -> Iterator[list]:
    for number, n in enumerate(nominations.iterator(chunk_size=500), start=1):
        s = n.scientist
        yield [
            number,
            s.name,
            s.get_gender_display(),
            s.employer,
            s.title,
            s.post,
            n.nominator_name,
            n.reason,
            n.get_state_display(),
        ]
