"""Bundles applied to the district's file: the part of ``clinic sync import`` run apart.

:mod:`.importing` opens and checks every bundle in the app's process (sealed to
this district, signed by a laptop enrolled here, the same schema, the sequence),
then hands the ones ready to a process of their own (:mod:`.apart`), which applies
each in one transaction with its bookkeeping. That process starts for every
import and imports only this module and what it needs: not the app's store
library, the bundle's cryptography or the exporter, which made its start most of
a day's import. Tested by tests/domain/test_sync_apart.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic.core.errors import BundleError
from clinic.core.sync.derived import rebuild_search_keys
from clinic.i18n import _
from clinic.store import sync as q


def refuse(file: str, why: str) -> BundleError:
    """The sentence of a bundle refused: its file, why, and that nothing changed."""
    return BundleError(
        _("{file} cannot be imported: {why} Nothing was changed.").format(file=file, why=why)
    )


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
class Checked:
    """A bundle that passed every check, as the process applying it gets it: its file,
    header and changeset (the sealed and signed bytes stay with the checks)."""

    file: str
    header: dict[str, Any]
    changeset: bytes

    @property
    def device_number(self) -> int:
        return int(self.header["device_number"])

    @property
    def sequence(self) -> int:
        return int(self.header["sequence"])


def apply_bundles(path: Path, bundles: list[Checked], actor: str) -> list[ImportResult]:
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


def _apply(path: Path, bundle: Checked, actor: str) -> ImportResult:
    number, sequence = bundle.device_number, bundle.sequence
    device = bundle.header["device"]
    with q.district_transaction(path) as conn:
        if q.bundle_applied(conn, number, sequence) is not None:
            return ImportResult(bundle.file, device, sequence, 0, 0, already=True)
        try:
            applied = q.apply_changeset(conn, bundle.changeset)
        except q.ForeignKeyProblem as exc:
            raise refuse(
                bundle.file,
                _(
                    "its records refer to records this database does not have (were they erased here?)."
                ),
            ) from exc
        except q.ApplyProblem as exc:
            raise refuse(
                bundle.file, _("SQLite could not apply it ({reason}).").format(reason=exc)
            ) from exc
        rebuild_search_keys(conn, bundle.changeset)
        q.record_bundle(conn, bundle.header, bundle.header["digest"], actor, applied)
        # rows of the district's updates the laptop lacks: its next update brings them again
        q.note_resend(conn, number, q.row_keys_read(bundle.header.get("left_out")))
        q.release_held(conn, number, sequence)
    return ImportResult(
        bundle.file, device, sequence, bundle.header["changes"], len(applied.conflicts), False
    )
