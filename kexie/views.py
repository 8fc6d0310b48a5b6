"""The home page: what a user sees first after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from experts.models import Scientist, TalentCategory
from liaison.access import can_edit_registries, role_of
from liaison.models import Department, Staff
from orgs.models import Organization


def home(request: HttpRequest) -> HttpResponse:
    """Registry totals for now; the dashboard and "我的工作" take this place in later issues."""
    org_total = Organization.objects.active().count()
    scientist_total = Scientist.objects.active().count()
    academicians = Scientist.objects.active().filter(category=TalentCategory.ACADEMICIAN).count()
    context = {
        "role": role_of(request.user),
        "org_total": org_total,
        "scientist_total": scientist_total,
        "academician_total": academicians,
        "staff_total": Staff.objects.active().count(),
        "department_total": Department.objects.count(),
        "can_edit": can_edit_registries(request.user),
    }
    return render(request, "home.html", context)
