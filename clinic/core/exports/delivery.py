"""The one export pipeline: a dataset's rows mapped and masked, written in a
format (:mod:`clinic.core.tabular`), then recorded in the audit log; roster,
calendar and rejected-rows files go through :func:`deliver` too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from clinic.core.exports.dataset import Labels
from clinic.core.exports.datasets import dataset
from clinic.core.files import app_folder, private_folder
from clinic.core.privacy import mask_id, mask_phone
from clinic.core.reports import ReportFilters, resolve
from clinic.core.tabular import check_encoding, check_format, write_table
from clinic.i18n import _
from clinic.store import Store
from clinic.store import datasets as datasets_q


@dataclass
class ExportResult:
    dataset: str
    rows: int
    unmasked: bool
    target: str


def exports_folder(db_path: str | Path) -> Path:
    """Where the app's exports go unless the user names another folder:
    ``exports/`` beside the database, never the folder the app started in."""
    return Path(db_path).expanduser().absolute().parent / "exports"


def export_target(db_path: str | Path, name: str) -> Path:
    """The file a typed name means: a relative name is in :func:`exports_folder`."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else exports_folder(db_path) / path


def dataset_rows(
    store: Store,
    name: str,
    filters: ReportFilters | None = None,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
    fmt: str = "csv",
) -> Iterator[tuple]:
    """The rows of a dataset, mapped and masked, as a stream (tests sum these).
    ``fmt`` "json" keeps flag codes instead of words."""
    ds = dataset(name)
    filters = filters or ReportFilters()
    scope = resolve(store, filters)
    ctx = {
        "filters": filters.describe(),
        "labels": Labels(store, fmt),
        "id": (lambda v: v or "") if unmasked else mask_id,
        "phone": (lambda v: v or "") if unmasked else mask_phone,
        "today": (today or dt.date.today()).isoformat(),
    }
    return ds.rows(store, scope, ctx)


def count_rows(
    store: Store, name: str, filters: ReportFilters | None = None, *, today: dt.date | None = None
) -> int:
    """How many rows an export will write (for a progress bar): a count query
    for the large datasets, a pass over the small ones."""
    filters = filters or ReportFilters()
    if name == "visits":
        return datasets_q.count_visits(store, resolve(store, filters))
    if name == "handouts":
        return datasets_q.count_handouts(store, resolve(store, filters))
    if name in ("persons", "households"):
        return datasets_q.count_register(store, resolve(store, filters), name)
    return sum(1 for _row in dataset_rows(store, name, filters, today=today))


def export_dataset(
    store: Store,
    name: str,
    out: str | Path | IO,
    *,
    filters: ReportFilters | None = None,
    fmt: str = "csv",
    encoding: str = "utf-8-sig",
    unmasked: bool = False,
    actor: str = "",
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write dataset ``name`` to ``out``; record the export in the audit log."""
    ds = dataset(name)
    fmt = check_format(fmt)
    encoding = check_encoding(encoding)
    filters = filters or ReportFilters()
    rows: Iterable[tuple] = dataset_rows(
        store, name, filters, unmasked=unmasked, today=today, fmt=fmt
    )
    return deliver(
        store,
        out,
        lambda target: write_table(
            rows,
            ds.headers(fmt),
            target,
            fmt=fmt,
            encoding=encoding,
            text_columns=ds.text_columns(),
            progress=progress,
            sheet_title=_(ds.title),
        ),
        actor=actor,
        dataset=name,
        unmasked=unmasked,
        detail={"format": fmt, "filters": filters.describe()},
    )


def deliver(
    store: Store,
    out: str | Path | IO,
    write: Callable[[str | Path | IO], int],
    *,
    actor: str,
    dataset: str,
    unmasked: bool,
    detail: dict,
) -> ExportResult:
    """The one way an export reaches a user: written, then recorded; both or neither.

    ``write(out)`` writes the file (atomically, through
    :func:`clinic.core.files.write_atomic`) or the stream and returns how many
    rows it wrote. If the audit record cannot be written the file is taken
    back: no export exists without its record.
    """
    if isinstance(out, str | Path):
        folder = exports_folder(store.path)
        if folder in Path(out).absolute().parents:
            # The app's own folder (0700, even if an earlier version made it
            # wider); a subfolder named under it is made, private.
            app_folder(folder)
            private_folder(Path(out).absolute().parent)
    n = write(out)
    target = Path(out).name if isinstance(out, str | Path) else "-"
    try:
        record_export(
            store, actor=actor, dataset=dataset, rows=n, unmasked=unmasked, target=target, **detail
        )
    except BaseException:
        if isinstance(out, str | Path):
            Path(out).unlink(missing_ok=True)
        raise
    return ExportResult(dataset=dataset, rows=n, unmasked=unmasked, target=target)


def record_export(
    store: Store,
    *,
    actor: str,
    dataset: str,
    rows: int,
    unmasked: bool,
    target: str,
    **detail: Any,
) -> None:
    """One audit_log row per export: what, where, which filters, how many rows;
    never a value from the rows themselves."""
    from clinic.store import audit

    record = {"dataset": dataset, **detail, "file": target, "unmasked": unmasked}
    audit.record(store, actor, "export_unmasked" if unmasked else "export", record, rows)
