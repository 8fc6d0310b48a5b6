"""The load test (issue 17 §6): gunicorn + PostgreSQL at N = 100,000, 50 staff and 5 leaders clicking for a
few minutes, driven by locust (bench/locustfile.py). Not part of the test suite.

    .venv/bin/python bench/load.py                      # = make load: 3 minutes, writes bench/results.md
    .venv/bin/python bench/load.py --run-time 60 --no-write --label try

Steps: make sure the bench database holds N = 100,000 (bench/run.py seeds it the first time); give the
people the run uses real passwords (Argon2id, as production hashes them) and time one login's CPU cost;
start gunicorn on 127.0.0.1 under kexie.settings.load (DEBUG off); run locust headless for --run-time
seconds (every simulated person logs in once through the login form, then clicks with 0.5–1.5 s between
clicks); stop gunicorn; then report requests/s, p50/p95 per page and errors (logins apart), and check in
the database that every record whose POST got a success response is there exactly once. The figures go to
stdout, bench/runs/load-*.json and bench/results.md (between `<!-- load:begin -->` and `<!-- load:end -->`).
The exit status is 1 when a target is missed (TARGETS below), 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py: the databases, seeding, the machine's description)

RESULTS = HERE / "results.md"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
LOGIN_PAGES = ("登录 login (form)", "登录 login (POST)")
TARGETS = {
    "requests_per_second": 40.0,  # the mix, logins apart
    "p95_ms": 500.0,  # on every page
    "errors": 0,
    "login_ms": 100.0,  # CPU of one authenticate() with the production hasher
}


# --------------------------------------------------------------------------------------------------------
# The parent: database, gunicorn, locust, the report
# --------------------------------------------------------------------------------------------------------


def child(args: list[str], url: str, **kwargs) -> subprocess.CompletedProcess:
    env = bench.child_env(url)
    env["DJANGO_SETTINGS_MODULE"] = "kexie.settings.load"
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, **kwargs)


def worker_json(kind: str, url: str, **extra: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in extra.items()]
    child([__file__, "--worker", kind, "--out", str(out), *flags], url)
    result = json.loads(out.read_text())
    out.unlink()
    return result


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds:.0f} s")


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def cpu_seconds(processes) -> float:
    """User + system CPU seconds of the processes still alive (psutil, a dependency of locust)."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def server_processes(gunicorn_pid: int, database: str) -> dict[str, list]:
    """gunicorn's master and workers; the PostgreSQL backends connected to the bench database; Redis."""
    import psutil

    master = psutil.Process(gunicorn_pid)
    backends, redis = [], []
    for process in psutil.process_iter(["username", "cmdline", "name"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["username"] == "postgres" and f" {database} " in f" {cmdline} ":
            backends.append(process)
        elif process.info["name"] == "redis-server":
            redis.append(process)
    return {"gunicorn": [master, *master.children(recursive=True)], "postgresql": backends, "redis": redis}


class BackendSampler:
    """Samples the CPU time of the PostgreSQL backends of the bench database every half second while the load
    runs: persistent connections are closed and opened again during a run (CONN_MAX_AGE), and a closed
    backend's CPU time can no longer be read at the end."""

    def __init__(self, database: str) -> None:
        import threading

        self.database = database
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        for process in psutil.process_iter(["username", "cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or [])
            if process.info["username"] == "postgres" and f" {self.database} " in f" {cmdline} ":
                seconds = cpu_seconds([process])
                if seconds:
                    self.last[process.pid] = max(seconds, self.last.get(process.pid, 0.0))

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def start(self) -> None:
        self._sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def seconds(self, before: dict[int, float]) -> float:
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in self.last.items())


def print_profile(work: Path) -> None:
    """The workers' profiles merged: the project's functions and the main library calls by cumulative time."""
    import io
    import pstats

    files = sorted(str(p) for p in work.glob("profile.*") if p.stat().st_size > 100)  # the master: empty
    if not files:
        print("(no profile was written)")
        return
    out = io.StringIO()
    stats = pstats.Stats(*files, stream=out)
    stats.sort_stats("cumulative").print_stats(r"wt-perf|/kexie/|liaison|reports|experts|common|template", 60)
    stats.sort_stats("tottime").print_stats(25)
    text = out.getvalue()
    (work / "profile.txt").write_text(text)
    print(text[:20000])
    print(f"(the whole profile: {work / 'profile.txt'})")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # nearest rank
    return ordered[int(rank) - 1]


def summarise(requests: list[list], run_time: float) -> dict:
    """Per page: count, errors, p50, p95, max; the mix's requests/s over the time the pages were clicked
    (from the first to the last request that is not a login)."""
    by_name: dict[str, list] = {}
    for name, ms, ok, started in requests:
        by_name.setdefault(name, []).append((ms, ok, started))
    pages = []
    for name, rows in sorted(by_name.items()):
        times = [ms for ms, _, _ in rows]
        pages.append(
            {
                "name": name,
                "login": name in LOGIN_PAGES,
                "count": len(rows),
                "errors": sum(1 for _, ok, _ in rows if not ok),
                "p50_ms": statistics.median(times),
                "p95_ms": percentile(times, 95),
                "max_ms": max(times),
            }
        )
    clicks = [r for r in requests if r[0] not in LOGIN_PAGES]
    starts = [r[3] for r in clicks]
    window = (max(starts) - min(starts)) if len(starts) > 1 else run_time
    all_times = [r[1] for r in clicks]
    return {
        "pages": pages,
        "requests": len(clicks),
        "window_s": window,
        "requests_per_second": len(clicks) / window if window else 0.0,
        "p50_ms": statistics.median(all_times) if all_times else 0.0,
        "p95_ms": percentile(all_times, 95) if all_times else 0.0,
        "errors": sum(p["errors"] for p in pages),
        "logins": sum(p["count"] for p in pages if p["name"] == LOGIN_PAGES[1]),
    }


def misses(result: dict) -> list[str]:
    s, missed = result["summary"], []
    if s["requests_per_second"] < TARGETS["requests_per_second"]:
        missed.append(f"{s['requests_per_second']:.1f} requests/s < {TARGETS['requests_per_second']:.0f}")
    for page in s["pages"]:
        if not page["login"] and page["p95_ms"] >= TARGETS["p95_ms"]:
            missed.append(f"{page['name']} p95 {page['p95_ms']:.0f} ms ≥ {TARGETS['p95_ms']:.0f}")
    if s["errors"] > TARGETS["errors"]:
        missed.append(f"{s['errors']} errors")
    if result["server_errors"]:
        missed.append(f"{result['server_errors']} tracebacks in gunicorn's log")
    login = result["login"]["authenticate_cpu_ms_median"]
    if login >= TARGETS["login_ms"]:
        missed.append(f"a login costs {login:.0f} ms CPU ≥ {TARGETS['login_ms']:.0f}")
    check = result["records"]
    if check["missing"] or check["duplicated"]:
        missed.append(f"records: {len(check['missing'])} missing, {len(check['duplicated'])} duplicated")
    if not check["saved"]:
        missed.append("no record was saved")
    return missed


def markdown(result: dict) -> str:
    s, m, login, check = result["summary"], result["machine"], result["login"], result["records"]
    cpu = result["cpu_busy_percent"]
    cores = os.cpu_count() or 1
    spent = result["cpu_seconds"]
    all_requests = sum(p["count"] for p in s["pages"])
    per_request = 1000 * sum(spent.values()) / max(1, all_requests)
    room = 1000 * cores / per_request if per_request else 0.0
    machine_s = cores * result["elapsed_s"]
    busy = machine_s * cpu / 100
    lines = [
        f"Run of {m['date']} (commit `{m['commit']}`, label: {result['label'] or '—'}): "
        f"{result['staff']} staff and {result['leaders']} leaders for {result['run_time']} s "
        f"(think time 0.5–1.5 s), gunicorn `{result['gunicorn']}`, `kexie.settings.load` (DEBUG off), "
        f"{'sessions and cache in Redis, ' if result.get('redis') else 'sessions in the database, '}"
        f"PostgreSQL N = 100,000; locust {result['locust']} on the same {os.cpu_count()} cores.",
        "",
        f"- Machine: {m['cpu']}, {m['memory']} memory; PostgreSQL {m['postgresql']}",
        f"- The mix (logins apart): **{s['requests_per_second']:.1f} requests/s** over {s['window_s']:.0f} s, "
        f"{s['requests']:,} requests, p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, "
        f"**{s['errors']} errors**; {result['server_errors']} tracebacks in gunicorn's log; "
        f"the machine's CPUs {cpu:.0f} % busy.",
        f"- CPU of the run: gunicorn {spent['gunicorn']:.0f} s, PostgreSQL {spent['postgresql']:.0f} s, "
        f"Redis {spent.get('redis', 0):.1f} s, locust {spent['locust']:.0f} s, the machine {busy:.0f} s of {machine_s:.0f}: "
        f"**{per_request:.0f} ms a request** (all {all_requests:,}, logins included), room for about "
        f"**{room:.0f} requests/s** on {cores} cores with nothing else running (1-minute load average "
        f"{result['load_average_before']} before the run: other work shares the cores).",
        f"- Logins: {s['logins']} through the form; one `authenticate()` with Argon2id "
        f"({login['hasher']}) costs {login['authenticate_cpu_ms_median']:.1f} ms CPU "
        f"({login['authenticate_ms_median']:.1f} ms wall, median of {login['runs']}); the hash alone "
        f"{login['hash_cpu_ms_median']:.1f} ms.",
        f"- Records: {check['saved']} POSTs answered “saved”; in the database afterwards "
        f"{check['found_once']} of them exactly once, {len(check['missing'])} missing, "
        f"{len(check['duplicated'])} twice or more; {check['posted']} posted in all, "
        f"{check['unanswered_but_saved']} saved without a success answer.",
        "",
        "| page | requests | errors | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for page in sorted(s["pages"], key=lambda p: (p["login"], p["name"])):
        flag = " ⚠" if not page["login"] and page["p95_ms"] >= TARGETS["p95_ms"] else ""
        lines.append(
            f"| {page['name']}{' (apart)' if page['login'] else ''} | {page['count']:,} | {page['errors']} | "
            f"{page['p50_ms']:.0f} | {page['p95_ms']:.0f}{flag} | {page['max_ms']:.0f} |"
        )
    missed = result["missed"]
    lines += [
        "",
        "Targets (≥ 40 requests/s, p95 < 500 ms on every page, 0 errors, every saved record there once, a "
        "login < 100 ms): " + ("all met." if not missed else "missed: " + "; ".join(missed) + "."),
    ]
    return "\n".join(lines)


def write_results(text: str) -> None:
    block = f"{BEGIN}\n{text}\n{END}"
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        RESULTS.write_text(head + block + rest.split(END, 1)[1])
    else:
        RESULTS.write_text(old.rstrip() + "\n\n## Load test, latest run (bench/load.py)\n\n" + block + "\n")


def production_workers() -> tuple[int, int]:
    """Workers and threads as deploy/gunicorn.conf.py sets them on this machine: the load test runs the
    production configuration unless told otherwise."""
    namespace: dict = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    return namespace["workers"], namespace["threads"] if namespace["worker_class"] == "gthread" else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-time", type=int, default=180, help="seconds of clicking (default 180)")
    parser.add_argument("--staff", type=int, default=50, help="simulated staff (default 50)")
    parser.add_argument("--leaders", type=int, default=5, help="simulated leaders (default 5)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people started a second (default 10)")
    parser.add_argument("--port", type=int, default=8021, help="gunicorn's port on 127.0.0.1 (default 8021)")
    workers, threads = production_workers()
    parser.add_argument(
        "--workers", type=int, default=workers, help=f"gunicorn workers (default {workers}: production's)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=threads,
        help=f"threads per worker (default {threads}: production's; 1: sync workers, more: gthread)",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/2",
        help="the shared cache and sessions, as in production (DJANGO_REDIS_URL; '' for none)",
    )
    parser.add_argument("--target", default="pg-100k", choices=list(bench.TARGETS), help="bench database")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the workers (cProfile) and print where their time went",
    )
    parser.add_argument("--label", default="", help="a word kept with the run, e.g. before / after")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    parser.add_argument("--worker", choices=["prepare", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--markers", help=argparse.SUPPRESS)
    parser.add_argument("--out-personas", help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        import django

        django.setup()
        result = prepare(args) if args.worker == "prepare" else verify(args)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False))
        return
    if not 1 <= args.run_time <= 1800:
        parser.error("--run-time is between 1 and 1800 seconds")
    if not 1 <= args.staff + args.leaders <= 500:
        parser.error("between 1 and 500 simulated people")
    sys.exit(load(args))


def load(args: argparse.Namespace) -> int:
    _, n, url = bench.TARGETS[args.target]
    host = f"http://127.0.0.1:{args.port}"  # loopback only: nothing else is ever a target
    print(f"=== load test: {args.target} (N = {n:,}), {host} ===", flush=True)
    subprocess.run([str(ROOT / "scripts" / "pg.sh")], check=False)
    bench.ensure_database(url, drop=False)
    child(["manage.py", "migrate", "--verbosity", "0"], url)
    bench.RUNS.mkdir(exist_ok=True)
    seed_out = bench.RUNS / ".load-seed.json"
    child([str(HERE / "run.py"), "--worker", "seed", "--scale", str(n), "--out", str(seed_out)], url)
    seed_out.unlink()

    work = Path(tempfile.mkdtemp(prefix="kexie-load-"))
    personas = work / "personas.json"
    prepared = worker_json("prepare", url, out_personas=str(personas), staff=str(args.staff))
    prepared_leaders = json.loads(personas.read_text())["leaders"]
    if len(json.loads(personas.read_text())["staff"]) < args.staff or len(prepared_leaders) < args.leaders:
        raise SystemExit("the database has too few staff in teams or leaders for this run")
    login = prepared["login"]
    print(
        f"accounts ready; one authenticate(): {login['authenticate_cpu_ms_median']:.1f} ms CPU, "
        f"{login['authenticate_ms_median']:.1f} ms wall",
        flush=True,
    )

    kind = ["-k", "gthread", "--threads", str(args.threads)] if args.threads > 1 else ["-k", "sync"]
    gunicorn_args = ["-w", str(args.workers), *kind, "--preload"]
    env = bench.child_env(url)
    env["DJANGO_SETTINGS_MODULE"] = "kexie.settings.load"
    env["DJANGO_REDIS_URL"] = args.redis
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # a run starts with an empty cache, as after a deploy
    error_log = work / "gunicorn.log"
    app = "kexie.wsgi"
    if args.profile:
        app = "bench.wsgi_profiled:application"
        env["LOAD_PROFILE"] = str(work / "profile")
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), app, "-b", f"127.0.0.1:{args.port}"]
        + gunicorn_args
        + ["--error-logfile", str(error_log), "--graceful-timeout", "10"],
        cwd=ROOT,
        env=env,
    )
    out = work / "locust.json"
    try:
        wait_until_up(host, gunicorn)
        database = url.rsplit("/", 1)[1]
        before = server_processes(gunicorn.pid, database)
        cpu_before = {k: {p.pid: cpu_seconds([p]) for p in v} for k, v in before.items()}
        children_before = os.times()
        busy0, total0 = cpu_ticks()
        load_before = round(os.getloadavg()[0], 2)
        started = time.monotonic()
        locust_env = dict(
            env,
            LOAD_PERSONAS=str(personas),
            LOAD_OUT=str(out),
            LOAD_STAFF=str(args.staff),
            LOAD_LEADERS=str(args.leaders),
        )
        sampler = BackendSampler(database)
        sampler.start()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.staff + args.leaders),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--stop-timeout",
                "5",
                "--host",
                host,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            check=False,
            timeout=args.run_time + 120,
        )
        elapsed = time.monotonic() - started
        busy1, total1 = cpu_ticks()
        sampler.stop()
        children_after = os.times()
        after = server_processes(gunicorn.pid, database)
        # CPU spent during the run: each process's figure now less its figure before (0 for new ones)
        cpu = {
            kind: cpu_seconds(after[kind]) - sum(cpu_before[kind].get(p.pid, 0.0) for p in after[kind])
            for kind in after
        }
        # backends closed during the run (connections live CONN_MAX_AGE seconds) count as last sampled
        cpu["postgresql"] = sampler.seconds(cpu_before["postgresql"])
        cpu["locust"] = (children_after.children_user + children_after.children_system) - (
            children_before.children_user + children_before.children_system
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
    if args.profile:
        print_profile(work)
    data = json.loads(out.read_text())
    markers = work / "markers.json"
    markers.write_text(json.dumps({"ok": data["markers_ok"], "sent": data["markers_sent"]}))
    check = worker_json("verify", url, markers=str(markers), run=prepared["run"])
    log = error_log.read_text(errors="replace") if error_log.exists() else ""
    import locust

    result = {
        "label": args.label,
        "machine": bench.machine(),
        "staff": args.staff,
        "leaders": args.leaders,
        "run_time": args.run_time,
        "elapsed_s": round(elapsed, 1),
        "gunicorn": " ".join(gunicorn_args),
        "redis": args.redis,
        "locust": locust.__version__,
        "cpu_busy_percent": 100 * (busy1 - busy0) / max(1, total1 - total0),
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "load_average_before": load_before,
        "server_errors": len(re.findall(r"^Traceback", log, flags=re.MULTILINE)),
        "login": login,
        "summary": summarise(data["requests"], args.run_time),
        "records": check,
    }
    result["missed"] = misses(result)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"load-{stamp}" + (f"-{args.label}" if args.label else "")
    (bench.RUNS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    text = markdown(result)
    print("\n" + text)
    if log.strip():
        print(f"\n(gunicorn's log: {error_log})")
    if not args.no_write:
        write_results(text)
        print(f"\nWritten to bench/results.md (and bench/runs/{name}.json).")
    return 1 if result["missed"] else 0


# --------------------------------------------------------------------------------------------------------
# The children: Django set up on the bench database under kexie.settings.load
# --------------------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> dict:
    """Pick the people of the run, give them real (Argon2id) passwords, and time what one login costs."""
    import secrets

    from django.contrib.auth import authenticate, get_user_model
    from django.contrib.auth.hashers import get_hasher
    from django.test import RequestFactory
    from django.utils import timezone

    from liaison.models import Assignment, Position, Staff, Team

    year = timezone.localdate().year
    staff_count = args.staff
    # A staff member (工作人员, not of the liaison office) of each of the year's teams that has targets in
    # force, one per team, so that every simulated person logs records for a team of their own.
    with_targets = set(
        Assignment.objects.in_force_at_year_end().filter(team__year__year=year).values_list("team", flat=True)
    )
    chosen: list[tuple[Staff, Team]] = []
    seen: set[int] = set()
    teams = Team.objects.filter(year__year=year, pk__in=with_targets).order_by("id")
    for team in teams.prefetch_related("members__user", "members__department"):
        for member in sorted(team.members.all(), key=lambda s: s.pk):
            if (
                member.pk not in seen
                and member.position == Position.STAFF
                and member.is_active
                and member.user.is_active
                and not member.department.is_liaison_office
            ):
                chosen.append((member, team))
                seen.add(member.pk)
                break
        if len(chosen) >= staff_count:
            break
    leaders = list(
        Staff.objects.filter(position=Position.LEADERSHIP, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("id")[:20]
    )
    user_model = get_user_model()
    password = secrets.token_urlsafe(12)
    users = [s.user for s, _ in chosen] + [s.user for s in leaders]
    hashed = get_hasher().encode(password, get_hasher().salt())  # one hash shared by the run's accounts
    user_model.objects.filter(pk__in=[u.pk for u in users]).update(password=hashed)
    run = datetime.datetime.now(datetime.UTC).strftime("%m%d%H%M%S")
    Path(args.out_personas).write_text(
        json.dumps(
            {
                "run": run,
                "year": year,
                "staff": [
                    {"username": s.user.username, "password": password, "team": t.pk} for s, t in chosen
                ],
                "leaders": [{"username": s.user.username, "password": password} for s in leaders],
            },
            ensure_ascii=False,
        )
    )
    # What a login costs: authenticate() through every backend (axes, rules, the model backend) with a
    # request, as the login form calls it, and the password hash alone.
    factory = RequestFactory()
    username = users[0].username
    wall, cpu, hash_cpu = [], [], []
    hasher = get_hasher()
    for _ in range(21):
        request = factory.post("/login/")
        w, c = time.perf_counter(), time.process_time()
        user = authenticate(request, username=username, password=password)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        if user is None:
            raise SystemExit(f"authenticate() refused {username}")
        c = time.process_time()
        hasher.verify(password, hashed)
        hash_cpu.append((time.process_time() - c) * 1000)
    wall, cpu, hash_cpu = wall[1:], cpu[1:], hash_cpu[1:]  # the first loads the backends
    return {
        "run": run,
        "login": {
            "hasher": f"{hasher.algorithm}, m={hasher.memory_cost} KiB, t={hasher.time_cost}, p={hasher.parallelism}",
            "runs": len(cpu),
            "authenticate_ms_median": statistics.median(wall),
            "authenticate_cpu_ms_median": statistics.median(cpu),
            "authenticate_cpu_ms_max": max(cpu),
            "hash_cpu_ms_median": statistics.median(hash_cpu),
        },
    }


def verify(args: argparse.Namespace) -> dict:
    """Every marker whose POST was answered "saved" is in exactly one record; none is there twice."""
    from collections import Counter

    from liaison.models import ContactRecord

    markers = json.loads(Path(args.markers).read_text())
    pattern = re.compile(rf"LOAD-{re.escape(args.run)}-[\w.@+-]+-\d+")
    found = Counter(
        m
        for summary in ContactRecord.objects.filter(summary__contains=f"LOAD-{args.run}-").values_list(
            "summary", flat=True
        )
        for m in pattern.findall(summary)
    )
    ok = set(markers["ok"])
    return {
        "posted": len(markers["sent"]),
        "saved": len(ok),
        "found_once": sum(1 for m in ok if found[m] == 1),
        "missing": sorted(m for m in ok if found[m] == 0),
        "duplicated": sorted(m for m, count in found.items() if count > 1),
        "unanswered_but_saved": sum(1 for m in found if m not in ok),
    }


if __name__ == "__main__":
    main()
