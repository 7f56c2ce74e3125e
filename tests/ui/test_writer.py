"""clinic.ui.writer: a screen's writes leave the UI thread, wait for another
desk's lock without losing anything, keep their order, and a newer draft
replaces one not yet written (issue 10, "never frozen")."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from clinic.core.database import open_store
from clinic.core.errors import InputError
from clinic.ui.writer import Writer


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.db"
    with open_store(path) as store:
        store.conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, key TEXT, text TEXT)")
    return path


def note(key: str, text: str):
    def write(store):
        with store.transaction():
            store.conn.execute("INSERT INTO notes (key, text) VALUES (?, ?)", [key, text])
        return text

    return write


def notes(db) -> list[tuple[str, str]]:
    with open_store(db) as store:
        return [
            (r["key"], r["text"]) for r in store.query("SELECT key, text FROM notes ORDER BY id")
        ]


def hold_the_lock(db) -> sqlite3.Connection:
    """Another desk in the middle of a write: it holds SQLite's write lock."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_waits_for_another_desk_without_blocking_the_screen(db):
    states: list[str] = []
    written = threading.Event()
    writer = Writer(lambda: open_store(db), states.append)
    other = hold_the_lock(db)
    started = time.monotonic()
    writer.submit(note("a", "BP 150/95"), done=lambda _text: written.set())
    assert time.monotonic() - started < 0.1  # submit never waits for the lock
    assert not written.wait(1.0)  # held elsewhere: not written yet, still queued
    assert "waiting" in states and writer.pending == 1
    other.execute("ROLLBACK")
    other.close()
    assert written.wait(5.0)
    assert writer.close() and notes(db) == [("a", "BP 150/95")]
    assert states[-1] == "written"


def test_a_newer_draft_replaces_one_not_yet_written_and_order_is_kept(db):
    writer = Writer(lambda: open_store(db))
    other = hold_the_lock(db)
    writer.submit(note("first", "check-in"))
    time.sleep(0.3)  # the writer is now waiting on the first job
    for typed in ("1", "15", "150", "150/9", "150/95"):
        writer.submit(note("draft", typed), key="draft")
    writer.submit(note("last", "handout"))
    other.execute("ROLLBACK")
    other.close()
    assert writer.close()
    assert notes(db) == [("first", "check-in"), ("draft", "150/95"), ("last", "handout")]


def test_a_refused_write_is_reported_and_the_next_ones_still_written(db):
    refused: list[str] = []

    def refuse(store):
        raise InputError("No consent on record.")

    writer = Writer(lambda: open_store(db))
    writer.submit(note("a", "before"))
    writer.submit(refuse, failed=lambda exc: refused.append(exc.message))
    writer.submit(note("b", "after"))
    assert writer.close()
    assert refused == ["No consent on record."]
    assert notes(db) == [("a", "before"), ("b", "after")]


def test_an_unexpected_error_fails_its_job_and_the_writer_goes_on(db):
    """A fault nobody foresaw (a bug, a library's own error) fails its job with a sentence
    naming its type only; the saves queued behind it are still written."""
    failed: list[str] = []

    def broken(store):
        raise RuntimeError("row of 张三 110101199003077777")

    writer = Writer(lambda: open_store(db))
    writer.submit(broken, failed=lambda exc: failed.append(exc.message))
    writer.submit(note("b", "after"))
    assert writer.close()
    assert notes(db) == [("b", "after")]
    (said,) = failed
    assert said.startswith("Unexpected error: RuntimeError.") and "张三" not in said


def test_a_closed_writer_takes_no_more_jobs(db):
    writer = Writer(lambda: open_store(db))
    assert writer.close()
    with pytest.raises(RuntimeError):
        writer.submit(note("a", "late"))


def test_a_database_that_cannot_be_opened_fails_the_job_and_the_writer_goes_on(db):
    from clinic.core.errors import DatabaseError

    opened = []
    failed: list[str] = []

    def open_once_failing():
        if not opened:
            opened.append(True)
            raise DatabaseError("Cannot open the database.")
        return open_store(db)

    writer = Writer(open_once_failing)
    writer.submit(note("a", "lost?"), failed=lambda exc: failed.append(exc.message))
    writer.submit(note("b", "written"))
    assert writer.close()
    assert failed == ["Cannot open the database."]
    assert notes(db) == [("b", "written")]
