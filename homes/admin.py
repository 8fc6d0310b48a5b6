from django.contrib import admin

from homes.models import HomeCheck, HomeDesignation, HomeEvidence


class HomeEvidenceInline(admin.TabularInline):
    model = HomeEvidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(HomeCheck)
class HomeCheckAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "point", "done", "date"]
    list_filter = ["year", "point", "done"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "checked_by"]
    inlines = [HomeEvidenceInline]


@admin.register(HomeDesignation)
class HomeDesignationAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "year_named", "year_withdrawn"]
    list_filter = ["kind", "year_named"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(HomeEvidence)
class HomeEvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "home_check", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "home_check__organization__name"]
    raw_id_fields = ["home_check", "uploaded_by"]
