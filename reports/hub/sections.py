"""The hub's sections on the scientist's, the organisation's and the staff member's pages (issue 18 §1).

The registries (experts, orgs) and the staff pages (liaison.people) send a signal and render what comes back;
they cannot import reports (docs/design.md, "Layout"). What each section shows is read by
reports/hub/services.py, whose docstring names the one function behind every figure.
"""

from __future__ import annotations

from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from experts.models import Scientist
from experts.signals import scientist_page_sections
from liaison.models import Staff, Year
from liaison.people.signals import staff_page_sections
from orgs.models import Organization
from orgs.signals import organization_page_sections
from reports.duty.services import duty_report
from reports.duty.views import can_see_duty
from reports.hub import services as hub


def _kept_params(request: HttpRequest) -> list[tuple[str, str]]:
    """The page's other GET parameters, kept as hidden fields by the timeline's filter form."""
    dropped = {*hub.TIMELINE_PARAMS, "page"}
    return [(key, value) for key, value in request.GET.items() if key not in dropped]


def _target_context(request: HttpRequest, target: hub.Target) -> dict:
    today = timezone.localdate()
    years = hub.teams_of_target(request.user, target, today)
    logs = hub.logs(request.user)
    own = [link for link in years[0].links if link.loggable] if logs else []
    # the 记录 buttons: one per team of the user's that has the target this year, or one with the target only
    log_links = [(link.team, hub.log_url_query(target, link.team)) for link in own] or (
        [(None, hub.log_url_query(target))] if logs else []
    )
    greeting_team = own[0].team if own else None
    occasions = [
        (o, hub.log_url_query(target, greeting_team, o.upcoming.occasion) if logs else "")
        for o in hub.occasions(target, today)
    ]
    demands, demands_total = hub.demands_of(request.user, target)
    return {
        "target": target,
        "today": today,
        "years": years,
        "log_links": log_links,
        "occasions": occasions,
        "demands": demands,
        "demands_total": demands_total,
    }


def scientist_hub(sender, request: HttpRequest, scientist: Scientist, **kwargs) -> str:
    """The scientist's teams, next contact due, occasions, demands and 记录 buttons."""
    context = _target_context(request, scientist)
    return render_to_string("reports/hub/_target.html", context, request=request)


def scientist_timeline(sender, request: HttpRequest, scientist: Scientist, **kwargs) -> str:
    context = {
        "timeline": hub.timeline(request, hub.timeline_records(request.user, target=scientist)),
        "kept_params": _kept_params(request),
    }
    return render_to_string("reports/hub/_timeline.html", context, request=request)


def connect_scientist_sections(*, before_others: bool) -> None:
    """The scientist's page shows its sections in the order they are connected (reports/apps.py): the hub's
    summary first, then the other sections (联系网络), then the long timeline last."""
    if before_others:
        scientist_page_sections.connect(scientist_hub, dispatch_uid="reports.hub.scientist")
    else:
        scientist_page_sections.connect(scientist_timeline, dispatch_uid="reports.hub.scientist_timeline")


@receiver(organization_page_sections, dispatch_uid="reports.hub.organization")
def organization_hub(sender, request: HttpRequest, organization: Organization, **kwargs) -> str:
    context = _target_context(request, organization)
    context.update(
        timeline=hub.timeline(request, hub.timeline_records(request.user, target=organization)),
        kept_params=_kept_params(request),
    )
    today = context["today"]
    activity, latest = hub.sub_organisation_activity(request.user, organization, today)
    context.update(
        children=activity[: hub.CHILDREN_SHOWN],
        children_more=max(0, len(activity) - hub.CHILDREN_SHOWN),
        children_latest=latest,
        keeping_officers=hub.filing_officers(organization, today),
    )
    return render_to_string("reports/hub/_organization.html", context, request=request)


@receiver(staff_page_sections, dispatch_uid="reports.hub.staff")
def staff_hub(sender, request: HttpRequest, staff: Staff, **kwargs) -> str:
    today = timezone.localdate()
    duty = None
    if can_see_duty(request.user, staff):
        year = Year.objects.filter(year__lte=today.year).order_by("-year").first()
        duty = duty_report(staff, year) if year is not None else None
    return render_to_string(
        "reports/hub/_staff.html",
        {
            "staff": staff,
            "today": today,
            "teams": hub.staff_teams(staff, today),
            "duty": duty,
            "timeline": hub.timeline(request, hub.timeline_records(request.user, participant=staff)),
            "kept_params": _kept_params(request),
        },
        request=request,
    )
