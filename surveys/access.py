"""The one way each view reaches a survey or an invitation: 404 for what the user may not see, 403 for what
they may only read (healthchecks' _get_rw_check_for_user)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from common.limits import parse_id
from surveys.models import Invitation, Survey, SurveyState

MANAGE = "surveys.manage_survey"
RESULTS = "surveys.view_results"
FILL = "surveys.fill_invitation"


def surveys_visible_to(user: User):
    """The office and admin see every survey; leadership every survey that is no longer a draft."""
    if user.has_perm(MANAGE):
        return Survey.objects.all()
    if user.has_perm(RESULTS):
        return Survey.objects.exclude(state=SurveyState.DRAFT)
    return Survey.objects.none()


def get_survey(user: User, pk, *, manage: bool = False) -> Survey:
    survey = get_object_or_404(surveys_visible_to(user), pk=parse_id(pk) or 0)
    if manage and not user.has_perm(MANAGE):
        raise PermissionDenied
    return survey


def get_invitation_to_fill(user: User, pk) -> Invitation:
    """An invitation the user may fill in: their team's (404 for another team's, as for its records)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey", "scientist", "team", "record"), pk=parse_id(pk) or 0
    )
    if not user.has_perm(FILL, invitation):
        raise Http404
    return invitation
