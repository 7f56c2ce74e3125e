"""The user a benchmark's app or command runs as (issue 10: nothing writes unsigned).

``bench``, with every role (as at a one-person desk: the visit form is writable,
the exports are allowed), added to the benchmark's working copy the first time,
whatever users the copy has already. A benchmark's fixture, not a user action:
it goes straight to the users table.
"""

from __future__ import annotations

from pathlib import Path

from clinic.core.users import ROLES, User, hash_pin
from clinic.store import open_store
from clinic.store import users as users_q

BENCH_USER, BENCH_PIN = "bench", "2468"


def bench_user(db_path: Path) -> User:
    """The benchmark's user on ``db_path``, for ``ClinicApp(user=)``."""
    with open_store(db_path) as store:
        row = users_q.user_named(store, BENCH_USER)
        if row is None:
            with store.transaction():
                user_id = users_q.insert_user(store, BENCH_USER, hash_pin(BENCH_PIN), ROLES, None)
        else:
            user_id = row["id"]
    return User(user_id, BENCH_USER, frozenset(ROLES), None)


def bench_env(db_path: Path) -> dict[str, str]:
    """CLINIC_USER and CLINIC_PIN for a ``clinic`` command run by a benchmark."""
    bench_user(db_path)
    return {"CLINIC_USER": BENCH_USER, "CLINIC_PIN": BENCH_PIN}
