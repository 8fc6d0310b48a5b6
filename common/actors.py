"""Who did something, as pages name them."""

from __future__ import annotations


def actor_name(user) -> str:
    """A user by staff name where there is one (callers select `staff` with the user), else the username;
    no user is the system (imports, jobs)."""
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()
