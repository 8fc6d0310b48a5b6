"""`manage.py weekly_digest`: Django finds commands here; the command lives with its capability (reports.digest.command)."""

from reports.digest.command import Command

__all__ = ["Command"]
