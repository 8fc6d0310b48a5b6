"""Demo of the 科技工作者之家 (seed 002): this year's five-point checklists of a dozen associations across the
counties, in every state (complete, part done, none), a few 联系点, one 示范点, one withdrawn 联系点, and two
evidence files (a generated PNG and PDF).

和平区科协 (the demo grassroots login hepingqu) is left at 3/5, so that its account has something to fill in.
Every write goes through homes/services.py. Deterministic; idempotent: nothing is written when a checklist of
the year exists already.
"""

from __future__ import annotations

import datetime
import struct
import zlib

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from homes import services
from homes.models import DesignationKind, HomeCheck, Point
from orgs.models import Organization

P = list(Point)
# organisation → how many of the five points (in the seed's order) are done this year
CHECKLISTS: list[tuple[str, int]] = [
    ("和平区科协", 3),
    ("集贤街道科协", 5),
    ("集贤社区科协", 5),
    ("百鸟社区科协", 2),
    ("长白街道科协", 5),
    ("沿江街道科协", 4),
    ("沿江社区科协", 1),
    ("红旗镇科协", 5),
    ("红旗村科协", 5),
    ("前进村科协", 3),
    ("柳条村科协", 5),
    ("辽川大学科协", 4),
    ("辽川市机械工程学会", 5),
]
# (organisation, kind, years before this one it was named, years before this one it was withdrawn or None)
DESIGNATIONS: list[tuple[str, str, int, int | None]] = [
    ("集贤街道科协", DesignationKind.DEMO_POINT, 1, None),
    ("集贤街道科协", DesignationKind.CONTACT_POINT, 3, None),
    ("红旗镇科协", DesignationKind.CONTACT_POINT, 2, None),
    ("沿江街道科协", DesignationKind.CONTACT_POINT, 0, None),
    ("辽川市机械工程学会", DesignationKind.CONTACT_POINT, 1, None),
    ("南山镇科协", DesignationKind.CONTACT_POINT, 3, 1),
]
NOTES = {
    Point.ORGANIZATION: "科协组织健全，主席、秘书长到位，会员名册已更新。",
    Point.VENUE: "“科技工作者之家”活动室 60 平方米，配投影和图书角。",
    Point.FUNDING: "年度工作经费已列入单位预算。",
    Point.PROJECTS: "开展“讲、比”活动和厂会协作项目各一项。",
    Point.RULES: "已建立活动制度、联系科技工作者制度和经费管理办法。",
}


def demo_png() -> bytes:
    """A 2×2 blue PNG, written by hand (no imaging library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x6f\xbf" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def demo_pdf() -> bytes:
    """A one-page empty PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    upload.sniffed_type = content_type
    return upload


def seed_demo_homes(*, year: int, by: User | None) -> str:
    """Write the demo checklists and designations of `year`; a line saying what was written."""
    if HomeCheck.objects.filter(year=year).exists():
        return f"{year} 年度科技工作者之家：已有数据，未改动"
    organizations = {
        o.name: o
        for o in Organization.objects.filter(
            name__in=[n for n, _ in CHECKLISTS] + [d[0] for d in DESIGNATIONS]
        )
    }
    checks = 0
    for number, (name, done) in enumerate(CHECKLISTS):
        organization = organizations.get(name)
        if organization is None:
            continue
        for index, point in enumerate(P[:done]):
            check = HomeCheck(
                organization=organization,
                year=year,
                point=point,
                done=True,
                date=datetime.date(year, 1 + (number + index) % 3, 10 + index),
                note=NOTES[point],
            )
            files = []
            if name == "集贤街道科协" and point == Point.VENUE:
                files = [_upload("活动室照片.png", demo_png(), "image/png")]
            elif name == "集贤街道科协" and point == Point.RULES:
                files = [_upload("工作制度汇编.pdf", demo_pdf(), "application/pdf")]
            services.check_save(check=check, files=files, by=by)
            checks += 1
    named = 0
    for name, kind, named_ago, withdrawn_ago in DESIGNATIONS:
        organization = organizations.get(name)
        if organization is None or organization.home_designations.filter(kind=kind).exists():
            continue
        designation = services.designation_name(
            organization=organization, kind=kind, year_named=year - named_ago, note="市科协命名", by=by
        )
        if withdrawn_ago is not None:
            services.designation_withdraw(designation=designation, year=year - withdrawn_ago, by=by)
        named += 1
    return f"{year} 年度科技工作者之家：新建“五个到位”填报 {checks} 项，联系点/示范点 {named} 个"
