"""The third layer in the Django admin: for looking up and repairing rows. The workflow (报备, 确认, 退回,
修订) and its history belong to the filing pages (liaison/filing/services.py); the admin, like every admin
form here, does not take part in it (docs/design.md, "No lost update")."""

from django.contrib import admin

from liaison.models import (
    Filing,
    FilingEntry,
    FilingRevision,
    FilingStep,
    GrassrootsAccount,
    ScientistProposal,
)


class FilingRevisionInline(admin.TabularInline):
    model = FilingRevision
    extra = 0
    fields = ["number", "status", "filed_at", "confirmed_at", "return_comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "in_force", "updated_at"]
    list_filter = ["year", "organization__kind"]
    search_fields = ["organization__name", "organization__name_pinyin", "organization__name_initials"]
    raw_id_fields = ["organization", "in_force"]
    inlines = [FilingRevisionInline]


@admin.register(FilingRevision)
class FilingRevisionAdmin(admin.ModelAdmin):
    list_display = ["filing", "number", "status", "filed_at", "on_behalf", "confirmed_at"]
    list_filter = ["status", "on_behalf", "filing__year"]
    search_fields = ["filing__organization__name", "filing__organization__name_pinyin"]
    raw_id_fields = ["filing", "filed_by", "confirmed_by"]


@admin.register(FilingEntry)
class FilingEntryAdmin(admin.ModelAdmin):
    list_display = ["revision", "officer_name", "post", "tenure", "scientist", "proposal"]
    list_filter = ["post", "tenure", "revision__status"]
    search_fields = ["officer_name", "scientist__name", "scientist__name_pinyin", "proposal__name"]
    raw_id_fields = ["revision", "officer", "scientist", "proposal"]


@admin.register(ScientistProposal)
class ScientistProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "organization", "status", "proposed_at", "resolved_at"]
    list_filter = ["status"]
    search_fields = ["name", "employer", "organization__name"]
    raw_id_fields = ["organization", "scientist", "proposed_by", "resolved_by"]


@admin.register(FilingStep)
class FilingStepAdmin(admin.ModelAdmin):
    list_display = ["filing", "revision_number", "action", "by", "at"]
    list_filter = ["action"]
    search_fields = ["filing__organization__name", "comment"]
    raw_id_fields = ["filing", "by"]


@admin.register(GrassrootsAccount)
class GrassrootsAccountAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "holder", "must_change_password", "created_at"]
    list_filter = ["must_change_password", "organization__kind"]
    search_fields = ["user__username", "holder", "organization__name", "organization__name_pinyin"]
    raw_id_fields = ["user", "organization", "created_by"]
