"""`manage.py restore`: Django finds commands here; the command lives with its capability (ops.backup.command)."""

from ops.backup.command import RestoreCommand as Command

__all__ = ["Command"]
