"""What a grassroots account may open (issue 16 §1): its organisation's filing pages and nothing else.

Deny by default, in one place: for a grassroots account every URL outside the `filing` namespace, the
login/password pages and the nomination pages named below is refused here (403), whatever the page's own checks say, so a page added later is
closed to it without anyone remembering to. The filing views then check that the object belongs to the
account's organisation. An account given a one-time password is sent to the change-password page until it
has chosen its own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from liaison.filing.accounts import password_changed
from liaison.people.access import Role, grassroots_account_of, role_of

# URL names a grassroots account reaches outside the filing namespace.
OPEN_TO_GRASSROOTS = {
    "home",  # redirects to its organisation's filing page
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    # 举荐 (issue 20 §2): the awards and its own organisation's nominations (awards/access.py keeps it to
    # them); not the office's pages (new or edited awards, steps, the export)
    "awards:award_list",
    "awards:award_detail",
    "awards:nominate",
    "awards:scientist_suggest",
    "awards:nomination_detail",
    "awards:nomination_edit",
    "awards:nomination_attach",
    "awards:attachment",
}
GRASSROOTS_NAMESPACE = "filing"


def open_to_grassroots(*view_names: str) -> None:
    """Open pages of an app above this one to grassroots accounts (called from that app's ready(), e.g. homes:
    its own organisation's 科技工作者之家). The page must itself check that the object is the account's own."""
    OPEN_TO_GRASSROOTS.update(view_names)


# While a one-time password is unchanged, only these.
BEFORE_PASSWORD_CHANGE = {"password_change", "password_change_done", "logout"}


class GrassrootsScopeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name == "password_change"
            and request.method == "POST"
            and response.status_code == 302  # Django's view redirects only once the password is changed
        ):
            account = grassroots_account_of(request.user)
            if account is not None:
                password_changed(account)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or role_of(user) != Role.GRASSROOTS:
            return None
        name = request.resolver_match.view_name
        account = grassroots_account_of(user)
        if not account.organization.is_active:
            # an organisation taken out of the registry (停用) takes its accounts with it, at once and until
            # it is restored; each account's own disabling stays as the office set it
            logout(request)
            messages.error(request, "本组织已在名录中停用，基层账号暂不能使用；如有疑问，请联系组织联络部。")
            return redirect("login")
        if account.must_change_password and name not in BEFORE_PASSWORD_CHANGE:
            messages.info(
                request, "首次登录请先修改密码：请输入组织联络部给您的临时密码，再设置您自己的新密码。"
            )
            return redirect("password_change")
        if name in OPEN_TO_GRASSROOTS or request.resolver_match.namespace == GRASSROOTS_NAMESPACE:
            return None
        raise PermissionDenied
