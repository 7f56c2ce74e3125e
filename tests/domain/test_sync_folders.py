"""What the Sync screen asks of the sync's core (issue 11, point 3): a folder as where a
file goes, a folder's bundles read and imported one by one, a laptop's state, and the
one rule of who may do what (the command line's table reads it too). (The screen:
tests/ui/test_sync_screen.py.)"""

from __future__ import annotations

import stat

import pytest

from clinic.core.errors import InputError
from clinic.core.planning.assignments import set_assignment
from clinic.core.sync import rights
from clinic.core.sync.bundle import UPDATE_MAGIC, files_in
from clinic.core.sync.enrol import make_base
from clinic.core.sync.exporting import export_bundle, laptop_state
from clinic.core.sync.importing import import_each, sync_status
from clinic.core.sync.updating import export_update
from clinic.core.users import RIGHTS
from clinic.store import open_store


def _hours(path, hours: float) -> None:
    with open_store(path) as store:
        assignment = store.scalar("SELECT min(id) FROM assignments")
        set_assignment(store, assignment, status="attended", hours=hours, change_attendance=True)


def test_a_bundle_update_and_base_keep_their_names_in_a_given_folder(district, enrol, tmp_path):
    laptop = enrol("甲队")
    stick = tmp_path / "stick"
    stick.mkdir()
    _hours(laptop, 5.0)
    with open_store(laptop) as store:
        made = export_bundle(store, stick, actor="tester")
    assert made.path == stick / "甲队-0001.bundle" and made.path.is_file()
    _hours(district, 7.0)
    with open_store(district) as store:
        update = export_update(store, "甲队", stick, actor="tester")
        base = make_base(store, "乙队", None, actor="tester")
    assert update.path == stick / "甲队-update-0001.bundle"
    assert base.path == district.resolve().parent / "laptops" / "乙队.db"
    assert stat.S_IMODE(base.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(base.path.stat().st_mode) == 0o600


def test_a_folder_gives_each_side_its_own_files(district, enrol, tmp_path):
    laptop = enrol("甲队")
    stick = tmp_path / "stick"
    stick.mkdir()
    _hours(laptop, 5.0)
    _hours(district, 7.0)
    with open_store(laptop) as store:
        bundle = export_bundle(store, stick, actor="tester").path
    with open_store(district) as store:
        update = export_update(store, "甲队", stick, actor="tester").path
    (stick / ".甲队-0002.bundle.x.part").write_bytes(bundle.read_bytes())  # being written
    (stick / "notes.txt").write_text("not a bundle")
    assert files_in(stick) == [bundle]
    assert files_in(stick, UPDATE_MAGIC) == [update]
    assert files_in(bundle) == [bundle]  # a file as it is, whatever it holds
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no laptop's bundle in the folder"):
        files_in(empty)
    with pytest.raises(InputError, match="no update from the district in the folder"):
        files_in(empty, UPDATE_MAGIC)
    with pytest.raises(InputError, match="There is no file or folder"):
        files_in(tmp_path / "gone")


def test_a_folders_refused_file_is_named_and_the_others_are_imported(district, enrol, export_from):
    first, second = enrol("甲队"), enrol("乙队")
    _hours(first, 5.0)
    good = export_from(first)
    _hours(second, 6.0)
    bad = export_from(second)
    data = bytearray(bad.read_bytes())
    data[-5] ^= 1
    bad.write_bytes(bytes(data))
    with open_store(district) as store:
        results, refused = import_each(store, [good, bad], actor="tester")
        assert [(r.device, r.sequence, r.already) for r in results] == [("甲队", 1, False)]
        assert [r.file for r in refused] == [str(bad)]
        assert refused[0].sentence.startswith(f"{bad} cannot be imported:")
        assert refused[0].sentence.endswith("Nothing was changed.")
        status = {row["device"]: row["last_sequence"] for row in sync_status(store)}
        assert status == {"甲队": 1, "乙队": None}
        again, _refused = import_each(store, [good], actor="tester")
        assert again[0].already
        assert "was imported before" in again[0].sentence()


def test_a_laptops_state_counts_what_waits_and_writes_nothing(district, enrol):
    laptop = enrol("甲队")
    with open_store(laptop) as store:
        state = laptop_state(store)
    assert (state.device, state.number, state.sequence, state.waiting) == ("甲队", 1, 0, 0)
    _hours(laptop, 5.0)
    with open_store(laptop) as store:
        assert laptop_state(store).waiting == 1
        assert laptop_state(store).waiting == 1  # counting changed nothing
        made = export_bundle(store, None, actor="tester")
        after = laptop_state(store)
    assert made.changes == 2  # the change and the export's own audit row
    assert (after.sequence, after.waiting) == (1, 0)
    assert after.exported_at


def test_the_rights_of_sync_are_the_command_lines(district):
    """The screen and the command line read one rule (clinic.core.sync.rights)."""
    from clinic.cli.access import SIGNED_IN, right_needed

    assert rights.BUNDLE is None and rights.export_right(False) is None
    assert right_needed("sync export", {"device": None}, None) == SIGNED_IN
    assert right_needed("sync export", {"device": "甲队"}, None) == rights.UPDATE
    assert right_needed("sync base", {}, None) == rights.ENROL
    assert right_needed("sync import", {}, None) == rights.IMPORT
    assert right_needed("sync status", {}, None) == rights.REVIEW
    assert {rights.ENROL, rights.UPDATE, rights.IMPORT, rights.REVIEW} <= set(RIGHTS)
    assert all(RIGHTS[r] == {"coordinator"} for r in (rights.ENROL, rights.IMPORT))


def test_what_an_export_says_is_one_sentence_for_both_front_ends(district, enrol, tmp_path):
    """The command line and the Sync screen print ``Exported.sentence``: a count of one
    change is singular, and an update names its laptop."""
    from clinic.i18n import set_language

    laptop = enrol("甲队")
    with open_store(laptop) as store:
        nothing = export_bundle(store, tmp_path / "a.bundle", actor="tester")
    assert nothing.sentence() == "Nothing changed since the last export; no bundle was written."
    _hours(laptop, 5.0)
    with open_store(laptop) as store:
        made = export_bundle(store, tmp_path / "a.bundle", actor="tester")
    assert made.changes == 2  # the hours, and the export's own audit row
    assert made.sentence() == f"Bundle 1 saved: {made.path} (2 changes, 1 KB)."
    _hours(district, 7.0)
    with open_store(district) as store:
        update = export_update(store, "甲队", tmp_path / "u.update", actor="tester")
    assert update.changes == 1
    assert update.sentence("甲队") == f"Update 1 for 甲队 saved: {update.path} (1 change, 1 KB)."
    set_language("zh")
    try:
        assert (
            update.sentence("甲队")
            == f"给 甲队 的第 1 号更新已保存：{update.path}（1 处改动，1 KB）。"
        )
    finally:
        set_language("en")
