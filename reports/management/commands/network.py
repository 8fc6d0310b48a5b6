"""`manage.py network`: Django finds commands here; the command lives with its capability (reports.network.command)."""

from reports.network.command import Command

__all__ = ["Command"]
