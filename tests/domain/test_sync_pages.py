"""The export compares row by row only the tables whose pages changed (issue 11, point 9).

A laptop's export compares its last-export copy with a copy taken now, both page
copies of its database (SQLite's backup API). A table whose every page holds the
same bytes in both is left out of the row-by-row comparison
(:func:`clinic.store.sync.tables_changed`): what the export carries must be what a
comparison of every table gives, for any edit, including one that changes a row in
place without moving a page.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.store import open_store
from clinic.store import sync as q
from clinic.store.backup import page_copy, vacuum_into

ROWS = 3000  # several pages of leaves and an interior page per table


def _database(path: Path) -> Path:
    """A small file shaped like the laptop's: a large register, visits, a free-text table
    whose long notes spill onto overflow pages."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE persons (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
        conn.execute("CREATE TABLE visits (id INTEGER PRIMARY KEY, person_id INTEGER, note TEXT)")
        conn.execute("CREATE TABLE notes (code TEXT PRIMARY KEY, body TEXT) WITHOUT ROWID")
        conn.executemany(
            "INSERT INTO persons VALUES (?, ?, ?)",
            [(i, f"姓名{i}", f"1380000{i:04d}") for i in range(1, ROWS + 1)],
        )
        conn.executemany(
            "INSERT INTO visits VALUES (?, ?, ?)", [(i, i, "复诊") for i in range(1, 200)]
        )
        conn.executemany(
            "INSERT INTO notes VALUES (?, ?)", [(f"n{i}", "长" * 3000) for i in range(20)]
        )
    conn.close()
    return path


# (what the edit does, its SQL): each changes one table; some in place, same length
EDITS = {
    "a phone, same length": ("persons", "UPDATE persons SET phone = '13999999999' WHERE id = 1500"),
    "one digit of a name": ("persons", "UPDATE persons SET name = '姓名9' WHERE id = 8"),
    "a person added": ("persons", "INSERT OR REPLACE INTO persons VALUES (900000, '新人', NULL)"),
    "a person removed": ("persons", "DELETE FROM persons WHERE id = 2999"),
    "a visit added": ("visits", "INSERT OR REPLACE INTO visits VALUES (5000, 1, '初诊')"),
    "one letter on an overflow page": (
        "notes",
        "UPDATE notes SET body = substr(body, 1, 2990) || '短' || substr(body, 2992) "
        "WHERE code = 'n3'",
    ),
}


def _write(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for statement in sql:
            conn.execute(statement)
    conn.close()


def _copies(tmp_path: Path, *sql: str) -> tuple[Path, Path]:
    """(the copy before ``sql``, the copy after), page copies of one database."""
    live = _database(tmp_path / "live.db")
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    page_copy(live, old)
    _write(live, *sql)
    page_copy(live, new)
    return old, new


def _every_table(old: Path, new: Path) -> bytes:
    return q.changeset_between(old, new)


def test_each_edit_is_carried_and_only_its_table_compared(tmp_path):
    for n, (what, (table, sql)) in enumerate(EDITS.items()):
        folder = tmp_path / str(n)
        folder.mkdir()
        old, new = _copies(folder, sql)
        assert q.tables_changed(old, new, ["notes", "persons", "visits"]) == [table], what
        carried = q.changeset_between(old, new, page_copies=True)
        assert carried == _every_table(old, new), what
        assert [name for name, _op in q.operations(carried)] == [table], what


def test_nothing_changed_compares_no_table(tmp_path):
    old, new = _copies(tmp_path)
    assert q.tables_changed(old, new, ["notes", "persons", "visits"]) == []
    assert q.changeset_between(old, new, page_copies=True) == b""


def test_a_copy_of_another_layout_is_compared_row_by_row(tmp_path):
    """``VACUUM INTO`` lays the pages out anew: nothing can be vouched for page by page,
    and the row-by-row comparison still finds the one change."""
    live = _database(tmp_path / "live.db")
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _write(live, "DELETE FROM visits WHERE id < 100")
    vacuum_into(live, old)
    _write(live, EDITS["a phone, same length"][1])
    page_copy(live, new)
    tables = ["notes", "persons", "visits"]
    assert set(q.tables_changed(old, new, tables)) >= {"persons", "visits"}
    carried = q.changeset_between(old, new, page_copies=True)
    assert carried == _every_table(old, new)
    assert [name for name, _op in q.operations(carried)] == ["persons"]


def test_a_log_the_checkpoint_cannot_empty_is_not_trusted(tmp_path, monkeypatch):
    """Pages still in a write-ahead log are not in the file read page by page: then
    every table is compared row by row."""
    old, new = _copies(tmp_path, EDITS["a phone, same length"][1])
    monkeypatch.setattr(q, "_log_holds_pages", lambda path: True)
    assert q.tables_changed(old, new, ["notes", "persons", "visits"]) == [
        "notes",
        "persons",
        "visits",
    ]


phone_edits = st.builds(
    "UPDATE persons SET phone = '{}' WHERE id = {}".format,
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.integers(1, ROWS),
)
statements = st.sampled_from([sql for _table, sql in EDITS.values()]) | phone_edits


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(statements, max_size=3),
    after=st.lists(statements, max_size=4),
    on_old=st.lists(statements, max_size=2),
)
def test_the_pages_compared_give_the_changeset_of_every_table(
    tmp_path_factory, before, after, on_old
):
    """Edits before the first copy, between the copies, and on the old copy itself after
    it was taken (as the export adds its audit row and an update from the district is
    applied to it): the changeset is always the one a comparison of every table gives."""
    folder = tmp_path_factory.mktemp("pages")
    live = _database(folder / "live.db")
    old, new = folder / "old.db", folder / "new.db"
    _write(live, *before)
    page_copy(live, old)
    _write(old, *on_old)
    _write(live, *after)
    page_copy(live, new)
    assert q.changeset_between(old, new, page_copies=True) == _every_table(old, new)


