from django.urls import path

from reports.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
