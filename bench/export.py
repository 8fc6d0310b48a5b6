"""The bulk paths at N = 100,000 (issue 19 §5): the record export, the full export (全部数据), `review --json`,
and our .xlsx writer side by side with XlsxWriter in constant-memory mode. Not part of the test suite.

    .venv/bin/python bench/export.py                       # everything, 3 runs each, against kexie_bench_100k
    .venv/bin/python bench/export.py --only records review --runs 5
    .venv/bin/python bench/export.py --database-url postgres://postgres@127.0.0.1:5432/other_100k

Each measurement runs in a child process of its own (kexie.settings.bench, read-only on the database), so
that its peak memory is its own: the resident set's high-water mark (ru_maxrss) of that process, Django and
the loaded apps included. What is timed:

- records: `exports.record_tables(year)` written by `exports.write_workbook` into a temporary file, as the
  job and the synchronous export do (rows of 联系记录 and 诉求, end to end: queries, rows, XML, deflate);
- all: `exports.everything(year)` the same way, as someone who sees every contact detail;
- review: `manage.py review YEAR --json` as a command line runs it (a new process: Python and Django start,
  the stored figures are read, the JSON printed), and the build alone in the child (`build_review`);
- writers: the first 100,000 rows of 联系记录 (read once into a pickle) written by our writer and by
  XlsxWriter 3.3.1 (`constant_memory`, the same header, widths, date format and text cells), and read
  back without writing (the baseline both include); needs the `bench` extra (pip install -e ".[bench]").

The figures print as a Markdown table (docs/performance.md and bench/results.md, "Exports at N = 100,000").
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_URL = f"{PG_SERVER}/kexie_bench_100k"
WHAT = ["records", "all", "review", "writers"]
WRITER_ROWS = 100_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------------------
# Children: one measurement each, a JSON line on stdout
# --------------------------------------------------------------------------------------------------------


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _year(value: str | None):
    from liaison.models import Year

    years = Year.objects.order_by("-year")
    return years.get(year=int(value)) if value else years.first()


def _write(tables: list) -> dict:
    from reports.workbook import exports

    rows = 0

    def counted(table):
        nonlocal rows
        for row in table.rows:
            rows += 1
            yield row

    wrapped = [exports.Table(t.title, t.headers, counted(t), t.size) for t in tables]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        exports.write_workbook(wrapped, handle)
        size = handle.tell()
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "bytes": size}


def child_records(year: str | None) -> dict:
    _setup()
    from reports.workbook import exports

    return _write(exports.record_tables(_year(year)))


def child_all(year: str | None) -> dict:
    _setup()
    from reports.workbook import exports

    return _write(exports.everything(_year(year)))


def child_review_build(year: str | None) -> dict:
    _setup()
    from reports.review.services import build_review

    the_year = _year(year)
    start = time.perf_counter()
    review = build_review(the_year)
    built = time.perf_counter() - start
    text = json.dumps(review, ensure_ascii=False, indent=2)
    return {
        "seconds": time.perf_counter() - start,
        "build": built,
        "teams": len(review["teams"]),
        "bytes": len(text),
    }


def child_dump_rows(year: str | None, path: str) -> dict:
    """The first WRITER_ROWS rows of 联系记录, pickled one by one (the writers read them back as a stream)."""
    _setup()
    from reports.workbook import exports

    table = exports.record_table(_year(year))
    with open(path, "wb") as handle:
        pickle.dump(table.headers, handle)
        for n, row in enumerate(table.rows, start=1):
            pickle.dump(row, handle)
            if n == WRITER_ROWS:
                break
    return {"rows": n}


def _stream(path: str):
    with open(path, "rb") as handle:
        yield pickle.load(handle)  # the headers
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def child_writer(which: str, path: str) -> dict:
    """One writer over the pickled rows; "read" only reads them (the cost both writers include)."""
    sys.path.insert(0, str(ROOT))
    rows = _stream(path)
    headers = next(rows)
    widths = [14] * len(headers)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        if which == "read":
            n = sum(1 for _ in rows)
        elif which == "ours":
            from common.xlsx_writer import XlsxWriter

            n = 0

            def counted():
                nonlocal n
                for row in rows:
                    n += 1
                    yield row

            with XlsxWriter(handle) as book:
                book.add_sheet("联系记录", headers, counted(), widths)
        else:  # XlsxWriter, constant_memory: each row written and dropped
            import xlsxwriter

            book = xlsxwriter.Workbook(
                handle,
                {
                    "constant_memory": True,
                    "strings_to_numbers": False,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "default_date_format": "yyyy-mm-dd",
                },
            )
            sheet = book.add_worksheet("联系记录")
            bold = book.add_format({"bold": True})
            sheet.set_column(0, len(headers) - 1, 14)
            sheet.freeze_panes(1, 0)
            sheet.write_row(0, 0, headers, bold)
            n = 0
            for n, row in enumerate(rows, start=1):
                sheet.write_row(n, 0, row)
            book.close()
        size = handle.tell()
    return {"rows": n, "seconds": time.perf_counter() - start, "bytes": size}


def child_main(argv: list[str]) -> None:
    kind, *args = argv
    result = {
        "records": child_records,
        "all": child_all,
        "review_build": child_review_build,
        "dump_rows": child_dump_rows,
        "writer": child_writer,
    }[kind](*args)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------------------
# The parent
# --------------------------------------------------------------------------------------------------------


def env_for(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="kexie.settings.bench", PYTHONPATH=str(ROOT))
    return env


def child(url: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env_for(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def command_line(url: str, year: str) -> dict:
    """`manage.py review YEAR --json` as a user runs it: wall time and peak memory of that process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "review", year, "--json"], cwd=ROOT, env=env_for(url), stdout=out
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"manage.py review failed ({process.returncode})")
        size = out.tell()
    return {"seconds": seconds, "bytes": size, "peak_mb": usage.ru_maxrss / 1024}


