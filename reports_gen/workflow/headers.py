"""Recognise the column headers of exports: the spellings of each column, per kind of file.

Headers are compared without case, spaces or punctuation; a concept such as "the person"
maps to a different column per kind of file (rep_id in calls, owner_id in prospects).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from reports_gen.dataset.schema import OUTLETS, WEEK_KINDS
from reports_gen.errors import Problem
from reports_gen.workflow.cells import is_empty

if TYPE_CHECKING:
    from reports_gen.workflow.spreadsheet import RawExport

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
                problems.append(Problem.error(path, "import.column-without-header", line, None, column=where))
            continue
        column = canonical_column(header, kind)
        if column is None and header_key(header) in _INFORMATIONAL_KEYS:
            problems.append(Problem.warning(path, "import.column-ignored", line, None, header=repr(header)))
        elif column is None:
            problems.append(
                Problem.error(
                    path,
                    "import.unknown-column",
                    line,
                    None,
                    header=repr(header),
                    column=where,
                    file=TARGET_FILES[kind],
                    columns=", ".join(IMPORT_COLUMNS[kind]),
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


def _column_label(raw: RawExport, index: int) -> str:
    """Return how the export names a column: its letter in a sheet, its number in a CSV."""
    return str(index + 1) if raw.sheet is None else get_column_letter(index + 1)
