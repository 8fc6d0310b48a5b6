"""Planned contacts (工作计划)."""

from django.urls import path

from liaison.schedule import views

urlpatterns = [
    path("teams/<int:pk>/schedule/", views.team_plan, name="team_plan"),
    path("teams/<int:pk>/schedule/new/", views.plan_create, name="plan_create"),
    path("teams/<int:pk>/calendar/", views.team_calendar, name="team_calendar"),
    path("teams/<int:pk>/schedule.xlsx", views.team_plan_xlsx, name="team_plan_xlsx"),
    path("teams/<int:pk>/schedule.ics", views.team_plan_ics, name="team_plan_ics"),
    path("schedule/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("schedule/<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("my-calendar/feed/", views.feed_manage, name="plan_feed_manage"),
    path("calendar/<str:token>.ics", views.plan_feed, name="plan_feed"),
    path("staff/<int:pk>/calendar/", views.person_calendar, name="person_calendar"),
    path("staff/<int:pk>/schedule.ics", views.person_plan_ics, name="person_plan_ics"),
]
