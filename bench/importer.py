"""The bulk import at N = 100,000 (issue 19 §5): rows/s and peak memory of a dry run and a real import of a
100,000-row workbook, and the dashboard's p95 while the import runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fastimport_100k .venv/bin/python bench/importer.py

Run it on a COPY of the benchmark database (`createdb -T kexie_bench_100k fastimport_100k`): the real import
writes. Every run builds its workbook with fresh keys (a run tag in the employers and summaries), so runs can
follow each other on the same copy without restoring it.

The workbook follows docs/workbook.md with the mix of a year's catch-up load: a 科技工作者 sheet (default
20,000 new scientists, all columns) and a 联系记录 sheet (default 80,000 new records of the year's teams, each
naming one or two targets — organisations, scientists of the database written 姓名(工作单位), and scientists
of the same workbook — one or two participants, topics, 3 % with a 反映问题 that opens a demand).

Each measured step runs in a child process of its own (its peak RSS is its own): `build`, then the dry run,
then the real import with nothing else running; then the dashboard (/reports/…) requested in a loop as the
leader persona with the test client for --dashboard-seconds, and the same loop while a second workbook
(fresh keys) is imported: its p95 with and without an import running. The phases (reading, checking, writing)
are read from the importer's progress reports.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# BENCH_ROOT: another checkout's code to measure (e.g. /work/main for the per-row importer, the "before")
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
# the project on the path, not this folder (its profile.py would hide the standard library's, which cProfile uses)
HERE = Path(__file__).resolve().parent
sys.path = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰晨宇浩然思远欣怡子涵雨泽"
METHODS = ["调查了解", "开展座谈", "看望慰问", "参与活动", "广泛交友"]
CHANNELS = ["登门拜访", "电话", "短信/微信", "邮件", "线上", "会议", "其他", ""]
TOPICS = ["宣传政策", "了解困难", "建言献策", "科研合作", "举荐表彰"]
TALENTS = [
    "院士",
    "知名专家",
    "高层次人才",
    "学术技术带头人",
    "优秀专家",
    "青年科技人才",
    "基层一线科技工作者",
    "其他",
]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.bench")
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- build ------------------------------------------------------------------------------------------------


def build(path: str, scientists: int, records: int, tag: str, seed: int) -> dict:
    setup()
    from django.utils import timezone
    from openpyxl import Workbook

    from experts.models import Scientist
    from liaison.models import Team
    from orgs.models import Organization

    rnd = random.Random(seed)
    today = timezone.localdate()
    year = today.year
    teams = list(
        Team.objects.filter(year__year=year)
        .select_related("lead__user")
        .prefetch_related("members__user")
        .order_by("id")
    )
    orgs = list(Organization.objects.order_by("id").values_list("name", flat=True))
    known = list(Scientist.objects.order_by("?").values_list("name", "employer")[:20000])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("科技工作者")
    sheet.append(
        [
            "姓名",
            "性别",
            "出生日期",
            "工作单位",
            "所属组织",
            "职务",
            "职称",
            "学科领域",
            "人才类别",
            "手机",
            "邮箱",
            "备注",
        ]
    )
    new, taken = [], set()
    for i in range(scientists):
        employer = f"导入测试{tag}单位{i % 997:03d}"
        name = ""
        while not name or (name, employer) in taken:  # the key: one row per name and employer
            name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        taken.add((name, employer))
        new.append((name, employer))
        sheet.append(
            [
                name,
                rnd.choice(["男", "女", ""]),
                datetime.date(rnd.randint(1950, 1998), rnd.randint(1, 12), rnd.randint(1, 28)),
                employer,
                rnd.choice(orgs) if rnd.random() < 0.5 else "",
                rnd.choice(["所长", "主任", "总工程师", ""]),
                rnd.choice(["研究员", "教授", "高级工程师", ""]),
                rnd.choice(["农学", "材料", "医学", "信息", ""]),
                rnd.choice(TALENTS),
                f"139{rnd.randint(10000000, 99999999)}",
                f"user{i}.{tag}@example.com" if rnd.random() < 0.3 else "",
                "",
            ]
        )
    sheet = workbook.create_sheet("联系记录")
    sheet.append(
        [
            "日期",
            "专班名称",
            "联系方式",
            "联系形式",
            "联系对象",
            "参加人员",
            "下基层",
            "联系内容",
            "情况摘要",
            "反映问题",
        ]
    )
    last = min(today, datetime.date(year, 12, 31))
    span = (last - datetime.date(year, 1, 1)).days
    for i in range(records):
        team = teams[i % len(teams)]
        people = [team.lead.user.username]
        members = [m.user.username for m in team.members.all()]
        if members and rnd.random() < 0.6:
            people.append(rnd.choice(members))
        targets = []
        for _ in range(rnd.choice((1, 1, 2))):
            pick = rnd.random()
            if pick < 0.25:
                targets.append(rnd.choice(orgs))
            elif pick < 0.6 and known:
                targets.append("{}({})".format(*rnd.choice(known)))
            else:
                targets.append("{}({})".format(*rnd.choice(new)))
        method = rnd.choice(METHODS)
        sheet.append(
            [
                datetime.date(year, 1, 1) + datetime.timedelta(days=rnd.randint(0, span)),
                team.name,
                method,
                rnd.choice(CHANNELS),
                "、".join(dict.fromkeys(targets)),
                "、".join(dict.fromkeys(people)),
                rnd.choice(["是", "否", ""]),
                "、".join(rnd.sample(TOPICS, rnd.choice((1, 1, 2)))),
                f"{method}：导入测试 {tag} 第 {i} 条，了解科研进展与需求。",
                f"希望协调解决实验用房问题（{tag}-{i}）" if rnd.random() < 0.03 else "",
            ]
        )
    workbook.save(path)
    return {"rows": scientists + records, "scientists": scientists, "records": records, "peak_mb": peak_mb()}


# --- import -----------------------------------------------------------------------------------------------


def run_import(path: str, dry_run: bool, profile: str | None) -> dict:
    setup()
    from django.contrib.auth import get_user_model

    from reports.workbook.imports import import_workbook

    by = get_user_model().objects.filter(is_superuser=False, staff__isnull=False).order_by("id").first()
    base = peak_mb()
    updates: list[tuple[float, dict]] = []
    started = time.perf_counter()

    def progress(counts: dict) -> None:
        updates.append((time.perf_counter() - started, counts))

    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = import_workbook(path, dry_run=dry_run, by=by, progress=progress)
    seconds = time.perf_counter() - started
    if profile:
        profiler.disable()
        profiler.dump_stats(profile)
    rows = sum(c.rows for _name, c in result.sheets)
    from reports.workbook import imports

    return {
        "code": imports.__file__,
        "dry_run": dry_run,
        "ok": result.ok,
        "problems": [str(p) for p in result.problems[:5]],
        "problem_count": len(result.problems),
        "summary": result.summary(),
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": base,
        "progress_reports": len(updates),
        # the phases, from the progress reports: reading ends when the first rows are counted as checked (every
        # 1,000 rows), checking when all are, and the rest is writing (0 for a dry run)
        "read_s": next((t for t, c in updates if c.get("checked")), None),
        "checked_s": next(
            (t for t, c in updates if c.get("total") and c.get("checked", 0) >= c["total"]), None
        ),
    }


# --- the dashboard while importing ------------------------------------------------------------------------


def dashboard_loop(seconds: float | None, until: subprocess.Popen | None) -> dict:
    setup()
    from django.test import Client
    from django.urls import reverse

    from demo.scale import scale_personas

    client = Client()
    client.force_login(scale_personas()["leader"])
    url = reverse("reports:dashboard")
    for _ in range(3):
        client.get(url)
    times = []
    started = time.perf_counter()
    while True:
        if until is not None and until.poll() is not None:
            break
        if seconds is not None and time.perf_counter() - started > seconds:
            break
        t = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "requests": len(times),
        "median_ms": statistics.median(times) if times else None,
        "p95_ms": times[max(0, int(len(times) * 0.95 + 0.5) - 1)] if times else None,
        "max_ms": times[-1] if times else None,
    }


def child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )


def collect(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"child failed ({process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scientists", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=80_000)
    parser.add_argument("--file", default="/tmp/kexie-bench-import.xlsx")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--dashboard-seconds", type=float, default=30, help="the loop with nothing running")
    parser.add_argument("--profile", help="cProfile the real import into this file")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--worker", choices=["build", "import", "dry", "dashboard"], help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a copy of the benchmark database (see the docstring)")
    if args.worker == "build":
        print(json.dumps(build(args.file, args.scientists, args.records, args.tag, args.seed)))
        return
    if args.worker in ("import", "dry"):
        print(json.dumps(run_import(args.file, args.worker == "dry", args.profile)))
        return
    if args.worker == "dashboard":
        print(json.dumps(dashboard_loop(args.dashboard_seconds, None)))
        return

    tag = time.strftime("%H%M%S")
    common = ["--file", args.file, "--scientists", str(args.scientists), "--records", str(args.records)]
    print(f"load: {os.getloadavg()}", flush=True)
    built = collect(child("--worker", "build", "--tag", tag, "--seed", str(args.seed), *common))
    print("built:", built, flush=True)
    dry = collect(child("--worker", "dry", *common))
    print("dry run:", dry, flush=True)
    if args.skip_real:
        return
    extra = ["--profile", args.profile] if args.profile else []
    real = collect(child("--worker", "import", *common, *extra))
    print("real import, nothing else running:", real, flush=True)
    print(f"load: {os.getloadavg()}", flush=True)
    quiet = collect(child("--worker", "dashboard", "--dashboard-seconds", str(args.dashboard_seconds)))
    print("dashboard, nothing running:", quiet, flush=True)
    # a second workbook (fresh keys) imported while this process requests the dashboard in a loop
    collect(child("--worker", "build", "--tag", tag + "b", "--seed", str(args.seed + 1), *common))
    process = child("--worker", "import", *common)
    busy = dashboard_loop(None, process)
    real = collect(process)
    print("real import, with the dashboard loop:", real, flush=True)
    print("dashboard during the import:", busy, flush=True)
    print(f"load: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
