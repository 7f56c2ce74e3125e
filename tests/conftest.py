"""Shared fixtures: an empty store, and a copy of the small demo database.

The demo is built once per test session (about half a second) and copied for
each test that wants it, so tests never see each other's writes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from clinic.i18n import set_language

TODAY = dt.date(2026, 11, 24)
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.exists():  # CI clones next to shared/ as well; fall back to an env var
    import os

    SAMPLES = Path(os.environ.get("CLINIC_SAMPLES", SAMPLES))


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English; tests that want Chinese switch and are reset."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def store(tmp_path):
    from clinic.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory) -> Path:
    from clinic.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, size="small", seed=1, today=TODAY)
    return path


@pytest.fixture
def demo_path(_demo_master, tmp_path) -> Path:
    """A private copy of the small demo database."""
    from clinic.store import open_store

    target = tmp_path / "demo.db"
    # A checkpointed master has no -wal file; copy the main file only.
    s = open_store(_demo_master)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    shutil.copy(_demo_master, target)
    return target


@pytest.fixture
def demo_store(demo_path):
    from clinic.store import open_store

    s = open_store(demo_path)
    yield s
    s.close()


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.exists():
        pytest.skip("shared/samples not found beside the repository")
    return SAMPLES
