"""Write rows to CSV, Excel or JSON the way a Chinese Windows machine opens them.

Every export and every report file goes through :func:`write_table`, so the
rules that keep a coordinator's spreadsheet right live in one place:

* CSV is UTF-8 *with* a BOM by default: without it Excel and WPS read the
  file as GBK and garble every name. ``gb18030`` is offered too (GBK lacks
  rare name characters such as 䶮; GB18030 covers all of Unicode).
* A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return runs as a formula when the file is opened; it is neutralised with a
  leading ``'`` (OWASP "CSV injection"). In xlsx openpyxl would even store
  such a cell *as* a formula, so it is neutralised there as well. JSON is
  data, not a spreadsheet, and is written unchanged.
* ID-like columns (``text_columns``) are written as text in xlsx, so an
  18-digit ID number never becomes 5.00222E+17 and a leading zero stays.
* Rows are streamed: nothing is collected, memory stays flat whatever the
  size (csv.writer per row; openpyxl's write-only workbook; a JSON array
  written element by element).
* A file is written through :func:`clinic.core.files.write_atomic`: beside its
  target, private (0600 in 0700 folders) and renamed into place at the end, so
  a failed or cancelled export never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from clinic.core.errors import FieldError
from clinic.core.files import write_atomic
from clinic.i18n import _

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-8", "gb18030")

# Characters that make a spreadsheet read a cell as a formula (or, for tab and
# CR, shift it into a formula position).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset("".join(FORMULA_STARTS))

# openpyxl refuses these control characters in a cell; they never belong in
# a register anyway.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

PROGRESS_EVERY = 1000


def neutralise(value: Any) -> Any:
    """``value`` made safe to open in a spreadsheet: a string that would start
    a formula gets a leading ``'``; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def check_format(fmt: str) -> str:
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise FieldError(
            _("Unknown file format {value}; use one of: {choices}.").format(
                value=fmt, choices=", ".join(FORMATS)
            )
        )
    return fmt


def check_encoding(encoding: str) -> str:
    value = (encoding or "utf-8-sig").lower().replace("_", "-")
    aliases = {"utf8": "utf-8", "utf-8-bom": "utf-8-sig", "utf8-sig": "utf-8-sig", "gbk": "gb18030"}
    value = aliases.get(value, value)
    if value not in ENCODINGS:
        raise FieldError(
            _("Unknown encoding {value}; use one of: {choices}.").format(
                value=encoding, choices=", ".join(ENCODINGS)
            )
        )
    return value


def format_for_path(path: str | Path, default: str = "csv") -> str:
    """The format a file name asks for (``.xlsx``, ``.json``, else ``default``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


def format_from_name(path: str | Path) -> str:
    """The format a file name asks for: ``.csv``, ``.xlsx`` or ``.json``; a
    name without an extension is CSV. Any other extension is an error, never
    CSV text quietly written into ``report.pdf``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        return "csv"
    if suffix not in FORMATS:
        raise FieldError(
            _(
                "Cannot tell the format of {file} from its extension: name it .csv, .xlsx or .json."
            ).format(file=Path(path).name)
        )
    return suffix


def _plain(value: Any) -> Any:
    """Dates as ISO text (the domain's rule for every export), Decimal as float."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Counter:
    """Count rows and report progress every ``every`` rows (the callback may
    raise to cancel: the partial file is then removed)."""

    def __init__(self, progress: Callable[[int], None] | None, every: int) -> None:
        self.n = 0
        self.progress = progress
        self.every = max(1, every)

    def tick(self) -> None:
        self.n += 1
        if self.progress is not None and self.n % self.every == 0:
            self.progress(self.n)

    def done(self) -> None:
        if self.progress is not None:
            self.progress(self.n)


def _is_text_column(index: int, text_columns: set[int] | None) -> bool:
    return text_columns is None or index in text_columns


# -- writers over an open stream -------------------------------------------------


def _write_csv(rows, headers, stream: IO[str], text_columns, counter: _Counter) -> None:
    # The hot loop of every export: only the text columns are looked at, and a
    # row is copied only when one of its cells needs the quote. csv.writer
    # itself writes None as an empty cell and a date or datetime in ISO form
    # (str() of it).
    writer = csv.writer(stream)
    writer.writerow([neutralise(h) for h in headers])
    text_idx = [i for i in range(len(headers)) if text_columns is None or i in text_columns]
    first = _FORMULA_FIRST
    writerow = writer.writerow
    tick = counter.tick
    for row in rows:
        fixed = None
        for i in text_idx:
            value = row[i]
            if type(value) is str and value[:1] in first:  # noqa: E721 - exact type on purpose (speed)
                if fixed is None:
                    fixed = list(row)
                fixed[i] = "'" + value
        writerow(row if fixed is None else fixed)
        tick()


def _write_json(rows, headers, stream: IO[str], counter: _Counter) -> None:
    stream.write("[")
    first = True
    for row in rows:
        item = {h: _plain(v) for h, v in zip(headers, row, strict=False)}
        stream.write("\n  " if first else ",\n  ")
        stream.write(json.dumps(item, ensure_ascii=False))
        first = False
        counter.tick()
    stream.write("\n]\n" if not first else "]\n")


_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str | None) -> str:
    """``title`` as an Excel sheet name: at most 31 characters, none of
    ``[ ] : * ? / \\``, not starting or ending with ``'``; "Data" when empty."""
    name = _SHEET_ILLEGAL.sub(" ", _XLSX_ILLEGAL.sub("", title or "")).strip().strip("'").strip()
    return name[:31].strip() or "Data"


