"""``clinic sync export``: every change a laptop made since its last export, in one bundle.

The changes are the difference between two copies of the laptop's database:
the one taken at the last export (``NAME.sync/last-export.db``; the base itself
before the first export) and one taken now (SQLite's backup API, consistent
while desks write). ``Session.diff`` compares the two files, which nobody
writes, so the app keeps writing through sqlite3 as before; it compares the rows
of the tables whose pages differ between the two page copies only
(:func:`clinic.store.sync.tables_changed`).

Once a bundle is made it is decided: the new copy waits as ``pending-export.db``
with the bundle's summary, the bundle is written to the app's ``bundles/``
folder, copied where the user asked, and only then does the copy replace the
old one. An export stopped before the bundle was written leaves the old copy,
and the next export carries the same changes again; stopped after (a crash, a
pulled USB stick), it leaves bundle N and its copy pending, and the next export
delivers that same file rather than a new bundle N, which the district would
refuse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic.core.errors import InputError
from clinic.core.files import app_folder, safe_file_name, write_bytes_atomic
from clinic.core.sync.bundle import FORMAT, digest, pack
from clinic.i18n import _, ngettext
from clinic.store import Store, open_store
from clinic.store import sync as q
from clinic.store.audit import record as record_audit
from clinic.store.migrations import schema_version


@dataclass(frozen=True)
class Exported:
    path: Path | None  # None: nothing changed since the last export
    sequence: int
    changes: int
    counts: dict[str, dict[str, int]]
    size: int
    again: bool = False  # a file an interrupted export had written, delivered now

    def sentence(self, device: str | None = None) -> str:
        """What was written, for the command line and the Sync screen alike: a laptop's
        bundle, or (``device``) the district's update for that laptop."""
        if self.path is None:
            if device is not None:
                return _(
                    "Nothing changed for {device} since its last update; no file was written."
                ).format(device=device)
            return _("Nothing changed since the last export; no bundle was written.")
        size = _("{changes}, {kb} KB").format(
            changes=ngettext("{n} change", "{n} changes", self.changes).format(n=self.changes),
            kb=max(self.size // 1024, 1),
        )
        if device is not None:
            if self.again:
                update = _(
                    "Update {sequence} for {device}, written by an export that was interrupted, saved again: {path} ({size})."
                )
            else:
                update = _("Update {sequence} for {device} saved: {path} ({size}).")
            return update.format(sequence=self.sequence, device=device, path=self.path, size=size)
        if self.again:
            line = _(
                "Bundle {sequence}, written by an export that was interrupted, saved again: {path} ({size})."
            )
        else:
            line = _("Bundle {sequence} saved: {path} ({size}).")
        return line.format(sequence=self.sequence, path=self.path, size=size)


def migrations_digest(names: list[str]) -> str:
    """One value for the whole list of schema changes applied (bundles must match exactly)."""
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]


def schema_of(store: Store) -> tuple[int, str]:
    return schema_version(store), migrations_digest(q.applied_migrations(store.conn))


def laptop(store: Store) -> dict[str, str]:
    """This laptop's identity; InputError on a database that is not a laptop's."""
    ident = q.laptop_identity(store)
    if not ident.get(q.DEVICE_NUMBER_KEY):
        raise InputError(
            _(
                "{path} is not a laptop's database: make one with clinic sync base on the district database."
            ).format(path=store.path)
        )
    return ident


def count_changes(changeset: bytes) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    for table, op in q.operations(changeset):
        counts.setdefault(table, Counter())[op.lower()] += 1
    return {table: dict(c) for table, c in sorted(counts.items())}


def bundles_folder(store: Store) -> Path:
    """``bundles/`` beside the database: where a laptop's bundles go unless told otherwise."""
    return Path(store.path).resolve().parent / "bundles"


def bundle_target(out: Path | None, default_folder: Path, name: str) -> Path:
    """Where a file of the sync goes: ``out`` as given, or ``out/name`` when ``out`` is a
    folder (a USB stick: the file keeps its usual name); without ``out``, ``name`` in the
    app's own ``default_folder`` (made 0700)."""
    if out is None:
        return app_folder(default_folder) / name
    out = Path(out)
    return out / name if out.is_dir() else out


