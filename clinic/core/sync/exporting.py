"""``clinic sync export``: every change a laptop made since its last export, in one bundle.

The changes are the difference between two copies of the laptop's database:
the one taken at the last export (``NAME.sync/last-export.db``; the base itself
before the first export) and one taken now (SQLite's backup API, consistent
while desks write). ``Session.diff`` compares the two files, which nobody
writes, so the app keeps writing through sqlite3 as before; it compares the rows
of the tables whose pages differ between the two page copies only
(:func:`clinic.store.sync.tables_changed`). The new copy replaces the old one
only after the bundle is on disk: a crash leaves the old snapshot, and the next
export carries the same changes again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import Counter
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
            return _("Update {sequence} for {device} saved: {path} ({size}).").format(
                sequence=self.sequence, device=device, path=self.path, size=size
            )
        return _("Bundle {sequence} saved: {path} ({size}).").format(
            sequence=self.sequence, path=self.path, size=size
        )


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


def export_bundle(store: Store, out: Path | None, *, actor: str) -> Exported:
    ident = laptop(store)
    snapshot = q.snapshot_path(store.path)
    if not snapshot.exists():
        raise InputError(
            _(
                "The copy this laptop took at its last export ({path}) is missing, so its changes cannot be told apart: keep the folder beside the database, or ask the coordinator for a new base."
            ).format(path=snapshot)
        )
    upcoming = snapshot.with_name("next-export.db")
    # After an upgrade of the app the laptop's schema is newer than its snapshot's: bring
    # the snapshot up the same migrations, so the difference is only what users did.
    open_store(snapshot).close()
    q.take_snapshot(store.path, upcoming)
    try:
        work = q.changeset_between(snapshot, upcoming, audit=False, page_copies=True)
        audited = q.changeset_between(snapshot, upcoming, audit=True, page_copies=True)
        state = q.read_settings(snapshot, (q.SEQUENCE_KEY, q.EXPORTED_AT_KEY))
        sequence = int(state.get(q.SEQUENCE_KEY, "0")) + 1
        if not work and not audited:
            return Exported(None, sequence - 1, 0, {}, 0)
        name = bundle_name(ident[q.DEVICE_NAME_KEY], sequence)
        path = bundle_target(out, bundles_folder(store), name)
        # The export's own audit row travels in the bundle it describes (else every
        # export would leave one change behind, and "nothing changed" would never be).
        record_audit(
            store,
            actor,
            "sync_export",
            {"sequence": sequence, "file": path.name},
            sum(1 for _op in q.operations(q.joined(work, audited))),
        )
        q.copy_new_audit_rows(store.path, upcoming)
        changeset = q.joined(
            work, q.changeset_between(snapshot, upcoming, audit=True, page_copies=True)
        )
        counts = count_changes(changeset)
        until = dt.datetime.now().isoformat(timespec="seconds")
        schema, migrations = schema_of(store)
        changes = sum(sum(c.values()) for c in counts.values())
        header: dict[str, Any] = {
            "format": FORMAT,
            "device": ident[q.DEVICE_NAME_KEY],
            "device_number": int(ident[q.DEVICE_NUMBER_KEY]),
            "schema": schema,
            "migrations": migrations,
            "sequence": sequence,
            "from": state.get(q.EXPORTED_AT_KEY) or ident.get(q.ENROLLED_AT_KEY),
            "until": until,
            "changes": changes,
            "counts": counts,
            "digest": digest(changeset),
        }
        data = pack(header, changeset, ident[q.SIGNING_KEY], ident[q.DISTRICT_KEY])
        # The copy is ready before the file is written (a full disk fails here, before
        # any bundle N exists), and replaces the old one right after it: a bundle N on
        # the stick with the copy still at N - 1 needs a crash between two renames.
        q.write_settings(upcoming, {q.SEQUENCE_KEY: str(sequence), q.EXPORTED_AT_KEY: until})
        write_bytes_atomic(path, data)
        os.replace(upcoming, snapshot)
    finally:
        upcoming.unlink(missing_ok=True)
    return Exported(path, sequence, changes, counts, len(data))


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
