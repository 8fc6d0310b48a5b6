"""The home page: what a user sees first after logging in."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from liaison.contacts import views as contact_views
from liaison.models import Department, Staff, Year
from liaison.people.access import Role, can_edit_registries, role_of
from orgs.models import Organization
from reports.dashboard import views as dashboard_views


def home(request: HttpRequest) -> HttpResponse:
    """Leadership and the liaison office land on the dashboard, staff and department heads on 我的工作,
    a grassroots account on its organisation's filing, an account without a staff record on the registry
    overview."""
    if role_of(request.user) == Role.GRASSROOTS:
        return redirect("filing:mine")
    if request.user.has_perm("reports.view_dashboard"):
        return dashboard_views.dashboard(request)
    if role_of(request.user) in (Role.STAFF, Role.DEPARTMENT_HEAD):
        return contact_views.my_work(request)
    return overview(request)


def overview(request: HttpRequest) -> HttpResponse:
    """Registry totals, for an account that is not (yet) registered as staff."""
    org_total = Organization.objects.active().count()
    scientist_total = Scientist.objects.active().count()
    academicians = Scientist.objects.active().filter(category=TalentCategory.ACADEMICIAN).count()
    this_year = Year.objects.filter(year=timezone.localdate().year).first()
    context = {
        "this_year": this_year,
        "role": role_of(request.user),
        "org_total": org_total,
        "scientist_total": scientist_total,
        "academician_total": academicians,
        "staff_total": Staff.objects.active().count(),
        "department_total": Department.objects.count(),
        "can_edit": can_edit_registries(request.user),
    }
    return render(request, "home.html", context)


WORKBOX_MODULES = ("workbox-core", "workbox-routing", "workbox-strategies")  # what templates/pwa/sw.js uses


@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site's root so that its scope covers the logging form; code only,
    the same for everyone (no login: the browser checks it for updates on its own)."""
    # Workbox's files by their hashed static names (nginx caches /static/ for a year as immutable): a new
    # Workbox is a new name, never a stale copy
    modules = {name: static(f"vendor/workbox/{name}.prod.js") for name in WORKBOX_MODULES}
    script = render_to_string(
        "pwa/sw.js",
        {
            "workbox_sw": static("vendor/workbox/workbox-sw.js"),
            "modules": json.dumps(modules),
            "static_prefix": settings.STATIC_URL,
            "form_path": reverse("liaison:record_create"),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
