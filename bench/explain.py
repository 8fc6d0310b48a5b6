"""The queries of one page on a bench database, slowest first, with EXPLAIN (ANALYZE, BUFFERS) of the slow ones.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_bench_100k \\
        .venv/bin/python bench/explain.py /liaison/records/?method=survey --as liaison [--min-ms 20]

Personas as in bench/run.py (liaison, leader, staff: liaison.scale.scale_personas). The special path
`review-command` runs `manage.py review YEAR --json` instead of a page.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="persona", default="liaison", choices=["liaison", "leader", "staff"])
    parser.add_argument("--min-ms", type=float, default=20.0, help="EXPLAIN queries slower than this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from demo.scale import scale_personas

    client = Client()
    client.force_login(scale_personas()[args.persona])

    def call() -> None:
        if args.path == "review-command":
            call_command("review", str(timezone.localdate().year), "--json", stdout=io.StringIO())
        else:
            response = client.get(args.path)
            assert response.status_code == 200, response.status_code

    call()  # warm
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as context:
        call()
    total = (time.perf_counter() - started) * 1000
    queries = sorted(context.captured_queries, key=lambda q: -float(q["time"]))
    sql = sum(float(q["time"]) for q in queries) * 1000
    print(f"{args.path}: {total:.0f} ms, {len(queries)} queries, SQL {sql:.0f} ms\n")
    for q in queries:
        ms = float(q["time"]) * 1000
        print(f"{ms:8.1f} ms  {q['sql'][:160]}")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for q in queries:
            if float(q["time"]) * 1000 < args.min_ms:
                break
            print("\n" + "=" * 100 + f"\n{q['sql']}\n")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
