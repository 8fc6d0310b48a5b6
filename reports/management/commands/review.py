"""`manage.py review`: Django finds commands here; the command lives with its capability (reports.review.command)."""

from reports.review.command import Command

__all__ = ["Command"]
