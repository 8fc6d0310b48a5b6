"""The demo's homes (demo/homes.py): a dozen associations in every state, 联系点 and a 示范点, two evidence
files; seeded once per module (tests/conftest.py seeded_once)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.homes import seed_demo_homes
from homes import status
from homes.models import HomeCheck, HomeDesignation, HomeEvidence
from orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_homes(seeded_once):
    year = timezone.localdate().year
    tally = status.summary(year)
    assert (tally.complete, tally.contact_points, tally.demo_points) == (7, 4, 1)
    heping = status.with_home_state(Organization.objects.filter(name="和平区科协"), year).get()
    assert (heping.points_done, heping.home_state) == (3, "partial")  # left for the demo login to fill in
    assert HomeCheck.objects.filter(year=year).count() == 52
    assert sorted(HomeEvidence.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    withdrawn = HomeDesignation.objects.get(organization__name="南山镇科协")
    assert withdrawn.year_withdrawn == year - 1
    # evidence opens as the files it claims to be
    for evidence in HomeEvidence.objects.all():
        with evidence.file.open("rb") as handle:
            head = handle.read(5)
        assert head in (b"\x89PNG\r", b"%PDF-")


def test_seeding_again_writes_nothing(seeded_once):
    year = timezone.localdate().year
    before = (HomeCheck.objects.count(), HomeDesignation.objects.count(), HomeEvidence.objects.count())
    assert "已有数据" in seed_demo_homes(year=year, by=None)
    assert (
        HomeCheck.objects.count(),
        HomeDesignation.objects.count(),
        HomeEvidence.objects.count(),
    ) == before
