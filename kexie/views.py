"""The home page: what a user sees first after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
