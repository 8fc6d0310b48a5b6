"""The 联系网络 section of a scientist's page: every link that keeps them in touch with the association in a
year (leader teams, department teams, grassroots officers), from reports/network/links.py. The registry sends
experts.signals.scientist_page_sections and renders what comes back; it cannot import reports."""

from __future__ import annotations

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone

from experts.signals import scientist_page_sections
from liaison.models import Year
from reports.network.links import links_of

# The year switch offers the years that exist, newest first; a page shows a handful.
YEARS_OFFERED = 5


@receiver(scientist_page_sections, dispatch_uid="reports.network.panel")
def scientist_links_section(sender, request, scientist, **kwargs) -> str:
    if not request.user.has_perm("reports.view_scientist_links"):
        return ""
    offered = {y.year: y for y in Year.objects.order_by("-year")[:YEARS_OFFERED]}
    asked = request.GET.get("network_year", "")
    chosen = int(asked) if asked.isdecimal() and len(asked) <= 4 else timezone.localdate().year
    year = offered.get(chosen) or next(iter(offered.values()), None)
    years = list(offered)
    return render_to_string(
        "reports/network/_scientist_links.html",
        {
            "year": year,
            "years": years,
            "links": links_of(year, scientist) if year else None,
            "scientist": scientist,
            "can_view_network": request.user.has_perm("reports.view_network"),
        },
        request=request,
    )
