"""The roster and volunteers' calendars (.ics) as exports.

They go through the same pipeline as every dataset
(:func:`clinic.core.exports.deliver`): written privately and atomically, then
recorded in the audit log, or taken back when the record cannot be written.
Calendar files for everyone are named after the volunteers, through
:func:`clinic.core.files.safe_file_name`: a name such as ``../x`` or
``=HYPERLINK(...)`` stays inside the folder and runs nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from clinic.core.exports import ExportResult, deliver, record_export
from clinic.core.files import private_folder, safe_file_name, write_bytes_atomic
from clinic.core.planning import schedules
from clinic.core.tabular import check_encoding, check_format, write_table
from clinic.i18n import _
from clinic.store import Store


def export_roster(
    store: Store,
    out: str | Path | IO,
    *,
    date_from: str,
    date_to: str,
    by: str = "day",
    fmt: str = "csv",
    encoding: str = "utf-8-sig",
    unmasked: bool = False,
    actor: str = "",
) -> ExportResult:
    """The roster of the period as a table, by clinic day or by volunteer."""
    fmt = check_format(fmt)
    encoding = check_encoding(encoding)
    headers, rows = schedules.roster_table(store, date_from, date_to, by=by, unmasked=unmasked)
    return deliver(
        store,
        out,
        lambda target: write_table(
            rows,
            headers,
            target,
            fmt=fmt,
            encoding=encoding,
            text_columns=schedules.ROSTER_TEXT_COLUMNS,
            sheet_title=_("Roster"),
        ),
        actor=actor,
        dataset="roster",
        unmasked=unmasked,
        detail={"format": fmt, "from": date_from, "to": date_to, "by": by},
    )


def export_calendar(
    store: Store,
    volunteer_id: int,
    out: str | Path | IO,
    *,
    date_from: str,
    date_to: str,
    actor: str = "",
    now: dt.datetime | None = None,
) -> ExportResult:
    """One volunteer's clinic days as an iCalendar file (or stream); rows = events."""
    text, events = schedules.volunteer_ics(store, volunteer_id, date_from, date_to, now=now)
    data = text.encode("utf-8")

    def write(target: str | Path | IO) -> int:
        if isinstance(target, str | Path):
            write_bytes_atomic(Path(target), data)
        else:
            target.write(data)
        return events

    return deliver(
        store,
        out,
        write,
        actor=actor,
        dataset="ics",
        unmasked=False,
        detail={"format": "ics", "volunteer_id": volunteer_id, "from": date_from, "to": date_to},
    )


def calendar_file_name(volunteer: dict) -> str:
    """``<name>-<number>.ics``: the number tells namesakes apart."""
    return f"{safe_file_name(volunteer['name'], 'volunteer')}-{volunteer['id']}.ics"


def export_calendars(
    store: Store,
    folder: Path,
    *,
    date_from: str,
    date_to: str,
    actor: str = "",
    now: dt.datetime | None = None,
) -> ExportResult:
    """A calendar file for every volunteer with a clinic day in the period, in ``folder``.

    One audit record for the lot; if it cannot be written, the files written
    are taken back.
    """
    folder = private_folder(Path(folder))
    written: list[Path] = []
    try:
        for volunteer in schedules.volunteers_with_days(store, date_from, date_to):
            text, _events = schedules.volunteer_ics(
                store, volunteer["id"], date_from, date_to, now=now
            )
            path = folder / calendar_file_name(volunteer)
            write_bytes_atomic(path, text.encode("utf-8"))
            written.append(path)
        record_export(
            store,
            actor=actor,
            dataset="ics",
            rows=len(written),
            unmasked=False,
            target=folder.name,
            format="ics",
            all=True,
            **{"from": date_from, "to": date_to},
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return ExportResult(dataset="ics", rows=len(written), unmasked=False, target=str(folder))
