"""Sessions that end when idle: the session's expiry is pushed forward on activity, at most once a minute.

Django's SESSION_SAVE_EVERY_REQUEST does the same with a database write on every request (three queries
on every page); refreshing once a minute keeps the idle limit to within a minute of DJANGO_SESSION_IDLE_MINUTES
and costs one write a minute per active person.
"""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_EVERY = 60  # seconds
KEY = "_idle_refreshed"


class SessionIdleMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(KEY, 0) >= REFRESH_EVERY:
                session[KEY] = now  # marks the session modified: saved with a new expiry, cookie sent again
        return self.get_response(request)


@receiver(user_logged_in)
def session_started(sender, request: HttpRequest, user, **kwargs) -> None:
    """Logging in writes the session anyway: count the minute from there."""
    if getattr(request, "session", None) is not None:
        request.session[KEY] = int(time.time())
