"""gunicorn settings for production (docs/deployment.md, "gunicorn"): `gunicorn -c deploy/gunicorn.conf.py kexie.wsgi`.

Sync workers behind nginx, which buffers slow clients' uploads and downloads, so a worker is busy only while
Django works. Every value can be changed from the environment file without editing this one.
"""

from __future__ import annotations

import multiprocessing
import os

# nginx proxies to this address; the app server itself listens on no public interface.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one and a half per core (3 on 2 cores): a page is now mostly Python (its queries take a few
# milliseconds), so more requests in flight than cores only share the cores and the GIL and wait longer. The
# load test at N = 100,000 on 2 cores (docs/performance.md, "The sixth round"), same machine, one after the
# other: 3 sync workers 58.4 requests/s, p95 293 ms; 4 × 4 threads 50.9 requests/s, p95 652 ms; 4 sync
# 53.1 / 434; 5 sync 52.8 / 480. A site whose database is on another machine waits longer per query and may
# want more workers or threads: measure with bench/load.py --workers N --threads M.
# (at least 2: one slow request never holds the whole server)
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() * 3 // 2)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request that takes longer is killed and logged (the longest by design, a 100,000-row export, takes under
# 15 s); nginx's proxy_read_timeout is a little longer, so the app's timeout is the one that acts.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On restart or reload, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Recycle each worker after about this many requests (jitter: not all at once), against slow leaks.
# The app is loaded once in the master and the workers forked from it (as the load test runs it): workers
# start at once and share the loaded code's memory (kexie/wsgi.py sets it aside from the garbage collector).
# A reload (HUP) replaces the workers with the code the master loaded: after an upgrade, restart.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = 100
# Workers' heartbeat files in memory, not on a disk that may stall (gunicorn's FAQ).
worker_tmp_dir = "/dev/shm"
# Logs to stdout/stderr: systemd's journal keeps them (journalctl -u kexie).
accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it (X-Forwarded-For), the status and the time taken in milliseconds.
access_log_format = '%({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-Proto is trusted from nginx on this machine only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "kexie"
