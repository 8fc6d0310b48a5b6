"""The surveys' section on a contact record's page (issue 20 §1: "a contact record can carry a filled
questionnaire"). liaison sits below surveys, so its page sends liaison.contacts.signals.record_page_sections
and renders what comes back; connected in surveys/apps.py."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from liaison.models import ContactRecord
from surveys.access import FILL
from surveys.models import Invitation, SurveyState


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
