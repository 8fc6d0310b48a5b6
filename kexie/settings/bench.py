"""Benchmark settings (bench/run.py): production-like — DEBUG off, cached template loaders, persistent
database connections as in prod.py — on a database of its own that DATABASE_URL must name."""

from __future__ import annotations

import os
import tempfile

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "kexie.settings.bench needs DATABASE_URL: the benchmark never uses db.sqlite3."
    )

DEBUG = False
SECRET_KEY = "bench-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The benchmark logs personas in with force_login; lockout has nothing to measure here.
AXES_ENABLED = False
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = tempfile.mkdtemp(prefix="kexie-bench-static-")
DATABASES["default"]["CONN_MAX_AGE"] = 60
