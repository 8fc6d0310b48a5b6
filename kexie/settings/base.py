"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

import email.utils
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: a typo must fail loudly, not switch DEBUG on (healthchecks' envbool)."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw not in ("True", "False", "1", "0", "true", "false"):
        raise ImproperlyConfigured(f"Unexpected value {name}={raw}, use 'True' or 'False'")
    return raw in ("True", "1", "true")


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The association's short name as its documents are numbered (辽川科协〔2026〕12号): examples on the pages.
ASSOCIATION_SHORT_NAME = env.str("DJANGO_ASSOCIATION_SHORT_NAME", default="辽川科协")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    # our apps, bottom layer last (imports run kexie → ops → demo → reports → surveys → awards → homes →
    # liaison → experts → orgs → common; tests/test_layers.py checks it)
    "kexie",
    "ops",
    "demo",
    "reports",
    "surveys",
    "awards",
    "homes",
    "liaison",
    "experts",
    "orgs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kexie.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a grassroots account reaches its organisation's filing pages only (issue 16)
    "liaison.filing.scope.GrassrootsScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # axes last: it reads the outcome of authentication
    "axes.middleware.AxesMiddleware",
    # a query string with NUL or other control characters gets a Chinese 400 before any view reads it
    # (innermost, so that its answer gets the security headers, CSP included, like every page)
    "common.middleware.ControlCharactersMiddleware",
]

ROOT_URLCONF = "kexie.urls"
WSGI_APPLICATION = "kexie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kexie.context_processors.site_shell",
            ],
            # {{ field|form_field }}: crispy's field markup without its templates (common/fields.py)
            "libraries": {"fields": "common.fields"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Measured on 100,000 scientists (bench/results.md): PostgreSQL's JIT spent 100–250 ms compiling each of
    # the report queries, more than running them; and with the default random_page_cost (4, for spinning
    # disks) the planner scans a million records rather than look up ten thousand of them by key.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", env.str("DJANGO_PG_OPTIONS", default="-c jit=off -c random_page_cost=1.1")
    )
    # Server-side binding (DJANGO_PG_SERVER_SIDE_BINDING=true) lets psycopg prepare the statements a connection
    # repeats: PostgreSQL's CPU per page fell by ~40 %, but once it switched a prepared statement to a generic
    # plan, pages whose queries depend on their values (a staff member's page, the uncontacted targets) took
    # 2-5 s instead of 0.2-1 s (docs/performance.md). Off by default.
    if env_bool("DJANGO_PG_SERVER_SIDE_BINDING", False):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "kexie.backends.StaffModelBackend",
]

