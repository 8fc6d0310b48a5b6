"""The office's workbook in and out: /reports/io/… (names prefixed io_ within the "reports" namespace)."""

from django.urls import path

from reports.workbook import views

urlpatterns = [
    path("import/", views.import_page, name="io_import"),
    path("import/template.xlsx", views.import_template, name="io_template"),
    path("export/", views.export_page, name="io_export"),
    path("export/organizations.xlsx", views.export_organizations, name="io_export_organizations"),
    path("export/scientists.xlsx", views.export_scientists, name="io_export_scientists"),
    path("export/staff.xlsx", views.export_staff, name="io_export_staff"),
    path("export/<int:year>/plan.xlsx", views.export_plan, name="io_export_plan"),
    path("export/<int:year>/records.xlsx", views.export_records, name="io_export_records"),
    path("export/<int:year>/demands.xlsx", views.export_demands, name="io_export_demands"),
    path("export/<int:year>/filings.xlsx", views.export_filings, name="io_export_filings"),
    path("export/<int:year>/all.xlsx", views.export_all, name="io_export_all"),
    # the same two as jobs (POST: they start one), for a year of any size
    path("export/<int:year>/records/job", views.export_records_job, name="io_export_records_job"),
    path("export/<int:year>/all/job", views.export_all_job, name="io_export_all_job"),
]
