from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("suggest/<str:field>/", views.organization_filter_suggest, name="filter_suggest"),
    path("form-suggest/<str:field>/", views.organization_form_suggest, name="form_suggest"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/active/", views.organization_set_active, name="set_active"),
]
