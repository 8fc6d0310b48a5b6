from django.contrib import admin

from experts.models import Scientist


@admin.register(Scientist)
class ScientistAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "category", "title", "discipline", "four_heads", "is_active"]
    list_filter = ["category", "four_heads", "gender", "is_active"]
    search_fields = ["name", "name_pinyin", "name_initials", "employer", "discipline"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    date_hierarchy = "birth_date"
