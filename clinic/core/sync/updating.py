"""The way back (issue 11, point 6): the district's update to one laptop.

``clinic sync export --for DEVICE`` on the district writes everything the district
changed since what that laptop last received (its base, then each update): the
difference between the copy kept then (``NAME.sync/for-N.db``) and a copy taken now.
The file is a bundle's layout under its own magic line, signed by the district
(a signing key derived from its key file) and sealed to the laptop (its signing
key, on record since enrolment, converted to Curve25519).

``clinic sync import FILE`` on the laptop checks every file first, then applies
each in one transaction. The laptop's own changes since its last export win on the
laptop and travel in its next bundle: the same update is applied to the laptop's
last-export copy less those rows, so at the district they clash with the district's
values and go to the review list rather than overwrite them silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clinic.core.errors import BundleError, InputError, NotFoundError
from clinic.core.files import safe_file_name
from clinic.core.sync import exporting
from clinic.core.sync.apart import run_apart
from clinic.core.sync.bundle import (
    UPDATE_MAGIC,
    Bundle,
    pack,
    read_file,
    refuse,
    unseal,
    verify,
)
from clinic.core.sync.derived import rebuild_search_keys
from clinic.core.sync.enrol import device_number
from clinic.core.sync.exporting import (
    Exported,
    count_changes,
    export_unfinished,
    laptop,
    schema_of,
)
from clinic.core.sync.keys import (
    district_private_key,
    district_signing_seed,
    laptop_box_private,
    laptop_box_public,
)
from clinic.i18n import _
from clinic.store import Store, open_store
from clinic.store import sync as q
from clinic.store.audit import record as record_audit
from clinic.store.backup import page_copy
from clinic.store.connection import DEVICE_SPAN


def updates_folder(store: Store) -> Path:
    """``updates/`` beside the district database: where updates go unless told otherwise."""
    return Path(store.path).resolve().parent / "updates"


def update_name(device: str, sequence: int) -> str:
    return f"{safe_file_name(device, 'laptop')}-update-{sequence:04d}.bundle"


def export_update(store: Store, device: str, out: Path | None, *, actor: str) -> Exported:
    """On the district: laptop ``device``'s next update (None path: nothing changed), or
    (an earlier export stopped after writing it) the same update again. The steps are a
    laptop's export's (:func:`.exporting.export_bundle`), each safe to stop after: the
    copy taken and the update made; the copy renamed ``for-N.pending.db`` with the
    update's summary (``_decide``); the update written to the ``updates/`` folder
    (``_keep``); copied to ``out`` (``_hand_over``) and audited; the pending copy made
    ``for-N.db`` (``_finish``). An export that finds a pending copy whose update is in
    the folder delivers that update, byte for byte: a laptop that imported it already
    skips it as imported before, and must, for a new update N with other content would
    be skipped the same way, and the district's changes in between never reach it."""
    if device_number(store) is not None:
        raise InputError(
            _(
                "{path} is a laptop's database: updates are written on the district database."
            ).format(path=store.path)
        )
    row = q.device_by_name(store, device)
    if row is None:
        raise NotFoundError(_("No laptop named {device} is enrolled here.").format(device=device))
    sent = q.sent_copy_path(store.path, row["number"])
    if not sent.exists():
        raise InputError(
            _(
                "There is no record of what the laptop {device} received ({path}), so its update cannot be measured: enrol it again with clinic sync base."
            ).format(device=device, path=sent)
        )
    open_store(sent).close()  # up the same migrations as the district
    number = row["number"]
    where = exporting.Delivery(
        sent, q.pending_sent_path(store.path, number), updates_folder(store), q.UPDATE_SEQUENCE_KEY
    )

    def make() -> exporting.Decided | Exported:
        resend = q.resend_rows(store, number)
        if resend:  # the laptop lacks them: measured without them, the update inserts them
            q.forget_sent(store, sent, number, resend)
        return _make_update(store, row, where)

    def audited(path: Path, decided: exporting.Decided, again: bool) -> None:
        detail = {"device": device, "sequence": decided.sequence, "file": path.name}
        with store.transaction():
            record_audit(
                store,
                actor,
                "sync_update",
                {**detail, **({"again": True} if again else {})},
                decided.changes,
            )

    return exporting.deliver(where, out, make, audited)


def _make_update(
    store: Store, row: dict, where: exporting.Delivery
) -> exporting.Decided | Exported:
    """Update N made, decided and kept in the updates folder; or, nothing changed, the
    export that wrote nothing."""
    sent = where.copy
    upcoming = sent.with_name(f"for-{row['number']}.next.db")
    q.take_snapshot(store.path, upcoming)
    try:
        changeset = q.changeset_between(sent, upcoming, way_back=True)
        state = q.read_settings(sent, (q.UPDATE_SEQUENCE_KEY, q.UPDATED_AT_KEY))
        sequence = int(state.get(q.UPDATE_SEQUENCE_KEY, "0")) + 1
        if not changeset:
            return Exported(None, sequence - 1, 0, {}, 0)
        counts = count_changes(changeset)
        header = exporting.file_header(
            store,
            row["name"],
            int(row["number"]),
            sequence,
            state.get(q.UPDATED_AT_KEY) or row["enrolled_at"],
            changeset,
            counts,
        )
        seed = district_signing_seed(district_private_key(store.path))
        data = pack(header, changeset, seed, laptop_box_public(row["verify_key"]), UPDATE_MAGIC)
        settings = {q.UPDATE_SEQUENCE_KEY: str(sequence), q.UPDATED_AT_KEY: header["until"]}
        name = update_name(row["name"], sequence)
        return exporting.decide(upcoming, where, name, data, counts, settings)
    finally:
        upcoming.unlink(missing_ok=True)


