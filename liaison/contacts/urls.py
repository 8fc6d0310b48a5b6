"""The contact work: contact records, greetings, demands, my work."""

from django.urls import path

from liaison.contacts import locations, sync, views

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("records/", views.record_list, name="record_list"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/sync/", sync.record_sync, name="record_sync"),
    path("records/offline-data/", sync.offline_data, name="record_offline_data"),
    path("records/locations/", locations.record_locations, name="record_locations"),
    path("records/suggest/<str:field>/", views.record_filter_suggest, name="record_filter_suggest"),
    path("records/team-fields/", views.record_team_fields, name="record_team_fields"),
    path("records/target-search/", views.record_target_search, name="record_target_search"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/demands/add/", views.demand_add, name="demand_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("greetings/", views.greetings, name="greetings"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/suggest/<str:field>/", views.demand_filter_suggest, name="demand_filter_suggest"),
    path("demands/form-suggest/<str:field>/", views.demand_form_suggest, name="demand_form_suggest"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
]
