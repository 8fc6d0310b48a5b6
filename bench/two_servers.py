"""Several app servers behind one PostgreSQL and one Redis (issue 19 §4; docs/deployment.md, "Several app
servers"): two gunicorn instances on two ports, each with its own processes, share nothing but the database
and Redis (DJANGO_REDIS_URL: the cache, and sessions read from it). Over real HTTP, through the real login and
record forms with their CSRF tokens, this checks that:

1. a person logged in on server A is logged in on server B with the same session cookie;
2. a contact record logged on A shows in the team's stored figures (已分配未联系 on the team page) on B at once;
3. records logged at the same time through both servers, from several threads, leave the stored figures
   right: 已分配未联系 went down by exactly the number of records (each names one target never contacted),
   the same on both servers (the figures locking, liaison/compliance/team_figures.py);
4. logging out on B ends the session on A.

    .venv/bin/python bench/two_servers.py [--database-url postgres://…/kexie_two] [--redis redis://…/12]

The script creates (or empties, with --fresh) the database, migrates it, adds a team of its own with
never-contacted targets, starts both servers, runs the checks, stops the servers and prints the figures;
exit status 1 when a check fails. tests/ops/test_two_servers.py runs the same checks (check_servers) against
the test database.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from html_forms import FormFields, chosen_options_only  # noqa: E402  (bench/html_forms.py)

PORTS = (8021, 8022)
PASSWORD = "Two-servers-2026"  # noqa: S105 (a throwaway account in a throwaway database)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNCONTACTED = re.compile(r"已分配未联系 (\d+)")
FIGURES = re.compile(r'data-testid="team-figures">(.*?)</p>', re.S)


# --------------------------------------------------------------------------------------------------------
# The servers
# --------------------------------------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_CELERY_BROKER_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="kexie.settings.bench",  # DEBUG off, as production; DATABASE_URL required
        PYTHONPATH=str(ROOT),
    )
    return env


def wait_until_up(base: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn on {base} stopped ({process.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=5) as answer:  # noqa: S310 (127.0.0.1)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {base} within {seconds:.0f} s")


@contextlib.contextmanager
def servers(
    database_url: str, redis_url: str, ports: tuple[int, ...] = PORTS, *, workers: int = 2, logs: Path
) -> Iterator[list[str]]:
    """Start one gunicorn per port (each its own master and workers), yield their base URLs, stop them."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = server_env(database_url, redis_url)
    started: list[tuple[subprocess.Popen, str, Path]] = []
    try:
        for port in ports:
            log = logs / f"gunicorn-{port}.log"
            process = subprocess.Popen(  # noqa: S603
                [gunicorn, "kexie.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "sync"]
                + ["--error-logfile", str(log), "--graceful-timeout", "5", "--timeout", "60"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append((process, f"http://127.0.0.1:{port}", log))
        for process, base, log in started:
            wait_until_up(base, process, log)
        yield [base for _, base, _ in started]
    finally:
        for process, _, _ in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _, _ in started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


# --------------------------------------------------------------------------------------------------------
# The data: a team of its own with targets nobody has contacted (run in a process with Django set up)
# --------------------------------------------------------------------------------------------------------


@dataclass
class Setup:
    username: str
    password: str
    team: int
    targets: int


def prepare(targets: int) -> Setup:
    """A department head leading a team of this year with `targets` scientists, none contacted yet."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from experts.models import Scientist, TalentCategory
    from liaison.models import Department, Position, Staff, Team, Year
    from liaison.plan import services as plans

    today = timezone.localdate()
    year = Year.objects.filter(year=today.year).first() or plans.year_create(year=today.year)
    tag = uuid.uuid4().hex[:6]
    department = Department.objects.create(name=f"双服务器检查部{tag}")
    user = User.objects.create_user(username=f"twoservers{tag}", password=PASSWORD)
    lead = Staff.objects.create(
        user=user, name=f"检查员{tag}", department=department, position=Position.DEPARTMENT_HEAD
    )
    team = plans.team_save(team=Team(year=year, lead=lead), members=[])
    for i in range(targets):
        scientist = Scientist.objects.create(
            name=f"双服专家{tag}{i:03d}", employer="检查单位", category=TalentCategory.RENOWNED
        )
        plans.assignment_add(team=team, by=None, scientist=scientist, start_date=year.first_day)
    return Setup(username=user.username, password=PASSWORD, team=team.pk, targets=targets)


# --------------------------------------------------------------------------------------------------------
# The checks, over HTTP
# --------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append((name, ok, detail))
        return ok

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self.checks)


def log_in(base: str, username: str, password: str):
    import requests

    browser = requests.Session()
    page = browser.get(f"{base}/login/", timeout=30)
    token = CSRF.search(page.text).group(1)
    answer = browser.post(
        f"{base}/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login on {base} answered {answer.status_code}")
    return browser


def same_session(browser, base: str):
    """Another browser on another server with the first one's cookies (a load balancer switching servers)."""
    import requests

    other = requests.Session()
    for cookie in browser.cookies:
        other.cookies.set(cookie.name, cookie.value)
    return other


def logged_in(browser, base: str) -> bool:
    answer = browser.get(f"{base}/liaison/my-work/", allow_redirects=False, timeout=30)
    return answer.status_code == 200


def uncontacted(browser, base: str, team: int) -> int:
    page = browser.get(f"{base}/liaison/teams/{team}/", timeout=60)
    page.raise_for_status()
    figures = FIGURES.search(page.text)
    return int(UNCONTACTED.search(figures.group(1)).group(1))


def record_form(browser, base: str, team: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The record form's fields as a browser sends them, and the values of its target boxes."""
    page = browser.get(f"{base}/liaison/records/new/?team={team}", timeout=60)
    page.raise_for_status()
    parser = FormFields("summary")
    parser.feed(chosen_options_only(page.text))
    targets = [v for n, v in parser.unticked + parser.fields if n == "targets"]
    return parser.fields, targets


def log_record(browser, base: str, team: int, target: str, marker: str) -> str:
    """Log a survey of one target through the form; the record's address, or the reason it failed."""
    fields, _ = record_form(browser, base, team)
    data = [
        (n, v) for n, v in fields if n not in ("team", "method", "summary", "targets", "topics", "grassroots")
    ]
    data += [
        ("team", str(team)),
        ("method", "survey"),
        ("topics", "difficulties"),
        ("summary", f"两台服务器检查 {marker}：了解科研进展和困难。"),
        ("targets", target),
    ]
    answer = browser.post(
        f"{base}/liaison/records/new/",
        data,
        headers={"Referer": f"{base}/liaison/records/new/"},
        allow_redirects=False,
        timeout=120,
    )
    location = answer.headers.get("Location", "")
    if answer.status_code == 302 and "saved=1" in location:
        return location
    raise RuntimeError(f"the record POST on {base} answered {answer.status_code} {location}")


def check_servers(a: str, b: str, setup: Setup, *, concurrent: int = 8) -> Report:
    """The four checks of the module's docstring, against servers a and b."""
    report = Report()
    on_a = log_in(a, setup.username, setup.password)
    on_b = same_session(on_a, b)
    report.check("session: logged in on A, the same cookie is logged in on B", logged_in(on_b, b))

    _, targets = record_form(on_a, a, setup.team)
    report.check(
        f"the record form offers the team's {setup.targets} targets",
        len(targets) >= setup.targets and len(targets) >= concurrent + 1,
        f"{len(targets)} offered",
    )
    before = uncontacted(on_b, b, setup.team)
    report.figures["uncontacted_before"] = before
    log_record(on_a, a, setup.team, targets[0], "A-1")
    after_one = uncontacted(on_b, b, setup.team)
    report.figures["uncontacted_after_one"] = after_one
    report.check(
        "a record logged on A: 已分配未联系 on B one less", after_one == before - 1, f"{before} → {after_one}"
    )

    errors: list[str] = []
    barrier = threading.Barrier(concurrent)

    def write(i: int) -> None:
        base = a if i % 2 == 0 else b
        browser = same_session(on_a, base)
        try:
            barrier.wait(timeout=60)
            log_record(browser, base, setup.team, targets[1 + i], f"{'AB'[i % 2]}-{i}")
        except Exception as error:  # noqa: BLE001 (reported as a failed check)
            errors.append(f"{base}: {error}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(concurrent)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    report.figures["concurrent_records"] = concurrent
    report.figures["concurrent_seconds_x1000"] = round(1000 * (time.monotonic() - started))
    report.check(
        f"{concurrent} records at once through both servers all saved", not errors, "; ".join(errors)
    )
    expected = after_one - concurrent
    seen_a, seen_b = uncontacted(on_a, a, setup.team), uncontacted(on_b, b, setup.team)
    report.figures.update(uncontacted_expected=expected, uncontacted_on_a=seen_a, uncontacted_on_b=seen_b)
    report.check(
        "after the concurrent writes: 已分配未联系 right on both servers",
        seen_a == seen_b == expected,
        f"A {seen_a}, B {seen_b}, expected {expected}",
    )

    logout = on_b.get(f"{b}/liaison/my-work/", timeout=30)
    token = CSRF.search(logout.text).group(1)
    on_b.post(f"{b}/logout/", {"csrfmiddlewaretoken": token}, headers={"Referer": f"{b}/"}, timeout=30)
    report.check("logged out on B: logged out on A too", not logged_in(on_a, a))
    return report


# --------------------------------------------------------------------------------------------------------
# The script
# --------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kexie_two_servers")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="a Redis database it may empty")
    parser.add_argument("--ports", type=int, nargs=2, default=PORTS)
    parser.add_argument("--concurrent", type=int, default=8, help="records written at once through both")
    parser.add_argument("--fresh", action="store_true", help="drop and create the database first")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("two app servers share one PostgreSQL: --database-url must be postgres://…")

    import redis
    import run as bench  # bench/run.py: create the database when missing

    bench.ensure_database(args.database_url, drop=args.fresh)
    env = server_env(args.database_url, args.redis)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    redis.Redis.from_url(args.redis).flushdb()  # its own Redis database: start with an empty cache

    os.environ.update(env)
    import django

    django.setup()
    setup = prepare(targets=args.concurrent + 3)
    from django.db import connections

    connections.close_all()

    with contextlib.ExitStack() as stack:
        import tempfile

        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kexie-two-servers-")))
        a, b = stack.enter_context(servers(args.database_url, args.redis, tuple(args.ports), logs=logs))
        report = check_servers(a, b, setup, concurrent=args.concurrent)
        tracebacks = sum(log.read_text().count("Traceback") for log in logs.glob("*.log"))
    report.check("no traceback in either server's log", tracebacks == 0, f"{tracebacks} tracebacks")
    load = os.getloadavg()[0]
    print(
        f"two gunicorn servers {a} and {b}, PostgreSQL {args.database_url.rsplit('/', 1)[1]}, Redis {args.redis}"
    )
    for name, ok, detail in report.checks:
        print(f"  {'OK  ' if ok else 'FAIL'} {name}{f' ({detail})' if detail else ''}")
    print(f"  figures: {report.figures}; load average {load:.2f}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
