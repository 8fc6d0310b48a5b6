"""`manage.py purge_jobs`: Django finds commands here; the command lives with its capability (reports.jobs.command)."""

from reports.jobs.command import Command

__all__ = ["Command"]
