"""The home page: what a user sees first after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from liaison import contact_views, plans, quotas
from liaison.access import Role, can_edit_registries, role_of, staff_of
from liaison.models import Department, Staff, Year
from orgs.models import Organization


def home(request: HttpRequest) -> HttpResponse:
    """Staff and department heads land on 我的工作; leadership and the liaison office on the overview."""
    if role_of(request.user) in (Role.STAFF, Role.DEPARTMENT_HEAD):
        return contact_views.my_work(request)
    return overview(request)


def overview(request: HttpRequest) -> HttpResponse:
    """Registry totals and my teams this year; the dashboard and "我的工作" take this place in later issues."""
    org_total = Organization.objects.active().count()
    scientist_total = Scientist.objects.active().count()
    academicians = Scientist.objects.active().filter(category=TalentCategory.ACADEMICIAN).count()
    this_year = Year.objects.filter(year=timezone.localdate().year).first()
    staff = staff_of(request.user)
    my_teams = list(plans.teams_of(staff).filter(year=this_year)) if staff and this_year else []
    checks = quotas.check_teams(my_teams, this_year) if my_teams else {}
    context = {
        "this_year": this_year,
        "my_teams": [(team, checks[team.pk]) for team in my_teams],
        "role": role_of(request.user),
        "org_total": org_total,
        "scientist_total": scientist_total,
        "academician_total": academicians,
        "staff_total": Staff.objects.active().count(),
        "department_total": Department.objects.count(),
        "can_edit": can_edit_registries(request.user),
    }
    return render(request, "home.html", context)
