"""``clinic sync import`` and ``status`` on the district database.

Every file is opened and checked before anything is written: sealed to this
district, signed by the laptop it names (enrolled here), made with the same
schema. One refusal refuses the whole import: nothing changes. Bundles are then
applied in (laptop, sequence) order, each in its own transaction with its
bookkeeping (which bundle, the clashes for the review list, the audit row): a
bundle is applied whole or not at all, and a bundle applied once is recognised
and skipped. A bundle whose earlier bundle has not come is held (kept sealed in
``sync_held``) and applied by the import that brings the missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic.core import merges
from clinic.core.errors import BundleError
from clinic.core.sync.apart import run_apart
from clinic.core.sync.bundle import Bundle, read_file, unseal, verify
from clinic.core.sync.derived import rebuild_search_keys
from clinic.core.sync.exporting import schema_of
from clinic.core.sync.keys import district_private_key
from clinic.i18n import _
from clinic.store import Store
from clinic.store import sync as q


@dataclass(frozen=True)
class ImportResult:
    file: str
    device: str
    sequence: int
    changes: int
    conflicts: int
    already: bool  # applied before: nothing done
    waits_for: int | None = None  # held: an earlier bundle of the laptop has not come

    def sentence(self) -> str:
        """What became of the bundle, in one sentence naming its file."""
        if self.waits_for is not None:
            line = _(
                "{file}: bundle {sequence} of {device} is held until bundle {waits_for} comes; it will be applied then."
            )
        elif self.already:
            line = _("{file}: bundle {sequence} of {device} was imported before; nothing changed.")
        else:
            line = _(
                "{file}: bundle {sequence} of {device} imported: {changes} changes, {conflicts} to review."
            )
        return line.format(**self.__dict__)


@dataclass(frozen=True)
class Refused:
    """A file of a folder that did not pass the checks: left out, with the sentence why."""

    file: str
    sentence: str


def _refused(bundle: Bundle, why: str) -> BundleError:
    return BundleError(
        _("{file} cannot be imported: {why} Nothing was changed.").format(file=bundle.file, why=why)
    )


@dataclass
class _Checks:
    """What every bundle is checked against: the district's key, laptops and schema."""

    key: Any
    devices: dict[int, tuple[str, str]]
    schema: tuple[int, str]

    @classmethod
    def of(cls, store: Store) -> _Checks:
        return cls(
            district_private_key(store.path),
            q.device_keys(store.conn),
            schema_of(store),
        )

    def open(self, file: str, data: bytes) -> Bundle:
        bundle = unseal(file, data, self.key)
        known = self.devices.get(bundle.device_number)
        if known is None or known[0] != bundle.header["device"]:
            raise _refused(
                bundle,
                _("it comes from laptop {device}, which this district did not enrol.").format(
                    device=bundle.header["device"]
                ),
            )
        verify(bundle, known[1])
        if (bundle.header["schema"], bundle.header["migrations"]) != self.schema:
            raise _refused(
                bundle,
                _(
                    "it was made with database schema {theirs}, this database has schema {ours}: bring clinic to the same version on the laptop and here first."
                ).format(theirs=bundle.header["schema"], ours=self.schema[0]),
            )
        return bundle


def open_bundles(store: Store, files: list[Path]) -> list[Bundle]:
    """Every file opened, verified and checked against this database."""
    checks = _Checks.of(store)
    return [checks.open(str(file), read_file(file)) for file in files]


def _plan(
    store: Store, bundles: list[Bundle]
) -> tuple[list[Bundle], list[tuple[Bundle, int]], list[Bundle]]:
    """(bundles to apply, in order; bundles to hold with the number they wait for; bundles
    applied before). A different bundle under a number already taken is refused."""
    expected = q.last_sequences(store.conn)
    ready: list[Bundle] = []
    waiting: list[tuple[Bundle, int]] = []
    already: list[Bundle] = []
    seen: dict[tuple[int, int], str] = {}
    for bundle in sorted(bundles, key=lambda b: (b.device_number, b.sequence)):
        number, sequence, digest = bundle.device_number, bundle.sequence, bundle.header["digest"]
        taken = seen.get((number, sequence)) or q.bundle_applied(store.conn, number, sequence)
        if taken is not None and taken != digest:
            raise _refused(
                bundle,
                _("a different bundle {sequence} of laptop {device} was imported already.").format(
                    sequence=sequence, device=bundle.header["device"]
                ),
            )
        if taken is not None or sequence <= expected[number]:
            already.append(bundle)
            continue
        seen[(number, sequence)] = digest
        if sequence == expected[number] + 1:
            ready.append(bundle)
            expected[number] = sequence
        else:
            waiting.append((bundle, expected[number] + 1))
    return ready, waiting, already


def _still_good(checks: _Checks, rows: list[dict]) -> list[Bundle]:
    """The held bundles that still pass the checks. One that no longer does (the district
    was upgraded to a newer schema, the laptop enrolled again with a new key) stays held,
    listed by ``sync status``, and no longer stops every other laptop's bundles."""
    good = []
    for row in rows:
        try:
            good.append(checks.open(row["file"], row["data"]))
        except BundleError:
            continue
    return good


