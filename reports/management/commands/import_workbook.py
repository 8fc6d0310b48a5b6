"""`manage.py import_workbook`: Django finds commands here; the command lives with its capability (reports.workbook.command)."""

from reports.workbook.command import Command

__all__ = ["Command"]
