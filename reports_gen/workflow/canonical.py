"""Make an export's rows canonical: cells to canonical text, footer rows out, ids matched.

What admins' exports contain is forgiven where the meaning is clear: `Ya`, `Rp 1.500.000,00`,
`23/11/2026`, `WA` for whatsapp, `ANDI` for andi, a `TOTAL` row at the bottom; where it is not
clear (an unknown id, an ambiguous number) the problem names the source row and a fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import read_settings
from reports_gen.dataset.schema import LINE
from reports_gen.errors import Param, Problem
from reports_gen.workflow.cells import (
    Number,
    ambiguity_params,
    format_number,
    is_empty,
    parse_bool,
    parse_date,
    parse_number,
    resolve_column,
    text_cell,
)
from reports_gen.workflow.spreadsheet import IMPORT_COLUMNS, RawExport, map_columns

BOOLEAN_COLUMNS = ("planned", "visited", "done")
NUMBER_COLUMNS = ("order_value", "units", "expected_value", "visits_per_week", "lat", "lon")
DATE_COLUMNS = ("date", "start", "end")
PERSON_COLUMNS = ("rep_id", "person_id", "owner_id")
_STAGES = {
    "baru": "new",
    "dihubungi": "contacted",
    "kontak": "contacted",
    "terkualifikasi": "qualified",
    "penawaran": "proposal",
    "menang": "won",
    "berhasil": "won",  # the site's label
    "deal": "won",
    "closing": "won",
    "kalah": "lost",
    "gagal": "lost",
    "batal": "lost",
}
# The channels the data-format guide documents, and what exports call them.
CHANNELS = {
    "telepon": ("telepon", "telp", "tlp", "telpon", "telefon", "phone", "telephone", "call", "tel"),
    "whatsapp": ("whatsapp", "wa", "whats app", "whatsap", "chat", "wa business"),
    "online": ("online", "web", "website", "e-commerce", "ecommerce", "marketplace", "daring", "aplikasi"),
}
_CHANNEL_WORDS = {re.sub(r"[\s_-]+", "", w): c for c, words in CHANNELS.items() for w in words}
_OUTLET_TYPES = {
    "store": ("store", "toko", "warung", "kios", "minimarket", "retail", "shop"),
    "reseller": ("reseller", "agen", "agent", "sub agen", "distributor", "grosir", "wholesaler"),
    "buyer": ("buyer", "pembeli", "customer", "konsumen", "horeka", "institusi"),
}
_TYPE_WORDS = {re.sub(r"[\s_-]+", "", w): t for t, words in _OUTLET_TYPES.items() for w in words}
_ROLES = {"sales": ("sales", "salesman", "sales rep", "penjual", "tenaga penjual", "sr"), "marketing": (
    "marketing", "pemasaran", "promotor", "spg", "mkt")}  # fmt: skip
_ROLE_WORDS = {re.sub(r"[\s_-]+", "", w): r for r, words in _ROLES.items() for w in words}
_TOTALS = {"total", "grandtotal", "subtotal", "jumlah", "totalkeseluruhan", "jumlahtotal", "sum"}


def canonicalise(raw: RawExport, kind: str, decimal: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the export's rows as canonical text in SPEC column order (plus `_line`), and the problems.

    A blank cell (or a column the export lacks) is "": no value, so that a row of an export
    completes a row of the data without wiping what is there.
    """
    mapping = map_columns(raw, kind)
    problems = list(mapping.problems) + ([raw.malformed] if raw.malformed else [])
    path, lines = str(raw.path), raw.frame[LINE].tolist()
    out = pd.DataFrame(index=raw.frame.index)
    columns = IMPORT_COLUMNS[kind]
    numbers = {
        c: [parse_number(x, decimal) for x in raw.frame[mapping.columns[c]].tolist()]
        for c in columns
        if c in NUMBER_COLUMNS and c in mapping.columns
    }
    file_marks = {n.mark for parsed in numbers.values() for n in parsed if n.mark}
    for column in columns:
        if column not in mapping.columns:
            out[column] = ""
            continue
        cells = raw.frame[mapping.columns[column]].tolist()
        header = mapping.headers[column]

        def report(i: int, code: str, params: Iterable[tuple[str, Param]], h: str = header) -> None:
            problems.append(Problem.error(path, code, lines[i], None, header=h, **dict(params)))

        if column in numbers:
            out[column] = _numbers(numbers[column], cells, file_marks, report)
        else:
            out[column] = _convert(column, cells, report)
    out[LINE] = lines
    keep = _data_rows(raw, out, mapping.columns, problems)
    _report_uncached(raw, mapping.columns, keep, problems)
    if "date" in columns and "date" in mapping.columns:  # unreadable dates are reported already
        blank = raw.frame[mapping.columns["date"]].map(is_empty)
        for line in out.loc[keep & blank, LINE]:
            problems.append(
                Problem.error(path, "import.missing-date", int(line), None, header=mapping.headers["date"])
            )
    out = out[keep].reset_index(drop=True)
    if out.empty and not any(p.level == "error" for p in problems):
        problems.append(Problem.error(path, "import.no-rows", raw.header_line))
    return out, problems


