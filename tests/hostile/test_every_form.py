"""Every page and form, driven by every persona with hostile values (issue 17 §2), property-based.

For each persona the test first reads every URL of the site (tests/test_permissions.py's walker, the Django
admin left out) and finds the forms on each page (stdlib html.parser). Each hypothesis example then walks them
all: it GETs every page with hostile query strings (its filters and the usual parameters) and POSTs every form
with hostile values for its fields: NUL and control characters, 100,000-character strings, emoji, huge and
negative numbers, malformed dates, forged formset counts, ids of another team's objects, a script marker,
files that are HTML or SVG. It asserts that
- no response is a server error (the test client raises the view's exception: the example shows it);
- the script marker never comes back unescaped in an HTML page, during the walk or on the pages read after it
  (stored XSS);
- nothing outside the persona's reach changed: what the persona may not touch (another team's records,
  demands, attachments and proposals; the registries and the plan for those who do not manage them; everything
  for an account without a role) is the same, row for row, before and after.

Bounded in time: HOSTILE_PROFILE=hostile-ci (the default: 3 walks a persona, derandomized) or hostile-dev
(10 walks, random). Run it on PostgreSQL too: the NUL bugs only show there.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from experts.models import Scientist
from liaison.models import (
    Assignment,
    Attachment,
    ContactCategory,
    ContactRecord,
    Demand,
    DemandAction,
    Department,
    PlannedContact,
    QuotaRule,
    Staff,
    Team,
    VisitQuota,
    Year,
)
from liaison.plan import services as plans
from orgs.models import Officer, Organization
from reports.cycle import adjustments
from reports.models import ChangeProposal
from tests.factories import PASSWORD, OfficerFactory, ScientistFactory, StaffFactory, today
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org
from tests.test_permissions import _walk

pytestmark = pytest.mark.django_db

_QUIET = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]
# No shrinking: a walk is hundreds of requests; the failing request is named in the assertion anyway.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
settings.register_profile(
    "hostile-ci",
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=_PHASES,
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "hostile-dev", max_examples=10, deadline=None, phases=_PHASES, suppress_health_check=_QUIET
)
PROFILE = settings.get_profile(os.environ.get("HOSTILE_PROFILE", "hostile-ci"))

MARKER = "<script>window.__pwn=1</script>"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Left out of the walk: logging out would end the persona's session; the admin is Django's own.
SKIPPED = {"logout"}

# POST-only URLs have no page to find a form on: the walk posts to them with nothing (or hostile nothing).
POST_ONLY = {
    "set_active",
    "assignment_add",
    "assignment_end",
    "record_delete",
    "demand_add",
    "duty_highlight_toggle",
    "open_next",
    "target_remove",
    "target_add",
    "team_close",
    "proposal_create",
    "proposal_accept",
    "proposal_reject",
    "plan_submit",
    "plan_withdraw",
    "plan_approve",
    "plan_archive",
}


# --- hostile values ---------------------------------------------------------------------------------------

CONTROL = st.one_of(
    st.just("\x00"),
    st.just("a\x00b"),
    st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=5).map(lambda c: f"名{c}称"),
)
# hostile text without control characters (those are refused at once; the rest goes deeper); a query string
# gets 3,000 characters at most (27 KB: gunicorn refuses a request line over 4 KB anyway), a form 100,000
LONG = "长" * 100_000
TEXT = st.one_of(
    st.just(LONG),
    st.just("😀👩‍👩‍👧‍👦🇨🇳" * 50),
    st.just(MARKER),
    st.just(f'"><img src=x onerror=alert(1)>{MARKER}'),
    st.just('=HYPERLINK("http://x")'),
    st.just("%00%0a%u0000"),
    st.just("\u202e\ufeff\u200b"),
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=30),
)
NUMBER = st.sampled_from(
    [
        "-1",
        "0",
        "99999999999999999999",
        "-99999999999999999999",
        "2147483648",
        "9223372036854775808",
        "1e309",
        "NaN",
        "1.5",
        "²",
        "١٢",
        "",
    ]
)
DATE = st.sampled_from(
    ["2026-02-30", "0000-00-00", "99999-12-31", "0001-01-01", "9999-12-31", "2026-13-01", "昨天", "-1", ""]
)
COUNT = st.sampled_from(["-1", "-1000", "1000000", "abc", "", "2.5", "99999999999999999999"])


def value_strategy(
    name: str, original: str, others: list[str], control: bool = True
) -> st.SearchStrategy[str]:
    """What to put in a field: often its proper value (so that the form goes deep enough to save), else a
    hostile value suited to the field, an id of another team's object, or now and then control characters."""
    if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
        hostile = COUNT
    elif "date" in name or name.endswith(("_from", "_to")):
        hostile = st.one_of(DATE, TEXT)
    else:
        hostile = st.one_of(NUMBER, TEXT, DATE)
    if others:
        hostile = st.one_of(hostile, st.sampled_from(others))
    proper = st.just(original)
    # hypothesis's first example is the simplest: every field the first hostile value ("-1", a forged
    # negative count, 30 February); the next ones mix proper and hostile values
    return st.one_of(hostile, proper, hostile, proper, *([CONTROL] if control else []))