def import_bundles(store: Store, files: list[Path], *, actor: str) -> list[ImportResult]:
    """Apply what fits, in order; hold a bundle whose earlier one has not come (kept in the
    district database, applied by the import that brings the missing one)."""
    checks = _Checks.of(store)
    new = [checks.open(str(file), read_file(file)) for file in files]
    held = _still_good(checks, q.held_bundles(store))
    held_keys = {(b.device_number, b.sequence) for b in held}
    ready, waiting, already = _plan(store, new + held)
    results = [
        ImportResult(b.file, b.header["device"], b.sequence, 0, 0, already=True)
        for b in already
        if (b.device_number, b.sequence) not in held_keys
    ]
    if ready:
        applied = run_apart(apply_bundles, store.path, ready, actor)
        results += applied
        _follow_merges(store, applied, actor)
    with store.transaction():
        for bundle, missing in waiting:
            if (bundle.device_number, bundle.sequence) in held_keys:
                continue  # held before, still waiting: said then
            q.hold_bundle(store, bundle.device_number, bundle.sequence, bundle.file, bundle.raw)
            results.append(
                ImportResult(
                    bundle.file, bundle.header["device"], bundle.sequence, 0, 0, False, missing
                )
            )
    return results


def _follow_merges(store: Store, applied: list[ImportResult], actor: str) -> None:
    """A laptop's walk-in merged here into the district's person (a clash settled) is
    still the laptop's person there: its later bundles' visits, prescriptions and consents
    refer to them. They follow to the person kept, as the merge moved the earlier ones
    (clinic.core.merges.follow; audited, naming the bundles)."""
    bundles = [f"{r.device} {r.sequence}" for r in applied if not r.already]
    if bundles:
        merges.follow(store, actor=actor, cause={"bundles": ", ".join(bundles)})


def apply_bundles(path: Path, bundles: list[Bundle], actor: str) -> list[ImportResult]:
    """Each bundle in its own transaction, in order (run apart: :mod:`.apart`). A refusal
    after some were applied says which were: they stay applied."""
    done: list[ImportResult] = []
    for bundle in bundles:
        try:
            done.append(_apply(path, bundle, actor))
        except BundleError as exc:
            if not done:
                raise
            raise BundleError(
                _("Imported before it was refused: {done} Then: {refusal}").format(
                    done=" ".join(r.sentence() for r in done), refusal=exc.message
                )
            ) from exc
    return done


def import_each(
    store: Store, files: list[Path], *, actor: str
) -> tuple[list[ImportResult], list[Refused]]:
    """A folder of bundles (a USB stick's) as the Sync screen imports it: each file checked
    on its own; a file that fails is left out and named with its sentence, and the others
    are imported as :func:`import_bundles` does (``clinic sync import`` refuses them all)."""
    checks = _Checks.of(store)
    good: list[Path] = []
    refused: list[Refused] = []
    for file in files:
        try:
            checks.open(str(file), read_file(file))
        except BundleError as exc:
            refused.append(Refused(str(file), exc.message))
        else:
            good.append(file)
    return (import_bundles(store, good, actor=actor) if good else []), refused


def _apply(path: Path, bundle: Bundle, actor: str) -> ImportResult:
    number, sequence = bundle.device_number, bundle.sequence
    device = bundle.header["device"]
    with q.district_transaction(path) as conn:
        if q.bundle_applied(conn, number, sequence) is not None:
            return ImportResult(bundle.file, device, sequence, 0, 0, already=True)
        try:
            applied = q.apply_changeset(conn, bundle.changeset)
        except q.ForeignKeyProblem as exc:
            raise _refused(
                bundle,
                _(
                    "its records refer to records this database does not have (were they erased here?)."
                ),
            ) from exc
        except q.ApplyProblem as exc:
            raise _refused(
                bundle, _("SQLite could not apply it ({reason}).").format(reason=exc)
            ) from exc
        rebuild_search_keys(conn, bundle.changeset)
        q.record_bundle(conn, bundle.header, bundle.header["digest"], actor, applied)
        # rows of the district's updates the laptop lacks: its next update brings them again
        q.note_resend(conn, number, q.row_keys_read(bundle.header.get("left_out")))
        q.release_held(conn, number, sequence)
    return ImportResult(
        bundle.file, device, sequence, bundle.header["changes"], len(applied.conflicts), False
    )


# -- what the district has received ----------------------------------------------------


def sync_status(store: Store, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each laptop: its last bundle, when it came, the next one expected, open conflicts."""
    today = today or dt.date.today()
    rows = []
    for row in q.devices_with_bundles(store):
        last = row["last_sequence"] or 0
        held = sorted(int(n) for n in (row["held"] or "").split(",") if n)
        missing = [n for n in range(last + 1, max(held, default=0)) if n not in held]
        since = row["last_imported_at"] or row["enrolled_at"]
        days = (today - dt.date.fromisoformat(since[:10])).days if since else None
        rows.append(
            {
                "device": row["name"],
                "number": row["number"],
                "enrolled_at": row["enrolled_at"],
                "bundles": row["bundles"],
                "last_sequence": last or None,
                "last_made_at": row["last_made_at"],
                "last_imported_at": row["last_imported_at"],
                "waiting_for": last + 1,
                "held": held,
                "missing": missing,
                "days_without_bundle": days,
                "open_conflicts": row["open_conflicts"],
            }
        )
    return rows
