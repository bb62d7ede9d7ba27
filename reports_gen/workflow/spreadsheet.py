"""Read Excel and CSV exports as they come, and recognise their column headers.

An export is read into raw cells (as the spreadsheet holds them) with each row's number as
Excel or an editor shows it; the header row is found below any title rows.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reports_gen.dataset.schema import LINE, WEEK_KINDS
from reports_gen.errors import DataError, Param, Problem
from reports_gen.workflow.cells import is_empty, text_cell

HEADER_SCAN = 30  # rows searched for the header, below title rows
_DELIMITERS = (",", ";", "\t")
_SHEETS = {
    "calls": ("calls", "call", "kunjungan"),
    "sales": ("sales", "penjualan", "order", "orders"),
    "activities": ("activities", "activity", "aktivitas", "kegiatan"),
    "prospects": ("prospects", "prospect", "prospek"),
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
    "name": ("name", "nama", "nama prospek", "nama calon", "nama toko", "nama outlet", "prospect name"),
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
    "person": {"calls": "rep_id", "sales": "rep_id", "activities": "person_id", "prospects": "owner_id"},
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
)
# The columns an import cannot do without (the others default to empty).
_NEEDED = {
    "calls": ("date", "rep_id", "outlet_id"),
    "sales": ("date", "rep_id", "outlet_id"),
    "activities": ("date", "person_id", "type"),
    "prospects": ("date", "prospect_id", "stage"),
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
    return column if column in WEEK_KINDS[kind].columns else None


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
    spec, path, line = WEEK_KINDS[kind], str(raw.path), raw.header_line
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, header in enumerate(raw.header):
        where = _column_label(raw, index)
        filled = raw.frame[index].map(lambda c: not is_empty(c)).any() if len(raw.frame) else False
        if not header:
            if filled:
                problems.append(
                    Problem.error(
                        path,
                        "import.column-without-header",
                        line,
                        None,
                        column=where,
                    )
                )
            continue
        column = canonical_column(header, kind)
        if column is None and header_key(header) in _INFORMATIONAL_KEYS:
            problems.append(
                Problem.warning(
                    path,
                    "import.column-ignored",
                    line,
                    None,
                    header=repr(header),
                )
            )
        elif column is None:
            problems.append(
                Problem.error(
                    path,
                    "import.unknown-column",
                    line,
                    None,
                    header=repr(header),
                    column=where,
                    file=spec.name,
                    columns=", ".join(WEEK_KINDS[kind].columns),
                )
            )
        elif column in columns:
            first = raw.header[columns[column]]
            problems.append(
                Problem.error(
                    path,
                    "import.same-column-twice",
                    line,
                    None,
                    first=repr(first),
                    second=repr(header),
                    column=column,
                )
            )
        else:
            columns[column] = index
    missing = [c for c in _NEEDED[kind] if c not in columns]
    for column in missing:
        problems.append(
            Problem.error(
                path,
                "import.no-column",
                line,
                None,
                column=column,
                examples=", ".join(example_headers(column, kind)[:3]),
            )
        )
    one_of = _ONE_OF.get(kind)
    if one_of and not any(c in columns for c in one_of):
        problems.append(
            Problem.error(
                path,
                "import.no-column-for-either",
                line,
                None,
                first=one_of[0],
                second=one_of[1],
                first_example=example_headers(one_of[0], kind)[0],
                second_example=example_headers(one_of[1], kind)[0],
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
        book = pd.ExcelFile(path, engine="openpyxl")
        sheet = _choose_sheet(book.sheet_names, kind)
        cells = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable(path, "import.bad-workbook", reason=str(exc)) from None
    rows = [[None if is_empty(c) else c for c in row] for row in cells.itertuples(index=False)]
    # pandas keeps blank rows, so the n-th row read is row n of the sheet
    return _with_header(path, rows, list(range(1, len(rows) + 1)), kind, str(sheet), tuple(book.sheet_names))


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
        rows, lines = _split_rows(text, delimiter)
        try:
            found = _with_header(path, rows, lines, kind)
        except DataError:
            continue
        if best is None or _known_count(found.header, kind) > _known_count(best.header, kind):
            best = found
    if best is None:
        rows, lines = _split_rows(text, ",")
        return _with_header(path, rows, lines, kind)  # raises, saying no header was found
    return best


def _split_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error:
        pass  # an unclosed quote: the rows before it are still worth reporting on
    return rows, lines


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


def _column_label(raw: RawExport, index: int) -> str:
    if raw.sheet is None:
        return str(index + 1)
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unreadable(path: Path, code: str, **params: Param) -> DataError:
    return DataError([Problem.error(str(path), code, **params)])
