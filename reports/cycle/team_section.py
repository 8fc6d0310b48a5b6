"""The 调整与建议 section of a team's page (liaison/plan/views.py sends liaison.plan.signals.team_page_sections):
the team's lead and members propose a change there, in a draft year and during the year, and see what became
of their proposals; the liaison office is pointed to the adjustment page, where it takes them up."""

from __future__ import annotations

from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from liaison.models import Assignment, Team
from liaison.plan.signals import team_page_sections
from reports.cycle.adjustments import PROPOSAL_RELATED, proposals_open
from reports.cycle.forms import ProposalForm

MANAGE = "liaison.manage_plan"
PROPOSE = "reports.propose_change"
SHOWN = 20  # the team's latest proposals on its page; the adjustment page lists them all


@receiver(team_page_sections, dispatch_uid="reports.cycle.team_section")
def proposal_section(sender, request: HttpRequest, team: Team, forms: dict, **kwargs) -> SafeString:
    """A fixed number of queries: whether the user may propose (lead or member), the team's targets in force
    (the form's choices), its latest proposals with their targets and people."""
    can_manage = request.user.has_perm(MANAGE)
    can_propose = not can_manage and request.user.has_perm(PROPOSE, team) and proposals_open(team.year)
    form = forms.get("proposal_form")
    proposals = list(team.change_proposals.select_related(*PROPOSAL_RELATED)[:SHOWN])
    targets = []
    if can_propose:
        targets = list(
            Assignment.objects.in_force_at_year_end()
            .filter(team=team)
            .select_related("organization", "scientist")
            .order_by("category", "organization__name_pinyin", "scientist__name_pinyin", "id")
        )
    return render_to_string(
        "reports/cycle/_team_section.html",
        {
            "team": team,
            "year": team.year,
            "can_manage": can_manage,
            "can_propose": can_propose,
            "closed": not proposals_open(team.year),
            "form": form if form is not None else ProposalForm(team=team, initial={"kind": "add"}),
            "kind": (form["kind"].value() if form is not None else "") or "add",
            "chosen_assignment": str(form["assignment"].value() or "") if form is not None else "",
            "chosen_target": getattr(form, "cleaned_data", {}).get("target"),
            "targets": targets,
            "proposals": proposals,
        },
        request=request,
    )
