"""What is read from the work (/reports/…, namespace "reports"): one urls module per capability."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("reports.review.urls")),
    path("", include("reports.cycle.urls")),
    path("io/", include("reports.workbook.urls")),
    path("jobs/", include("reports.jobs.urls")),
    path("duty/", include("reports.duty.urls")),
    path("digest/", include("reports.digest.urls")),
    path("dashboard/", include("reports.dashboard.urls")),
    path("", include("reports.network.urls")),
]
