"""Merging in the TUI (issue 11, point 5): the Duplicate persons screen (m merges a
likely pair, u undoes a merge) and m on Sync conflicts (the dialog of each field with
both values; a typed value for free text). Work goes through the app's writer; numbers
are masked; a clerk is told only a coordinator may."""

from __future__ import annotations

from textual.widgets import DataTable, Input, RadioButton, Static

from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.enrol import make_base
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.store import open_store


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_likely_pair_is_merged_and_undone_by_keys(twins, make_app, settle, go):
    path, kept, twin = twins
    with open_store(path) as store:
        phone = store.scalar("SELECT phone FROM persons WHERE id = ?", [kept])
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("duplicates")
        await settle(pilot, app)
        pairs = app.screen.query_one("#dupes-pairs", DataTable)
        rows = _rows(pairs)
        (row,) = [r for r in rows if f"#{twin} " in r[1]]
        assert row[0].startswith(f"#{kept} ") and row[2] == "same name and phone"
        pairs.move_cursor(row=rows.index(row))
        await settle(pilot, app)
        detail = str(app.screen.query_one("#dupes-detail", Static).render())
        assert f"#{kept} " in detail and f"#{twin} " in detail
        assert phone not in detail and phone[-4:] in detail  # masked
        await go(pilot, app, "m")  # asks first; n keeps both
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert f"Merge\n  #{twin} " in question and f"into\n  #{kept} " in question
        assert phone not in question and phone[-4:] in question
        await go(pilot, app, "n")
        merged = app.screen.query_one("#dupes-merges", DataTable)
        assert merged.row_count == 0
        with open_store(path) as store:
            assert store.scalar("SELECT merged_into FROM persons WHERE id = ?", [twin]) is None
        await go(pilot, app, "m")
        await go(pilot, app, "y")
        (made,) = _rows(merged)
        assert made[1].startswith(f"#{kept} ") and made[2].startswith(f"#{twin} ")
        assert not [r for r in _rows(pairs) if f"#{twin} " in r[1]]
        with open_store(path) as store:
            assert store.scalar("SELECT merged_into FROM persons WHERE id = ?", [twin]) == kept
        merged.focus()
        await go(pilot, app, "u")
        assert merged.row_count == 0
        assert [r for r in _rows(pairs) if f"#{twin} " in r[1]]
    with open_store(path) as store:
        assert store.scalar("SELECT merged_into FROM persons WHERE id = ?", [twin]) is None
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        assert "person_merge" in actions and "person_unmerge" in actions


