"""The office's decisions on likely duplicates: every page and command writes through these."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from experts.duplicates.merge import merge, undo
from experts.duplicates.models import DuplicateDismissal
from experts.models import Scientist

__all__ = ["dismiss_pair", "merge", "undo"]


def dismiss_pair(*, first: Scientist, second: Scientist, by: User | None) -> DuplicateDismissal:
    """Remember that the two records are two people ("不是重复"); marking a pair twice keeps the first mark."""
    low, high = sorted([first.pk, second.pk])
    try:
        with transaction.atomic():
            return DuplicateDismissal.objects.create(first_id=low, second_id=high, by=by)
    except IntegrityError:
        return DuplicateDismissal.objects.get(first_id=low, second_id=high)
