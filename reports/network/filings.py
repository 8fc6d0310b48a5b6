"""The office's year overview of filings (备案, seed 000 §五.3): every organisation of the filing kinds with the
state of its filing for the year, the reminder list of those with none in force, and the reminder emails.

A filing's state is its latest revision's: 草稿 (being edited), 退回待改 (a draft sent back with a comment),
已报备, 已确认; an organisation without a filing for the year is 未报备. "In force" is separate: a filing
being revised keeps its earlier filed revision in force, so an organisation is reminded only when nothing of
its division is in force (Filing.in_force empty), whatever the state of its draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from common.personal_data import shown_email, shown_phone
from liaison.compliance.figures import organization_contacted_in
from liaison.models import FILING_KINDS, Filing, FilingRevision, FilingStatus, GrassrootsAccount, Year
from orgs.models import Organization, OrgKind


class State:
    NONE = "none"
    DRAFT = "draft"
    RETURNED = "returned"
    FILED = "filed"
    CONFIRMED = "confirmed"


STATE_LABELS = {
    State.NONE: "未报备",
    State.DRAFT: "草稿",
    State.FILED: "已报备",
    State.CONFIRMED: "已确认",
    State.RETURNED: "退回待改",
}
STATE_BADGES = {
    State.NONE: "text-bg-danger",
    State.DRAFT: "text-bg-secondary",
    State.FILED: "text-bg-primary",
    State.CONFIRMED: "text-bg-success",
    State.RETURNED: "text-bg-warning",
}
# The filter's extra choice: every organisation the reminder goes to.
NOT_IN_FORCE = "not_in_force"


def kind_rank() -> Case:
    """Sorts organisations in the policy's order of the filing kinds (区县 first … 村 last)."""
    return Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(FILING_KINDS)),
        default=Value(len(FILING_KINDS)),
        output_field=IntegerField(),
    )


# The order of every list of the overview, the reminder list and its export.
FILING_ORDER = (kind_rank(), "name_pinyin", "id")


def filing_organizations() -> QuerySet[Organization]:
    """The organisations asked to file: active, of FILING_KINDS."""
    return Organization.objects.active().filter(kind__in=FILING_KINDS)


def with_filing_state(organizations: QuerySet[Organization], year: Year) -> QuerySet[Organization]:
    """Each organisation with its filing of the year (filing_pk, in_force_pk) and `filing_state`, in the
    database (a list page of any size costs one query)."""
    filing = Filing.objects.filter(organization=OuterRef("pk"), year=year)
    latest = FilingRevision.objects.filter(filing__organization=OuterRef("pk"), filing__year=year).order_by(
        "-number"
    )
    return organizations.annotate(
        filing_pk=Subquery(filing.values("pk")[:1]),
        in_force_pk=Subquery(filing.values("in_force_id")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_comment=Coalesce(
            Subquery(latest.values("return_comment")[:1]), Value(""), output_field=TextField()
        ),
    ).annotate(
        filing_state=Case(
            When(latest_status__isnull=True, then=Value(State.NONE)),
            When(Q(latest_status=FilingStatus.DRAFT) & ~Q(latest_comment=""), then=Value(State.RETURNED)),
            When(latest_status=FilingStatus.DRAFT, then=Value(State.DRAFT)),
            When(latest_status=FilingStatus.FILED, then=Value(State.FILED)),
            default=Value(State.CONFIRMED),
            output_field=CharField(),
        )
    )


def has_filing_in_force(year: Year, organization: str = "pk") -> Exists:
    """True for an organisation whose filing of the year has a revision in force (已报备 or 已确认)."""
    return Exists(
        Filing.objects.filter(organization=OuterRef(organization), year=year, in_force__isnull=False)
    )


def overview(year: Year) -> QuerySet[Organization]:
    """The overview's rows: organisations of the filing kinds with their state, county loaded, by kind then
    pinyin."""
    return with_filing_state(filing_organizations(), year).select_related("county").order_by(*FILING_ORDER)


def state_counts(organizations: QuerySet[Organization]) -> dict[str, int]:
    """How many organisations are in each state (one query), every state present."""
    found = dict(
        organizations.order_by()
        .values_list("filing_state")
        .annotate(n=Count("id"))
        .values_list("filing_state", "n")
    )
    return {state: found.get(state, 0) for state in STATE_LABELS}


def not_in_force(year: Year) -> QuerySet[Organization]:
    """The reminder list: organisations of the filing kinds with no filing in force for the year."""
    return filing_organizations().exclude(has_filing_in_force(year))


def reminder_rows(organizations: QuerySet[Organization], visible: set[int] | None) -> Iterator[list[str]]:
    """The reminder export's rows: name, kind, county, contact person, phone, email, state. Contact details of
    organisations not in `visible` are masked (None: all visible), as every export does."""
    for o in organizations.iterator(chunk_size=2000):
        shown = visible is None or o.pk in visible
        yield [
            o.name,
            o.get_kind_display(),
            o.county.name if o.county_id else ("" if o.kind != OrgKind.DISTRICT else o.name),
            o.contact_person,
            shown_phone(o.contact_phone, shown),
            shown_email(o.contact_email, shown),
            STATE_LABELS[o.filing_state],
        ]


REMINDER_HEADERS = ["组织名称", "类别", "所在区县", "联系人", "联系电话", "联系邮箱", "备案状态"]
REMINDER_WIDTHS = [36, 22, 22, 12, 18, 30, 10]


# --------------------------------------------------------------------------------------------------------
# Reminder emails
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    organization: Organization
    addresses: tuple[str, ...]


def reminder_recipients(year: Year) -> tuple[list[Recipient], list[Organization]]:
    """Who the reminder goes to: each organisation with no filing in force, at its contact email and at the
    email of each of its active grassroots accounts; and the organisations with no address at all. Two queries."""
    organizations = list(not_in_force(year).select_related("county").order_by(*FILING_ORDER))
    accounts: dict[int, list[str]] = {}
    for org_id, email in (
        GrassrootsAccount.objects.filter(
            organization_id__in=[o.pk for o in organizations], user__is_active=True
        )
        .exclude(user__email="")
        .order_by("id")
        .values_list("organization_id", "user__email")
    ):
        accounts.setdefault(org_id, []).append(email)
    reachable, unreachable = [], []
    for o in organizations:
        addresses = tuple(
            dict.fromkeys(a.strip().lower() for a in [o.contact_email, *accounts.get(o.pk, [])] if a)
        )
        if addresses:
            reachable.append(Recipient(o, addresses))
        else:
            unreachable.append(o)
    return reachable, unreachable


REMINDER_SUBJECT = "请报送{year}年度联系科技工作者分工备案"
REMINDER_BODY = """{organization}：

根据市科协“点、线、面”联系科技工作者工作安排，请于近期登录市科协联系科技工作者系统，报送贵会{year}年度
主席、专（兼）职副主席、秘书长联系科技工作者的分工（备案）。目前系统中尚无贵会{year}年度已报备的分工。

如无登录账号或已报送纸质材料，请与市科协组织联络部联系。

市科协组织联络部
"""


def reminder_messages(year: Year, recipients: list[Recipient]) -> list[EmailMessage]:
    return [
        EmailMessage(
            REMINDER_SUBJECT.format(year=year.year),
            REMINDER_BODY.format(organization=r.organization.name, year=year.year),
            settings.DEFAULT_FROM_EMAIL,
            list(r.addresses),
        )
        for r in recipients
    ]


@dataclass(frozen=True)
class SendResult:
    organizations: int
    addresses: int
    unreachable: int


def send_reminders(year: Year) -> SendResult:
    """Email every organisation without a filing in force (one message each, to all its addresses)."""
    reachable, unreachable = reminder_recipients(year)
    messages = reminder_messages(year, reachable)
    if messages:
        get_connection().send_messages(messages)
    return SendResult(len(reachable), sum(len(r.addresses) for r in reachable), len(unreachable))


# --------------------------------------------------------------------------------------------------------
# Seed 004's blank spots: townships and villages under each county
# --------------------------------------------------------------------------------------------------------


@dataclass
class Spots:
    """Counts of one place's townships or villages: all, without a filing in force, without a team contact."""

    total: int = 0
    no_filing: int = 0
    no_contact: int = 0


@dataclass
class CountyRow:
    county: Organization | None  # None: townships and villages not placed under a county
    townships: Spots
    villages: Spots


@dataclass
class TownshipRow:
    township: Organization  # annotated with filed and contacted
    villages: Spots


GAP_FILING, GAP_CONTACT = "filing", "contact"
GAP_LABELS = {GAP_FILING: "无备案", GAP_CONTACT: "本年度无专班联系"}


def grassroots_places(year: Year) -> QuerySet[Organization]:
    """Active townships and villages with whether each has a filing in force and a team contact this year."""
    return (
        Organization.objects.active()
        .filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.VILLAGE])
        .annotate(filed=has_filing_in_force(year), contacted=organization_contacted_in(year))
    )