def test_a_laptops_register_edit_after_a_day_is_in_its_next_bundle(
    enrol, export_from, day_of_work, today, now
):
    """On a real laptop: a day's work, then an edit in place of a register person's phone
    (the same length): the next bundle carries it, as a comparison of every table does."""
    laptop = enrol("A")
    day_of_work(laptop, today, now, "甲走访")
    export_from(laptop)
    with open_store(laptop) as store:
        person = store.scalar("SELECT min(id) FROM persons WHERE phone IS NOT NULL")
        phone = store.scalar("SELECT phone FROM persons WHERE id = ?", [person])
        changed = phone[:-1] + ("1" if phone[-1] != "1" else "2")
        with store.transaction():
            store.conn.execute("UPDATE persons SET phone = ? WHERE id = ?", [changed, person])
    snapshot = q.snapshot_path(laptop)
    now_copy = snapshot.with_name("probe.db")
    q.take_snapshot(laptop, now_copy)
    work = q.changeset_between(snapshot, now_copy, audit=False, page_copies=True)
    assert work == q.changeset_between(snapshot, now_copy, audit=False)
    assert ("persons", "UPDATE") in set(q.operations(work))
    # and the tables nobody wrote since the export were not compared row by row
    assert q.tables_changed(snapshot, now_copy, ["households", "persons"]) == ["persons"]


def test_after_an_update_only_the_tables_it_or_the_laptop_changed_are_compared(
    district, enrol, export_from, day_of_work, today, now, tmp_path
):
    """The district's update is applied to the laptop and to its last-export copy, each
    in its own way: the copy stays a page copy, so the next export still leaves out the
    tables neither changed, and carries what a comparison of every table carries."""
    from clinic.core.sync.bundle import UPDATE_MAGIC, read_file, unseal
    from clinic.core.sync.importing import import_bundles
    from clinic.core.sync.keys import laptop_box_private
    from clinic.core.sync.updating import export_update, import_updates
    from clinic.store.audit import record

    laptop = enrol("A")
    day_of_work(laptop, today, now, "甲走访")
    with open_store(laptop) as store:
        # the register grows by pages (a VACUUM would move the tables after it) and the log
        with store.transaction():
            store.conn.execute(
                "UPDATE persons SET other_conditions = ? WHERE id IN "
                "(SELECT id FROM persons ORDER BY id LIMIT 20)",
                ["腰腿痛" * 100],
            )
        for n in range(50):
            record(store, "tester", "note", {"n": n, "text": "记" * 700})
    with open_store(district) as store:
        import_bundles(store, [export_from(laptop)], actor="tester")
        store.conn.execute("UPDATE persons SET phone = '13911112222' WHERE id = 1")
        store.conn.commit()
        update = export_update(store, "A", tmp_path / "A.update", actor="tester").path
    with open_store(laptop) as store:
        import_updates(store, [update], actor="tester")
        key = laptop_box_private(q.laptop_identity(store)[q.SIGNING_KEY])
    opened = unseal(str(update), read_file(update), key, magic=UPDATE_MAGIC)
    carried = {table for table, _op in q.operations(opened.changeset)}
    snapshot = q.snapshot_path(laptop)
    now_copy = snapshot.with_name("probe.db")
    q.take_snapshot(laptop, now_copy)
    with open_store(now_copy) as copy:
        tables = q.synced_tables(copy.conn)
    changed = set(q.tables_changed(snapshot, now_copy, tables))
    assert "persons" in carried and changed <= carried | {"audit_log"}
    assert q.changeset_between(snapshot, now_copy, page_copies=True) == q.changeset_between(
        snapshot, now_copy
    )


def test_a_column_added_on_one_side_only_is_compared_row_by_row(tmp_path):
    """``ALTER TABLE ... ADD COLUMN`` rewrites no page: the same bytes read as other rows
    under another declaration, so the table is compared, not vouched for."""
    old, new = _copies(tmp_path)
    _write(new, "ALTER TABLE visits ADD COLUMN room TEXT DEFAULT '二楼'")
    _write(old, "ALTER TABLE visits ADD COLUMN room TEXT DEFAULT '一楼'")
    assert q.tables_changed(old, new, ["notes", "persons", "visits"]) == ["visits"]
    carried = q.changeset_between(old, new, page_copies=True)
    assert carried == _every_table(old, new)
    assert {name for name, _op in q.operations(carried)} == {"visits"}


def test_a_copy_open_elsewhere_in_this_process_is_not_read_page_by_page(tmp_path):
    """Closing a file another connection of this process holds would drop that
    connection's locks: such a file is compared row by row instead of read."""
    old, new = _copies(tmp_path, EDITS["a visit added"][1])
    elsewhere = sqlite3.connect(old)
    try:
        elsewhere.execute("SELECT count(*) FROM persons").fetchone()
        tables = ["notes", "persons", "visits"]
        assert q.tables_changed(old, new, tables) == tables
    finally:
        elsewhere.close()
    assert q.tables_changed(old, new, tables) == ["visits"]