@dataclass(frozen=True)
class UpdateResult:
    file: str
    sequence: int
    changes: int
    kept: int  # the laptop's own unsent changes that stayed
    already: bool
    left_out: int = 0  # the district's rows this laptop lacks: named in its next bundle

    def sentence(self) -> str:
        """What became of the update, in one sentence naming its file."""
        if self.already:
            line = _("{file}: update {sequence} was imported before; nothing changed.")
        else:
            line = _(
                "{file}: update {sequence} of the district applied: {changes} changes; {kept} changes of this laptop kept (they go to the district with the next bundle)."
            )
        said = line.format(**self.__dict__)
        if self.left_out and not self.already:
            said += " " + _(
                "{n} of the district's records left out: they clash with this laptop's (one ID number registered on both); once the coordinator settles the clash, a later update brings them."
            ).format(n=self.left_out)
        return said


def _open(path: Path, ident: dict[str, str], schema: tuple[int, str]) -> Bundle:
    """An update read, unsealed and checked (BundleError naming the file)."""
    update = unseal(
        str(path),
        read_file(path),
        laptop_box_private(ident[q.SIGNING_KEY]),
        magic=UPDATE_MAGIC,
        foreign=_("it is damaged, or it was made for another laptop."),
    )
    verify_key = ident.get(q.DISTRICT_VERIFY_KEY)
    if not verify_key:
        raise refuse(
            str(path),
            _("this laptop's base is older than updates: ask the coordinator for a new base."),
        )
    try:
        verify(update, verify_key)
    except BundleError as exc:
        raise refuse(
            str(path), _("it is not signed by this laptop's district: it was changed or forged.")
        ) from exc
    if update.device_number != int(ident[q.DEVICE_NUMBER_KEY]):
        raise refuse(
            str(path),
            _("it was made for the laptop {device}.").format(device=update.header["device"]),
        )
    if (update.header["schema"], update.header["migrations"]) != schema:
        raise refuse(
            str(path),
            _(
                "it was made with another version of the database (schema {theirs}, this laptop {ours}): upgrade both to the same version."
            ).format(theirs=update.header["schema"], ours=schema[0]),
        )
    return update


def import_updates(store: Store, files: list[Path], *, actor: str) -> list[UpdateResult]:
    """On a laptop: check every update, then apply them in order, each in one transaction."""
    ident = laptop(store)
    schema = schema_of(store)
    updates = sorted((_open(Path(f), ident, schema) for f in files), key=lambda u: u.sequence)
    return [_apply(store, update, ident, actor) for update in updates]


def _apply(store: Store, update: Bundle, ident: dict[str, str], actor: str) -> UpdateResult:
    last = int(q.laptop_identity(store).get(q.UPDATE_SEQUENCE_KEY) or 0)
    if update.sequence <= last:
        return UpdateResult(update.file, update.sequence, 0, 0, already=True)
    if update.sequence > last + 1:
        raise refuse(
            update.file,
            _("update {missing} has not been imported yet: import it first.").format(
                missing=last + 1
            ),
        )
    snapshot = q.snapshot_path(store.path)
    if not snapshot.exists():
        raise InputError(
            _(
                "The copy this laptop took at its last export ({path}) is missing, so its changes cannot be told apart: keep the folder beside the database, or ask the coordinator for a new base."
            ).format(path=snapshot)
        )
    unfinished = export_unfinished(store)
    if unfinished is not None:
        # the update would be measured against the copy before that bundle
        raise InputError(
            _(
                "Bundle {sequence} was written by an export that was interrupted: export again (it saves the same bundle), then import the update."
            ).format(sequence=unfinished)
        )
    open_store(snapshot).close()
    upcoming = snapshot.with_name("next-update.db")
    upcoming.unlink(missing_ok=True)
    number = update.device_number
    own = range(number * DEVICE_SPAN, (number + 1) * DEVICE_SPAN)
    try:
        # a page copy keeps the copy's pages where the laptop's are: the next export
        # compares row by row only the tables either changed (q.tables_changed)
        page_copy(snapshot, upcoming)
        kept, left_out = run_apart(
            apply_update_at, store.path, update, own, snapshot, upcoming, actor
        )
        # After the commit: a crash in between makes the next bundle carry the district's
        # rows back, where they clash and are reviewed; nothing is lost.
        os.replace(upcoming, snapshot)
    finally:
        upcoming.unlink(missing_ok=True)
    return UpdateResult(
        update.file, update.sequence, update.header["changes"], kept, False, left_out
    )


def apply_update_at(
    path: Path, update: Bundle, own: range, exported: Path, upcoming: Path, actor: str
) -> tuple[int, int]:
    """The update applied to the laptop's database at ``path`` in one transaction, and to
    ``upcoming``, the next last-export copy (run apart: :mod:`.apart`); ``exported`` is
    the last-export copy as it is, which tells the laptop's unsent changes. How many of
    those stayed, and how many of the district's rows this laptop lacks (left out now or
    by an earlier update, and not brought since): its next bundle names them, and the
    district sends them again."""
    with q.district_transaction(path, {"exported": exported}) as conn:
        try:
            done = q.apply_update(conn, update.changeset, own, "exported")
        except q.ForeignKeyProblem as exc:
            raise refuse(
                update.file,
                _(
                    "its records refer to records this laptop does not have (were they erased here?)."
                ),
            ) from exc
        rebuild_search_keys(conn, update.changeset)
        left_out = q.note_left_out(conn, update.changeset, done.left_out)
        q.record_update(conn, update.device_number, update.header, actor, len(done.kept))
        q.apply_to_copy(upcoming, update.changeset, done.skipped, done.taken)
    return len(done.kept), left_out