def bundle_name(device: str, sequence: int) -> str:
    return f"{safe_file_name(device, 'laptop')}-{sequence:04d}.bundle"


@dataclass(frozen=True)
class Decided:
    """Bundle N as an export decided it: written to the app's bundles folder, recorded in
    the copy that becomes the last-export copy once the bundle is delivered (on the
    district, update N: in its updates folder, and the copy of what the laptop has)."""

    name: str  # its file in the bundles folder
    sequence: int
    changes: int
    counts: dict[str, dict[str, int]]
    size: int
    sha256: str

    def text(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)

    @classmethod
    def read(cls, text: str | None) -> Decided | None:
        try:
            return cls(**json.loads(text or ""))
        except (TypeError, ValueError):
            return None


def export_bundle(store: Store, out: Path | None, *, actor: str) -> Exported:
    """The laptop's next bundle, or (an earlier export stopped after writing it) the same
    bundle again. The steps, each safe to stop after: the copy taken and the bundle made
    (the export's audit row in it); the copy renamed ``pending-export.db`` with the
    bundle's summary (:func:`_decide`); the bundle written to the bundles folder
    (:func:`_keep`); copied to ``out`` (:func:`_hand_over`); the pending copy made the
    last-export copy (:func:`_finish`). An export that finds a pending copy whose bundle
    is in the folder delivers that bundle, byte for byte (the district takes it, or
    knows it if it came); without its bundle, the pending copy is dropped and a new one
    made (no bundle N left the laptop). A new bundle N with other content is what the
    district refuses."""
    ident = laptop(store)
    snapshot = q.snapshot_path(store.path)
    if not snapshot.exists():
        raise InputError(
            _(
                "The copy this laptop took at its last export ({path}) is missing, so its changes cannot be told apart: keep the folder beside the database, or ask the coordinator for a new base."
            ).format(path=snapshot)
        )
    # After an upgrade of the app the laptop's schema is newer than its snapshot's: bring
    # the snapshot up the same migrations, so the difference is only what users did.
    open_store(snapshot).close()
    where = Delivery(snapshot, q.pending_export_path(store.path), bundles_folder(store))
    return deliver(where, out, lambda: _make(store, ident, where, out, actor))


@dataclass(frozen=True)
class Delivery:
    """Where an export's files are: the copy the next file is measured from (a laptop's
    last-export copy, or the district's copy of what a laptop received), the pending copy
    of a file decided, the app's own folder of files, and the setting of the copy that
    holds the last file's number."""

    copy: Path
    pending: Path
    folder: Path
    sequence_key: str = q.SEQUENCE_KEY


def deliver(
    where: Delivery,
    out: Path | None,
    make: Callable[[], Decided | Exported],
    delivered: Callable[[Path, Decided, bool], None] | None = None,
) -> Exported:
    """The file an earlier export decided and kept but did not finish delivering, or a
    new one (``make``: decided and kept, or the export that wrote nothing), handed over
    to ``out``; ``delivered`` (file, what it holds, whether it is given again) before the
    pending copy becomes the copy. The steps of a laptop's bundles and of the district's
    updates alike (:data:`STEPS`)."""
    decided = _unfinished(where.copy, where.pending, where.folder, where.sequence_key)
    again = decided is not None
    if decided is None:
        made = make()
        if isinstance(made, Exported):
            return made
        decided = made
    path = bundle_target(out, where.folder, decided.name)
    _hand_over(where.folder / decided.name, path)
    if delivered is not None:
        delivered(path, decided, again)
    _finish(where.pending, where.copy)
    return Exported(
        path, decided.sequence, decided.changes, decided.counts, decided.size, again=again
    )


