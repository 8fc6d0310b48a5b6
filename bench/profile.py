"""Where one page's time goes: the page requested through the Django test client under kexie.settings.bench,
timed, its queries counted, and a pyinstrument profile of a few requests printed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench_100k \\
        .venv/bin/python bench/profile.py /experts/?q=li --as staff [--runs 10] [--no-profile]

Personas as in bench/run.py (liaison, leader, staff: demo.scale.scale_personas). Several paths may be
given; each is timed, and profiled unless --no-profile. pyinstrument is in the `bench` extra.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--as", dest="persona", default="staff", choices=["liaison", "leader", "staff"])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--no-profile", action="store_true", help="time only")
    parser.add_argument("--sql", action="store_true", help="print each query of one request")
    parser.add_argument("--sql-width", type=int, default=160, help="characters of each query printed")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.scale import scale_personas

    client = Client()
    client.force_login(scale_personas()[args.persona])

    def call(path: str) -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return len(response.content)

    for path in args.paths:
        for _ in range(3):
            call(path)
        times, cpu = [], []
        for _ in range(args.runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            size = call(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        with CaptureQueriesContext(connection) as context:
            call(path)
        sql = sum(float(q["time"]) for q in context.captured_queries) * 1000
        print(
            f"{path} as {args.persona}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, "
            f"CPU of this process {statistics.median(cpu):.1f} ms, "
            f"{len(context.captured_queries)} queries, SQL {sql:.0f} ms, {size / 1024:.0f} KB"
        )
        if args.sql:
            for q in context.captured_queries:
                print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][: args.sql_width]}")
        if args.no_profile:
            continue
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(5):
                call(path)
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
