"""The third layer's pages (/filing/…, namespace "filing")."""

from django.urls import path

from . import views

app_name = "filing"

urlpatterns = [
    path("<int:pk>/", views.filing_detail, name="detail"),
]
