from django.contrib import admin

from liaison.models import Department, Staff


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
