"""The app under cProfile, for `bench/load.py --profile`: every request a gunicorn worker serves is profiled,
and each worker writes its statistics to $LOAD_PROFILE.<pid> when it exits. Not for production."""

from __future__ import annotations

import atexit
import cProfile
import os

from kexie.wsgi import application as _application

_profile = cProfile.Profile()


def application(environ, start_response):
    _profile.enable()
    try:
        return _application(environ, start_response)
    finally:
        _profile.disable()


@atexit.register
def _write() -> None:
    _profile.dump_stats(f"{os.environ['LOAD_PROFILE']}.{os.getpid()}")
