"""A laptop's export stopped half-way (issue 11, point 3): the next export is one the
district takes.

An export made bundle N, then replaced its last-export copy. Stopped in between (a
crash, a pulled USB stick), the next export made another bundle N with other content,
and the district refused it (the same sequence with another digest) while the first
one, perhaps already sent, lacked what came after. Now each step after the bundle is
made can stop (a test raises there instead of doing it); the export done again either
delivers the very same bundle N (it was written) or makes bundle N anew (it was not),
and the district takes every file that left the laptop, losing nothing.
"""

from __future__ import annotations

import stat

import pytest

from clinic.core.errors import InputError
from clinic.core.sync import exporting
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import conflicts
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store
from clinic.store import sync as q


def _export(laptop, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_store(laptop) as store:
        return export_bundle(store, out, actor="tester")


def _there(store, uids: dict) -> bool:
    return all(
        store.one(f"SELECT 1 FROM {table} WHERE uid = ?", [uids[f"{key}_uid"]])
        for table, key in (("persons", "person"), ("visits", "visit"), ("handouts", "handout"))
    )


@pytest.mark.parametrize("step", exporting.STEPS)
def test_an_export_stopped_at_any_step_then_done_again_loses_nothing(
    district, enrol, day_of_work, today, now, tmp_path, export_stopped_before, step
):
    a = enrol("A")
    before = day_of_work(a, today, now, "甲断电前")
    stick = tmp_path / "usb"
    with export_stopped_before(step) as cut:
        _export(a, stick / "first.bundle")
    assert cut.at == step
    sent = [stick / "first.bundle"] if (stick / "first.bundle").exists() else []
    assert bool(sent) == (step == "_finish")  # copied to the stick, copy not replaced
    after = day_of_work(a, today, now, "甲断电后")  # the desk goes on working

    again = _export(a, stick / "second.bundle")
    assert again.sequence == 1 and again.again == cut.file_kept
    kept = a.parent / "bundles" / "A-0001.bundle"  # the app's own bundles folder
    assert again.path.read_bytes() == kept.read_bytes()
    for earlier in sent:  # the file that left before the stop is the same bundle
        assert earlier.read_bytes() == again.path.read_bytes()
    if again.again:
        assert "interrupted" in again.sentence()
    files = [*sent, again.path]
    following = _export(a, stick / "third.bundle")
    if again.again:  # what the desk did after the stop goes in the next bundle
        assert following.sequence == 2
        files.append(following.path)
    else:  # bundle 1 was made anew and holds it all
        assert following.path is None
    assert not q.pending_export_path(a).exists()

    with open_store(district) as store:
        results = import_bundles(store, files, actor="tester")
        assert [(r.sequence, r.waits_for) for r in results if not r.already] == [
            (n, None) for n in range(1, len(files) - len(sent) + 1)
        ]
        assert _there(store, before) and _there(store, after)
        assert conflicts(store) == []


def test_a_normal_export_keeps_its_bundle_in_the_apps_folder_and_hands_over_a_copy(
    district, enrol, day_of_work, today, now, tmp_path
):
    a = enrol("A")
    day_of_work(a, today, now, "甲走访")
    made = _export(a, tmp_path / "usb" / "A.bundle")
    assert (made.sequence, made.again) == (1, False)
    assert made.path == tmp_path / "usb" / "A.bundle"
    assert made.sentence().startswith("Bundle 1 saved:")
    kept = a.parent / "bundles" / "A-0001.bundle"
    assert kept.read_bytes() == made.path.read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert not q.pending_export_path(a).exists()
    assert q.read_settings(q.snapshot_path(a), (q.SEQUENCE_KEY,)) == {q.SEQUENCE_KEY: "1"}
    with open_store(a) as store:  # without -o the kept file is the bundle
        nothing = export_bundle(store, None, actor="tester")
    assert nothing.path is None and nothing.sequence == 1


def test_an_update_waits_until_the_interrupted_export_is_done_again(
    district, enrol, day_of_work, today, now, tmp_path, export_stopped_before
):
    a = enrol("A")
    day_of_work(a, today, now, "甲走访")
    with export_stopped_before("_finish") as cut:
        _export(a, tmp_path / "usb" / "first.bundle")
    assert cut.at == "_finish"
    update = tmp_path / "update.bundle"
    with open_store(district) as store:
        store.conn.execute("UPDATE persons SET phone = '13911112222' WHERE id = 1")
        store.conn.commit()
        export_update(store, "A", update, actor="tester")
    with open_store(a) as laptop, pytest.raises(InputError, match="Bundle 1 was written"):
        import_updates(laptop, [update], actor="tester")
    assert _export(a, tmp_path / "usb" / "again.bundle").again
    with open_store(a) as laptop:
        (result,) = import_updates(laptop, [update], actor="tester")
        assert not result.already
        assert laptop.scalar("SELECT phone FROM persons WHERE id = 1") == "13911112222"
