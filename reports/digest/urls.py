"""The weekly digest under /reports/digest/, namespace "reports"."""

from django.urls import path

from reports.digest import views

urlpatterns = [
    path("", views.digest_page, name="digest"),
    path("job", views.digest_job, name="digest_job"),  # POST: preview (default) or send=1
]
