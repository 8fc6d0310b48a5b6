"""Builders for the homes tests: a small county → township → village network and checklists marked by hand."""

from __future__ import annotations

import datetime

from homes.models import HomeCheck, HomeDesignation, Point
from orgs.models import Organization, OrgKind
from tests.factories import OrganizationFactory


def place(name: str, kind: str, parent: Organization | None = None, **extra) -> Organization:
    return OrganizationFactory(name=name, kind=kind, parent=parent, **extra)


def mark(organization: Organization, year: int, points=tuple(Point), *, done: bool = True) -> None:
    """The given points of the organisation's checklist for `year`, done (dated in March) or not."""
    for point in points:
        HomeCheck.objects.create(
            organization=organization,
            year=year,
            point=point,
            done=done,
            date=datetime.date(year, 3, 1) if done else None,
        )


def designate(
    organization: Organization, kind: str, named: int, withdrawn: int | None = None
) -> HomeDesignation:
    return HomeDesignation.objects.create(
        organization=organization, kind=kind, year_named=named, year_withdrawn=withdrawn
    )


def build_world() -> dict[str, Organization]:
    """The case the tests work out by hand (tests/homes/test_status.py's docstring lists what each has).

    甲区科协 (county A): 一街道科协 (T1) with 一社区科协 (V1), 二社区科协 (V2) and an inactive 三社区科协 (V3);
    二镇科协 (T2); 甲区电子企业科协 (E1, located in A); 甲区副主席单位 (U, a vice-chair unit: no home).
    乙县科协 (county B), nothing under it. 化工学会 (S), under no county.

    2026: T1, V1, E1, S all five points (complete); V2 four done and one not; A, B, T2 nothing (A was complete in
    2025); U and V3 all five (not counted: no home kind / inactive).
    Designations: T1 联系点 since 2024; V1 示范点 since 2026; T2 联系点 2023, withdrawn 2026; S 联系点 from 2027.
    """
    a = place("甲区科协", OrgKind.DISTRICT)
    b = place("乙县科协", OrgKind.DISTRICT)
    t1 = place("一街道科协", OrgKind.TOWNSHIP, a)
    t2 = place("二镇科协", OrgKind.TOWNSHIP, a)
    v1 = place("一社区科协", OrgKind.VILLAGE, t1)
    v2 = place("二社区科协", OrgKind.VILLAGE, t1)
    v3 = place("三社区科协", OrgKind.VILLAGE, t1, is_active=False)
    e1 = place("甲区电子企业科协", OrgKind.ENTERPRISE, county=a)
    u = place("甲区副主席单位", OrgKind.VICE_CHAIR_UNIT, county=a)
    s = place("化工学会", OrgKind.SOCIETY)
    for o in (t1, v1, e1, s, u, v3):
        mark(o, 2026)
    mark(v2, 2026, list(Point)[:4])
    mark(v2, 2026, [Point.RULES], done=False)
    mark(a, 2025)
    designate(t1, "contact_point", 2024)
    designate(v1, "demo_point", 2026)
    designate(t2, "contact_point", 2023, 2026)
    designate(s, "contact_point", 2027)
    return {"A": a, "B": b, "T1": t1, "T2": t2, "V1": v1, "V2": v2, "V3": v3, "E1": e1, "U": u, "S": s}
