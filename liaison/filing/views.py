"""The filing pages. (Placeholder of the data commit: the page of one filing, for the liaison office.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from liaison.models import Filing
from liaison.people.access import Role, role_of


@login_required
def filing_detail(request, pk: int):
    if role_of(request.user) not in (Role.ADMIN, Role.LIAISON_OFFICE, Role.LEADERSHIP):
        raise PermissionDenied
    filing = get_object_or_404(Filing.objects.select_related("organization", "year"), pk=pk)
    return render(request, "liaison/filing/detail.html", {"filing": filing})
