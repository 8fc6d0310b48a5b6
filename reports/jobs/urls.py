"""Jobs: /reports/jobs/ (我的任务), /reports/jobs/<id>/ (the job page), /reports/jobs/<id>/file (its file)."""

from django.urls import path

from reports.jobs import views

urlpatterns = [
    path("", views.my_jobs, name="jobs"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/file", views.job_file, name="job_file"),
]