def blank_spot_filter(places: QuerySet[Organization], gap: str) -> QuerySet[Organization]:
    if gap == GAP_FILING:
        return places.filter(filed=False)
    if gap == GAP_CONTACT:
        return places.filter(contacted=False)
    return places.filter(Q(filed=False) | Q(contacted=False))


def _spots_by(places: QuerySet[Organization], group: str) -> dict[tuple[int | None, str], Spots]:
    """Townships or villages counted per `group` (county_id or parent_id) and kind, in one grouped query."""
    grouped = (
        places.order_by()
        .values_list(group, "kind")
        .annotate(
            total=Count("id"),
            no_filing=Count("id", filter=Q(filed=False)),
            no_contact=Count("id", filter=Q(contacted=False)),
        )
    )
    return {
        (key, kind): Spots(total, no_filing, no_contact)
        for key, kind, total, no_filing, no_contact in grouped
    }


def county_rollup(year: Year) -> list[CountyRow]:
    """Seed 004's blank spots per county: its townships and villages counted — all, without a filing in
    force, without a team contact this year. Two queries; counties with none are listed too."""
    spots = _spots_by(grassroots_places(year), "county_id")
    counties = list(Organization.objects.active().filter(kind=OrgKind.DISTRICT).order_by("name_pinyin", "id"))
    rows = [
        CountyRow(
            c, spots.get((c.pk, OrgKind.TOWNSHIP), Spots()), spots.get((c.pk, OrgKind.VILLAGE), Spots())
        )
        for c in counties
    ]
    if any(key is None for key, _ in spots):
        rows.append(
            CountyRow(
                None,
                spots.get((None, OrgKind.TOWNSHIP), Spots()),
                spots.get((None, OrgKind.VILLAGE), Spots()),
            )
        )
    return rows


def township_rollup(year: Year, county: Organization) -> list[TownshipRow]:
    """Under one county: each township, whether it has a filing in force and a team contact, and its villages
    counted the same way. Two queries."""
    places = grassroots_places(year).filter(county=county)
    villages = _spots_by(places.filter(kind=OrgKind.VILLAGE), "parent_id")
    townships = places.filter(kind=OrgKind.TOWNSHIP).order_by("name_pinyin", "id")
    return [TownshipRow(t, villages.get((t.pk, OrgKind.VILLAGE), Spots())) for t in townships]
