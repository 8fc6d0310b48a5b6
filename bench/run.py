"""The page benchmark (issue 6; docs/design.md, "What every part must reach"). Not part of the test suite.

    .venv/bin/python bench/run.py                 # SQLite 10k, PostgreSQL 10k and 100k (= make bench)
    .venv/bin/python bench/run.py --quick         # 10k only, both databases (= make bench-quick)
    .venv/bin/python bench/run.py --targets pg-100k --reseed --runs 50

For each target it creates the database if missing, migrates, seeds `seed_demo --scale N` (demo/scale.py)
unless the database already holds that scale (--reseed drops and re-creates it), then measures every page
with the Django test client, logged in as a fitting persona, under kexie.settings.bench (DEBUG off): a few
warm-up requests, then --runs timed requests; the median, the 95th percentile (nearest rank), the number of
SQL queries and their time (from CaptureQueriesContext, on separate requests), and the size of the page. The
year-end review command (`manage.py review YEAR --json`) is timed the same way, fewer times.

The table goes to stdout and into bench/results.md between the markers `<!-- bench:begin -->` and
`<!-- bench:end -->` (text outside them, such as before/after notes, is kept), with the machine described.
Each run is also kept as JSON in bench/runs/ (the figures a later before/after comparison reads).

Each target runs in a child process of its own, because Django binds one database per process.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
RUNS = ROOT / "bench" / "runs"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGETS = {
    "sqlite-10k": ("SQLite", 10_000, "sqlite:////tmp/kexie_bench_10k.sqlite3"),
    "pg-10k": ("PostgreSQL", 10_000, f"{PG_SERVER}/kexie_bench_10k"),
    "pg-100k": ("PostgreSQL", 100_000, f"{PG_SERVER}/kexie_bench_100k"),
}
TARGET_MS = 300
BUDGET_SECONDS = 60  # per page; at least MIN_RUNS requests even when that takes longer
MIN_RUNS = 5
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


# --------------------------------------------------------------------------------------------------------
# The parent: databases, seeding, one child per target, the report
# --------------------------------------------------------------------------------------------------------


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="kexie.settings.bench", PYTHONPATH=str(ROOT))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run_child(args: list[str], url: str) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=child_env(url), check=True)


def ensure_database(url: str, *, drop: bool) -> None:
    """Create the database (PostgreSQL) if it is missing; with drop, start from nothing."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        if drop and path.exists():
            path.unlink()
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_target(key: str, args: argparse.Namespace) -> dict:
    engine, n, url = TARGETS[key]
    print(f"\n=== {key}: {engine}, N = {n:,} ===", flush=True)
    ensure_database(url, drop=args.reseed)
    run_child(["manage.py", "migrate", "--verbosity", "0"], url)
    out = RUNS / f".{key}.json"
    run_child([__file__, "--worker", "seed", "--scale", str(n), "--out", str(out)], url)
    seeded = json.loads(out.read_text())
    load_before = os.getloadavg()[0]
    run_child([__file__, "--worker", "measure", "--runs", str(args.runs), "--out", str(out)], url)
    measured = json.loads(out.read_text())
    out.unlink()
    load = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return {"key": key, "engine": engine, "n": n, "seed": seeded, "load": load, **measured}


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    pg = ""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("shared_buffers", "work_mem", "effective_cache_size")
            }
            pg += " (" + ", ".join(f"{k} {v}" for k, v in settings.items()) + ")"
    except Exception as error:  # noqa: BLE001 - the report says what is missing
        pg = f"not reachable ({error.__class__.__name__})"
    import sqlite3

    import django

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu} × {os.cpu_count()} (nproc)",
        "memory": memory,
        "postgresql": pg,
        "sqlite": sqlite3.sqlite_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit,
    }


