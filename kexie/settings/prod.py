"""Production: only what cannot be an environment variable. SECRET_KEY has no default."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# A health probe on the app server itself (http://127.0.0.1:8000/healthz, docs/deployment.md) is not sent away.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)  # noqa: F405
# HSTS preload is a one-way submission to browser vendors: a deployment decision, not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
