"""The third layer's pages (/filing/…, namespace "filing"): an organisation's filings and officers, the
grassroots accounts and the proposed scientists. A grassroots account reaches this namespace only
(liaison/filing/scope.py); each view checks the organisation (liaison/filing/access.py)."""

from django.urls import path

from liaison.filing.views import accounts, filing, organization, proposals

app_name = "filing"

urlpatterns = [
    path("mine/", organization.mine, name="mine"),
    path("org/<int:org>/", organization.organization_page, name="organization"),
    path("org/<int:org>/officers/", organization.officers_edit, name="officers"),
    path("org/<int:org>/accounts/new/", accounts.account_create, name="account_create"),
    path("org/<int:org>/<int:year>/", filing.year_page, name="year"),
    path("org/<int:org>/<int:year>/start/", filing.start, name="start"),
    path("<int:pk>/", filing.detail, name="detail"),
    path("<int:pk>/add/", filing.add_line, name="add_line"),
    path("<int:pk>/propose/", filing.propose, name="propose"),
    path("<int:pk>/lines/<int:entry>/remove/", filing.remove_line, name="remove_line"),
    path("<int:pk>/file/", filing.file, name="file"),
    path("<int:pk>/confirm/", filing.confirm, name="confirm"),
    path("<int:pk>/send-back/", filing.send_back, name="send_back"),
    path("<int:pk>/revise/", filing.revise, name="revise"),
    path("<int:pk>/v/<int:number>/", filing.revision_page, name="revision"),
    path("<int:pk>/v/<int:number>/compare/", filing.compare_page, name="compare"),
    path("scientists/suggest/", filing.scientist_suggest, name="scientist_suggest"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/confirm/", proposals.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/merge/", proposals.proposal_merge, name="proposal_merge"),
    path("proposals/<int:pk>/reject/", proposals.proposal_reject, name="proposal_reject"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account"),
    path("accounts/<int:pk>/handout/", accounts.account_handout, name="account_handout"),
    path("accounts/<int:pk>/active/", accounts.account_set_active, name="account_set_active"),
]
