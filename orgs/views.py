"""Pages of the organisation registry: everyone logged in reads, the liaison office edits.

The organisation's contact phone and its officers' phones are personal data: shown in full only to those
the rule allows (liaison/privacy/rule.py, asked as "orgs.view_organization_contact" on the organisation),
masked for others, and every page that shows them in full is logged (common/personal_data.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common import picker
from common.personal_data import Kind, Person, record_shown, shown_phone
from common.views import paginate, set_active
from orgs.filters import OrganizationFilter
from orgs.forms import OfficerFormSet, OrganizationForm
from orgs.models import Organization
from orgs.signals import organization_page_sections

EDIT_PERMISSION = "orgs.change_organization"
CONTACT_PERMISSION = "orgs.view_organization_contact"


def show_contacts(request: HttpRequest, organization: Organization) -> None:
    """Set shown_phone / contact_visible on the organisation and its (prefetched) officers, and log the
    people whose phones the page shows in full."""
    visible = request.user.has_perm(CONTACT_PERMISSION, organization)
    organization.contact_visible = visible
    organization.shown_phone = shown_phone(organization.contact_phone, visible)
    shown = []
    if visible and organization.contact_phone:
        shown.append(Person(Kind.ORGANIZATION, organization.pk, organization.name))
    for officer in organization.officers.all():
        officer.shown_phone = shown_phone(officer.phone, visible)
        if visible and officer.phone:
            shown.append(Person(Kind.OFFICER, officer.pk, officer.name))
    record_shown(request, request.resolver_match.view_name, shown)


def organization_filter(request: HttpRequest, queryset: QuerySet | None = None) -> OrganizationFilter:
    """The list's filters (the registry is read by everyone logged in: its pickers offer every county)."""
    queryset = queryset if queryset is not None else Organization.objects.none()
    return OrganizationFilter(request.GET, queryset=queryset)


def organization_list(request: HttpRequest) -> HttpResponse:
    filterset = organization_filter(request, Organization.objects.for_list())
    page = paginate(request, filterset.qs)
    return render(
        request,
        "orgs/organization_list.html",
        {"filter": filterset, "page": page, "can_edit": request.user.has_perm(EDIT_PERMISSION)},
    )


organization_filter_suggest = picker.suggestion_view(organization_filter)


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.select_related("parent", "county").prefetch_related(
            "officers",
            Prefetch("children", queryset=Organization.objects.order_by("-is_active", "kind", "name_pinyin")),
        ),
        pk=pk,
    )
    show_contacts(request, organization)
    sections = organization_page_sections.send(
        sender=Organization, request=request, organization=organization
    )
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "organization": organization,
            "can_edit": request.user.has_perm(EDIT_PERMISSION),
            "sections": [html for _, html in sections if html],
        },
    )


def _save_organization(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    form = OrganizationForm(request.POST or None, instance=organization)
    formset = OfficerFormSet(request.POST or None, instance=organization or Organization(), prefix="officers")
    if organization is not None and request.method != "POST":
        show_contacts(request, organization)  # the forms show the stored phones
    if request.method == "POST" and form.is_valid():
        # The formset validates against the (possibly new) organisation from the form.
        formset.instance = form.instance
        if formset.is_valid():
            with transaction.atomic():
                if form.claim():  # the officers are saved with their organisation and share its version
                    saved = form.save()
                    formset.instance = saved
                    formset.save()
                    messages.success(request, f"已保存基层组织“{saved.name}”。")
                    return redirect(saved)
    elif request.method == "POST":
        formset.is_valid()  # show officer errors together with the form's
    return render(
        request,
        "orgs/organization_form.html",
        {"form": form, "formset": formset, "organization": organization},
    )


# htmx: matches for the form's parent and county search boxes, for those who may create or edit organisations
organization_form_suggest = picker.form_suggestion_view(
    lambda request: OrganizationForm(), "orgs.add_organization", EDIT_PERMISSION
)


@permission_required("orgs.add_organization", raise_exception=True)
def organization_create(request: HttpRequest) -> HttpResponse:
    return _save_organization(request, None)


@permission_required(EDIT_PERMISSION, raise_exception=True)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("parent", "county"), pk=pk)
    return _save_organization(request, organization)


@require_POST
@permission_required(EDIT_PERMISSION, raise_exception=True)
def organization_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    return set_active(request, get_object_or_404(Organization, pk=pk), "基层组织")
