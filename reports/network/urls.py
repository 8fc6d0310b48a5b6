"""The network (点、线、面) and the year overview of filings."""

from django.urls import path

from reports.network import views

urlpatterns = [
    path("years/<int:year>/network/", views.network, name="network"),
    path("years/<int:year>/network/scientists/", views.network_scientists, name="network_scientists"),
    path("years/<int:year>/network/places/", views.network_places, name="network_places"),
    path("years/<int:year>/filings/", views.filing_overview, name="network_filings"),
    path("years/<int:year>/filings/reminders.xlsx", views.reminder_export, name="network_reminder_export"),
    path("years/<int:year>/filings/remind/", views.send_reminders, name="network_remind"),
]