UPLOADS = [
    lambda: SimpleUploadedFile("a.png", PNG),
    lambda: SimpleUploadedFile("a.html", MARKER.encode()),
    lambda: SimpleUploadedFile("a\x00.png", PNG),
    lambda: SimpleUploadedFile("a.svg", b"<svg onload=alert(1)/>"),
]


# --- finding forms ----------------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The forms of a page: method, action and fields (name → (type, first value); a select → its first
    option with a value; a textarea → its text)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if name in fields and kind in ("submit", "button", "reset", "image", "checkbox", "radio"):
                return
            if kind == "file":
                fields[name] = ("file", "")
            else:
                fields[name] = (kind, a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, ("select", ""))
        elif tag == "option" and self._select:
            kind, value = fields[self._select]
            if not value and a.get("value"):
                fields[self._select] = (kind, a.get("value"))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ("textarea", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = ("textarea", data.strip())


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- the world --------------------------------------------------------------------------------------------


class World:
    """Two teams of this year: "mine" (led by the leader persona, with the staff persona as member) and
    "theirs" (no persona's), each with two targets, a record, a demand and an attachment; a proposal of
    theirs."""

    def __init__(self, leader: Staff, staff: Staff) -> None:
        self.year = Year.objects.filter(year=today().year).first() or make_year(today().year)
        other = StaffFactory(name="孙干部")
        self.mine = make_team(self.year, leader, members=[staff])
        self.theirs = make_team(self.year, make_leader("李副主席", username="lifu"), members=[other])
        self.org = org(name="和平区科协")
        OfficerFactory(organization=self.org)
        self.scientist = ScientistFactory(name="单志强")
        self.category = ContactCategory.objects.create(name="乡镇科协", target_type="organization", takes=[])
        for team, person in ((self.mine, staff), (self.theirs, other)):
            plans.assignment_add(team=team, by=None, organization=org())
            plans.assignment_add(team=team, by=None, scientist=ScientistFactory())
            record = log(team, person, [self.org, self.scientist])
            raise_demand(record, person.user, handler=person)
            Attachment.objects.create(
                record=record,
                file=SimpleUploadedFile("现场.png", PNG),
                original_name="现场.png",
                content_type="image/png",
                size=len(PNG),
            )
        # a planned contact of each team (工作计划), as the plan's pages list it
        for team, person in ((self.mine, staff), (self.theirs, other)):
            target = team.assignments.select_related("scientist").filter(scientist__isnull=False).first()
            item = PlannedContact.objects.create(
                team=team, date=today(), method="survey", scientist=target.scientist, note="走访"
            )
            item.goers.set([person])
        self.their_record = ContactRecord.objects.get(team=self.theirs)
        self.my_record = ContactRecord.objects.get(team=self.mine)
        self.proposal = adjustments.proposal_create(
            team=self.theirs,
            by=self.theirs.lead.user,
            kind="add",
            reason="新增一名专家",
            scientist=ScientistFactory(),
        )
        self.staff = staff

    def ids(self) -> list[str]:
        """Ids a forged request may name: another team's objects, and ids that name nothing."""
        their_demand = Demand.objects.filter(record__team=self.theirs).first()
        return [
            str(self.theirs.pk),
            str(self.their_record.pk),
            str(their_demand.pk),
            f"org:{self.org.pk}",
            f"sci:{self.scientist.pk}",
            f"sci:{self.theirs.lead.pk}",
            "org:99999999999999999999",
            str(self.theirs.lead.pk),
        ]

    def url(self, name: str, route: str, draw) -> str:
        """A concrete URL of the route: this year, and the pk of one of the world's objects (theirs or mine)."""
        team = draw(st.sampled_from([self.mine, self.theirs]), label="team")
        record = self.my_record if team == self.mine else self.their_record
        registry = self.org.pk if route.startswith("orgs/") else self.scientist.pk
        pks = {
            "detail": registry,
            "edit": registry,
            "set_active": registry,
            "staff_detail": self.staff.pk,
            "staff_edit": self.theirs.lead.pk,
            "department_edit": Department.objects.order_by("pk").first().pk,
            "category_edit": self.category.pk,
            "assignment_end": Assignment.objects.filter(team=team).order_by("pk").first().pk,
            "attachment": Attachment.objects.filter(record=record).first().pk,
            "demand_detail": Demand.objects.filter(record=record).first().pk,
            "proposal_accept": self.proposal.pk,
            "proposal_reject": self.proposal.pk,
            "plan_edit": PlannedContact.objects.filter(team=team).first().pk,
            "plan_cancel": PlannedContact.objects.filter(team=team).first().pk,
        }
        pk = (
            record.pk
            if name.startswith(("record_", "demand_add", "duty_highlight"))
            else pks.get(name, team.pk)
        )
        url = route.replace("<int:year>", str(self.year.year)).replace("<int:pk>", str(pk))
        url = url.replace("<int:staff_pk>", str(draw(st.sampled_from([self.staff.pk, self.theirs.lead.pk]))))
        field = draw(st.sampled_from(["team", "county", "lead", "members", "participant"]))
        url = url.replace("<str:field>", field)
        return "/" + url.replace("<uidb64>", "MQ").replace("<token>", "set-password")


def reachless(persona: str, world: World) -> list:
    """The rows the persona may not change, as plain values (updated_at included where the model has it).
    The liaison office and admins may change every row (they edit any record, decide proposals, handle
    demands): for them the walk checks errors and escaping only."""
    theirs = world.theirs
    if persona in ("liaison_officer", "admin_user"):
        return []
    rows = [
        list(ContactRecord.objects.filter(team=theirs).order_by("pk").values()),
        list(Demand.objects.filter(record__team=theirs).order_by("pk").values()),
        list(DemandAction.objects.filter(demand__record__team=theirs).order_by("pk").values()),
        list(Attachment.objects.filter(record__team=theirs).order_by("pk").values()),
        list(ChangeProposal.objects.filter(team=theirs).order_by("pk").values()),
        list(PlannedContact.objects.filter(team=theirs).order_by("pk").values()),
    ]
    if persona in ("leader", "dept_staff", "outsider"):
        for model in (Organization, Officer, Scientist, Staff, Department, Year, QuotaRule, VisitQuota):
            rows.append(list(model.objects.order_by("pk").values()))
        rows.append(list(Team.objects.filter(pk=theirs.pk).values()))
        rows.append(list(Assignment.objects.filter(team=theirs).order_by("pk").values()))
        rows.append(list(ContactCategory.objects.order_by("pk").values()))
    if persona == "outsider":
        for model in (
            ContactRecord,
            Demand,
            DemandAction,
            Attachment,
            ChangeProposal,
            Team,
            Assignment,
            PlannedContact,
        ):
            rows.append(list(model.objects.order_by("pk").values()))
    return rows


# --- the walk ---------------------------------------------------------------------------------------------


def routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith("admin/") and name not in SKIPPED
    ]


