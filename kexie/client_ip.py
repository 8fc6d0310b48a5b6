"""The client's address behind DJANGO_PROXY_COUNT reverse proxies, for login lockouts (django-axes).

Each proxy appends the address it saw to X-Forwarded-For, so behind N proxies of our own the client's address
is the N-th entry from the right; anything further left was sent by the client and cannot be trusted. With no
proxy (the default) it is REMOTE_ADDR. Read wrongly, every lockout would be the proxy's, and anyone could
lock a known username out of the whole office.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    count = settings.PROXY_COUNT
    if count:
        seen = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(seen) >= count:
            return seen[-count]
    return request.META.get("REMOTE_ADDR")
