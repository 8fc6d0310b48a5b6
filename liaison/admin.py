from django.contrib import admin

from liaison.models import (
    Assignment,
    Attachment,
    CalendarFeed,
    ContactCategory,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandAction,
    Department,
    PlannedContact,
    QuotaRule,
    Staff,
    Team,
    TeamFigures,
    VisitQuota,
    Year,
    YearFigures,
)


@admin.register(ContactCategory)
class ContactCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "target_type", "takes", "created_at"]
    list_filter = ["target_type"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "is_liaison_office", "order"]
    list_filter = ["is_liaison_office"]
    search_fields = ["name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "position", "department", "user", "is_active"]
    list_filter = ["position", "department", "is_active"]
    search_fields = ["name", "name_pinyin", "name_initials", "title", "user__username"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["department", "user"]


class QuotaRuleInline(admin.TabularInline):
    model = QuotaRule
    extra = 0


class VisitQuotaInline(admin.TabularInline):
    model = VisitQuota
    extra = 0


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["year"]
    inlines = [QuotaRuleInline, VisitQuotaInline]


@admin.register(QuotaRule)
class QuotaRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "team_kind", "category", "minimum", "maximum", "contact_interval_days"]
    list_filter = ["year", "team_kind", "category"]
    search_fields = ["year__year"]


@admin.register(VisitQuota)
class VisitQuotaAdmin(admin.ModelAdmin):
    list_display = ["year", "team_kind", "minimum"]
    list_filter = ["year", "team_kind"]
    search_fields = ["year__year"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "kind", "lead"]
    list_filter = ["year", "kind"]
    search_fields = ["name", "lead__name", "lead__name_pinyin"]
    autocomplete_fields = ["lead", "members"]
    list_select_related = ["year", "lead"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["team", "organization", "scientist", "category", "start_date", "end_date", "end_reason"]
    list_filter = ["team__year", "category", "end_reason"]
    search_fields = ["team__name", "organization__name", "scientist__name", "scientist__name_pinyin"]
    autocomplete_fields = ["team", "organization", "scientist"]
    list_select_related = ["team", "organization", "scientist"]
    readonly_fields = ["created_by", "ended_by", "created_at", "ended_at"]


class ContactTargetInline(admin.TabularInline):
    model = ContactTarget
    extra = 0
    autocomplete_fields = ["organization", "scientist"]
    readonly_fields = ["team", "date", "counts", "assigned"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class DemandInline(admin.StackedInline):
    model = Demand
    extra = 0
    autocomplete_fields = ["raised_by_scientist", "raised_by_organization", "handler"]


@admin.register(ContactRecord)
class ContactRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "team", "method", "channel", "grassroots", "status", "is_deleted"]
    list_filter = ["team__year", "method", "grassroots", "status", "is_deleted"]
    search_fields = ["summary", "place", "team__name"]
    autocomplete_fields = ["team", "participants", "author"]
    list_select_related = ["team"]
    date_hierarchy = "date"
    inlines = [ContactTargetInline, AttachmentInline, DemandInline]


@admin.register(PlannedContact)
class PlannedContactAdmin(admin.ModelAdmin):
    list_display = ["date", "team", "organization", "scientist", "method", "status"]
    list_filter = ["team__year", "status", "method"]
    search_fields = ["team__name", "organization__name", "scientist__name", "note"]
    autocomplete_fields = ["team", "organization", "scientist", "goers", "record"]
    list_select_related = ["team", "organization", "scientist"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "date"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar subscription; deleting one revokes its address (the token is never shown)."""

    list_display = ["staff", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["staff__name"]
    autocomplete_fields = ["staff"]
    readonly_fields = ["created_at"]


class DemandActionInline(admin.TabularInline):
    model = DemandAction
    extra = 0


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["kind", "text", "status", "handler", "due_date", "closed_at"]
    list_filter = ["kind", "status"]
    search_fields = ["text", "reply", "raised_by_text", "raised_by_scientist__name"]
    autocomplete_fields = ["record", "raised_by_scientist", "raised_by_organization", "handler"]
    list_select_related = ["handler"]
    inlines = [DemandActionInline]


@admin.register(ContactTarget)
class ContactTargetAdmin(admin.ModelAdmin):
    list_display = ["record", "team", "date", "organization", "scientist", "assigned", "counts"]
    list_filter = ["assigned", "counts"]
    search_fields = ["organization__name", "scientist__name"]
    list_select_related = ["record", "team", "organization", "scientist"]
    autocomplete_fields = ["record", "organization", "scientist"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "record", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name"]


@admin.register(DemandAction)
class DemandActionAdmin(admin.ModelAdmin):
    list_display = ["demand", "date", "kind", "status_after"]
    list_filter = ["kind", "status_after"]
    search_fields = ["text"]


@admin.register(TeamFigures)
class TeamFiguresAdmin(admin.ModelAdmin):
    """The figures are computed (liaison/compliance/team_figures.py), never typed: every figure is read only. Deleting a row
    (or adding one) makes the next page that reads the team compute its figures again."""

    list_display = [
        "team",
        "version",
        "computed_version",
        "computed_at",
        "compliant",
        "visits",
        "uncontacted",
    ]
    list_filter = ["team__year", "team__kind", "compliant"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
    raw_id_fields = ["team"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [f.name for f in TeamFigures._meta.concrete_fields if f.name != "team"]


@admin.register(YearFigures)
class YearFiguresAdmin(admin.ModelAdmin):
    """The year's totals added up from the teams' figures (liaison/compliance/team_figures.py): read only."""

    list_display = ["year", "team_rows", "version_sum"]
    list_filter = ["year"]
    search_fields = ["year__year"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [f.name for f in YearFigures._meta.concrete_fields if f.name != "year"]


# the third layer (备案) and the grassroots accounts; the audit logs and the accounts under 三员分立
from liaison.filing import admin as filing_admin  # noqa: E402, F401
from liaison.privacy import admin as privacy_admin  # noqa: E402, F401
