"""Password hashing fast enough for an office that logs in at 9 a.m. and strong enough for personal data.

Argon2id at OWASP's minimum parameters (19 MiB of memory, 2 passes, 1 lane): about 40 ms a login on the
project's 2-core machine, where PBKDF2 at Django's 1,000,000 iterations took about 400 ms and Argon2 at
Django's defaults (100 MiB) about 180 ms. Hashes made with other parameters or by PBKDF2 are upgraded to
these on the user's next login (Django rehashes when the preferred hasher's parameters differ).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Same algorithm name ("argon2") as Django's, so the stored hashes stay verifiable by it."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
