"""The work (/liaison/…, namespace "liaison"): one urls module per capability."""

from django.urls import include, path

app_name = "liaison"

urlpatterns = [
    path("", include("liaison.people.urls")),
    path("", include("liaison.plan.urls")),
    path("", include("liaison.contacts.urls")),
    path("", include("liaison.outstanding.urls")),
    path("", include("liaison.privacy.urls")),
    path("", include("liaison.schedule.urls")),
]
