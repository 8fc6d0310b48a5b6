"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.prod")
application = get_wsgi_application()
# Load the URLconf, and with it every view module, now rather than on a worker's first request: with
# gunicorn --preload the workers are forked with it loaded (it took seconds per worker on a busy machine).
get_resolver().url_patterns  # noqa: B018
# What is loaded now lives as long as the process: set it aside from the cyclic garbage collector
# (gc.freeze), so a full collection in a worker no longer walks every module, class and template (~100 ms
# each time, in the middle of someone's request; the collector's share of a page 4.7 → 2.8 %,
# docs/performance.md), and forked workers keep sharing those pages of memory with the master.
gc.freeze()
