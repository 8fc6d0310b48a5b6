"""The one-time link (issue 20 §1): a scientist without an account answers through /surveys/a/<token>/.

The page needs no login and creates no session: it reads the invitation by the sha256 of the token (the
token itself is never stored), shows that survey only, keeps a draft and submits once. After submission,
when the survey is not open, or for a token that names nothing, it shows a plain message. Nothing else of
the site is reachable with the token (every other page still asks for a login), and the page sends its
address as Referer to this site only (same-origin: "no-referrer" would make the browser send "Origin: null"
with the form, which Django's CSRF check refuses), so the token does not leave with a request elsewhere.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveys import services
from surveys.forms import AnswerForm
from surveys.models import AnswerChannel


def _plain(request: HttpRequest, message: str, title: str = "问卷") -> HttpResponse:
    return _private(render(request, "surveys/public_message.html", {"message": message, "title": title}))


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return _plain(request, "链接无效或已失效。如需填写问卷，请联系市科协。")
    survey = invitation.survey
    if invitation.is_submitted:
        return _plain(request, "您已提交本问卷，感谢您的参与！", survey.title)
    if not survey.accepts_answers(timezone.localdate()):
        return _plain(request, "问卷不在填写期内，链接已不能使用。", survey.title)
    questions = list(survey.questions.all())
    submit = request.POST.get("action") == "submit"
    form = AnswerForm(
        request.POST or None,
        questions=questions,
        submit=submit,
        initial={
            "version": invitation.version,
            **{f"q{k}": v for k, v in services.answers_of(invitation).items()},
        },
    )
    saved = request.method == "GET" and request.GET.get("saved") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            services.answers_save(
                invitation=invitation,
                values=form.values(),
                submit=submit,
                version=form.cleaned_data["version"],
                by=None,
                channel=AnswerChannel.LINK,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submit:
                return _plain(request, "问卷已提交，感谢您的参与！", survey.title)
            return redirect(f"{request.path}?saved=1")
    return _private(
        render(
            request,
            "surveys/public_fill.html",
            {"survey": survey, "invitation": invitation, "form": form, "saved": saved},
        )
    )