def check(response, where: str) -> None:
    assert response.status_code < 500, where
    if "text/html" in response.get("Content-Type", "") and not response.streaming:
        assert MARKER not in response.content.decode(errors="replace"), f"unescaped script at {where}"


def html_forms(response) -> list[dict]:
    if (
        response.status_code != 200
        or response.streaming
        or "text/html" not in response.get("Content-Type", "")
    ):
        return []
    return forms_of(response.content.decode(errors="replace"))


def _first(strategy):
    """The first of a sampled_from strategy's values (discover() walks without hypothesis)."""
    return getattr(strategy, "wrapped_strategy", strategy).elements[0]


def discover(client: Client, world: World) -> list[tuple[str, str, list[dict]]]:
    """Every URL of the site for this persona that answers with a page (a file is read once, here), and the
    forms the page shows."""
    pages = []
    for route, name in routes():
        url = world.url(name, route, lambda strategy, label=None: _first(strategy))
        page = client.get(url)
        check(page, url)
        if "text/html" in page.get("Content-Type", "") or page.status_code == 405:
            pages.append((name, url, html_forms(page)))
    return pages


def walk(client: Client, world: World, pages, data) -> None:
    ids = world.ids()
    for name, url, found in pages:
        # the page's filters and the usual query parameters, with hostile values
        query = {}
        for form in found:
            if form["method"] == "get":
                query.update({k: v for k, (_, v) in form["fields"].items()})
        for key in ("q", "page", "year", "team", "show", "sort", "kind", "status", "target"):
            query.setdefault(key, "")
        params = {
            key: data.draw(value_strategy(key, value, ids, control=False), label=f"GET {name} {key}")[:3000]
            for key, value in query.items()
        }
        if data.draw(st.sampled_from([True, False, False, False]), label="control characters"):
            # in every parameter (a view reads the one it knows): the first example sends NUL everywhere
            control = data.draw(CONTROL, label="control characters")
            params = dict.fromkeys(params, control)
        check(client.get(url, params), f"GET {url} {params!r:.300}")
        # every form of the page that posts (the logout in the menu aside), each field hostile or proper
        posts = [f for f in found if f["method"] == "post" and not f["action"].endswith("/logout/")]
        if not posts and name in POST_ONLY:
            posts = [{"action": "", "fields": {"reason": ("text", ""), "active": ("text", "0")}}]
        for form in posts:
            body = {}
            for key, (kind, value) in form["fields"].items():
                if key == "csrfmiddlewaretoken":
                    continue
                if kind == "file":
                    body[key] = data.draw(st.sampled_from(UPLOADS), label=f"POST {name} {key}")()
                else:
                    body[key] = data.draw(value_strategy(key, value, ids), label=f"POST {name} {key}")
            target = form["action"] or url
            check(client.post(target, body), f"POST {target} {sorted(body)!r:.300}")


