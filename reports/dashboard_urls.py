from django.urls import path

from reports import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
]
