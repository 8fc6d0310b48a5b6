"""The load mix of bench/load.py (issue 17 §6): staff logging contacts and opening their pages, leaders on the
dashboard. Run by bench/load.py, which starts gunicorn, prepares the accounts and reads what this file
writes; not meant to be pointed at anything but 127.0.0.1.

Environment (set by bench/load.py):
    LOAD_PERSONAS  JSON file: {"run": id, "staff": [{"username", "password", "team"}], "leaders": [...]}
    LOAD_OUT       JSON file this writes when the test stops: every request (name, ms, ok) and the markers
                   of the records whose POST got a success response

Each simulated person logs in once through the real login form (GET for the CSRF token, POST), then
clicks with 0.5–1.5 s between clicks. Staff: my work, their team, the record list, a scientist search on a
common pinyin prefix (li, wang, zhang), a scientist from the results, and logging a contact through the
real form (GET it, POST it with its CSRF token and every field the page carries), each with a unique
marker in the summary. Leaders: the dashboard and the teams list.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode, urlsplit

from html_forms import FormFields, chosen_options_only  # bench/html_forms.py
from locust import FastHttpUser, between, events, task

PERSONAS = json.loads(open(os.environ["LOAD_PERSONAS"], encoding="utf-8").read())  # noqa: SIM115
RUN = PERSONAS["run"]
YEAR = PERSONAS["year"]
PREFIXES = ("li", "wang", "zhang")
_staff = itertools.cycle(PERSONAS["staff"])
_leaders = itertools.cycle(PERSONAS["leaders"])
_serial = itertools.count(1)

REQUESTS: list[tuple[str, float, bool, float]] = []  # (name, ms, ok, started at)
MARKERS_OK: list[str] = []  # the POST answered "saved" (302 to the record)
MARKERS_SENT: list[str] = []  # every marker posted, whatever the answer


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=None, **kwargs):
    REQUESTS.append((name, float(response_time), exception is None, start_time or time.time()))


@events.test_stop.add_listener
def _write(environment, **kwargs):
    with open(os.environ["LOAD_OUT"], "w", encoding="utf-8") as out:
        json.dump({"requests": REQUESTS, "markers_ok": MARKERS_OK, "markers_sent": MARKERS_SENT}, out)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SCIENTIST_LINK = re.compile(r'href="/experts/(\d+)/"')


class Person(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    persona: dict

    def on_start(self) -> None:
        self.login()

    def login(self) -> None:
        with self.client.get("/login/", name="登录 login (form)", catch_response=True) as page:
            token = CSRF.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"login form: {page.status_code}, CSRF token found: {token is not None}")
                return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.persona["username"],
            "password": self.persona["password"],
        }
        with self.post("/login/", data, "登录 login (POST)") as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {self.persona['username']} answered {answer.status_code}")

    def post(self, url: str, data, name: str):
        """POST form fields (a dict or a list of pairs, repeated names kept) as a browser does."""
        return self.client.post(
            url,
            data=urlencode(data, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + url},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def page(self, url: str, name: str) -> str:
        """GET a page; anything but a 200 that is not the login page is an error."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
                return ""
            if urlsplit(response.url or url).path.startswith("/login/"):
                response.failure(f"{url}: sent to the login page")
                return ""
            return response.text or ""


class Staff(Person):
    """A staff member (工作人员) of a department team: their pages, the search, logging a contact."""

    fixed_count = int(os.environ.get("LOAD_STAFF", "50"))

    def on_start(self) -> None:
        self.persona = next(_staff)
        self.scientists: list[str] = []
        super().on_start()

    @task(3)
    def my_work(self) -> None:
        self.page("/liaison/my-work/", "我的工作 my work")

    @task(2)
    def team(self) -> None:
        self.page(f"/liaison/teams/{self.persona['team']}/", "专班详情 team")

    @task(2)
    def records(self) -> None:
        self.page("/liaison/records/", "联系记录 records")

    @task(3)
    def search(self) -> None:
        prefix = random.choice(PREFIXES)
        html = self.page(f"/experts/?q={prefix}", f"科技工作者搜索 search ?q={prefix}")
        found = SCIENTIST_LINK.findall(html)
        if found:
            self.scientists = found

    @task(2)
    def scientist(self) -> None:
        if not self.scientists:
            self.search()
            return
        self.page(f"/experts/{random.choice(self.scientists)}/", "科技工作者 scientist")

    @task(2)
    def log_contact(self) -> None:
        html = self.page(f"/liaison/records/new/?team={self.persona['team']}", "记录联系 record form")
        parser = FormFields("summary")
        parser.feed(chosen_options_only(html))
        if parser.fields is None:
            return  # page() has already reported the failure
        marker = f"LOAD-{RUN}-{self.persona['username']}-{next(_serial)}"
        targets = [v for n, v in parser.unticked + parser.fields if n == "targets"]
        data = [
            (n, v)
            for n, v in parser.fields
            if n not in ("team", "method", "summary", "targets", "topics", "grassroots")
        ]
        data += [
            ("team", str(self.persona["team"])),
            ("method", "survey"),
            ("topics", "difficulties"),
            ("summary", f"负载测试 {marker}：了解科研进展和困难。"),
        ]
        if targets:
            data.append(("targets", random.choice(targets)))
        MARKERS_SENT.append(marker)
        with self.post("/liaison/records/new/", data, "保存记录 record POST") as answer:
            location = answer.headers.get("Location", "") if answer.headers else ""
            if answer.status_code == 302 and "/liaison/records/" in location and "saved=1" in location:
                MARKERS_OK.append(marker)
            else:
                answer.failure(f"record POST answered {answer.status_code} {location}")
                return
        self.page(location, "联系记录详情 record (after saving)")


class Leader(Person):
    """A member of the leadership (领导): the dashboard and the teams list."""

    fixed_count = int(os.environ.get("LOAD_LEADERS", "5"))

    def on_start(self) -> None:
        self.persona = next(_leaders)
        super().on_start()

    @task(2)
    def dashboard(self) -> None:
        self.page("/reports/dashboard/", "看板 dashboard")

    @task(1)
    def teams(self) -> None:
        self.page(f"/liaison/years/{YEAR}/", "专班列表 teams")