# pages that show what the walk may have stored, read again at the end
SHOWN = [
    "/",
    "/orgs/",
    "/experts/",
    "/liaison/staff/",
    "/liaison/records/",
    "/liaison/demands/",
    "/liaison/my-work/",
]


@pytest.mark.parametrize("persona", ["liaison_officer", "leader", "dept_staff", "outsider", "admin_user"])
def test_no_hostile_value_breaks_a_page_or_reaches_past_the_user(request, persona, leader, dept_staff):
    world = World(leader, dept_staff)
    person = request.getfixturevalue(persona)
    client = Client()
    assert client.login(username=getattr(person, "user", person).username, password=PASSWORD)
    pages = discover(client, world)
    if (
        persona == "liaison_officer"
    ):  # the walk is not empty: it finds the registries', plan's, records' forms
        posted = {
            name
            for _, _, found in pages
            for form in found
            if form["method"] == "post"
            for name in form["fields"]
        }
        wanted = {
            "name",
            "kind",
            "summary",
            "rules-TOTAL_FORMS",
            "officers-TOTAL_FORMS",
            "demands-0-text",
            "year",
        }
        assert wanted - posted == set()
    before = reachless(persona, world)

    @PROFILE
    @given(data=st.data())
    def run(data):
        walk(client, world, pages, data)

    run()
    assert reachless(persona, world) == before
    shown = [
        *SHOWN,
        f"/experts/{world.scientist.pk}/",
        f"/liaison/records/{world.my_record.pk}/",
        f"/liaison/teams/{world.mine.pk}/",
        f"/liaison/years/{today().year}/",
        f"/reports/years/{today().year}/review/",
        f"/reports/years/{today().year}/history/",
        *(f"/orgs/{o.pk}/" for o in Organization.objects.order_by("-pk")[:10]),
        *(f"/liaison/records/{r.pk}/" for r in ContactRecord.objects.order_by("-pk")[:10]),
    ]
    for url in shown:
        check(client.get(url), f"after the walk: {url}")
