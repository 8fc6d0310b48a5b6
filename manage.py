#!/usr/bin/env python
"""Django's command-line utility."""

import gc
import os
import sys


def setup_without_collector() -> None:
    """Load Django and the apps with the cyclic garbage collector off. Starting imports ~1,300 modules and
    makes no garbage, yet the collector walked all of it again and again: with the system checks, most of
    the 1.4–1.6 s of CPU that `manage.py review --json` took at N = 100,000 (issue 19 §5; now ~0.6 s).
    What was loaded is then set aside (gc.freeze), so later collections skip it too."""
    gc.disable()
    try:
        import django
        from django.conf import settings

        try:
            settings.INSTALLED_APPS  # noqa: B018
        except Exception:  # no or broken settings: execute_from_command_line says so, as it always has
            return
        django.setup()
    finally:
        gc.freeze()
        gc.enable()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.dev")
    if sys.argv[1:2] != ["runserver"]:  # runserver loads the apps itself, so its reloader outlives an error
        setup_without_collector()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
