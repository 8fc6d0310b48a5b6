from django.contrib import admin

from common.personal_data import Kind, LogsContactViews, Person
from experts.models import Scientist


@admin.register(Scientist)
class ScientistAdmin(LogsContactViews, admin.ModelAdmin):
    list_display = ["name", "employer", "category", "title", "discipline", "four_heads", "is_active"]
    list_filter = ["category", "four_heads", "gender", "is_active"]
    search_fields = ["name", "name_pinyin", "name_initials", "employer", "discipline"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    date_hierarchy = "birth_date"

    def people_shown(self, objects) -> list[Person]:
        return [Person(Kind.SCIENTIST, s.pk, s.name) for s in objects if s.mobile or s.email]
