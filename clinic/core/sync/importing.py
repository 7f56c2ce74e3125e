"""``clinic sync import`` and ``status`` on the district database.

Every file is opened and checked before anything is written: sealed to this
district, signed by the laptop it names (enrolled here), made with the same
schema, and next in its laptop's sequence (taking the other files of the same
import into account, so bundles given in any order are applied in order). One
refusal refuses the whole import: nothing changes. Then each bundle is applied
in its own transaction with its bookkeeping (which bundle, the clashes for the
review list, the audit row): a bundle is applied whole or not at all, and a
bundle applied once is recognised and skipped the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic.core.errors import BundleError
from clinic.core.sync.bundle import Bundle, read_file, unseal, verify
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


def _refused(bundle: Bundle, why: str) -> BundleError:
    return BundleError(
        _("{file} cannot be imported: {why} Nothing was changed.").format(file=bundle.file, why=why)
    )


def open_bundles(store: Store, files: list[Path]) -> list[Bundle]:
    """Every file opened, verified and checked against this database, in the order to apply."""
    key = district_private_key(store.path)
    devices = q.read_district(store.path, q.device_keys)
    schema = schema_of(store)
    bundles = []
    for file in files:
        bundle = unseal(str(file), read_file(file), key)
        known = devices.get(bundle.device_number)
        if known is None or known[0] != bundle.header["device"]:
            raise _refused(
                bundle,
                _("it comes from laptop {device}, which this district did not enrol.").format(
                    device=bundle.header["device"]
                ),
            )
        verify(bundle, known[1])
        if (bundle.header["schema"], bundle.header["migrations"]) != schema:
            raise _refused(
                bundle,
                _(
                    "it was made with database schema {theirs}, this database has schema {ours}: bring clinic to the same version on the laptop and here first."
                ).format(theirs=bundle.header["schema"], ours=schema[0]),
            )
        bundles.append(bundle)
    bundles.sort(key=lambda b: (b.device_number, b.sequence))
    _check_sequence(store, bundles)
    return bundles


def _check_sequence(store: Store, bundles: list[Bundle]) -> None:
    """Refuse a gap (a later bundle before an earlier one) or a different bundle under a
    number already imported."""
    expected: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for bundle in bundles:
        number, sequence = bundle.device_number, bundle.sequence
        if (number, sequence) in seen:
            continue
        seen.add((number, sequence))
        done = q.applied_digest(store.path, number, sequence)
        if done is not None:
            if done != bundle.header["digest"]:
                raise _refused(
                    bundle,
                    _(
                        "a different bundle {sequence} of laptop {device} was imported already."
                    ).format(sequence=sequence, device=bundle.header["device"]),
                )
            continue
        if number not in expected:
            expected[number] = q.read_district(store.path, q.last_sequences)[number]
        if sequence != expected[number] + 1:
            raise _refused(
                bundle,
                _(
                    "it is bundle {sequence} of laptop {device}, and bundle {missing} has not been imported yet: import that one first, or both together."
                ).format(
                    sequence=sequence,
                    device=bundle.header["device"],
                    missing=expected[number] + 1,
                ),
            )
        expected[number] = sequence


def import_bundles(store: Store, files: list[Path], *, actor: str) -> list[ImportResult]:
    results = []
    for bundle in open_bundles(store, files):
        results.append(_apply(store, bundle, actor))
    return results


def _apply(store: Store, bundle: Bundle, actor: str) -> ImportResult:
    number, sequence = bundle.device_number, bundle.sequence
    device = bundle.header["device"]
    with q.district_transaction(store.path) as conn:
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
        q.record_bundle(conn, bundle.header, bundle.header["digest"], actor, applied)
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
                "days_without_bundle": days,
                "open_conflicts": row["open_conflicts"],
            }
        )
    return rows
