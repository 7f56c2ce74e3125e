"""Read a spreadsheet (CSV in any of the encodings Excel/WPS write, or .xlsx) as text rows.

Everything comes out as text, with the file line number of each row (header =
line 1), so that every later message can name the file, line and column.
Encoding: a BOM means UTF-8; else valid UTF-8; else GB18030 (a superset of
GBK, which Excel on Chinese Windows writes for "CSV").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clinic.core.errors import ImportFileError, InputError
from clinic.i18n import _

SUPPORTED = (".csv", ".txt", ".xlsx")


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    encoding: str = ""


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            _("Cannot read the text of the file: it is neither UTF-8 nor GBK/GB18030.")
        ) from exc


def read_table(path: str | Path) -> Table:
    """Read a .csv or .xlsx file; raise an ImportFileError naming the file if it can't be."""
    path = Path(path)
    if not path.exists():
        raise InputError(_("File not found: {file}").format(file=path))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            _("{file}: only .csv and .xlsx files can be imported.").format(file=path.name)
        )
    try:
        table = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    except InputError as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError(path, headline=f"{path.name}: {exc.message}") from exc
    if not table.headers:
        raise ImportFileError(
            path, headline=_("{file}: the file is empty (no header row).").format(file=path.name)
        )
    return table


def _read_csv(path: Path) -> Table:
    text, encoding = decode(path.read_bytes())
    if "\x00" in text:
        raise InputError(_("This is not a text CSV file (it contains binary data)."))
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table = Table(path=path, headers=[], encoding=encoding)
    try:
        for cells in reader:
            line = reader.line_num
            if not table.headers:
                if any(c.strip() for c in cells):
                    table.headers = [clean_cell(c) for c in cells]
                continue
            if any(c.strip() for c in cells):
                table.rows.append((line, [clean_cell(c) for c in cells]))
    except csv.Error as exc:
        raise InputError(
            _("line {line}: the CSV is malformed ({reason}).").format(
                line=reader.line_num, reason=exc
            )
        ) from exc
    return table


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InputError(_("This is not a readable Excel .xlsx file.")) from exc
    try:
        if not book.worksheets:
            raise InputError(_("This is not a readable Excel .xlsx file."))
        sheet = book.worksheets[0]
        table = Table(path=path, headers=[], encoding="xlsx")
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [xlsx_cell(v) for v in values]
            if not any(cells):
                continue
            if not table.headers:
                table.headers = cells
            else:
                table.rows.append((line, cells))
        return table
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise InputError(_("This is not a readable Excel .xlsx file.")) from exc
    finally:
        book.close()


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
