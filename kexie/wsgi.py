"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.prod")
application = get_wsgi_application()
# Load the URLconf, and with it every view module, now rather than on a worker's first request: with
# gunicorn --preload the workers are forked with it loaded (it took seconds per worker on a busy machine).
get_resolver().url_patterns  # noqa: B018
