"""Duty reports (年终个人述职) under /reports/duty/, namespace "reports"."""

from django.urls import path

from reports.duty import views

urlpatterns = [
    path("", views.duty_index, name="duty_index"),
    path("<int:year>/summary.xlsx", views.summary_xlsx, name="duty_summary_xlsx"),
    path("<int:year>/summary/job", views.summary_job, name="duty_summary_job"),  # POST: the same as a job
    path("<int:year>/pdfs/job", views.pdfs_job, name="duty_pdfs_job"),  # POST: every PDF in one zip
    path("<int:year>/<int:staff_pk>/", views.duty_page, name="duty_report"),
    path("<int:year>/<int:staff_pk>/pdf/", views.duty_pdf, name="duty_pdf"),
    path("<int:year>/<int:staff_pk>/xlsx/", views.duty_xlsx, name="duty_xlsx"),
    path("<int:year>/<int:staff_pk>/docx/", views.duty_docx, name="duty_docx"),
    path("<int:year>/<int:staff_pk>/narrative/", views.narrative_edit, name="duty_narrative"),
    path("<int:year>/<int:staff_pk>/highlights/", views.highlight_choose, name="duty_highlights"),
    path("records/<int:pk>/highlight/", views.highlight_toggle, name="duty_highlight_toggle"),
]
