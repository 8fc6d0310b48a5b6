"""Builders for the filing tests: grassroots accounts and a filing with lines."""

from __future__ import annotations

from django.test import Client

from liaison.filing import services as filings
from liaison.models import GrassrootsAccount
from tests.factories import PASSWORD, OfficerFactory, ScientistFactory, UserFactory


def make_account(organization, username: str, *, must_change: bool = False) -> GrassrootsAccount:
    """An account with the tests' password, past its first login unless `must_change`."""
    return GrassrootsAccount.objects.create(
        user=UserFactory(username=username),
        organization=organization,
        holder=f"{username}的秘书长",
        must_change_password=must_change,
    )


def client_for(account: GrassrootsAccount) -> Client:
    client = Client()
    assert client.login(username=account.user.username, password=PASSWORD)
    return client


def filed_filing(organization, year, *, officer_name: str = "孙主席", scientist_name: str = "李工"):
    """A filing with one officer → one scientist line, filed (已报备)."""
    officer = OfficerFactory(organization=organization, name=officer_name, post="chair")
    scientist = ScientistFactory(name=scientist_name)
    revision = filings.file_lines(organization, year, [filings.Line(officer, scientist)], None)
    return revision.filing, officer, scientist
