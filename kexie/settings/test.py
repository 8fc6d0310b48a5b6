"""Test settings: fast hashing, mail kept in memory, media in a temporary folder."""

from __future__ import annotations

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="kexie-media-")
ALLOWED_HOSTS = ["*"]
# Tests log in many personas quickly; lockout is tested explicitly where it matters.
AXES_ENABLED = False
STATIC_ROOT = tempfile.mkdtemp(prefix="kexie-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process keeps its own cache and database sessions, whatever the environment names
# (tests/ops/test_shared_cache.py checks the Redis set-up on a Redis database of its own).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Jobs run inside the request, so a test posting to a page that starts one reads its result on the job page
# it is sent to; tests/reports/jobs/ runs them on the thread and through the real broker explicitly.
JOBS_RUN_INLINE = True
CELERY_BROKER_URL = ""