def _numbers(parsed: list[Number], cells: list, file_marks: set[str], report) -> list[str]:
    """Read a number column; an ambiguous cell takes the mark its column, else its file, proves."""
    own = {n.mark for n in parsed if n.mark}
    fallback = next(iter(file_marks)) if not own and len(file_marks) == 1 else None
    resolved = resolve_column(parsed, fallback)
    for i, number in enumerate(resolved):
        _report_number(i, cells[i], number, report)
    return [format_number(n.value) for n in resolved]


def _convert(column: str, cells: list, report) -> list[str]:
    """Read one column's cells into canonical text, reporting unreadable cells by position."""
    if column in DATE_COLUMNS:
        parsed = [parse_date(c) for c in cells]
        for i, p in enumerate(parsed):
            if p.error:
                report(i, p.error, p.params)
        return [p.value.isoformat() if isinstance(p.value, dt.date) else "" for p in parsed]
    if column in BOOLEAN_COLUMNS:
        flags = [parse_bool(c) for c in cells]
        for i, p in enumerate(flags):
            if p.error:
                report(i, p.error, p.params)
        return ["" if is_empty(c) else "yes" if p.value else "no" for c, p in zip(cells, flags, strict=True)]
    texts = [text_cell(c) for c in cells]
    if column == "stage":
        return [_STAGES.get(t.lower(), t.lower()) for t in texts]
    if column == "channel":
        return [_CHANNEL_WORDS.get(re.sub(r"[\s_-]+", "", t.lower()), t.lower()) for t in texts]
    if column == "role":
        return [_ROLE_WORDS.get(re.sub(r"[\s_-]+", "", t.lower()), t.lower()) for t in texts]
    if column == "type" and any(_TYPE_WORDS.get(re.sub(r"[\s_-]+", "", t.lower())) for t in texts):
        return [_TYPE_WORDS.get(re.sub(r"[\s_-]+", "", t.lower()), t.lower()) for t in texts]
    if column == "type":
        return [re.sub(r"[\s-]+", "_", t.lower()) for t in texts]
    return texts


def canonical_existing(column: str, value: str) -> str:
    """Make a hand-written value canonical when it can be (`Ya` -> `yes`, `1500000.0` -> `1500000`)."""
    if column in NUMBER_COLUMNS:
        converted = format_number(parse_number(value).value) if value else ""
    elif column == "team":
        converted = value
    else:
        converted = _convert(column, [value], lambda *args: None)[0]
    return converted if converted or not value else value


def _report_number(i: int, cell: object, number: Number, report) -> None:
    if number.error:
        report(i, number.error, number.params)
    elif number.ambiguous:
        report(i, "import.ambiguous-number", ambiguity_params(text_cell(cell), number).items())


