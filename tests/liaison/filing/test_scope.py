"""A grassroots account sees its own organisation and nothing else (issue 16 §1).

The walk below requests every URL pattern of the project, GET and POST, with the path filled with ids of
real objects — another organisation's filing, lines, proposals, accounts, and the system's teams, records,
staff — and expects a refusal everywhere but the few pages open to the account."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from awards.models import NominationAttachment
from liaison.filing import services as filings
from liaison.models import FilingRevision
from liaison.people.access import Role, role_of
from tests.awards.factories import make_award, nominated
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory
from tests.liaison.contacts.factories import log
from tests.liaison.filing.factories import client_for, filed_filing, make_account
from tests.liaison.plan.factories import make_team, make_year, org

pytestmark = pytest.mark.django_db

# Pages the account may open whatever the ids (none takes another organisation's id).
OPEN = {
    "home",  # redirects to its own filing
    "login",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "filing:mine",
    "filing:scientist_suggest",
    # 举荐 (issue 20 §2): the awards are read by every account; the award's page lists its own organisation's
    # nominations only (tests/awards/test_views.py), and it nominates for its own organisation only
    "awards:award_list",
    "awards:award_detail",
    "awards:nominate",
    "awards:scientist_suggest",
}
SKIPPED = {"logout"}  # would end the session the walk runs in (it is open to the account)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name


@pytest.fixture
def world(liaison_officer, leader):
    """Our organisation with its account, and another organisation with a filing in every part."""
    year = make_year(2026)
    ours = org(name="辽川市机械工程学会")
    account = make_account(ours, "jixie")
    theirs = org(name="辽川市化工学会")
    filing, officer, scientist = filed_filing(theirs, year)
    draft = filings.open_draft(filing, None)
    proposal = filings.propose_line(filing, officer, None, name="赵新人", employer="化工研究院").proposal
    their_account = make_account(theirs, "huagong")
    team = make_team(year, lead=leader)
    staff = StaffFactory(department=DepartmentFactory(name="科普部"))
    record = log(team, leader, [theirs])
    # another organisation's nomination, with an attachment: its pages are refused like its filing
    award = make_award()
    nomination = nominated(award, organization=theirs, by=their_account.user)
    attachment = NominationAttachment.objects.create(
        nomination=nomination,
        file=SimpleUploadedFile("推荐表.pdf", b"%PDF-1.4\n%%EOF\n"),
        original_name="推荐表.pdf",
        content_type="application/pdf",
        size=14,
    )
    return {
        "account": account,
        "ours": ours,
        "year": year,
        "org": theirs,
        "filing": filing,
        "entry": draft.entries.first(),
        "proposal": proposal,
        "their_account": their_account,
        "officer": officer,
        "scientist": scientist,
        "team": team,
        "staff": staff,
        "record": record,
        "award": award,
        "nomination": nomination,
        "attachment": attachment,
    }


def _fill(route: str, name: str, w: dict) -> str:
    """The route with its arguments filled by real ids of objects the account must not reach."""
    ids = {
        "org": w["org"].pk,
        "year": w["year"].year,
        "entry": w["entry"].pk,
        "number": 1,
        "staff_pk": w["staff"].pk,
        "field": "organization",
        "uidb64": "MQ",
        "token": "set-password",
        "path": "x.jpg",
    }
    if name.startswith("filing:"):
        pk = {"proposal": w["proposal"].pk, "account": w["their_account"].pk}
        kind = next((k for k in pk if name.startswith(f"filing:{k}")), None)
        ids["pk"] = pk[kind] if kind else w["filing"].pk
    elif route.startswith(("orgs/", "homes/org/")):
        ids["pk"] = w["org"].pk
    elif route.startswith("experts/"):
        ids["pk"] = w["scientist"].pk
    elif "teams/" in route:
        ids["pk"] = w["team"].pk
    elif "records/" in route or "demands/" in route:
        ids["pk"] = w["record"].pk
    elif route.startswith("awards/"):
        ids["pk"] = w["award"].pk
        if "nominations/" in route:
            ids["pk"] = w["nomination"].pk
        elif "attachments/" in route:
            ids["pk"] = w["attachment"].pk
    elif "staff/" in route:
        ids["pk"] = w["staff"].pk
    else:
        ids["pk"] = w["officer"].pk

    def value(match: re.Match) -> str:
        return str(ids.get(match.group(1), 1))

    url = re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\Z", "")


def _refused(response, account) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    # a redirect to the login page (admin's own login) or to the account's own pages is a refusal too
    return response.status_code == 302 and (
        "/login/" in response["Location"] or response["Location"].startswith("/filing/mine/")
    )


def test_role_comes_from_the_account(world):
    assert role_of(world["account"].user) == Role.GRASSROOTS


def test_every_url_refuses_a_grassroots_account_outside_its_organisation(world):
    account = world["account"]
    client = client_for(account)
    walked = 0
    for route, name in _walk(get_resolver().url_patterns):
        if name in SKIPPED or name in OPEN:
            continue
        url = _fill(route, name, world)
        for method in (client.get, client.post):
            response = method(url)
            assert _refused(response, account), (name, url, method.__name__, response.status_code)
        walked += 1
    assert walked > 100
    # nothing changed in the other organisation's filing
    assert FilingRevision.objects.filter(filing=world["filing"]).count() == 2
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == "pending"


def test_the_open_pages_answer(world):
    client = client_for(world["account"])
    ours = world["ours"]
    assert client.get("/")["Location"] == "/filing/mine/"
    assert client.get("/filing/mine/")["Location"] == f"/filing/org/{ours.pk}/2026/"
    page = client.get(f"/filing/org/{ours.pk}/2026/")
    assert page.status_code == 200
    # the navigation offers its own pages only
    links = {
        u for u in re.findall(r'href="(/[^"#?]*)', page.content.decode()) if not u.startswith("/static/")
    }
    assert links <= {
        "/",
        "/filing/mine/",
        f"/filing/org/{ours.pk}/",
        f"/filing/org/{ours.pk}/officers/",
        f"/homes/org/{ours.pk}/",  # its own 科技工作者之家 (homes/views.py)
        "/password/change/",
        "/awards/",
    }, links
    assert client.get(f"/filing/org/{ours.pk}/").status_code == 200
    assert client.get(f"/filing/org/{ours.pk}/officers/").status_code == 200
    assert client.get("/password/change/").status_code == 200
    assert client.get("/filing/scientists/suggest/", {"scientist_q": "li"}).status_code == 200


def test_the_suggestions_give_name_and_employer_only(world):
    ScientistFactory(name="李明", employer="辽川理工大学", mobile="13812345678", email="li@example.org")
    response = client_for(world["account"]).get("/filing/scientists/suggest/", {"scientist_q": "liming"})
    text = response.content.decode()
    assert "李明" in text
    assert "辽川理工大学" in text
    assert "1381" not in text
    assert "example.org" not in text


class TestAnotherOrganisationById:
    """GET and POST on the other organisation's filing, officers, lines and proposals: refused, unchanged."""

    def test_filing_pages(self, world):
        client = client_for(world["account"])
        f = world["filing"]
        for url in [f"/filing/{f.pk}/", f"/filing/{f.pk}/v/1/", f"/filing/{f.pk}/v/2/compare/"]:
            assert client.get(url).status_code == 404

    def test_filing_steps(self, world):
        client = client_for(world["account"])
        f = world["filing"]
        for step in ["file", "revise", "confirm", "send-back"]:
            response = client.post(f"/filing/{f.pk}/{step}/", {"revision": 2, "comment": "x"})
            assert response.status_code == 404, step
        assert f.revisions.get(number=2).status == "draft"

    def test_lines(self, world):
        client = client_for(world["account"])
        f, entry = world["filing"], world["entry"]
        assert client.post(f"/filing/{f.pk}/lines/{entry.pk}/remove/").status_code == 404
        other = ScientistFactory(name="钱工")
        response = client.post(
            f"/filing/{f.pk}/add/", {"officer": world["officer"].pk, "scientist": other.pk}
        )
        assert response.status_code == 404
        response = client.post(
            f"/filing/{f.pk}/propose/",
            {"new-officer": world["officer"].pk, "new-name": "孙新人", "new-employer": "某单位"},
        )
        assert response.status_code == 404
        draft = f.revisions.get(number=2)
        assert draft.entries.count() == 2  # the copied line and the proposed one
        assert draft.entries.filter(pk=entry.pk).exists()
        assert not f.revisions.get(number=2).entries.filter(scientist=other).exists()

    def test_officers_and_start(self, world):
        client = client_for(world["account"])
        theirs = world["org"]
        assert client.get(f"/filing/org/{theirs.pk}/officers/").status_code == 404
        response = client.post(
            f"/filing/org/{theirs.pk}/officers/",
            {
                "officers-TOTAL_FORMS": "1",
                "officers-INITIAL_FORMS": "0",
                "officers-0-name": "冒名",
                "officers-0-post": "chair",
            },
        )
        assert response.status_code == 404
        assert not theirs.officers.filter(name="冒名").exists()
        assert client.post(f"/filing/org/{theirs.pk}/2026/start/").status_code == 404
        assert client.get(f"/filing/org/{theirs.pk}/2026/").status_code == 404

    def test_proposals_and_accounts(self, world):
        client = client_for(world["account"])
        p, a = world["proposal"], world["their_account"]
        assert client.get("/filing/proposals/").status_code == 403
        assert client.post(f"/filing/proposals/{p.pk}/confirm/", {"category": "frontline"}).status_code == 403
        assert client.post(f"/filing/proposals/{p.pk}/reject/", {"note": "x"}).status_code == 403
        assert client.get("/filing/accounts/").status_code == 403
        assert client.post(f"/filing/accounts/{a.pk}/active/", {"active": "0"}).status_code == 403
        assert client.post(f"/filing/accounts/{a.pk}/handout/", {"handout": "password"}).status_code == 403
        p.refresh_from_db()
        a.user.refresh_from_db()
        assert (p.status, a.user.is_active) == ("pending", True)


def test_the_privacy_rule_shows_an_account_its_own_officers_only(world):
    from liaison.privacy.rule import contact_visible_ids, may_see_contact_details
    from tests.factories import OfficerFactory

    user = world["account"].user
    ours, theirs = world["ours"], world["org"]
    assert may_see_contact_details(user, OfficerFactory(organization=ours))
    assert not may_see_contact_details(user, world["officer"])
    assert not may_see_contact_details(user, world["scientist"])
    assert not may_see_contact_details(user)
    assert contact_visible_ids(user, "organization", [ours.pk, theirs.pk]) == {ours.pk}
    assert contact_visible_ids(user, "scientist", [world["scientist"].pk]) == set()
