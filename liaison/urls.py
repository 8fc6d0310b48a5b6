from django.urls import path

from liaison import plan_views, views

app_name = "liaison"

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    # the year's plan
    path("years/", plan_views.year_list, name="year_list"),
    path("years/<int:year>/", plan_views.year_detail, name="year_detail"),
    path("years/<int:year>/status/", plan_views.year_status, name="year_status"),
    path("years/<int:year>/rules/", plan_views.rules_view, name="rules"),
    path("years/<int:year>/rules/edit/", plan_views.rules_edit, name="rules_edit"),
    path("years/<int:year>/teams/new/", plan_views.team_create, name="team_create"),
    path("years/<int:year>/plan/", plan_views.plan_tables, name="plan_tables"),
    path("years/<int:year>/gaps/", plan_views.coverage_gaps, name="coverage_gaps"),
    path("teams/<int:pk>/", plan_views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", plan_views.team_edit, name="team_edit"),
    path("teams/<int:pk>/assignments/add/", plan_views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/end/", plan_views.assignment_end, name="assignment_end"),
    path("targets/search/", plan_views.target_search, name="target_search"),
    path("my-teams/", plan_views.my_teams, name="my_teams"),
]
