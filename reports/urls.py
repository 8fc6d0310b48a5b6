"""Reports: the review, adjustment and approval of the plan, and the workbook in and out.

Two groups of pages, each in its own module so they can grow apart: review_urls (review, adjustment,
approval, the party-group workbook, history) and io_urls (import and export of the office's workbooks).
"""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("reports.review_urls")),
    path("io/", include("reports.io_urls")),
    path("duty/", include("reports.duty_urls")),
    path("dashboard/", include("reports.dashboard_urls")),
]
