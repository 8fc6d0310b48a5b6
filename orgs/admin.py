from django.contrib import admin

from orgs.models import Officer, Organization


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "county", "contact_person", "is_active"]
    list_filter = ["kind", "is_active", "county"]
    search_fields = ["name", "name_pinyin", "name_initials", "address", "contact_person"]
    autocomplete_fields = ["parent", "county"]
    inlines = [OfficerInline]
    list_select_related = ["parent", "county"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "organization", "phone"]
    list_filter = ["post"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
