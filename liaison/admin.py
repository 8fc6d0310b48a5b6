from django.contrib import admin

from liaison.models import Assignment, Department, QuotaRule, Staff, Team, VisitQuota, Year


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
