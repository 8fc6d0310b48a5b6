"""An organisation's own page in the filing area: its officers (which it edits), its filings by year and, for
the liaison office, its grassroots accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from common.personal_data import Kind, Person, record_shown, shown_phone
from liaison.filing.access import is_office, may_edit, organization_for, own_organization_id
from liaison.filing.forms import OfficerFormSet, OfficersVersionForm
from liaison.filing.views.common import default_year
from liaison.models import Filing, GrassrootsAccount, Year
from liaison.privacy.rule import may_see_contact_details


def mine(request: HttpRequest) -> HttpResponse:
    """A grassroots account's home: its organisation's filing for this year (or the latest year)."""
    org_id = own_organization_id(request.user)
    if org_id is None:
        raise PermissionDenied
    year = default_year(list(Year.objects.order_by("-year")))
    if year is None:
        return redirect("filing:organization", org_id)
    return redirect("filing:year", org_id, year.year)


def _show_officer_phones(request: HttpRequest, organization, officers) -> bool:
    """Officers' phones under the privacy rule (a grassroots account sees its own organisation's); logged."""
    visible = may_see_contact_details(request.user, organization)
    for officer in officers:
        officer.shown_phone = shown_phone(officer.phone, visible)
    if visible:
        record_shown(
            request,
            request.resolver_match.view_name,
            [Person(Kind.OFFICER, o.pk, o.name) for o in officers if o.phone],
        )
    return visible


def organization_page(request: HttpRequest, org: int) -> HttpResponse:
    organization = organization_for(request.user, org)
    officers = list(organization.officers.all())
    visible = _show_officer_phones(request, organization, officers)
    years = list(Year.objects.order_by("-year"))
    filings = {
        f.year_id: f for f in Filing.objects.filter(organization=organization).select_related("in_force")
    }
    office = is_office(request.user)
    accounts = []
    if office:
        accounts = list(
            GrassrootsAccount.objects.filter(organization=organization).select_related("user").order_by("id")
        )
    context = {
        "organization": organization,
        "officers": officers,
        "contact_visible": visible,
        "year_rows": [(y, filings.get(y.pk)) for y in years],
        "this_year": default_year(years),
        "can_edit": may_edit(request.user, organization.pk),
        "office": office,
        "accounts": accounts,
    }
    return render(request, "liaison/filing/organization.html", context)


def officers_edit(request: HttpRequest, org: int) -> HttpResponse:
    """The organisation's officers: name, post, 任职方式, 四长, phone (the organisation or the liaison office).
    Saved with the organisation's version, so two people editing at once don't overwrite each other."""
    organization = organization_for(request.user, org, edit=True)
    data = request.POST if request.method == "POST" else None
    form = OfficersVersionForm(data, instance=organization)
    formset = OfficerFormSet(data, instance=organization, prefix="officers")
    if request.method != "POST":
        _show_officer_phones(request, organization, list(organization.officers.all()))
    if data is not None and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            if form.claim():
                formset.save()
                organization.save(update_fields=["updated_at"])  # raises the version: the list changed
                messages.success(request, f"已保存“{organization.name}”的负责人。")
                return redirect(reverse("filing:organization", args=[organization.pk]))
    return render(
        request,
        "liaison/filing/officers_form.html",
        {"organization": organization, "form": form, "formset": formset},
    )
