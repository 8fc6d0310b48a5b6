"""Staff and departments (干部与部室)."""

from django.urls import path

from liaison.people import views

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/suggest/<str:field>/", views.staff_filter_suggest, name="staff_filter_suggest"),
    path("staff/form-suggest/<str:field>/", views.staff_form_suggest, name="staff_form_suggest"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
]
