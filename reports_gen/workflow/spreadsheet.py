"""Read Excel and CSV exports as they come, and recognise their column headers.

An export is read into raw cells (as the spreadsheet holds them) with each row's number as
Excel or an editor shows it; the header row is found below any title rows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from reports_gen.dataset.schema import LINE, OUTLETS, WEEK_KINDS
from reports_gen.errors import DataError, Problem
from reports_gen.workflow.cells import is_empty, text_cell

HEADER_SCAN = 30  # rows searched for the header, below title rows
# The people of team.yaml as one table: `team_name` names a team the first time it appears.
TEAM_COLUMNS = ("person_id", "name", "role", "team", "team_name", "start", "end")
# The columns of each kind of file `import` reads, in the order they are written.
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    **{kind: spec.columns for kind, spec in WEEK_KINDS.items()},
    "outlets": OUTLETS.columns,
    "team": TEAM_COLUMNS,
}
TARGET_FILES = {
    **{kind: spec.name for kind, spec in WEEK_KINDS.items()},
    "outlets": "outlets.csv",
    "team": "team.yaml",
}
# A cell may be as long as the file: the csv module's default cap (128 KiB) would end the read.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
_DELIMITERS = (",", ";", "\t")
_SHEETS = {
    "calls": ("calls", "call", "kunjungan"),
    "sales": ("sales", "penjualan", "order", "orders"),
    "activities": ("activities", "activity", "aktivitas", "kegiatan"),
    "prospects": ("prospects", "prospect", "prospek"),
    "outlets": ("outlets", "outlet", "toko", "pelanggan", "customers", "customer"),
    "team": ("team", "tim", "people", "karyawan", "sales", "salesman"),
}

# Header spellings per column, compared without case, spaces or punctuation. `person` and
# `money` are concepts whose column depends on the kind of file (see _BY_KIND).
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "tanggal",
        "tgl",
        "tanggal kunjungan",
        "tgl kunjungan",
        "tanggal order",
        "tanggal transaksi",
        "tanggal aktivitas",
        "tanggal kegiatan",
        "visit date",
        "order date",
        "hari/tanggal",
    ),
    "person": (
        "rep_id",
        "person_id",
        "owner_id",
        "sales",
        "kode sales",
        "id sales",
        "sales id",
        "salesman",
        "kode salesman",
        "rep",
        "owner",
        "person",
        "pemilik",
        "pic",
        "karyawan",
        "kode karyawan",
        "id karyawan",
        "petugas",
        "kode petugas",
    ),
    "outlet_id": (
        "outlet_id",
        "kode outlet",
        "kode toko",
        "id outlet",
        "id toko",
        "outlet",
        "toko",
        "outlet id",
        "kode pelanggan",
        "kode customer",
        "customer id",
        "store id",
    ),
    "planned": ("planned", "rencana", "terencana", "direncanakan", "plan", "pjp"),
    "visited": ("visited", "kunjungan", "dikunjungi", "visit", "berkunjung"),
    "money": (
        "order_value",
        "nilai order",
        "nilai",
        "omzet",
        "omset",
        "total",
        "nilai penjualan",
        "penjualan",
        "total order",
        "nilai transaksi",
        "order value",
        "value",
        "amount",
    ),
    "units": ("units", "qty", "jumlah", "unit", "kuantitas", "quantity", "jumlah unit", "pcs"),
    "no_order_reason": (
        "no_order_reason",
        "alasan",
        "alasan tidak order",
        "alasan no order",
        "reason",
        "no order reason",
    ),
    "notes": ("notes", "catatan", "keterangan", "ket", "note", "remarks"),
    "channel": ("channel", "kanal", "saluran", "via"),
    "type": (
        "type",
        "jenis",
        "tipe",
        "tipe aktivitas",
        "jenis aktivitas",
        "jenis kegiatan",
        "aktivitas",
        "kegiatan",
        "activity type",
    ),
    "done": ("done", "selesai", "terlaksana", "dilaksanakan"),
    "prospect_id": ("prospect_id", "kode prospek", "id prospek", "prospek", "prospect", "prospect id"),
    "outcome": ("outcome", "hasil"),
    "name": (
        "name",
        "nama",
        "nama prospek",
        "nama calon",
        "nama toko",
        "nama outlet",
        "prospect name",
        "nama pelanggan",
        "outlet name",
        "nama sales",
        "nama salesman",
        "nama karyawan",
        "nama lengkap",
        "full name",
    ),
    "area": ("area", "wilayah", "region", "rayon"),
    "visits_per_week": (
        "visits_per_week",
        "kunjungan per minggu",
        "frekuensi",
        "frekuensi kunjungan",
        "visits per week",
        "freq",
    ),
    "lat": ("lat", "latitude", "lintang"),
    "lon": ("lon", "lng", "long", "longitude", "bujur"),
    "role": ("role", "jabatan", "posisi", "peran"),
    "team": ("team", "tim", "team id", "kode tim", "id tim"),
    "team_name": ("team_name", "nama tim", "team name"),
    "start": ("start", "mulai", "tanggal masuk", "tgl masuk", "start date", "join date", "mulai kerja"),
    "end": ("end", "keluar", "tanggal keluar", "tgl keluar", "end date", "selesai kerja"),
    "source": ("source", "sumber", "sumber prospek", "asal"),
    "stage": ("stage", "tahap", "tahapan", "status"),
    "expected_value": (
        "expected_value",
        "nilai potensi",
        "potensi",
        "potensi nilai",
        "estimasi nilai",
        "expected value",
    ),
}
_BY_KIND = {
    "person": {
        "calls": "rep_id",
        "sales": "rep_id",
        "activities": "person_id",
        "prospects": "owner_id",
        "outlets": "rep_id",
        "team": "person_id",
    },
    "money": {"calls": "order_value", "sales": "order_value", "prospects": "expected_value"},
}
# Columns exports often carry that repeat what team.yaml and outlets.csv already say: dropped
# with a warning rather than failing the import.
_INFORMATIONAL = (
    "no",
    "nomor",
    "no urut",
    "#",
    "hari",
    "nama sales",
    "nama salesman",
    "nama karyawan",
    "nama toko",
    "nama outlet",
    "nama pelanggan",
    "area",
    "wilayah",
    "alamat",
    "kota",
    "sales name",
    "outlet name",
    "rep name",
    "address",
    "city",
    "tim",
    "team",
    "nama tim",
    "team name",
)
# The columns an import cannot do without (the others default to empty).
_NEEDED = {
    "calls": ("date", "rep_id", "outlet_id"),
    "sales": ("date", "rep_id", "outlet_id"),
    "activities": ("date", "person_id", "type"),
    "prospects": ("date", "prospect_id", "stage"),
    "outlets": ("outlet_id", "name", "rep_id"),
    "team": ("person_id", "name", "team"),
}
_ONE_OF = {"calls": ("planned", "visited"), "activities": ("planned", "done")}


def header_key(text: str) -> str:
    """Reduce a header to what identifies it: lowercase letters and digits, no `(Rp)` notes."""
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch == "#")


_ALIAS_KEYS = {header_key(alias): column for column, aliases in _ALIASES.items() for alias in aliases}
_INFORMATIONAL_KEYS = {header_key(name) for name in _INFORMATIONAL}


def canonical_column(header: str, kind: str | None) -> str | None:
    """Return the SPEC column a header names in a file of `kind` (any kind when None), or None."""
    concept = _ALIAS_KEYS.get(header_key(header))
    if concept is None:
        return None
    if kind is None:
        return concept
    column = _BY_KIND[concept].get(kind) if concept in _BY_KIND else concept
    return column if column in IMPORT_COLUMNS[kind] else None


def example_headers(column: str, kind: str) -> list[str]:
    """Return header spellings that mean `column` in a file of `kind` (besides `column` itself)."""
    concept = next((c for c, by_kind in _BY_KIND.items() if by_kind.get(kind) == column), column)
    return [a.title() for a in _ALIASES[concept] if "_" not in a and a != column]


@dataclass(frozen=True)
class ColumnMap:
    """Which source column (by position) holds which SPEC column, and what was wrong with the header."""

    columns: dict[str, int]
    headers: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


def map_columns(raw: RawExport, kind: str) -> ColumnMap:
    """Match the export's headers to the SPEC columns of `kind`, reporting unknown and duplicate ones."""
    path, line = str(raw.path), raw.header_line
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, header in enumerate(raw.header):
        where = _column_label(raw, index)
        filled = raw.frame[index].map(lambda c: not is_empty(c)).any() if len(raw.frame) else False
        if not header:
            if filled:
                problems.append(
                    Problem(
                        path,
                        line,
                        None,
                        "error",
                        f"column {where} has values but no header",
                        "give the column a header, or delete it",
                    )
                )
            continue
        column = canonical_column(header, kind)
        if column is None and header_key(header) in _INFORMATIONAL_KEYS:
            problems.append(
                Problem(
                    path,
                    line,
                    None,
                    "warning",
                    f"column {header!r} ignored",
                    "names, areas and row numbers come from team.yaml and outlets.csv",
                )
            )
        elif column is None:
            problems.append(
                Problem(
                    path,
                    line,
                    None,
                    "error",
                    f"unknown column {header!r} in column {where}",
                    f"{TARGET_FILES[kind]} columns are "
                    + ", ".join(IMPORT_COLUMNS[kind])
                    + "; rename the header or delete the column",
                )
            )
        elif column in columns:
            first = raw.header[columns[column]]
            problems.append(
                Problem(
                    path,
                    line,
                    None,
                    "error",
                    f"columns {first!r} and {header!r} both mean {column}",
                    "delete or rename one of them",
                )
            )
        else:
            columns[column] = index
    missing = [c for c in _NEEDED[kind] if c not in columns]
    for column in missing:
        problems.append(
            Problem(
                path,
                line,
                None,
                "error",
                f"no column for {column}",
                f"name it {column}, or " + ", ".join(example_headers(column, kind)[:3]),
            )
        )
    one_of = _ONE_OF.get(kind)
    if one_of and not any(c in columns for c in one_of):
        problems.append(
            Problem(
                path,
                line,
                None,
                "error",
                f"no column for {one_of[0]} or {one_of[1]}",
                f"name them, for example, {example_headers(one_of[0], kind)[0]} and "
                f"{example_headers(one_of[1], kind)[0]}",
            )
        )
    return ColumnMap(columns, {c: raw.header[i] for c, i in columns.items()}, problems)


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
        raise _unreadable(path, f"cannot read file: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".xls" or magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable(
            path,
            "old Excel 97-2003 (.xls) files cannot be read",
            "open it in Excel and save it as .xlsx or CSV",
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
        raise _unreadable(path, f"cannot read the workbook: {exc}", "save it again as .xlsx or CSV") from None
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
        raise _unreadable(path, "binary content: not a CSV file or an .xlsx workbook")
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
        if error is not None:
            raise DataError([_malformed(path, error)])
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
    hint = "check the double quotes on this line"
    return Problem(str(path), line, None, "error", f"malformed CSV: {message}", hint)


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
        where = f"sheet {sheet!r} of " if sheet is not None and len(sheets) > 1 else ""
        raise _unreadable(
            path,
            f"no header row found in the first {HEADER_SCAN} rows of {where}the file",
            "the header names the columns, e.g. Tanggal, Kode Sales, Kode Outlet, Kunjungan, Nilai Order",
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


def _column_label(raw: RawExport, index: int) -> str:
    if raw.sheet is None:
        return str(index + 1)
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unreadable(path: Path, message: str, hint: str = "") -> DataError:
    return DataError([Problem(str(path), None, None, "error", message, hint)])