async def test_n_marks_a_pair_two_persons(twins, make_app, settle, go):
    path, kept, twin = twins
    app = make_app(path, lang="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("duplicates")
        await settle(pilot, app)
        pairs = app.screen.query_one("#dupes-pairs", DataTable)
        rows = _rows(pairs)
        (row,) = [r for r in rows if f"#{twin} " in r[1]]
        pairs.move_cursor(row=rows.index(row))
        await go(pilot, app, "n")
        assert not [r for r in _rows(pairs) if f"#{twin} " in r[1]]
        status = str(app.screen.query_one("#dupes-status", Static).render())
        assert "n 标记为两个不同的人" in status
    with open_store(path) as store:
        assert store.scalar("SELECT count(*) FROM person_distinct") == 1
        assert store.scalar("SELECT count(*) FROM persons WHERE merged_into IS NOT NULL") == 0


async def test_a_clerk_is_told_only_a_coordinator_merges(twins, make_app, settle):
    from clinic.core.users import User

    path, _kept, _twin = twins
    clerk = User(id=0, name="登记员", roles=frozenset({"clerk"}), volunteer_id=None)
    app = make_app(path, user=clerk)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("duplicates")
        await settle(pilot, app)
        status = str(app.screen.query_one("#dupes-status", Static).render())
        assert "Only a coordinator may merge duplicate persons" in status
        assert app.screen.query_one("#dupes-pairs", DataTable).row_count == 0


def _notes_clash(district, tmp_path, today) -> int:
    """Today's clinic day: notes typed on laptop A and on the district, the venue and an
    assignment's hours on the laptop only; the day's id."""
    laptop = tmp_path / "a.db"
    with open_store(district) as store:
        make_base(store, "甲队", laptop, actor="tester")
        day = store.scalar("SELECT id FROM clinic_days WHERE date = ?", [today.isoformat()])
    open_store(laptop).close()
    with open_store(laptop) as store:
        store.conn.execute(
            "UPDATE clinic_days SET notes = '笔记本', venue = '村委会' WHERE id = ?", [day]
        )
        store.conn.commit()
        export_bundle(store, tmp_path / "a.bundle", actor="tester")
    with open_store(district) as store:
        store.conn.execute("UPDATE clinic_days SET notes = '区里' WHERE id = ?", [day])
        store.conn.commit()
        import_bundles(store, [tmp_path / "a.bundle"], actor="tester")
    return day


async def test_a_clash_is_merged_field_by_field_with_a_typed_value(
    demo_path, make_app, settle, go, tmp_path, today
):
    day = _notes_clash(demo_path, tmp_path, today)
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync_conflicts")
        await settle(pilot, app)
        await go(pilot, app, "m")
        dialog = app.screen
        fields = [f["field"] for f in dialog.fields]
        notes, venue = fields.index("notes"), fields.index("venue")
        text = " ".join(str(s.render()) for s in dialog.query(Static))
        assert "区里" in text and "笔记本" in text and "changed on both sides" in text
        assert dialog.query_one(f"#district-{notes}", RadioButton).value  # both: district first
        assert dialog.query_one(f"#laptop-{venue}", RadioButton).value  # laptop only: its value
        box = dialog.query_one(f"#value-{notes}", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"两边")
        assert dialog.query_one(f"#typed-{notes}", RadioButton).value
        await go(pilot, app, "ctrl+s")
        assert app.screen.query_one("#conflicts-table", DataTable).row_count == 0
    with open_store(demo_path) as store:
        row = store.one("SELECT notes, venue FROM clinic_days WHERE id = ?", [day])
        assert row == {"notes": "两边", "venue": "村委会"}


async def test_m_on_a_clash_that_cannot_merge_says_why(demo_path, make_app, settle, go, tmp_path):
    laptop = tmp_path / "a.db"
    with open_store(demo_path) as store:
        make_base(store, "甲队", laptop, actor="tester")
        assignment = store.scalar("SELECT min(id) FROM assignments")
    open_store(laptop).close()
    with open_store(laptop) as store:
        store.conn.execute("DELETE FROM assignments WHERE id = ?", [assignment])
        store.conn.commit()
        export_bundle(store, tmp_path / "a.bundle", actor="tester")
    with open_store(demo_path) as store:
        set_assignment(store, assignment, status="attended", hours=3.0, change_attendance=True)
        import_bundles(store, [tmp_path / "a.bundle"], actor="tester")
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync_conflicts")
        await settle(pilot, app)
        await go(pilot, app, "m")
        status = str(app.screen.query_one("#conflicts-status", Static).render())
        assert "no fields to merge" in status
        assert app.screen.query_one("#conflicts-table", DataTable).row_count == 1


def _same_number_on_two_laptops(district, tmp_path) -> tuple[str, str]:
    """Laptops A and B each register a person with one new ID number (A's bundle first):
    B's person waits in the review list. The two persons' uids."""
    from clinic.store.connection import insert_row, new_uid

    uids = []
    for name in ("甲", "乙"):
        laptop = tmp_path / f"{name}.db"
        with open_store(district) as store:
            make_base(store, name, laptop, actor="tester")
        open_store(laptop).close()
        with open_store(laptop) as store, store.transaction() as db:
            uid = new_uid()
            insert_row(
                db,
                "persons",
                {
                    "uid": uid,
                    "name": f"{name}同号",
                    "id_number": "500110195603120015",
                    "walk_in": 1,
                },
            )
            uids.append(uid)
        with open_store(laptop) as store:
            export_bundle(store, tmp_path / f"{name}.bundle", actor="tester")
    with open_store(district) as store:
        import_bundles(store, [tmp_path / "甲.bundle", tmp_path / "乙.bundle"], actor="tester")
    return uids[0], uids[1]


async def test_m_merges_a_laptops_person_into_the_districts_with_the_same_number(
    demo_path, make_app, settle, go, tmp_path
):
    kept_uid, twin_uid = _same_number_on_two_laptops(demo_path, tmp_path)
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open("sync_conflicts")
        await settle(pilot, app)
        table = app.screen.query_one("#conflicts-table", DataTable)
        assert [r[3:5] for r in _rows(table)] == [["persons", "added"]]
        await go(pilot, app, "enter")
        sides = str(app.screen.query_one("#conflicts-sides", Static).render())
        assert "500110195603120015" not in sides and "5001**********0015" in sides
        await go(pilot, app, "m")
        assert table.row_count == 0
    with open_store(demo_path) as store:
        kept = store.scalar("SELECT id FROM persons WHERE uid = ?", [kept_uid])
        twin = store.one("SELECT merged_into, id_number FROM persons WHERE uid = ?", [twin_uid])
        assert twin == {"merged_into": kept, "id_number": None}


async def test_a_database_that_cannot_be_read_is_said_on_the_duplicates_screen(
    twins, make_app, settle, monkeypatch
):
    from clinic.core import merges
    from clinic.core.errors import DatabaseError

    path, _kept, _twin = twins

    def busy(store):
        raise DatabaseError("The database is busy; nothing was changed.")

    monkeypatch.setattr(merges, "pair_items", busy)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("duplicates")
        await settle(pilot, app)
        status = str(app.screen.query_one("#dupes-status", Static).render())
        assert "busy" in status and "Loading" not in status
