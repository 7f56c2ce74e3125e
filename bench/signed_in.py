"""The user a benchmark's app or command runs as (issue 10: nothing writes unsigned).

A demo database has its demo users, and the benchmark signs in as the first,
the demo coordinator. A database without users (the large benchmark copy made
before users existed) gets its first coordinator, ``bench``, who is also a
clinician so the desk's visit form is writable.
"""

from __future__ import annotations

from pathlib import Path

from clinic.core.demo import DEMO_USERS
from clinic.core.users import User, add_user, needs_first_user, sign_in, users
from clinic.store import open_store

BENCH_USER, BENCH_PIN = "bench", "8642"


def bench_env(db_path: Path) -> dict[str, str]:
    """CLINIC_USER and CLINIC_PIN for a ``clinic`` command run by a benchmark,
    adding the ``bench`` coordinator first if the database has no users."""
    with open_store(db_path) as store:
        if needs_first_user(store):
            add_user(store, BENCH_USER, ("coordinator", "clinician"), BENCH_PIN, by=None)
        if any(u["name"] == BENCH_USER for u in users(store)):
            return {"CLINIC_USER": BENCH_USER, "CLINIC_PIN": BENCH_PIN}
    name, _roles, pin, _specialty = DEMO_USERS[0]
    return {"CLINIC_USER": name, "CLINIC_PIN": pin}


def bench_user(db_path: Path) -> User:
    """The benchmark's user signed in on ``db_path``, for ``ClinicApp(user=)``."""
    env = bench_env(db_path)
    with open_store(db_path) as store:
        return sign_in(store, env["CLINIC_USER"], env["CLINIC_PIN"])
