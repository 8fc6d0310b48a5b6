"""Scientists proposed by organisations in their filings, or by staff logging a contact (新增申请), for the
liaison office: confirm (a registry record is
created, with the 人才类别 the office sets), merge into an existing record (namesakes suggested), or reject.

The proposed phone is shown masked here: it is copied into the registry record on confirming, where the
privacy rule and the view log take over."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.personal_data import mask_phone
from common.views import paginate
from experts.models import Scientist, TalentCategory
from liaison.filing import services
from liaison.filing.access import require_office
from liaison.filing.forms import ConfirmProposalForm, MergeProposalForm, RejectProposalForm
from liaison.models import FilingEntry, ProposalStatus, ScientistProposal

NAMESAKES = 10


def _with_filings(queryset):
    """Proposals with the filings that name them (for "which organisation / filing proposed it")."""
    return queryset.select_related(
        "organization", "scientist", "record__team", "proposed_by__staff"
    ).prefetch_related(
        Prefetch(
            "entries",
            queryset=FilingEntry.objects.select_related("revision__filing__year").order_by("revision_id"),
        )
    )


def _filings_of(proposal: ScientistProposal) -> list:
    seen, filings = set(), []
    for entry in proposal.entries.all():
        filing = entry.revision.filing
        if filing.pk not in seen:
            seen.add(filing.pk)
            filings.append(filing)
    return filings


def proposal_list(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    status = request.GET.get("status", ProposalStatus.PENDING)
    if status not in ProposalStatus.values:
        status = ProposalStatus.PENDING
    page = paginate(request, _with_filings(ScientistProposal.objects.filter(status=status)))
    rows = [(p, _filings_of(p), mask_phone(p.mobile)) for p in page.object_list]
    return render(
        request,
        "liaison/filing/proposal_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": ProposalStatus.choices},
    )


def _render(request: HttpRequest, proposal: ScientistProposal, **forms) -> HttpResponse:
    namesakes = list(
        Scientist.objects.filter(name=proposal.name).order_by("-is_active", "employer", "id")[:NAMESAKES]
    )
    context = {
        "proposal": proposal,
        "filings": _filings_of(proposal),
        "mobile": mask_phone(proposal.mobile),
        "namesakes": namesakes,
        "confirm_form": forms.get("confirm_form")
        or ConfirmProposalForm(initial={"category": proposal.category or TalentCategory.FRONTLINE}),
        "merge_form": forms.get("merge_form") or MergeProposalForm(),
        "reject_form": forms.get("reject_form") or RejectProposalForm(),
    }
    return render(request, "liaison/filing/proposal_detail.html", context)


def _proposal(pk: int) -> ScientistProposal:
    return get_object_or_404(_with_filings(ScientistProposal.objects.all()), pk=pk)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    return _render(request, _proposal(pk))


def _done(request: HttpRequest, error: ValidationError, proposal: ScientistProposal) -> HttpResponse:
    messages.warning(request, "操作未执行：" + "".join(error.messages))
    return redirect("filing:proposal", proposal.pk)


@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    proposal = _proposal(pk)
    form = ConfirmProposalForm(request.POST)
    if not form.is_valid():
        return _render(request, proposal, confirm_form=form)
    try:
        scientist = services.confirm_proposal(proposal, request.user, category=form.cleaned_data["category"])
    except ValidationError as error:
        return _done(request, error, proposal)
    where = "提出时的联系记录已以其为联系对象" if proposal.record_id else "备案中的联系分工已指向该记录"
    messages.success(request, f"已确认新增“{scientist.name}”（{scientist.employer}），{where}。")
    return redirect("filing:proposals")


@require_POST
def proposal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    proposal = _proposal(pk)
    form = MergeProposalForm(request.POST)
    if not form.is_valid():
        return _render(request, proposal, merge_form=form)
    scientist = form.cleaned_data["scientist"]
    try:
        services.merge_proposal(proposal, scientist, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        return _done(request, error, proposal)
    messages.success(
        request, f"已将“{proposal.name}”并入已有记录“{scientist.name}”（{scientist.employer}）。"
    )
    return redirect("filing:proposals")


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    proposal = _proposal(pk)
    form = RejectProposalForm(request.POST)
    if not form.is_valid():
        return _render(request, proposal, reject_form=form)
    try:
        services.reject_proposal(proposal, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        return _done(request, error, proposal)
    messages.success(request, f"已不采纳“{proposal.name}”的新增申请。")
    return redirect("filing:proposals")
