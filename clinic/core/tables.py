"""Read a spreadsheet (CSV in any of the encodings Excel/WPS write, or .xlsx) as text rows.

Everything comes out as text, with the file line number of each row (header =
line 1), so that every later message can name the file, line and column.
Encoding: a BOM means UTF-8 (Excel's "CSV UTF-8") or UTF-16 (Excel's "Unicode
text", tab-separated); else valid UTF-8; else GB18030 (a superset of GBK,
which Excel on Chinese Windows writes for "CSV"). In .xlsx the value Excel
saved with each formula is read; a formula without one refuses the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from clinic.core.errors import ImportFileError, InputError
from clinic.i18n import _

SUPPORTED = (".csv", ".txt", ".xlsx")


@dataclass
class Table:
    """A file's header and its data rows as ``(line, cells)``.

    ``rows`` is a list when the table was read whole (:func:`read_table`) and
    a one-pass iterator inside :func:`open_table`, which streams: an import
    of 200,000 rows never holds the file's text or all its cells at once.
    """

    path: Path
    headers: list[str]
    rows: Iterable[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""
    # About how many lines the file has, header included (0: not known): what a
    # progress bar counts towards while the rows are streamed.
    lines_hint: int = 0


_CHUNK = 1 << 20
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError as exc:
                raise _unreadable() from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _unreadable() from exc


def _unreadable() -> InputError:
    return InputError(_("Cannot read the text of the file: it is neither UTF-8 nor GBK/GB18030."))


def detect_encoding(path: Path) -> str:
    """The encoding of a text file, found the way :func:`decode` finds it but
    reading in chunks (the file's text is never held whole): a BOM (UTF-8, or
    UTF-16 as Excel's "Unicode text" writes), else valid UTF-8, else GB18030.
    Refuses a file that is binary (a NUL character once decoded)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    candidates = [enc for bom, enc in _BOMS if head.startswith(bom)] or ["utf-8", "gb18030"]
    for encoding in candidates:
        verdict = _decodes(path, encoding)
        if verdict is None:
            continue
        if verdict:
            raise InputError(_("This is not a text CSV file (it contains binary data)."))
        return encoding
    raise _unreadable()


def _decodes(path: Path, encoding: str) -> bool | None:
    """None when ``path`` is not valid ``encoding``; else whether its text holds a NUL."""
    decoder = codecs.getincrementaldecoder(encoding)()
    has_nul = False
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                has_nul = "\x00" in decoder.decode(chunk) or has_nul
            has_nul = "\x00" in decoder.decode(b"", final=True) or has_nul
    except UnicodeDecodeError:
        return None
    return has_nul


def read_table(path: str | Path) -> Table:
    """Read a .csv or .xlsx file whole; raise an ImportFileError naming the file if it can't be."""
    with open_table(path) as table:
        table.rows = list(table.rows)
    return table


@contextmanager
def open_table(path: str | Path) -> Iterator[Table]:
    """Open a .csv or .xlsx file: the header is read at once, the rows as they
    are iterated. Errors raise an ImportFileError naming the file, also those
    met while the rows are read."""
    path = Path(path)
    if not path.exists():
        raise InputError(_("File not found: {file}").format(file=path))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            _("{file}: only .csv and .xlsx files can be imported.").format(file=path.name)
        )
    with contextlib.ExitStack() as stack:
        try:
            opener = _open_xlsx if suffix == ".xlsx" else _open_csv
            table = stack.enter_context(opener(path))
        except InputError as exc:
            raise _file_error(path, exc) from exc
        if not table.headers:
            raise ImportFileError(
                path,
                headline=_("{file}: the file is empty (no header row).").format(file=path.name),
            )
        table.rows = _named_errors(path, table.rows)
        yield table


def _file_error(path: Path, exc: InputError) -> ImportFileError:
    if isinstance(exc, ImportFileError):
        return exc
    return ImportFileError(path, headline=f"{path.name}: {exc.message}")


def _named_errors(path: Path, rows: Iterable[tuple[int, list[str]]]):
    try:
        yield from rows
    except InputError as exc:
        raise _file_error(path, exc) from exc


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(fh, dialect)
        table = Table(path=path, headers=[], encoding=encoding, lines_hint=_count_lines(path))
        rows = _csv_rows(reader)
        for _line, cells in rows:
            table.headers = cells
            break
        table.rows = rows
        yield table


def _count_lines(path: Path) -> int:
    """Line ends in the file (a cell may hold one too: an estimate), read in chunks."""
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            count += chunk.count(b"\n")
    return count


