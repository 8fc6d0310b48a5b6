"""The surveys' sections on liaison's pages (issue 20 §1): on a contact record's page ("a contact record can
carry a filled questionnaire") and on a team's page (the team's progress). liaison sits below surveys, so its
pages send liaison.contacts.signals.record_page_sections and liaison.plan.signals.team_page_sections and
render what comes back; connected in surveys/apps.py."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from liaison.models import ContactRecord
from liaison.people.access import team_ids_of
from surveys.access import FILL, RESULTS
from surveys.models import Invitation, InvitationState, SurveyState


def record_surveys(sender, request: HttpRequest, record: ContactRecord, targets=None, **kwargs) -> str:
    """The questionnaires of the record's scientists: those of open surveys the user may fill in, with a
    填写问卷 button, and those filled in during this record. One query."""
    scientist_ids = [
        t.scientist_id for t in (targets if targets is not None else record.targets.all()) if t.scientist_id
    ]
    if not scientist_ids or record.is_deleted:
        return ""
    today = timezone.localdate()
    invitations = [
        invitation
        for invitation in Invitation.objects.filter(scientist_id__in=scientist_ids)
        .exclude(survey__state=SurveyState.DRAFT)
        .select_related("survey", "scientist", "team")
        .order_by("survey__closes_on", "survey_id", "scientist__name_pinyin", "pk")
        if (invitation.survey.state == SurveyState.OPEN or invitation.record_id == record.pk)
        and request.user.has_perm(FILL, invitation)
    ]
    if not invitations:
        return ""
    rows = [
        {
            "invitation": invitation,
            "here": invitation.record_id == record.pk,
            "can_fill": not invitation.is_submitted and invitation.survey.accepts_answers(today),
        }
        for invitation in invitations
    ]
    return render_to_string("surveys/_record_section.html", {"rows": rows, "record": record}, request=request)


def team_surveys(sender, request: HttpRequest, team, **kwargs) -> str:
    """The team page's 状况调查 section: per open survey, the team's invited / draft / submitted, for its
    lead and members (with a link to their list to fill in), the office and leadership. One query."""
    user = request.user
    own = team.pk in team_ids_of(user)
    if not (own or user.has_perm(RESULTS)):
        return ""
    rows = list(
        Invitation.objects.filter(team=team, survey__state=SurveyState.OPEN)
        .values("survey_id", "survey__title", "survey__closes_on")
        .annotate(
            invited=Count("pk"),
            draft=Count("pk", filter=Q(state=InvitationState.DRAFT)),
            submitted=Count("pk", filter=Q(state=InvitationState.SUBMITTED)),
        )
        .order_by("survey__closes_on", "survey_id")
    )
    if not rows:
        return ""
    return render_to_string(
        "surveys/_team_section.html",
        {"rows": rows, "own": own, "can_read": user.has_perm(RESULTS)},
        request=request,
    )
