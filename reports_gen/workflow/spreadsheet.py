"""Read Excel and CSV exports as they come, and recognise their column headers.

An export is read into raw cells (as the spreadsheet holds them) with each row's number as
Excel or an editor shows it; the header row is found below any title rows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from reports_gen.dataset.csvfile import CELL_LIMIT  # noqa: F401  (importing it lifts csv's cell cap)
from reports_gen.dataset.schema import LINE
from reports_gen.errors import DataError, Param, Problem
from reports_gen.workflow.cells import is_empty, text_cell
from reports_gen.workflow.headers import (
    IMPORT_COLUMNS,
    TARGET_FILES,
    ColumnMap,
    canonical_column,
    header_key,
    map_columns,
)

__all__ = ["IMPORT_COLUMNS", "TARGET_FILES", "ColumnMap", "RawExport", "map_columns", "read_export"]

HEADER_SCAN = 30  # rows searched for the header, below title rows

_DELIMITERS = (",", ";", "\t")
_SHEETS = {
    "calls": ("calls", "call", "kunjungan"),
    "sales": ("sales", "penjualan", "order", "orders"),
    "activities": ("activities", "activity", "aktivitas", "kegiatan"),
    "prospects": ("prospects", "prospect", "prospek"),
    "outlets": ("outlets", "outlet", "toko", "pelanggan", "customers", "customer"),
    "team": ("team", "tim", "people", "karyawan", "sales", "salesman"),
}


@dataclass(frozen=True)
class RawExport:
    """An export as read: header texts, and data rows as raw cells with their source row number.

    `frame` has one column per source column (0, 1, ...) holding cells as read (text for CSV;
    str, int, float, bool or datetime for Excel) and `_line`, the row as Excel or an editor shows it.
    """

    path: Path
    header: tuple[str, ...]
    header_line: int
    frame: pd.DataFrame
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    # (row, column index) -> cell name of formula cells without a saved value (Excel only)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    malformed: Problem | None = None  # where a CSV file stopped being readable


def read_export(path: Path, kind: str | None = None) -> RawExport:
    """Read an .xlsx or CSV export (any common delimiter and encoding); raise DataError if unreadable."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise _unreadable(path, "file.unreadable", reason=str(exc.strerror)) from None
    suffix = path.suffix.lower()
    if suffix == ".xls" or magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable(
            path,
            "import.old-excel",
        )
    if magic.startswith(b"PK") or suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, kind)
    return _read_delimited(path, kind)


def _read_workbook(path: Path, kind: str | None) -> RawExport:
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        sheet = _choose_sheet(values.sheetnames, kind)
        rows = [list(row) for row in values[sheet].iter_rows(values_only=True)]
        uncached = _uncached_formulas(formulas[sheet], rows)
        values.close()
        formulas.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise _unreadable(path, "import.bad-workbook", reason=str(exc)) from None
    rows = [[None if is_empty(c) else c for c in row] for row in rows]
    names = tuple(values.sheetnames)
    raw = _with_header(path, rows, list(range(1, len(rows) + 1)), kind, str(sheet), names)
    return dataclasses.replace(raw, uncached=uncached)


def _uncached_formulas(sheet, values: list[list]) -> dict[tuple[int, int], str]:
    """Return (row, column index) -> cell name of formula cells that have no saved value."""
    found: dict[tuple[int, int], str] = {}
    for r, row in enumerate(sheet.iter_rows(values_only=True)):
        for c, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("=") and r < len(values):
                value = values[r][c] if c < len(values[r]) else None
                if value is None:
                    found[(r + 1, c)] = f"{get_column_letter(c + 1)}{r + 1}"
    return found


def _choose_sheet(names: list[str | int], kind: str | None) -> str | int:
    wanted = {header_key(n) for n in _SHEETS.get(kind or "", ())}
    return next((n for n in names if header_key(str(n)) in wanted), names[0])


def _read_delimited(path: Path, kind: str | None) -> RawExport:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise _unreadable(path, "import.binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel on Windows saves CSV in the ANSI code page
        text = raw.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    best: RawExport | None = None
    for delimiter in _DELIMITERS:
        rows, lines, error = _split_rows(text, delimiter)
        try:
            found = _with_header(path, rows, lines, kind)
        except DataError:
            continue
        if best is None or _known_count(found.header, kind) > _known_count(best.header, kind):
            best = dataclasses.replace(found, malformed=_malformed(path, error))
    if best is None:
        rows, lines, error = _split_rows(text, ",")
        if (problem := _malformed(path, error)) is not None:
            raise DataError([problem])
        return _with_header(path, rows, lines, kind)  # raises, saying no header was found
    return best


def _split_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int], tuple[int, str] | None]:
    """Split CSV text as `check` does (strict quoting); return rows, their lines and the first error."""
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return rows, lines, (start, str(exc))
    return rows, lines, None


def _malformed(path: Path, error: tuple[int, str] | None) -> Problem | None:
    if error is None:
        return None
    line, message = error
    return Problem.error(str(path), "csv.malformed", line, None, reason=message)


def _with_header(
    path: Path,
    rows: list[list],
    lines: list[int],
    kind: str | None,
    sheet: str | None = None,
    sheets: tuple[str, ...] = (),
) -> RawExport:
    at = _find_header(rows, kind)
    if at is None:
        in_sheet = sheet is not None and len(sheets) > 1
        raise _unreadable(
            path,
            "import.no-header-in-sheet" if in_sheet else "import.no-header",
            rows=HEADER_SCAN,
            sheet=repr(sheet),
        )
    header = [text_cell(c) for c in rows[at]]
    body = [
        (row, line)
        for row, line in zip(rows[at + 1 :], lines[at + 1 :], strict=True)
        if any(not is_empty(c) for c in row)
    ]
    width = max([len(header), *(len(row) for row, _ in body)])
    header += [""] * (width - len(header))
    columns = {
        i: pd.Series([row[i] if i < len(row) else None for row, _ in body], dtype=object)
        for i in range(width)
    }
    frame = pd.DataFrame(columns)
    frame[LINE] = pd.Series([line for _, line in body], dtype="int64")
    return RawExport(path, tuple(header), lines[at], frame, sheet, sheets)


def _find_header(rows: list[list], kind: str | None) -> int | None:
    """Return the index of the first row naming at least two known columns (title rows come before it)."""
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if _known_count([text_cell(c) for c in row], kind) >= 2:
            return index
    return None


def _known_count(header: list[str] | tuple[str, ...], kind: str | None) -> int:
    return sum(1 for h in header if h and canonical_column(h, kind) is not None)


def _unreadable(path: Path, code: str, **params: Param) -> DataError:
    return DataError([Problem.error(str(path), code, **params)])
