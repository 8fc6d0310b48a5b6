"""Models of the liaison app, one module per topic; import them from here."""

from .people import Department, Position, Staff, StaffQuerySet
from .plan import (
    Assignment,
    AssignmentQuerySet,
    EndReason,
    QuotaCategory,
    QuotaRule,
    Team,
    TeamKind,
    TeamQuerySet,
    VisitQuota,
    Year,
    YearStatus,
    team_kind_for,
)

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "Department",
    "EndReason",
    "Position",
    "QuotaCategory",
    "QuotaRule",
    "Staff",
    "StaffQuerySet",
    "Team",
    "TeamKind",
    "TeamQuerySet",
    "VisitQuota",
    "Year",
    "YearStatus",
    "team_kind_for",
]
