from django.contrib import admin

from common.personal_data import Kind, LogsContactViews, Person
from experts.models import DuplicateDismissal, MergeRecord, Scientist


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


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """The merges, read only: a merge is made and undone on its pages (experts/duplicates/), never edited."""

    list_display = [
        "merged_at",
        "absorbed_name",
        "absorbed_id",
        "kept_name",
        "kept",
        "merged_by",
        "undone_at",
    ]
    list_filter = ["merged_at", "undone_at"]
    search_fields = ["absorbed_name", "kept_name"]
    list_select_related = ["kept", "merged_by"]
    # the absorbed row and the rows kept for the undo hold phone numbers and emails: not shown here
    exclude = ["absorbed_row", "moved", "deleted", "kept_changes"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(admin.ModelAdmin):
    """Pairs marked 不是重复 (the finder does not list them); deleting one lists the pair again."""

    list_display = ["first_id", "second_id", "by", "at"]
    list_filter = ["at"]
    search_fields = ["=first_id", "=second_id"]
    list_select_related = ["by"]