def decide(
    upcoming: Path,
    where: Delivery,
    name: str,
    data: bytes,
    counts: dict[str, dict[str, int]],
    settings: dict[str, str],
) -> Decided:
    """File ``name`` holding ``data`` is decided: the copy ``upcoming`` it was measured
    against, with ``settings`` (its number among them) and the file's summary, becomes
    the pending copy; the file is kept in the app's folder."""
    sequence = int(settings[where.sequence_key])
    changes = sum(sum(c.values()) for c in counts.values())
    decided = Decided(name, sequence, changes, counts, len(data), hashlib.sha256(data).hexdigest())
    q.write_settings(upcoming, {**settings, q.PENDING_BUNDLE_KEY: decided.text()})
    _decide(upcoming, where.pending)
    _keep(where.folder / name, data)
    return decided


def file_header(
    store: Store,
    device: str,
    device_number: int,
    sequence: int,
    since: str | None,
    changeset: bytes,
    counts: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """The header of a bundle or an update: who, which schema, which number, the time
    range, the counts and the changeset's digest."""
    schema, migrations = schema_of(store)
    return {
        "format": FORMAT,
        "device": device,
        "device_number": device_number,
        "schema": schema,
        "migrations": migrations,
        "sequence": sequence,
        "from": since,
        "until": dt.datetime.now().isoformat(timespec="seconds"),
        "changes": sum(sum(c.values()) for c in counts.values()),
        "counts": counts,
        "digest": digest(changeset),
    }


def _make(
    store: Store, ident: dict[str, str], where: Delivery, out: Path | None, actor: str
) -> Decided | Exported:
    """Bundle N made, decided and kept in the bundles folder; or, nothing changed, the
    export that wrote nothing."""
    snapshot = where.copy
    upcoming = snapshot.with_name("next-export.db")
    q.take_snapshot(store.path, upcoming)
    try:
        work = q.changeset_between(snapshot, upcoming, audit=False, page_copies=True)
        audited = q.changeset_between(snapshot, upcoming, audit=True, page_copies=True)
        state = q.read_settings(snapshot, (q.SEQUENCE_KEY, q.EXPORTED_AT_KEY))
        sequence = int(state.get(q.SEQUENCE_KEY, "0")) + 1
        if not work and not audited:
            return Exported(None, sequence - 1, 0, {}, 0)
        name = bundle_name(ident[q.DEVICE_NAME_KEY], sequence)
        # The export's own audit row travels in the bundle it describes (else every
        # export would leave one change behind, and "nothing changed" would never be).
        record_audit(
            store,
            actor,
            "sync_export",
            {"sequence": sequence, "file": bundle_target(out, where.folder, name).name},
            sum(1 for _op in q.operations(q.joined(work, audited))),
        )
        q.copy_new_audit_rows(store.path, upcoming)
        changeset = q.joined(
            work, q.changeset_between(snapshot, upcoming, audit=True, page_copies=True)
        )
        counts = count_changes(changeset)
        header = file_header(
            store,
            ident[q.DEVICE_NAME_KEY],
            int(ident[q.DEVICE_NUMBER_KEY]),
            sequence,
            state.get(q.EXPORTED_AT_KEY) or ident.get(q.ENROLLED_AT_KEY),
            changeset,
            counts,
        )
        # the district's rows its updates left out here: it sends them again
        left_out = q.read_settings(upcoming, (q.LEFT_OUT_KEY,)).get(q.LEFT_OUT_KEY)
        if left_out:
            header["left_out"] = json.loads(left_out)
        data = pack(header, changeset, ident[q.SIGNING_KEY], ident[q.DISTRICT_KEY])
        settings = {q.SEQUENCE_KEY: str(sequence), q.EXPORTED_AT_KEY: header["until"]}
        return decide(upcoming, where, name, data, counts, settings)
    finally:
        upcoming.unlink(missing_ok=True)


def _unfinished(
    snapshot: Path, pending: Path, folder: Path, sequence_key: str = q.SEQUENCE_KEY
) -> Decided | None:
    """The file an export decided and wrote but did not finish delivering (None: there
    is none; a pending copy whose file was never written, or is not the one it
    describes, is dropped). The same steps serve a laptop's bundles (its last-export
    copy, ``sequence_key`` the bundle's number) and the district's updates (the copy of
    what the laptop received, ``sync.update_sequence``: :mod:`.updating`)."""
    if not pending.exists():
        return None
    state = q.read_settings(pending, (q.PENDING_BUNDLE_KEY,))
    decided = Decided.read(state.get(q.PENDING_BUNDLE_KEY))
    last = int(q.read_settings(snapshot, (sequence_key,)).get(sequence_key, "0"))
    kept = folder / decided.name if decided else None
    if (
        decided is not None
        and kept is not None
        and decided.sequence == last + 1
        and kept.is_file()
        and hashlib.sha256(kept.read_bytes()).hexdigest() == decided.sha256
    ):
        return decided
    pending.unlink(missing_ok=True)
    return None


def export_unfinished(store: Store) -> int | None:
    """The sequence of a bundle an export wrote but did not finish (None: none). An
    update waits for it: the copy it would be measured from is not in place yet."""
    pending = q.pending_export_path(store.path)
    snapshot = q.snapshot_path(store.path)
    if not pending.exists() or not snapshot.exists():
        return None
    decided = _unfinished(snapshot, pending, bundles_folder(store))
    return decided.sequence if decided else None


# The steps after the bundle (or the district's update) is made, in order, one function
# each (a test stops the export before each); from ``_hand_over`` on, the file is in the
# app's own folder.
STEPS = ("_decide", "_keep", "_hand_over", "_finish")


def _decide(upcoming: Path, pending: Path) -> None:
    """From here on bundle N is this one: its copy, with its summary, is pending."""
    os.replace(upcoming, pending)


def _keep(kept: Path, data: bytes) -> None:
    """The file into the app's own folder, bundles or updates (0700; the file 0600, atomic)."""
    app_folder(kept.parent)
    write_bytes_atomic(kept, data)


def _hand_over(kept: Path, path: Path) -> None:
    """The kept file where the user asked (``-o``, or the Sync screen's field)."""
    if path.resolve() != kept.resolve():
        write_bytes_atomic(path, kept.read_bytes())


def _finish(pending: Path, snapshot: Path) -> None:
    """The pending copy becomes the last-export copy (the district's copy of what the
    laptop received): the next bundle (update) is N + 1."""
    os.replace(pending, snapshot)


@dataclass(frozen=True)
class LaptopState:
    """What a laptop has sent: the Sync screen's heading on a laptop's database."""

    device: str
    number: int
    enrolled_at: str | None
    sequence: int  # the last bundle written (0: none yet)
    exported_at: str | None
    update_sequence: int  # the district's last update applied here (0: none yet)
    waiting: int | None  # changes the next bundle would carry; None: the copy is missing


def laptop_state(store: Store) -> LaptopState:
    """This laptop's identity and what waits to be sent. ``waiting`` is the export's own
    comparison on a throwaway copy (a second or two on a large database: callers run
    it off the UI thread); nothing is written to the database or its snapshot."""
    ident = laptop(store)
    snapshot = q.snapshot_path(store.path)
    sequence, exported_at, waiting = 0, None, None
    if snapshot.exists():
        open_store(snapshot).close()  # up the same migrations as the laptop
        state = q.read_settings(snapshot, (q.SEQUENCE_KEY, q.EXPORTED_AT_KEY))
        sequence = int(state.get(q.SEQUENCE_KEY, "0"))
        exported_at = state.get(q.EXPORTED_AT_KEY)
        probe = snapshot.with_name(f"waiting-{os.getpid()}-{threading.get_ident()}.db")
        try:
            q.take_snapshot(store.path, probe)
            waiting = sum(
                1 for _op in q.operations(q.changeset_between(snapshot, probe, page_copies=True))
            )
        finally:
            probe.unlink(missing_ok=True)
    return LaptopState(
        device=ident[q.DEVICE_NAME_KEY],
        number=int(ident[q.DEVICE_NUMBER_KEY]),
        enrolled_at=ident.get(q.ENROLLED_AT_KEY),
        sequence=sequence,
        exported_at=exported_at,
        update_sequence=int(ident.get(q.UPDATE_SEQUENCE_KEY) or 0),
        waiting=waiting,
    )