def _data_rows(
    raw: RawExport, out: pd.DataFrame, mapped: dict[str, int], problems: list[Problem]
) -> pd.Series:
    """Mark the rows to import; skip total rows (a `TOTAL` label, or only sums), with a warning."""
    filled = (out.drop(columns=[LINE]) != "").any(axis=1)
    keep = filled.copy()
    if "date" not in mapped:
        return keep
    ids = [c for c in ("rep_id", "person_id", "owner_id", "outlet_id", "prospect_id") if c in mapped]
    sums = [c for c in NUMBER_COLUMNS if c in mapped]
    path = str(raw.path)
    for i, row in enumerate(raw.frame.drop(columns=[LINE]).itertuples(index=False)):
        if not keep.iloc[i] or not is_empty(row[mapped["date"]]) and out["date"].iloc[i] != "":
            continue
        label = next((text_cell(c) for c in row if not is_empty(c) and isinstance(c, str)), "")
        labelled = re.sub(r"\W", "", label.lower()) in _TOTALS
        only_sums = (
            is_empty(row[mapped["date"]])
            and all(out[c].iloc[i] == "" for c in ids)
            and any(out[c].iloc[i] != "" for c in sums)
        )
        if not (labelled or only_sums):
            continue
        line = int(out[LINE].iloc[i])
        keep.iloc[i] = False
        problems[:] = [p for p in problems if not (p.path == path and p.line == line)]
        if labelled:
            problems.append(Problem.warning(path, "import.total-row-skipped", line, None, text=repr(label)))
        else:
            problems.append(Problem.warning(path, "import.sums-row-skipped", line, None))
    return keep


def _report_uncached(
    raw: RawExport, mapped: dict[str, int], keep: pd.Series, problems: list[Problem]
) -> None:
    """Report formula cells without a saved value in the rows and columns imported."""
    if not raw.uncached:
        return
    used = set(mapped.values())
    kept = set(raw.frame.loc[keep.to_numpy(), LINE].tolist())
    for (line, column), cell in sorted(raw.uncached.items()):
        if column in used and line in kept:
            problems.append(
                Problem.error(str(raw.path), "import.formula-without-value", line, None, cell=cell)
            )


def match_ids(
    rows: pd.DataFrame, raw: RawExport, kind: str, data_dir: Path, problems: list[Problem]
) -> pd.DataFrame:
    """Spell people and outlets as the data directory does (`ANDI` -> `andi`); report unknown ones."""
    settings = read_settings(data_dir, [])
    people = [p.id for p in settings.org.people]
    outlets = [str(o) for o in settings.outlets["outlet_id"]] if "outlet_id" in settings.outlets else []
    mapping = map_columns(raw, kind)
    rows = rows.copy()
    for column in rows.columns:
        if column in PERSON_COLUMNS:
            known, what = people, "person"
        elif column == "outlet_id":
            known, what = outlets, "outlet"
        else:
            continue
        defines = (kind == "team" and column == "person_id") or (kind == "outlets" and column == "outlet_id")
        if not known and not defines:
            continue  # team.yaml or outlets.csv unreadable or empty: validation says why
        rows[column] = _match_column(rows, column, known, what, defines, raw, mapping.headers, problems)
    return rows


def _match_column(
    rows: pd.DataFrame,
    column: str,
    known: list[str],
    what: str,
    defines: bool,
    raw: RawExport,
    headers: dict[str, str],
    problems: list[Problem],
) -> list[str]:
    """Return the column with each id spelt as defined; report ids matching none (once per row)."""
    exact = set(known)
    folded: dict[str, list[str]] = {}
    for name in known:
        folded.setdefault(name.casefold(), []).append(name)
    # Decide once per distinct id, then map the column (a file has few ids and many rows)
    spelling = {}
    for value in rows[column].unique():
        same = folded.get(value.casefold(), [])
        spelling[value] = same[0] if value not in exact and len(same) == 1 else value
    unknown = rows[column].map(lambda v: bool(v) and v not in exact and v.casefold() not in folded)
    if not defines:
        header = headers.get(column, column)
        for value, line in zip(rows.loc[unknown, column], rows.loc[unknown, LINE], strict=True):
            problems.append(_unknown(raw, int(line), header, what, value, known))
    return rows[column].map(spelling).tolist()


def _unknown(raw: RawExport, line: int, header: str, what: str, value: str, known: list[str]) -> Problem:
    close = difflib.get_close_matches(value.casefold(), [k.casefold() for k in known], n=1, cutoff=0.6)
    value, path = repr(value), str(raw.path)
    if close:
        match = repr(next(k for k in known if k.casefold() == close[0]))
        if what == "person":
            return Problem.error(
                path, "import.unknown-person-like", line, None, header=header, value=value, match=match
            )
        return Problem.error(
            path, "import.unknown-outlet-like", line, None, header=header, value=value, match=match
        )
    if what == "person":
        return Problem.error(path, "import.unknown-person", line, None, header=header, value=value)
    return Problem.error(path, "import.unknown-outlet", line, None, header=header, value=value)