def _csv_rows(reader) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows with their (first) file line; cells cleaned."""
    try:
        for cells in reader:
            joined = "".join(cells)
            if not joined.strip():
                continue
            if "\ufeff" in joined:
                yield reader.line_num, [clean_cell(c) for c in cells]
            else:
                yield reader.line_num, list(map(str.strip, cells))
    except csv.Error as exc:
        raise InputError(
            _("line {line}: the CSV is malformed ({reason}).").format(
                line=reader.line_num, reason=exc
            )
        ) from exc


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InputError(_("This is not a readable Excel .xlsx file.")) from exc
    try:
        if not book.worksheets:
            raise InputError(_("This is not a readable Excel .xlsx file."))
        sheet = book.worksheets[0]
        try:
            if _has_formulas(path):
                _refuse_formulas_without_values(path, sheet)
            rows = _xlsx_rows(sheet)
            table = Table(path=path, headers=[], encoding="xlsx", lines_hint=sheet.max_row or 0)
            for _line, cells in rows:
                table.headers = cells
                break
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
            raise InputError(_("This is not a readable Excel .xlsx file.")) from exc
        table.rows = rows
        yield table
    finally:
        book.close()


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    try:
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [xlsx_cell(v) for v in values]
            if any(cells):
                yield line, cells
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise InputError(_("This is not a readable Excel .xlsx file.")) from exc


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet's XML holds a formula element: a quick byte scan of
    the zip (no private openpyxl names), so a file without formulas is read once.
    A formula on another sheet only means the first sheet is checked properly."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as src:
                while chunk := src.read(_CHUNK):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _refuse_formulas_without_values(path: Path, sheet) -> None:
    """Excel and WPS save each formula's last result beside it, and that is
    what is imported. A file written by another program may hold a formula
    with no saved result: importing it as empty would silently lose an ID
    number or a condition, so the file is refused, naming every such cell."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        missing = [
            cell.coordinate
            for f_row, v_row in zip(
                formulas.worksheets[0].iter_rows(), sheet.iter_rows(), strict=False
            )
            for cell, saved in zip(f_row, v_row, strict=False)
            if cell.data_type == "f" and saved.value is None and saved.data_type != "str"
        ]
    finally:
        formulas.close()
    if not missing:
        return
    lines = [
        _(
            "{file}, sheet {sheet}, cell {cell}: a formula with no saved value; open and save the file in Excel/WPS first."
        ).format(file=path.name, sheet=1, cell=cell)
        for cell in missing[:20]
    ]
    if len(missing) > 20:
        lines.append(_("... and {n} more.").format(n=len(missing) - 20))
    raise ImportFileError(path, headline="\n".join(lines))


def xlsx_cell(value: object) -> str:
    """An Excel value as the text a person typed (numbers without '.0', dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).upper() if abs(value) >= 1e15 else str(value)
    return clean_cell(str(value))


def clean_cell(text: str) -> str:
    return text.replace("\ufeff", "").strip()


def header_key(text: str) -> str:
    """Fold a header for matching: NFKC, no spaces/underscores/brackets, lower-case."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_()\[\]（）/·*:：-]+", "", text)


@dataclass
class HeaderMap:
    columns: dict[str, int]  # field -> column index
    unknown: list[str]  # headers that match no field (ignored, reported)
    duplicate: list[str]  # headers naming a field already mapped
    missing: list[str]  # required fields with no column


def map_headers(
    table: Table, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> HeaderMap:
    """Match the file's headers to fields through their accepted spellings."""
    lookup = {
        header_key(alias): name for name, names in aliases.items() for alias in (name, *names)
    }
    result = HeaderMap(columns={}, unknown=[], duplicate=[], missing=[])
    for index, header in enumerate(table.headers):
        if not header:
            continue
        known = lookup.get(header_key(header))
        if known is None:
            result.unknown.append(header)
        elif known in result.columns:
            result.duplicate.append(header)
        else:
            result.columns[known] = index
    result.missing = [name for name in required if name not in result.columns]
    return result


def iter_records(table: Table, columns: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    for line, cells in table.rows:
        record = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        yield line, record


def iter_cells(
    table: Table, columns: dict[str, int]
) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """Like :func:`iter_records`, with each row's cells as in the file (for
    the rejected-rows file)."""
    items = list(columns.items())
    names = [name for name, _i in items]
    # A row with every mapped column (the usual case) is picked in one C call.
    pick = itemgetter(*[i for _name, i in items]) if len(items) > 1 else None
    width = max((i for _name, i in items), default=-1) + 1
    for line, cells in table.rows:
        n = len(cells)
        if pick is not None and n >= width:
            yield line, dict(zip(names, pick(cells), strict=True)), cells
        else:
            yield line, {name: (cells[i] if i < n else "") for name, i in items}, cells


def iter_fields(
    table: Table, columns: dict[str, int], fields: tuple[str, ...]
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Each row's cells of ``fields``, in that order, as one tuple ("" for a field
    without a column and for a cell the row lacks), with the row's cells as in the
    file (for a rejected-rows file). A tuple rather than a dict per row, made in one
    call: the register import reads 200,000 rows with this."""
    width = max(columns.values(), default=-1) + 1
    # Every row is padded with empty cells: a missing field reads the last one,
    # a cell a short row lacks reads one of the padding.
    blank = [""] * (width + 1)
    places = [columns.get(name, -1) for name in fields]
    if len(places) == 1:
        only = places[0]
        for line, cells in table.rows:
            yield line, ((cells + blank)[only],), cells
        return
    pick = itemgetter(*places)
    for line, cells in table.rows:
        yield line, pick(cells + blank), cells
