"""(A copy of the team's crawler, kept here so the product points at nothing outside the repository.)

Walk a running web app as a newcomer would, in real Chromium, and report what a user would meet.

Logs in through whatever login form the app shows, then follows same-origin links breadth-first (never
logout, delete, admin or file downloads), at phone width (375 px) and desktop width. For every page:
HTTP status, load time, console errors, failed requests, requests to other hosts (a CDN), and horizontal
overflow at phone width. Screenshots go to OUT for a look.

Usage: python crawl.py --base http://127.0.0.1:8000 --user U --password P --out DIR [--max-pages 60]
Needs: playwright (pip) and Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

from playwright.sync_api import sync_playwright

SKIP = re.compile(
    r"logout|signout|delete|删除|/admin/|export|download|\.xlsx|\.pdf|\.csv|/static/|/media/", re.I
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def login(page, base: str, user: str, password: str) -> bool:
    page.goto(base)
    pw = page.locator("input[type=password]")
    if pw.count() == 0:
        return True
    name = page.locator("input[name=username], input[type=email], input[type=text]").first
    name.fill(user)
    pw.first.fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[type=password]) [type=submit]").first.click()
    return page.locator("input[type=password]").count() == 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-pages", type=int, default=60)
    ap.add_argument("--shots", type=int, default=25)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    host = urlparse(a.base).netloc
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
        page = ctx.new_page()
        console, failed, foreign = [], [], []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on(
            "request",
            lambda r: (
                foreign.append(r.url)
                if urlparse(r.url).netloc not in (host, "") and not r.url.startswith("data:")
                else None
            ),
        )
        if not login(page, a.base, a.user, a.password):
            print(json.dumps({"error": "login failed"}))
            raise SystemExit(1)
        seen, queue = set(), deque([page.url])
        while queue and len(rows) < a.max_pages:
            url = urldefrag(queue.popleft())[0]
            if url in seen:
                continue
            seen.add(url)
            console.clear()
            failed.clear()
            foreign.clear()
            t0 = time.perf_counter()
            try:
                resp = page.goto(url, wait_until="networkidle", timeout=30000)
            except Exception as e:  # noqa: BLE001
                rows.append({"url": url, "status": "error", "error": str(e)[:200]})
                continue
            ms = round((time.perf_counter() - t0) * 1000)  # includes networkidle's quiet wait
            tm = resp.request.timing if resp else {}
            ttfb = round(tm.get("responseStart", 0) - tm.get("requestStart", 0)) if tm else None
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            title = page.title()
            row = {
                "url": url.replace(a.base, ""),
                "status": resp.status if resp else None,
                "ms": ms,
                "ttfb_ms": ttfb,
                "title": title,
                "overflow_px_375": overflow,
                "console_errors": list(console)[:3],
                "failed": list(failed)[:3],
                "foreign": sorted(set(foreign))[:3],
            }
            if len(rows) < a.shots:
                slug = re.sub(r"[^A-Za-z0-9]+", "-", row["url"]).strip("-")[:60] or "home"
                page.screenshot(path=str(out / f"{len(rows):02d}-{slug}-375.png"), full_page=True)
                page.set_viewport_size({"width": 1280, "height": 800})
                page.screenshot(path=str(out / f"{len(rows):02d}-{slug}-1280.png"), full_page=True)
                page.set_viewport_size({"width": 375, "height": 812})
            rows.append(row)
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                h = urldefrag(urljoin(url, href))[0]
                if urlparse(h).netloc == host and not SKIP.search(h) and h not in seen:
                    queue.append(h)
        browser.close()
    (out / "crawl.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    bad = [
        r
        for r in rows
        if r.get("status") not in (200,)
        or r.get("console_errors")
        or r.get("failed")
        or r.get("foreign")
        or (r.get("overflow_px_375") or 0) > 2
    ]
    for r in rows:
        print(
            f"{r.get('status')!s:>5} ttfb {r.get('ttfb_ms', '-')!s:>5} ms  ovf={r.get('overflow_px_375')}  {r['url'][:70]}  {r.get('title', '')[:30]}"
            + ("  console=" + str(r["console_errors"]) if r.get("console_errors") else "")
            + ("  foreign=" + str(r["foreign"]) if r.get("foreign") else "")
        )
    print(f"{len(rows)} pages walked, {len(bad)} with a problem")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
