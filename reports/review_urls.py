"""The review cycle of a year's plan: review, adjustment, comparison, approval, history, the party-group
workbook (under /reports/, namespace "reports")."""

from django.urls import path

from reports import adjust_views, approval_views, review_views

urlpatterns = [
    path("years/<int:year>/review/", review_views.review, name="review"),
    path("years/<int:year>/review.json", review_views.review_json, name="review_json"),
    # the yearly adjustment
    path("years/<int:year>/open-next/", adjust_views.open_next, name="open_next"),
    path("years/<int:year>/adjustment/", adjust_views.adjustment, name="adjustment"),
    path("years/<int:year>/adjustment/teams/new/", adjust_views.team_new, name="team_new"),
    path("years/<int:year>/compare/", adjust_views.compare, name="compare"),
    path("teams/<int:pk>/adjust/", adjust_views.adjust_team, name="adjust_team"),
    path("teams/<int:pk>/adjust/remove/", adjust_views.target_remove, name="target_remove"),
    path("teams/<int:pk>/adjust/add/", adjust_views.target_add, name="target_add"),
    path("teams/<int:pk>/adjust/team/", adjust_views.team_change, name="team_change"),
    path("teams/<int:pk>/adjust/close/", adjust_views.team_close, name="team_close"),
    path("teams/<int:pk>/proposals/", adjust_views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/accept/", adjust_views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", adjust_views.proposal_reject, name="proposal_reject"),
    # approval, history, files for the party group
    path("years/<int:year>/approval/", approval_views.approval_page, name="approval"),
    path("years/<int:year>/approval/submit/", approval_views.plan_submit, name="plan_submit"),
    path("years/<int:year>/approval/withdraw/", approval_views.plan_withdraw, name="plan_withdraw"),
    path("years/<int:year>/approval/approve/", approval_views.plan_approve, name="plan_approve"),
    path("years/<int:year>/approval/archive/", approval_views.plan_archive, name="plan_archive"),
    path("years/<int:year>/approval/scan/", approval_views.approval_scan, name="approval_scan"),
    path("years/<int:year>/history/", approval_views.history, name="history"),
    path("years/<int:year>/workbook.xlsx", approval_views.plan_workbook, name="plan_workbook"),
]
