"""The awards in the admin: a repair tool of the system administrator (docs/design.md), not guarded by the
version check; the states are moved on the pages, where each step is recorded."""

from django.contrib import admin

from awards.models import Award, Nomination, NominationAttachment, NominationStep


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "body", "quota", "deadline", "is_active"]
    list_filter = ["year", "is_active"]
    search_fields = ["name", "body"]


class NominationStepInline(admin.TabularInline):
    model = NominationStep
    extra = 0
    raw_id_fields = ["by"]


class NominationAttachmentInline(admin.TabularInline):
    model = NominationAttachment
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["scientist", "award", "team", "organization", "state", "created_at"]
    list_filter = ["state", "award__year"]
    search_fields = ["scientist__name", "award__name", "reason"]
    list_select_related = ["scientist", "award", "team", "organization"]
    raw_id_fields = ["award", "scientist", "team", "organization", "nominated_by"]
    inlines = [NominationStepInline, NominationAttachmentInline]


@admin.register(NominationStep)
class NominationStepAdmin(admin.ModelAdmin):
    list_display = ["nomination", "from_state", "to_state", "by", "at"]
    list_filter = ["to_state"]
    search_fields = ["nomination__scientist__name", "note"]
    raw_id_fields = ["nomination", "by"]


@admin.register(NominationAttachment)
class NominationAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "nomination", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name"]
    raw_id_fields = ["nomination", "uploaded_by"]