def _write_xlsx(
    rows,
    headers,
    target: IO[bytes] | str,
    text_columns,
    counter: _Counter,
    sheet_title: str | None = None,
) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    add_sheet(wb, sheet_title, headers, rows, text_columns, counter.tick)
    wb.save(target)


def add_sheet(
    wb: Any,
    title: str | None,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    text_columns: set[int] | None,
    tick: Callable[[], None] = lambda: None,
) -> Any:
    """A sheet of ``headers`` and ``rows`` appended to the write-only workbook
    ``wb``, by the rules of every export (bold frozen header, text columns as
    text, formulas neutralised); ``tick()`` after each row. Returns the sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title=sheet_name(title) if title else None)
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers):
        letter = _column_letter(i)
        # Wide enough for the header in CJK (2 columns per character) or an ID number.
        width = max(10, min(40, 2 * len(str(header)) + 2))
        if text_columns is not None and i in text_columns:
            width = max(width, 20)
        ws.column_dimensions[letter].width = width
    bold = Font(bold=True)
    head_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=_xlsx_text(neutralise(str(header))))
        cell.font = bold
        head_cells.append(cell)
    ws.append(head_cells)
    text_set = text_columns if text_columns is not None else set()
    for row in rows:
        cells: list[Any] = []
        for i, value in enumerate(row):
            if value is None:
                cells.append(None)
                continue
            value = _plain(value)
            if i in text_set:
                cell = WriteOnlyCell(ws, value=_xlsx_text(neutralise(str(value))))
                cell.number_format = "@"
                cells.append(cell)
            elif isinstance(value, str):
                cells.append(_xlsx_text(neutralise(value)))
            else:
                cells.append(value)
        ws.append(cells)
        tick()
    return ws


def _xlsx_text(value: str) -> str:
    return _XLSX_ILLEGAL.sub("", value)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# -- the entry point ----------------------------------------------------------------


def write_table(
    rows: Iterable[Sequence],
    headers: list[str],
    out: str | Path | IO,
    fmt: str = "csv",
    encoding: str = "utf-8-sig",
    text_columns: set[int] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    sheet_title: str | None = None,
) -> int:
    """Write ``headers`` then ``rows`` to ``out``; return the number of rows written.

    ``out`` is a path (written atomically: a temporary file renamed into
    place), a binary stream (encoded with ``encoding``; the BOM comes from
    ``utf-8-sig``) or a text stream (characters written as they are, no BOM:
    the stream owns its encoding). xlsx needs a path or a binary stream.

    ``text_columns`` are the indexes of columns holding text: their string
    cells are neutralised (see :func:`neutralise`) and in xlsx every cell is
    written as text (ID numbers, phones, household numbers). ``None`` means
    every string cell is text. ``progress(n)`` is called every
    ``progress_every`` rows and once at the end; it may raise to cancel.
    ``sheet_title`` names the xlsx sheet (see :func:`sheet_name`).
    """
    fmt = check_format(fmt)
    encoding = check_encoding(encoding)
    if fmt == "json" and encoding == "utf-8-sig":
        encoding = "utf-8"  # RFC 8259: JSON never starts with a BOM (json.loads refuses it)
    headers = [str(h) for h in headers]
    counter = _Counter(progress, progress_every)

    def to_stream(stream: IO) -> None:
        if fmt == "xlsx":
            if isinstance(stream, io.TextIOBase):
                raise FieldError(
                    _("An Excel file cannot be written to the terminal; name a file with -o.")
                )
            _write_xlsx(rows, headers, stream, text_columns, counter, sheet_title)
            return
        if isinstance(stream, io.TextIOBase):
            _write_text(stream)
            stream.flush()
            return
        text = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=False)
        try:
            _write_text(text)
            text.flush()
        finally:
            with contextlib.suppress(ValueError):
                text.detach()

    def _write_text(text: IO[str]) -> None:
        if fmt == "csv":
            _write_csv(rows, headers, text, text_columns, counter)
        else:
            _write_json(rows, headers, text, counter)

    if isinstance(out, str | Path):

        def fill(stream: IO[bytes]) -> None:
            to_stream(stream)
            # The last progress call may still cancel: before the file is in place.
            counter.done()

        write_atomic(Path(out), fill)
    else:
        to_stream(out)
        counter.done()
    return counter.n
