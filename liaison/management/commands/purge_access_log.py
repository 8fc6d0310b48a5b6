"""`manage.py purge_access_log`: Django finds commands here; the command lives with its capability
(liaison.privacy.command)."""

from liaison.privacy.command import Command

__all__ = ["Command"]