def summary(runs: list[dict], key: str = "seconds") -> str:
    values = sorted(r[key] for r in runs)
    return f"{statistics.median(values):.2f} ({values[0]:.2f}–{values[-1]:.2f})"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--year", default="", help="the year to export (default: the latest)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=WHAT, default=WHAT)
    options = parser.parse_args()
    url, year = options.database_url, options.year
    lines = [
        f"Database `{url.rsplit('/', 1)[-1]}`, {options.runs} runs each, median (min–max); "
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; Python {platform.python_version()}.",
        "",
        "| what | rows | seconds | rows/s | peak memory (MB) | file |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label: str, runs: list[dict]) -> None:
        rows = runs[0].get("rows", 0)
        rate = statistics.median(r["rows"] / r["seconds"] for r in runs) if rows else 0
        lines.append(
            f"| {label} | {rows:,} | {summary(runs)} | {rate:,.0f} | {max(r['peak_mb'] for r in runs):.1f} "
            f"| {runs[0].get('bytes', 0) / 1e6:.1f} MB |"
        )
        print(lines[-1], flush=True)

    if "records" in options.only:
        row("record export (联系记录 + 诉求)", [child(url, "records", year) for _ in range(options.runs)])
    if "all" in options.only:
        row("full export (全部数据)", [child(url, "all", year) for _ in range(options.runs)])
    if "review" in options.only:
        the_year = year or str(_latest_year(url))
        builds = [child(url, "review_build", the_year) for _ in range(options.runs)]
        lines.append(
            f"| `review --json`, build + JSON in a warm process | {builds[0]['teams']:,} teams | "
            f"{summary(builds)} | | {max(r['peak_mb'] for r in builds):.0f} | {builds[0]['bytes'] / 1e6:.1f} MB |"
        )
        print(lines[-1], flush=True)
        commands = [command_line(url, the_year) for _ in range(options.runs)]
        lines.append(
            f"| `manage.py review {the_year} --json`, the whole command | {builds[0]['teams']:,} teams | "
            f"{summary(commands)} | | {max(r['peak_mb'] for r in commands):.0f} | {commands[0]['bytes'] / 1e6:.1f} MB |"
        )
        print(lines[-1], flush=True)
    if "writers" in options.only:
        with tempfile.NamedTemporaryFile(suffix=".pickle") as rows_file:
            child(url, "dump_rows", year, rows_file.name)
            for label, which in [
                ("rows read back only (in both below)", "read"),
                ("our writer (common/xlsx_writer.py)", "ours"),
                ("XlsxWriter 3.3.1, constant_memory", "xlsxwriter"),
            ]:
                row(label, [child(url, "writer", which, rows_file.name) for _ in range(options.runs)])
    print()
    print("\n".join(lines))


def _latest_year(url: str) -> int:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from liaison.models import Year; "
            "print(Year.objects.order_by('-year').first().year)",
        ],
        cwd=ROOT,
        env=env_for(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


if __name__ == "__main__":
    main()
