from django.contrib import admin

from common.personal_data import Kind, LogsContactViews, Person
from orgs.models import Officer, Organization


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(LogsContactViews, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "county", "contact_person", "is_active"]
    list_filter = ["kind", "is_active", "county"]
    search_fields = ["name", "name_pinyin", "name_initials", "address", "contact_person"]
    autocomplete_fields = ["parent", "county"]
    inlines = [OfficerInline]
    list_select_related = ["parent", "county"]

    def people_shown(self, objects) -> list[Person]:
        """The change page shows the organisation's contact phone and, inline, its officers' phones."""
        people = []
        for org in objects:
            if org.contact_phone:
                people.append(Person(Kind.ORGANIZATION, org.pk, org.name))
            people += [Person(Kind.OFFICER, o.pk, o.name) for o in org.officers.all() if o.phone]
        return people


@admin.register(Officer)
class OfficerAdmin(LogsContactViews, admin.ModelAdmin):
    list_display = ["name", "post", "organization", "phone"]
    list_filter = ["post"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    lists_contacts = True  # the list shows each officer's phone

    def people_shown(self, objects) -> list[Person]:
        return [Person(Kind.OFFICER, o.pk, o.name) for o in objects if o.phone]
