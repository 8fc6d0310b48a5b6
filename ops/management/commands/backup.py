"""`manage.py backup`: Django finds commands here; the command lives with its capability (ops.backup.command)."""

from ops.backup.command import BackupCommand as Command

__all__ = ["Command"]
