"""Local development: DEBUG on, a fixed throw-away key."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
WHITENOISE_USE_FINDERS = True
