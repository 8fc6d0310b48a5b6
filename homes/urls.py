from django.urls import path

from homes import views

app_name = "homes"

urlpatterns = [
    path("", views.home_list, name="list"),
    path("export/", views.home_export, name="export"),
    path("rollup/", views.home_rollup, name="rollup"),
    path("org/<int:pk>/", views.organization_home, name="organization"),
    path("org/<int:pk>/<int:year>/<str:point>/", views.check_edit, name="check_edit"),
    path("org/<int:pk>/designations/", views.designation_add, name="designation_add"),
    path("designations/<int:pk>/withdraw/", views.designation_withdraw, name="designation_withdraw"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
