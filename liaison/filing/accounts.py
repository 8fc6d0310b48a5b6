"""Grassroots accounts (基层账号): logins the liaison office opens for one organisation and hands out.

A login is handed out in one of two ways:
- a one-time password, shown once on the office's screen: the account must choose its own password at its
  first login (`must_change_password`; liaison/filing/scope.py sends it to the change-password page);
- a set-password link (Django's password-reset token: valid PASSWORD_RESET_TIMEOUT, used once, void as soon
  as the password changes), shown to copy and, if the account has an email, emailed to it. The account's old
  password stops working at once.

Disabling sets the user inactive: Django refuses its next login and drops its open session at its next
request (the authentication backend loads inactive users as nobody).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from liaison.models import GrassrootsAccount
from orgs.models import Organization

# Letters and digits that are not easily confused on a screen or over the phone (no 0/O, 1/l/I).
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12


@dataclass(frozen=True)
class Handout:
    """What the office hands to the account's holder: a one-time password or a set-password link."""

    account: GrassrootsAccount
    password: str = ""
    link: str = ""
    emailed: bool = False


def link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_LENGTH))


@transaction.atomic
def create_account(
    *,
    organization: Organization,
    username: str,
    holder: str,
    email: str,
    by: User | None,
) -> GrassrootsAccount:
    """A new login tied to the organisation, without a usable password until one is handed out."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("该用户名已被使用，请换一个。")
    user = User(username=username, email=email.strip(), first_name=holder.strip()[:150])
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    account = GrassrootsAccount(
        user=user, organization=organization, holder=holder.strip(), created_by=by, must_change_password=True
    )
    account.full_clean(exclude=["created_by"])  # None when the system (the demo) opens it
    account.save()
    return account


@transaction.atomic
def hand_out_password(account: GrassrootsAccount) -> Handout:
    """A new one-time password (the old password and any link stop working): to be shown once."""
    password = one_time_password()
    user = account.user
    user.set_password(password)
    user.save(update_fields=["password"])
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    return Handout(account, password=password)


def hand_out_link(account: GrassrootsAccount, *, base_url: str) -> Handout:
    """A set-password link (the old password stops working); emailed too when the account has an email.
    `base_url`: the site's address as the office reached it (https://host)."""
    user = account.user
    with transaction.atomic():
        user.set_unusable_password()  # also voids links handed out before: the token depends on the hash
        user.save(update_fields=["password"])
        # the holder chooses the password through the link: nothing to change at the first login
        account.must_change_password = False
        account.save(update_fields=["must_change_password"])
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])
    emailed = False
    if user.email:
        send_mail(
            "市科协联系科技工作者工作平台：设置登录密码",
            (
                f"{account.holder or user.username}，您好：\n\n"
                f"组织联络部为“{account.organization.name}”开通了备案账号，用户名：{user.username}。\n"
                f"请在 {link_valid_days()} 天内打开下面的链接设置登录密码（只能使用一次）：\n\n{link}\n"
            ),
            None,
            [user.email],
        )
        emailed = True
    return Handout(account, link=link, emailed=emailed)


def set_enabled(account: GrassrootsAccount, enabled: bool) -> None:
    """停用 / 启用: an inactive user cannot log in, and its open session ends at its next request."""
    user = account.user
    if user.is_active != enabled:
        user.is_active = enabled
        user.save(update_fields=["is_active"])


def password_changed(account: GrassrootsAccount) -> None:
    """The holder chose their own password: the one-time password is spent."""
    if account.must_change_password:
        account.must_change_password = False
        account.save(update_fields=["must_change_password"])
