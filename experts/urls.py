from django.urls import path

from experts import views
from experts.duplicates import views as duplicates

app_name = "experts"

urlpatterns = [
    path("", views.scientist_list, name="list"),
    path("new/", views.scientist_create, name="create"),
    path("suggest/<str:field>/", views.scientist_filter_suggest, name="filter_suggest"),
    path("form-suggest/<str:field>/", views.scientist_form_suggest, name="form_suggest"),
    path("<int:pk>/", views.scientist_detail, name="detail"),
    path("<int:pk>/edit/", views.scientist_edit, name="edit"),
    path("<int:pk>/active/", views.scientist_set_active, name="set_active"),
    path("duplicates/", duplicates.pair_list, name="duplicates"),
    path("duplicates/<int:first>/<int:second>/", duplicates.pair_detail, name="duplicate_pair"),
    path("duplicates/<int:first>/<int:second>/dismiss/", duplicates.pair_dismiss, name="duplicate_dismiss"),
    path("duplicates/merges/", duplicates.merge_list, name="merges"),
    path("duplicates/merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
]
