"""Import a village household register (one row per person) from CSV or Excel.

The whole file is checked first; by default a single bad row means nothing is
written and every problem is listed (file line, column, what is wrong).
``skip_bad`` writes the good rows and puts the rejected ones, with a reason
column, in a CSV beside the input. Everything written is one transaction.
Matching makes a second import of the same file change nothing: a household
by (village, 户编号) or, without a number, (village, 户主姓名); a person by
ID number, else household + name + birth date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Iterator
from pathlib import Path

from clinic.core.errors import ImportFileError, Problem
from clinic.core.imports.first_load import FirstLoad, NoLongerFresh
from clinic.core.imports.register_checks import RowChecker
from clinic.core.imports.register_fields import (
    BATCH_ROWS,
    FIELD_LABELS,
    FIELDS,
    REGISTER_COLUMNS,
    REQUIRED,
    ImportResult,
    PersonRow,
    Progress,
)
from clinic.core.imports.register_writer import HouseholdWriter, household_key
from clinic.core.imports.register_writes import FILLED_TABLES, is_fresh
from clinic.core.privacy import mask_id, mask_phone
from clinic.core.rejected import write_rejected
from clinic.core.tables import iter_fields, map_headers, open_table
from clinic.i18n import _
from clinic.store import Store, bulk
from clinic.store import audit as audit_q
from clinic.store.counts import count


def import_register(
    store: Store,
    path: str | Path,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    township: str | None = None,
    village: str | None = None,
    actor: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
    unmasked: bool = False,
) -> ImportResult:
    """Check then write a register file; see the module docstring for the rules.

    The file is streamed: its rows are checked as they are read and only the
    checked values (and the cells of rejected rows) are kept until written.
    ``unmasked`` writes whole ID numbers and phones into the rejected-rows file.
    """
    with _cycle_collector_paused():
        return _import(
            store, path, skip_bad, dry_run, township, village, actor, today, progress, unmasked
        )


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a register is imported.

    The checked rows of a whole file stay in memory until they are written,
    and every collection walks all of them again: a tenth of the import's
    time at 200,000 persons. The import makes no reference cycles of its own
    that outlive it (what it drops is freed by reference counting; a first
    load breaks its one, writer and callback, when it ends), so memory stays the same;
    cycles made meanwhile are collected once the collector runs again. The
    collector is the process's: another thread's cycles wait too, for the
    import's duration (today only ``clinic import register`` imports one).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    store: Store,
    path: str | Path,
    skip_bad: bool,
    dry_run: bool,
    township: str | None,
    village: str | None,
    actor: str,
    today: dt.date | None,
    progress: Progress | None,
    unmasked: bool,
) -> ImportResult:
    today = today or dt.date.today()
    with open_table(path) as table:
        headers = map_headers(table, REGISTER_COLUMNS, REQUIRED)
        problems = _header_problems(
            table, headers.missing, headers.duplicate, township, village, headers.columns
        )
        if problems:
            raise ImportFileError(table.path, problems)
        checker = RowChecker(table, headers.columns, township, village, store, today, skip_bad)
        result = ImportResult(file=table.path, ignored_columns=headers.unknown, dry_run=dry_run)
        first = None
        if not dry_run and is_fresh(store):
            first = FirstLoad(store, result, progress, max(table.lines_hint - 1, 0))
            checker.on_good = first.add
            checker.on_refusal = first.abandon  # nothing will be written: the lock let go
        with first or contextlib.nullcontext():
            for line, raw, cells in iter_fields(table, headers.columns, FIELDS):
                checker.check(line, raw, cells)
            rejected = sorted(checker.rejected, key=lambda r: r.line)
            result.rows = checker.rows
            result.problems = [p for r in rejected for p in r.problems]
            result.rejected = len(rejected)
            if rejected and not skip_bad:
                raise ImportFileError(table.path, result.problems)  # the child rolls back
            if dry_run:
                _simulate(store, checker.good, result)
                return result
            if first is None or not _first_load_committed(first, checker, result, actor):
                _write(store, checker.good, result, actor, progress)
    if rejected:
        masks = {
            headers.columns[name]: mask for name, mask in _MASKS.items() if name in headers.columns
        }
        result.rejected_file = write_rejected(
            store, table.path, table.headers, rejected, masks=masks, unmasked=unmasked, actor=actor
        )
    return result


# Columns of the rejected-rows file masked unless the coordinator asks (a
# disability certificate number is the ID number and two more digits).
_MASKS = {"id_number": mask_id, "phone": mask_phone, "disability_cert": mask_id}


def _first_load_committed(
    first: FirstLoad, checker: RowChecker, result: ImportResult, actor: str
) -> bool:
    """The first load's commit (see :mod:`.first_load`); False when the database
    changed meanwhile and nothing was written (its counts are taken back). The
    checked rows are let go while the child commits, once it has said it writes
    them: only the fallback would need them."""
    try:
        first.commit(lambda: _audit_line(result, actor), meanwhile=checker.good.clear)
    except NoLongerFresh:
        result.villages_created = 0
        result.households = dict.fromkeys(result.households, 0)
        result.persons = dict.fromkeys(result.persons, 0)
        return False
    return True


def _audit_line(result: ImportResult, actor: str) -> tuple[str, str, str, int]:
    """The import's line in the audit log: actor, action, detail, rows written."""
    written = sum(result.persons.values())
    return (
        actor,
        "import_register",
        json.dumps({"file": result.file.name}, ensure_ascii=False),
        written,
    )


