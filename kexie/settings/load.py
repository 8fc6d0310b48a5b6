"""Load-test settings (bench/load.py): the benchmark's (DEBUG off, cached templates, persistent connections,
DATABASE_URL required) with the production password hashers and login lockouts, since the load test logs
people in through the real login form and measures what a login costs."""

from __future__ import annotations

from . import base
from .bench import *  # noqa: F403
from .bench import DATABASES

PASSWORD_HASHERS = base.PASSWORD_HASHERS  # Argon2id first (kexie/hashers.py), not the benchmark's MD5
AXES_ENABLED = True
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
