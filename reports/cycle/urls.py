"""The cycle of a year's plan after the review: adjustment, comparison, approval, history and the party-group
workbook (under /reports/, namespace "reports")."""

from django.urls import path

from reports.cycle.views import adjustment, approval

urlpatterns = [
    # the yearly adjustment
    path("years/<int:year>/open-next/", adjustment.open_next, name="open_next"),
    path("years/<int:year>/adjustment/", adjustment.adjustment, name="adjustment"),
    path("years/<int:year>/adjustment/teams/new/", adjustment.team_new, name="team_new"),
    path("years/<int:year>/compare/", adjustment.compare, name="compare"),
    path("teams/<int:pk>/adjust/", adjustment.adjust_team, name="adjust_team"),
    path("teams/<int:pk>/adjust/remove/", adjustment.target_remove, name="target_remove"),
    path("teams/<int:pk>/adjust/add/", adjustment.target_add, name="target_add"),
    path("teams/<int:pk>/adjust/team/", adjustment.team_change, name="team_change"),
    path("teams/<int:pk>/adjust/close/", adjustment.team_close, name="team_close"),
    path("teams/<int:pk>/proposals/", adjustment.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/accept/", adjustment.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", adjustment.proposal_reject, name="proposal_reject"),
    # approval, history, files for the party group
    path("years/<int:year>/approval/", approval.approval_page, name="approval"),
    path("years/<int:year>/approval/submit/", approval.plan_submit, name="plan_submit"),
    path("years/<int:year>/approval/withdraw/", approval.plan_withdraw, name="plan_withdraw"),
    path("years/<int:year>/approval/approve/", approval.plan_approve, name="plan_approve"),
    path("years/<int:year>/approval/archive/", approval.plan_archive, name="plan_archive"),
    path("years/<int:year>/approval/scan/", approval.approval_scan, name="approval_scan"),
    path("years/<int:year>/history/", approval.history, name="history"),
    path("years/<int:year>/workbook.xlsx", approval.plan_workbook, name="plan_workbook"),
    path("years/<int:year>/workbook/job", approval.plan_workbook_job, name="plan_workbook_job"),  # POST
]
