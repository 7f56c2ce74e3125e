"""The district's update export stopped half-way (issue 11, point 6): the laptop still
ends with every change of the district.

``clinic sync export --for DEVICE`` wrote update N, then replaced the district's copy of
what the laptop received (``for-N.db``). Stopped in between, the next export made a
different, larger update N; a laptop that had imported the first skipped the second as
"imported before", and the district's changes in between never reached it. Now the
update takes a laptop's export's steps (clinic.core.sync.exporting): each step can stop
(a test raises there instead of doing it); the export done again delivers the very same
update N (it was written) or makes update N anew (it was not), and the laptop, whichever
of the files it got, ends with everything.
"""

from __future__ import annotations

import stat

import pytest

from clinic.core.sync import exporting
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store
from clinic.store import sync as q


def _update(district, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_store(district) as store:
        return export_update(store, "A", out, actor="tester")


def _phone(path, person: int, phone: str | None = None) -> str | None:
    with open_store(path) as store:
        if phone is not None:
            store.conn.execute("UPDATE persons SET phone = ? WHERE id = ?", [phone, person])
            store.conn.commit()
        return store.scalar("SELECT phone FROM persons WHERE id = ?", [person])


def _import(laptop, files):
    with open_store(laptop) as store:
        return import_updates(store, files, actor="tester")


@pytest.mark.parametrize("step", exporting.STEPS)
@pytest.mark.parametrize("laptop_took_the_first", [True, False])
def test_an_update_stopped_at_any_step_then_done_again_brings_the_laptop_everything(
    district, enrol, tmp_path, export_stopped_before, step, laptop_took_the_first
):
    a = enrol("A")
    _phone(district, 1, "13911110001")  # before the stop
    stick = tmp_path / "usb"
    with export_stopped_before(step) as cut:
        _update(district, stick / "first.bundle")
    assert cut.at == step
    first = stick / "first.bundle"
    sent = [first] if first.exists() else []
    assert bool(sent) == (step == "_finish")  # copied to the stick, copy not replaced
    if sent and laptop_took_the_first:  # it left the district: the laptop imports it
        (took,) = _import(a, sent)
        assert (took.sequence, took.already) == (1, False)
    _phone(district, 2, "13911110002")  # the district goes on working

    again = _update(district, stick / "second.bundle")
    assert again.sequence == 1 and again.again == cut.file_kept
    kept = district.parent / "updates" / "A-update-0001.bundle"
    assert again.path.read_bytes() == kept.read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    for earlier in sent:  # the file that left before the stop is the same update
        assert earlier.read_bytes() == again.path.read_bytes()
    if again.again:
        assert "interrupted" in again.sentence("A")
    following = _update(district, stick / "third.bundle")
    files = [again.path]
    if again.again:  # what the district did after the stop goes in the next update
        assert following.sequence == 2
        files.append(following.path)
    else:  # update 1 was made anew and holds it all
        assert following.path is None
    assert not q.pending_sent_path(district, 1).exists()

    results = _import(a, files[::-1])  # any order: they are applied in turn
    assert [(r.sequence, r.already) for r in results] == [
        (n, bool(sent and laptop_took_the_first and n == 1)) for n in range(1, len(files) + 1)
    ]
    assert _phone(a, 1) == "13911110001" and _phone(a, 2) == "13911110002"
    with open_store(district) as store:
        audited = store.query(
            "SELECT detail FROM audit_log WHERE action = 'sync_update' ORDER BY id"
        )
    assert len(audited) == len(files) + (step == "_finish")  # each delivery, the stopped one too


def test_an_update_delivered_twice_without_a_stop_is_nothing_new(district, enrol, tmp_path):
    """A normal update keeps its file in updates/ and hands a copy to -o; no pending copy
    is left, and the next export with no change writes nothing."""
    enrol("A")
    _phone(district, 1, "13911110003")
    made = _update(district, tmp_path / "usb" / "A.bundle")
    assert (made.sequence, made.again) == (1, False)
    assert made.sentence("A").startswith("Update 1 for A saved:")
    kept = district.parent / "updates" / "A-update-0001.bundle"
    assert kept.read_bytes() == made.path.read_bytes()
    assert not q.pending_sent_path(district, 1).exists()
    sent = q.sent_copy_path(district, 1)
    assert q.read_settings(sent, (q.UPDATE_SEQUENCE_KEY,)) == {q.UPDATE_SEQUENCE_KEY: "1"}
    assert _update(district, tmp_path / "usb" / "B.bundle").path is None