PASSWORD_HASHERS = [
    "kexie.hashers.Argon2idHasher",  # preferred: every other hash is upgraded at the next login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

# Sessions end after DJANGO_SESSION_IDLE_MINUTES without a request (default 30; the expiry moves forward on
# activity, kexie.middleware.SessionIdleMiddleware) and when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30) * 60

# A cache shared by every app server when DJANGO_REDIS_URL names a Redis (docs/deployment.md): the pages'
# cached parts then hold across servers, and sessions are read from it (cached_db: written to the database
# and the cache, read from the cache), which spares every request a query. Without it each process keeps its
# own memory cache and sessions stay in the database only: a per-process copy of a session would outlive a
# logout answered by another process.
REDIS_URL = env.str("DJANGO_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kexie",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site's root by WhiteNoise, before sessions: the phone's service worker /sw.js, whose scope
# must cover the logging form (docs/design.md, "Offline logging")
WHITENOISE_ROOT = BASE_DIR / "kexie" / "root"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Backups (manage.py backup / restore, docs/deployment.md): where archives go, how many to keep, and where
# pg_dump / pg_restore are when not on PATH (e.g. /usr/lib/postgresql/15/bin).
BACKUP_DIR = env.path("DJANGO_BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_KEEP = env.int("DJANGO_BACKUP_KEEP", default=14)
BACKUP_PG_BIN_DIR = env.str("DJANGO_PG_BIN_DIR", default="")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# One office sits behind one NAT address: lock on username + IP, never on IP alone.
AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind DJANGO_PROXY_COUNT reverse proxies the client's address comes from X-Forwarded-For (kexie/client_ip.py),
# so a lockout is per username and real address, never the proxy's.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kexie.client_ip.client_ip"

# Strict CSP: no inline scripts or styles anywhere (docs/design.md), everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Scientists' phone numbers are personal data: keep them out of the audit log in clear.
AUDITLOG_INCLUDE_ALL_MODELS = False

# How long the log of views of personal data is kept (days) before `manage.py purge_access_log` deletes it.
# 等保 (GB/T 22239-2019, level 2 and up) asks audit records to be kept at least six months: less is refused.
PERSONAL_DATA_LOG_DAYS = env.int("DJANGO_PERSONAL_DATA_LOG_DAYS", default=180)
if PERSONAL_DATA_LOG_DAYS < 180:
    raise ImproperlyConfigured(
        f"DJANGO_PERSONAL_DATA_LOG_DAYS={PERSONAL_DATA_LOG_DAYS}: keep the log at least 180 days (等保: six months)"
    )

# Rows per page on list pages.
PAGE_SIZE = 25

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@kexie.local")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# The SMTP server when DJANGO_EMAIL_BACKEND is the SMTP backend (default: a relay on this machine, port 25).
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
# Who is told of server errors: DJANGO_ADMINS="王工 <wang@example.org>,李工 <li@example.org>"
ADMINS = [
    tuple(email.utils.parseaddr(item)) for item in env.list("DJANGO_ADMINS", default=[]) if item.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # every server error (500) is mailed to ADMINS as well as logged
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Long work runs as jobs (docs/jobs.md). With DJANGO_CELERY_BROKER_URL (redis://127.0.0.1:6379/1 or
# amqp://…) a Celery worker runs them (`celery -A kexie worker`); without, a thread of the web process does
# (the embedded mode: nothing else to start, for SQLite and `runserver`). The task only carries the job's id.
CELERY_BROKER_URL = env.str("DJANGO_CELERY_BROKER_URL", default="")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # the Job row is the result
CELERY_TASK_ACKS_LATE = True  # a job whose worker dies is not lost silently: run_job sees it was started
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time
CELERY_TASK_SOFT_TIME_LIMIT = env.int("DJANGO_JOBS_TIME_LIMIT", default=3600)  # the job fails with a message
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 120  # the worker process is killed
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A job still 进行中 this long after it started has lost its worker: the page says so.
JOBS_STALE_AFTER = CELERY_TASK_TIME_LIMIT + 300
JOBS_KEEP_DAYS = env.int("DJANGO_JOBS_KEEP_DAYS", default=7)  # then `manage.py purge_jobs` deletes them
JOBS_RUN_INLINE = False  # tests only: run the job inside the request (kexie/settings/test.py)
# The scheduled work, in one place (docs/jobs.md): `celery -A kexie beat` sends these at the times given
# (Beijing time), a worker runs the command (kexie/celery.py, run_command). Without a broker the systemd
# timers in deploy/systemd/ run the same commands at the same times instead.
CELERY_BEAT_SCHEDULE = {
    "weekly-digest": {
        "task": "kexie.run_command",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
        "args": ["weekly_digest"],
    },
    "nightly-backup": {
        "task": "kexie.run_command",
        "schedule": crontab(minute=30, hour=2),
        "args": ["backup"],
    },
    "purge-access-log": {
        "task": "kexie.run_command",
        "schedule": crontab(minute=30, hour=3),
        "args": ["purge_access_log"],
    },
    # old jobs and their files (exports hold personal data)
    "purge-jobs": {
        "task": "kexie.run_command",
        "schedule": crontab(minute=40, hour=3),
        "args": ["purge_jobs"],
    },
    # the stored figures of every year recomputed once a night, after any bulk load of the day
    "refresh-figures": {
        "task": "kexie.run_command",
        "schedule": crontab(minute=0, hour=4),
        "args": ["refresh_figures"],
    },
}