def _header_problems(table, missing, duplicate, township, village, columns) -> list[Problem]:
    problems = [
        Problem(1, _(FIELD_LABELS[name]), _("required column is missing.")) for name in missing
    ]
    problems += [
        Problem(1, header, _("the same information appears in two columns."))
        for header in duplicate
    ]
    if "township" not in columns and not township:
        problems.append(
            Problem(1, _("township"), _("no township column: add one (乡镇) or give --township."))
        )
    if "village" not in columns and not village:
        problems.append(
            Problem(1, _("village"), _("no village column: add one (村) or give --village."))
        )
    if "household_number" not in columns and "head_name" not in columns:
        problems.append(
            Problem(
                1,
                _("household number"),
                _(
                    "need a household number column (户编号) or a head-of-household column (户主姓名) to form households."
                ),
            )
        )
    return problems


def _grouped(rows: list[PersonRow]) -> dict[tuple, list[PersonRow]]:
    households: dict[tuple, list[PersonRow]] = {}
    for row in rows:
        households.setdefault(household_key(row), []).append(row)
    return households


def _write(
    store: Store,
    rows: list[PersonRow],
    result: ImportResult,
    actor: str,
    progress: Progress | None,
    *,
    dry_run: bool = False,
) -> None:
    """Write every row in one transaction, a batch of households at a time
    (for a dry run: without search keys, which change no figure of the result).

    Into a database without persons or households nothing can match: nothing
    is looked up, and the indexes are built once at the end rather than kept
    up to date row by row. (A first load is :mod:`.first_load`'s; this is
    its fallback when the database changed between its plan and its lock:
    still without persons when only places changed.)
    """
    households = _grouped(rows)
    total = len(rows)
    done = 0
    with store.transaction(), bulk.large_cache(store), contextlib.ExitStack() as stack:
        villages_before = count(store, "villages")
        fresh = is_fresh(store)
        if fresh and not dry_run:
            stack.enter_context(bulk.indexes_built_after(store, FILLED_TABLES))
        writer = HouseholdWriter(store, result, keys=not dry_run, fresh=fresh, writes=not dry_run)
        batch: list[tuple[tuple, list[PersonRow]]] = []
        size = 0
        for key, members in households.items():
            batch.append((key, members))
            size += len(members)
            if size >= BATCH_ROWS:
                writer.write(batch)
                done += size
                batch, size = [], 0
                if progress:
                    progress(done, total)
        if batch:
            writer.write(batch)
            done += size
            if progress:
                progress(done, total)
        writer.flush()
        result.villages_created = count(store, "villages") - villages_before
        audit_q.record(store, *_audit_line(result, actor))


def _simulate(store: Store, rows: list[PersonRow], result: ImportResult) -> None:
    """What a real import would do, written inside a transaction that is
    rolled back. Search keys change no figure of the result: they are skipped.
    Into a database without persons or households nothing is looked up, so
    only the villages are written: the writer's memory gives every count."""

    class _Rollback(Exception):
        """Not a user error: ends the dry run's transaction so that it rolls back."""

    try:
        with store.transaction():
            _write(store, rows, result, "", None, dry_run=True)
            raise _Rollback
    except _Rollback:
        pass
