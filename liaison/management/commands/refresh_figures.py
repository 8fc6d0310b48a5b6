"""`manage.py refresh_figures`: Django finds commands here; the command lives with its capability
(liaison.compliance.command)."""

from liaison.compliance.command import Command

__all__ = ["Command"]