def markdown(run: dict) -> str:
    m = run["machine"]
    lines = [
        f"Run of {m['date']} (commit `{m['commit']}`, up to {run['runs']} timed requests per page after 3 warm-up ones, "
        f"fewer when a page needs more than {BUDGET_SECONDS} s for them (at least {MIN_RUNS}); "
        f"label: {run['label'] or '—'}).",
        "",
        f"- Machine: {m['cpu']}, {m['memory']} memory",
        f"- PostgreSQL {m['postgresql']}; SQLite {m['sqlite']}",
        f"- Python {m['python']}, Django {m['django']}; settings `kexie.settings.bench` (DEBUG off), "
        "Django test client in one process (no HTTP server)",
        "- The dashboard and the review read stored team figures (liaison/compliance/team_figures.py): “a team changed” "
        "puts one team's figures out of date before each request, as a write does (the request recomputes "
        "them); “every team changed” is the first read after a bulk load, which recomputes all of them — "
        "reported, not held to the per-page target.",
        "",
    ]
    for target in run["targets"]:
        seed = target["seed"]
        seeded = (
            f"seeded in {seed['seconds']} s, {seed['rows']:,} rows, {seed['rows_per_second']:,} rows/s "
            f"({seed['method']})"
            if seed.get("seeded")
            else f"already seeded ({seed['rows']:,} rows)"
        )
        lines += [
            f"### {target['engine']}, N = {target['n']:,} — {seeded}",
            "",
            f"{target['counts']}",
            "",
            "1-minute load average before / after measuring: "
            + " / ".join(str(x) for x in target.get("load", []))
            + f" on {os.cpu_count()} CPUs (other work on the machine shows here and in the times).",
            "",
            "| page | persona | median ms | p95 ms | runs | queries | SQL ms | CPU ms | KB |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for page in target["pages"]:
            flag = " ⚠" if page["p95_ms"] > TARGET_MS and page.get("target", True) else ""
            lines.append(
                f"| {page['name']} `{page['url']}` | {page['persona']} | {page['median_ms']:.1f} | "
                f"{page['p95_ms']:.1f}{flag} | {page.get('runs', '')} | {page['queries']} | {page['sql_ms']:.1f} | {page.get('cpu_ms', 0):.1f} | {page['kb']:.0f} |"
            )
        lines.append("")
    by_page: dict[str, dict[str, int]] = {}
    for target in run["targets"]:
        for page in target["pages"]:
            by_page.setdefault(f"{page['name']} ({page.get('role', '—')})", {})[target["key"]] = page[
                "queries"
            ]
    same = [name for name, counts in by_page.items() if len(set(counts.values())) == 1]
    differ = [f"{name} {counts}" for name, counts in by_page.items() if len(set(counts.values())) > 1]
    lines.append(
        f"Query counts equal at every size and database for {len(same)} of {len(by_page)} pages"
        + ("." if not differ else "; they differ for: " + "; ".join(differ) + ".")
    )
    slow = [
        f"{t['key']} {p['name']} ({p['p95_ms']:.0f} ms)"
        for t in run["targets"]
        for p in t["pages"]
        if p["p95_ms"] > TARGET_MS and p.get("target", True)
    ]
    lines.append(f"p95 over {TARGET_MS} ms: " + (", ".join(slow) if slow else "none") + " (⚠ in the tables).")
    return "\n".join(lines)


def write_results(text: str) -> None:
    block = f"{BEGIN}\n{text}\n{END}"
    if RESULTS.exists():
        old = RESULTS.read_text()
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            RESULTS.write_text(head + block + tail)
            return
        RESULTS.write_text(old.rstrip() + "\n\n## Latest run\n\n" + block + "\n")
        return
    RESULTS.write_text(
        "# Benchmark results\n\nWritten by `make bench` (bench/run.py).\n\n## Latest run\n\n" + block + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k only (SQLite and PostgreSQL)")
    parser.add_argument("--targets", help=f"comma-separated, of {', '.join(TARGETS)}")
    parser.add_argument("--reseed", action="store_true", help="drop and re-create the databases first")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--label", default="", help="a word kept with the run, e.g. before / after")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    parser.add_argument("--worker", choices=["seed", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.targets:
        keys = [k.strip() for k in args.targets.split(",") if k.strip()]
        unknown = [k for k in keys if k not in TARGETS]
        if unknown:
            parser.error(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    else:
        keys = ["sqlite-10k", "pg-10k"] if args.quick else list(TARGETS)
    if any(k.startswith("pg") for k in keys) and shutil.which("pg_isready"):
        subprocess.run([str(ROOT / "scripts" / "pg.sh")], check=False)
    RUNS.mkdir(exist_ok=True)
    started = time.monotonic()
    run = {
        "label": args.label,
        "runs": args.runs,
        "machine": machine(),
        "targets": [bench_target(k, args) for k in keys],
    }
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"{stamp}-{args.label}" if args.label else stamp
    (RUNS / f"{name}.json").write_text(json.dumps(run, ensure_ascii=False, indent=1))
    text = markdown(run)
    print("\n" + text)
    if not args.no_write:
        write_results(text)
        print(
            f"\nWritten to {RESULTS.relative_to(ROOT)} (and bench/runs/{name}.json) in {time.monotonic() - started:.0f} s."
        )


# --------------------------------------------------------------------------------------------------------
# The child: Django set up on one database
# --------------------------------------------------------------------------------------------------------


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    result = seed(args.scale) if args.worker == "seed" else measure(args.runs)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, default=str))


def seed(n: int) -> dict:
    """Seed scale N unless the database already holds it (same number of scientists and records)."""
    from demo.scale import seed_scale
    from experts.models import Scientist
    from liaison.models import ContactRecord

    existing = Scientist.objects.count()
    if existing == n and ContactRecord.objects.exists():
        rows = _row_count()
        print(f"Database already holds N = {n:,} ({rows:,} rows): not seeding (use --reseed).", flush=True)
        return {"seeded": False, "rows": rows}
    if existing:
        raise SystemExit(f"The database holds {existing:,} scientists, not {n:,}: run with --reseed.")
    result = seed_scale(n, stdout=sys.stdout)
    total = sum(result["rows"].values())
    return {
        "seeded": True,
        "rows": total,
        "seconds": result["seconds"],
        "rows_per_second": result["rows_per_second"],
        "method": result["method"],
    }


def _row_count() -> int:
    from django.apps import apps

    return sum(
        m.objects.count() for m in apps.get_models() if m._meta.app_label in ("liaison", "experts", "orgs")
    )


def pages() -> list[tuple[str, str, str, Callable[[], None] | None]]:
    """(name, persona, url, what to do untimed before each request) of every page measured.

    The dashboard and the review read stored team figures (liaison/compliance/team_figures.py), recomputed for the
    teams a write changed since the last read. So they are measured three ways: with nothing changed; after a
    write to one team before each request (the steady state while staff log visits: the write bumps that
    team's version, exactly as liaison/compliance/signals.py does, and the request recomputes it); and with every team
    changed (the first read after a bulk load, or `manage.py refresh_figures`)."""
    from itertools import cycle

    from django.db.models import F
    from django.urls import reverse
    from django.utils import timezone

    from demo.scale import most_named_scientist, scale_personas
    from experts.models import Scientist
    from liaison.models import Staff, Team, TeamFigures
    from orgs.models import Organization

    year = timezone.localdate().year
    teams = list(Team.objects.filter(year__year=year).order_by("id").values_list("pk", flat=True))
    team = teams[len(teams) // 2]
    # a common surname and given name (many hits) and a pinyin prefix, both deterministic
    scientist = Scientist.objects.order_by("id").values_list("name", "name_pinyin").first()
    scientist_id = Scientist.objects.order_by("id").values_list("pk", flat=True)[500]
    staff_user = scale_personas()["staff"]
    own_team = (
        Team.objects.filter(year__year=year, members__user=staff_user)
        .order_by("id")
        .values_list("pk", flat=True)
    ).first()
    next_team = cycle(teams[::7]).__next__
    # the hubs (issue 18 §1): the scientist named on the most records, a county and its townships, the staff
    # persona's own page (their teams, records and duty report)
    busiest = most_named_scientist()
    county = Organization.objects.filter(kind="district").order_by("id").values_list("pk", flat=True).first()
    staff_pk = Staff.objects.filter(user=staff_user).values_list("pk", flat=True).first()
    theirs = most_named_scientist(staff_pk)  # for the staff persona: the one their own teams named most

    def one_team_changed() -> None:
        TeamFigures.objects.filter(team_id=next_team()).update(version=F("version") + 1)

    def every_team_changed() -> None:
        TeamFigures.objects.filter(team__year__year=year).update(version=F("version") + 1)

    dashboard = reverse("reports:dashboard")
    review = f"/reports/years/{year}/review/"
    return [
        ("看板 dashboard", "liaison", dashboard, None),
        ("看板 dashboard, a team changed", "liaison", dashboard, one_team_changed),
        ("看板 dashboard, every team changed", "liaison", dashboard, every_team_changed),
        ("专班列表 teams", "liaison", f"/liaison/years/{year}/", None),
        ("专班详情 team", "liaison", f"/liaison/teams/{team}/", None),
        ("联系记录 records ?method=survey", "staff", "/liaison/records/?method=survey", None),
        ("联系记录 records ?method=survey", "liaison", "/liaison/records/?method=survey", None),
        ("科技工作者搜索 search (name)", "liaison", f"/experts/?q={scientist[0][:2]}", None),
        ("科技工作者搜索 search (pinyin)", "liaison", f"/experts/?q={scientist[1][:6]}", None),
        ("我的工作 my work", "staff", "/liaison/my-work/", None),
        ("年度考评 review page", "liaison", review, None),
        ("年度考评 review page, a team changed", "liaison", review, one_team_changed),
        # the pages of the load test's mix (bench/load.py), as its people see them
        ("看板 dashboard", "leader", dashboard, None),
        ("专班列表 teams", "leader", f"/liaison/years/{year}/", None),
        ("专班详情 team (own)", "staff", f"/liaison/teams/{own_team}/", None),
        ("联系记录 records", "staff", "/liaison/records/", None),
        ("科技工作者搜索 search ?q=li", "staff", "/experts/?q=li", None),
        ("科技工作者搜索 search ?q=wang", "staff", "/experts/?q=wang", None),
        ("科技工作者搜索 search ?q=zhang", "staff", "/experts/?q=zhang", None),
        ("科技工作者搜索 search ?q=li, page 40", "staff", "/experts/?q=li&page=40", None),
        ("科技工作者 scientist", "staff", f"/experts/{scientist_id}/", None),
        ("记录联系 record form", "staff", f"/liaison/records/new/?team={own_team}", None),
        # the network (点、线、面) and the filing overview (reports/network)
        ("联系网络 network", "liaison", f"/reports/years/{year}/network/", None),
        ("联系网络 unlinked scientists", "liaison", f"/reports/years/{year}/network/scientists/", None),
        (
            "联系网络 scientists with 1 link",
            "liaison",
            f"/reports/years/{year}/network/scientists/?links=1",
            None,
        ),
        ("联系网络 blank spots", "liaison", f"/reports/years/{year}/network/places/", None),
        ("备案情况 filing overview", "liaison", f"/reports/years/{year}/filings/", None),
        # the hubs (reports/hub): timeline, teams, demands, occasions, sub-organisations, duty report
        ("科技工作者 hub (most records)", "liaison", f"/experts/{busiest}/", None),
        ("科技工作者 hub (their teams' most named)", "staff", f"/experts/{theirs}/", None),
        (
            "科技工作者 hub ?year&method, page 2",
            "liaison",
            f"/experts/{busiest}/?year={year}&method=survey&page=2",
            None,
        ),
        ("基层组织 hub (a county)", "liaison", f"/orgs/{county}/", None),
        ("干部 hub (own page)", "staff", f"/liaison/staff/{staff_pk}/", None),
        ("干部 hub (staff member)", "liaison", f"/liaison/staff/{staff_pk}/", None),
        # the lists behind the dashboard's figures (issue 18 §2)
        ("已分配未联系 targets", "liaison", f"/liaison/years/{year}/targets/uncontacted/", None),
        ("已分配未联系 targets (own teams)", "staff", f"/liaison/years/{year}/targets/uncontacted/", None),
        ("超过联系间隔 targets", "liaison", f"/liaison/years/{year}/targets/overdue/", None),
        ("诉求 of the year, open", "leader", f"/liaison/demands/?year={year}&state=open", None),
    ]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # nearest rank
    return ordered[int(rank) - 1]


def _timed(call, runs: int, warmup: int, before=None) -> tuple[list[float], int, float, int, float]:
    """Times of `runs` calls after `warmup`, then queries, SQL ms (median of 3) and bytes of one call, and
    the median CPU time of this process per call (what Django spends, whatever else runs on the machine).
    `before`, if given, runs untimed before every call (e.g. a write that puts a team's figures out of date)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    for _ in range(warmup):
        before()
        call()
    times: list[float] = []
    cpu: list[float] = []
    began = time.perf_counter()
    for _ in range(runs):
        if len(times) >= MIN_RUNS and time.perf_counter() - began > BUDGET_SECONDS:
            break  # a page of several seconds: fewer runs (the table says how many)
        before()
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    counts, sql_ms, size = [], [], 0
    for _ in range(3):
        before()
        with CaptureQueriesContext(connection) as context:
            size = call()
        counts.append(len(context.captured_queries))
        sql_ms.append(sum(float(q["time"]) for q in context.captured_queries) * 1000)
    if len(set(counts)) != 1:
        print(f"  ! query count varies between requests: {counts}", flush=True)
    return times, max(counts), statistics.median(sql_ms), size, statistics.median(cpu)


def measure(runs: int) -> dict:
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from demo.scale import scale_personas

    personas = scale_personas()
    clients = {}
    for key, user in personas.items():
        client = Client()
        client.force_login(user)
        clients[key] = client
    results = []
    for name, persona, url, before in pages():

        def call(client=clients[persona], url=url, persona=persona) -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} for {persona}")
            return len(response.content)

        quick = before is not None and before.__name__ == "every_team_changed"  # seconds each: a few runs
        times, queries, sql_ms, size, cpu_ms = _timed(
            call, 3 if quick else runs, warmup=1 if quick else 3, before=before
        )
        row = {
            "name": name,
            "role": persona,
            "persona": f"{persona} ({personas[persona].username})",
            "url": url,
            "median_ms": statistics.median(times),
            "p95_ms": _percentile(times, 95),
            "runs": len(times),
            "queries": queries,
            "sql_ms": sql_ms,
            "cpu_ms": cpu_ms,
            "kb": size / 1024,
            # the first read after a bulk load: reported, not held to the per-page target
            "target": not quick,
        }
        print(
            f"  {name:<36} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
            f"{queries:3d} queries  SQL {sql_ms:6.1f} ms  CPU {cpu_ms:6.1f} ms  {row['kb']:6.0f} KB",
            flush=True,
        )
        results.append(row)

    year = str(timezone.localdate().year)

    def review() -> int:
        out = io.StringIO()
        call_command("review", year, "--json", stdout=out)
        return len(out.getvalue().encode())

    times, queries, sql_ms, size, cpu_ms = _timed(review, max(3, runs // 6), warmup=1)
    results.append(
        {
            "name": "年度考评命令 review command",
            "persona": "—",
            "url": f"manage.py review {year} --json",
            "median_ms": statistics.median(times),
            "p95_ms": _percentile(times, 95),
            "runs": len(times),
            "queries": queries,
            "sql_ms": sql_ms,
            "cpu_ms": cpu_ms,
            "kb": size / 1024,
        }
    )
    print(f"  review command: median {statistics.median(times):.1f} ms, {queries} queries", flush=True)
    return {"pages": results, "counts": _counts(), "vendor": connection.vendor}


def _counts() -> str:
    from experts.models import Scientist
    from liaison.models import Assignment, ContactRecord, ContactTarget, Demand, Staff, Team
    from orgs.models import Organization

    figures = [
        ("scientists", Scientist),
        ("organisations", Organization),
        ("staff", Staff),
        ("teams", Team),
        ("assignments", Assignment),
        ("records", ContactRecord),
        ("record targets", ContactTarget),
        ("demands", Demand),
    ]
    return "Data: " + ", ".join(f"{m.objects.count():,} {label}" for label, m in figures) + "."


if __name__ == "__main__":
    main()
