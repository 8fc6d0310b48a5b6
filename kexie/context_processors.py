"""What the site shell (base layout) shows on every page: who is logged in, their role, the year."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from liaison.people.access import ROLE_LABELS, Role, grassroots_account_of, role_of, staff_of


def nav_place(path: str) -> str:
    """What of the path decides the navigation's highlighted item: every test in includes/_nav.html compares
    the path with a page of at most two segments or with such a prefix, so the first two segments, marked when
    more follow, stand for the path in the cached navigation's key."""
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:2]) + ("/" if parts else "") + ("*" if len(parts) > 2 else "")


def site_shell(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"current_year": timezone.localdate().year}
    role = role_of(user)
    staff = staff_of(user)
    grassroots = grassroots_account_of(user) if role == Role.GRASSROOTS else None
    return {
        "current_year": timezone.localdate().year,
        "shell_nav_place": nav_place(request.path),
        "shell_staff": staff,
        "shell_role": role,
        "shell_role_label": ROLE_LABELS[role],
        "shell_grassroots": grassroots,
        "shell_display_name": staff.name
        if staff
        else ((grassroots and grassroots.holder) or user.get_full_name() or user.get_username()),
        "shell_department": staff.department.name if staff and staff.department else "",
    }
