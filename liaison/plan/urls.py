"""The year's plan: years, quota rules, teams, assignments."""

from django.urls import path

from liaison.plan import views

urlpatterns = [
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("years/", views.year_list, name="year_list"),
    path("years/<int:year>/", views.year_detail, name="year_detail"),
    path("years/<int:year>/rules/", views.rules_view, name="rules"),
    path("years/<int:year>/rules/edit/", views.rules_edit, name="rules_edit"),
    path("years/<int:year>/teams/new/", views.team_create, name="team_create"),
    path("years/<int:year>/plan/", views.plan_tables, name="plan_tables"),
    path("years/<int:year>/gaps/", views.coverage_gaps, name="coverage_gaps"),
    path("teams/form-suggest/<str:field>/", views.team_form_suggest, name="team_form_suggest"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/assignments/add/", views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("targets/search/", views.target_search, name="target_search"),
    path("my-teams/", views.my_teams, name="my_teams"),
]
