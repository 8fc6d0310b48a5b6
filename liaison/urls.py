from django.urls import path

from liaison import contact_views, plan_views, views

app_name = "liaison"

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/suggest/<str:field>/", views.staff_filter_suggest, name="staff_filter_suggest"),
    path("staff/form-suggest/<str:field>/", views.staff_form_suggest, name="staff_form_suggest"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    # the year's plan
    path("years/", plan_views.year_list, name="year_list"),
    path("years/<int:year>/", plan_views.year_detail, name="year_detail"),
    path("years/<int:year>/rules/", plan_views.rules_view, name="rules"),
    path("years/<int:year>/rules/edit/", plan_views.rules_edit, name="rules_edit"),
    path("years/<int:year>/teams/new/", plan_views.team_create, name="team_create"),
    path("years/<int:year>/plan/", plan_views.plan_tables, name="plan_tables"),
    path("years/<int:year>/gaps/", plan_views.coverage_gaps, name="coverage_gaps"),
    path("teams/form-suggest/<str:field>/", plan_views.team_form_suggest, name="team_form_suggest"),
    path("teams/<int:pk>/", plan_views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", plan_views.team_edit, name="team_edit"),
    path("teams/<int:pk>/assignments/add/", plan_views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/end/", plan_views.assignment_end, name="assignment_end"),
    path("targets/search/", plan_views.target_search, name="target_search"),
    path("my-teams/", plan_views.my_teams, name="my_teams"),
    # contact records, greetings, demands, my work
    path("my-work/", contact_views.my_work, name="my_work"),
    path("records/", contact_views.record_list, name="record_list"),
    path("records/new/", contact_views.record_create, name="record_create"),
    path("records/suggest/<str:field>/", contact_views.record_filter_suggest, name="record_filter_suggest"),
    path("records/team-fields/", contact_views.record_team_fields, name="record_team_fields"),
    path("records/target-search/", contact_views.record_target_search, name="record_target_search"),
    path("records/<int:pk>/", contact_views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", contact_views.record_edit, name="record_edit"),
    path("records/<int:pk>/delete/", contact_views.record_delete, name="record_delete"),
    path("records/<int:pk>/demands/add/", contact_views.demand_add, name="demand_add"),
    path("attachments/<int:pk>/", contact_views.attachment_download, name="attachment"),
    path("greetings/", contact_views.greetings, name="greetings"),
    path("demands/", contact_views.demand_list, name="demand_list"),
    path("demands/suggest/<str:field>/", contact_views.demand_filter_suggest, name="demand_filter_suggest"),
    path("demands/<int:pk>/", contact_views.demand_detail, name="demand_detail"),
]
