"""Models of the liaison app, one module per topic; import them from here.

The stored figures (TeamFigures, YearFigures) are defined with the rules that compute them, in
liaison/compliance/models.py, and registered from here like every other model of the app.
"""

# after .plan: the figures point at Team and Year
from liaison.compliance.models import TeamFigures, YearFigures  # noqa: E402

from .contacts import (
    OPEN_DEMAND_STATUSES,
    Attachment,
    ContactChannel,
    ContactMethod,
    ContactRecord,
    ContactRecordQuerySet,
    ContactTarget,
    Demand,
    DemandAction,
    DemandActionKind,
    DemandKind,
    DemandQuerySet,
    DemandStatus,
    Occasion,
    RecordStatus,
    Topic,
)
from .people import Department, Position, Staff, StaffQuerySet
from .plan import (
    Assignment,
    AssignmentQuerySet,
    ContactCategory,
    EndReason,
    QuotaCategory,
    QuotaRule,
    TargetType,
    Team,
    TeamKind,
    TeamQuerySet,
    VisitQuota,
    Year,
    YearStatus,
    category_label,
    is_builtin_category_name,
    is_known_category,
    team_kind_for,
)
from .privacy import PersonalDataSubject, PersonalDataView, SubjectKind

__all__ = [
    "OPEN_DEMAND_STATUSES",
    "Attachment",
    "ContactChannel",
    "ContactMethod",
    "ContactRecord",
    "ContactRecordQuerySet",
    "ContactTarget",
    "Demand",
    "DemandAction",
    "DemandActionKind",
    "DemandKind",
    "DemandQuerySet",
    "DemandStatus",
    "Occasion",
    "RecordStatus",
    "Topic",
    "Assignment",
    "AssignmentQuerySet",
    "ContactCategory",
    "TargetType",
    "category_label",
    "is_builtin_category_name",
    "is_known_category",
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
    "TeamFigures",
    "YearFigures",
    "PersonalDataSubject",
    "PersonalDataView",
    "SubjectKind",
]
