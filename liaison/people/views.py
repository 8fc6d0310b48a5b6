"""Pages of the association's own people: departments and staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from common import picker
from common.views import paginate
from liaison.models import Department, Staff
from liaison.people.filters import StaffFilter
from liaison.people.forms import DepartmentForm, StaffForm
from liaison.people.signals import staff_page_sections
from liaison.schedule.services import can_view_person

DEPARTMENT_BUTTONS_MAX = 30


def staff_filter(request: HttpRequest, queryset: QuerySet | None = None) -> StaffFilter:
    """The staff list's filters (staff and departments are read by everyone logged in)."""
    return StaffFilter(request.GET, queryset=queryset if queryset is not None else Staff.objects.none())


def staff_list(request: HttpRequest) -> HttpResponse:
    filterset = staff_filter(request, Staff.objects.for_list())
    page = paginate(request, filterset.qs, per_page=50)
    # A button per department while they are few; a province's 1,400 are found with the 部室 filter instead.
    # One query either way: the first DEPARTMENT_BUTTONS_MAX + 1 rows, each with the number of all departments.
    departments = list(
        Department.objects.annotate(
            staff_count=Count("staff", filter=Q(staff__is_active=True)), total=Window(Count("id"))
        ).order_by("order", "id")[: DEPARTMENT_BUTTONS_MAX + 1]
    )
    department_count = departments[0].total if departments else 0
    many_departments = len(departments) > DEPARTMENT_BUTTONS_MAX
    if many_departments:
        picked = filterset.form.cleaned_data.get("department") if filterset.is_valid() else None
        departments = [picked.obj] if picked and picked.obj is not None else []
    return render(
        request,
        "liaison/people/staff_list.html",
        {
            "filter": filterset,
            "page": page,
            "departments": departments,
            "department_count": department_count,
            "many_departments": many_departments,
            "can_edit": request.user.has_perm("liaison.change_staff"),
        },
    )


staff_filter_suggest = picker.suggestion_view(staff_filter)


# htmx: matches for the form's department search box, for those who may create or edit staff
staff_form_suggest = picker.form_suggestion_view(
    lambda request: StaffForm(), "liaison.add_staff", "liaison.change_staff"
)


def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(Staff.objects.for_list(), pk=pk)
    sections = staff_page_sections.send(sender=Staff, request=request, staff=staff)
    return render(
        request,
        "liaison/people/staff_detail.html",
        {
            "staff": staff,
            "can_edit": request.user.has_perm("liaison.change_staff"),
            "sees_calendar": can_view_person(request.user, staff),
            "sections": [html for _, html in sections if html],
        },
    )


def _save_staff(request: HttpRequest, staff: Staff | None) -> HttpResponse:
    form = StaffForm(request.POST or None, instance=staff)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.claim():
                saved = form.save()
                messages.success(request, f"已保存干部“{saved.name}”。")
                return redirect(saved)
    return render(request, "liaison/people/staff_form.html", {"form": form, "staff": staff})


@permission_required("liaison.add_staff", raise_exception=True)
def staff_create(request: HttpRequest) -> HttpResponse:
    return _save_staff(request, None)


@permission_required("liaison.change_staff", raise_exception=True)
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_staff(request, get_object_or_404(Staff.objects.select_related("user", "department"), pk=pk))


def _save_department(request: HttpRequest, department: Department | None) -> HttpResponse:
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.claim():
                saved = form.save()
                messages.success(request, f"已保存部室“{saved.name}”。")
                return redirect("liaison:staff_list")
    return render(request, "liaison/people/department_form.html", {"form": form, "department": department})


@permission_required("liaison.add_department", raise_exception=True)
def department_create(request: HttpRequest) -> HttpResponse:
    return _save_department(request, None)


@permission_required("liaison.change_department", raise_exception=True)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_department(request, get_object_or_404(Department, pk=pk))
