"""Read CSV files into all-text frames that remember each row's file and line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.dataset.schema import FILE, LINE
from reports_gen.dataset.yamlfile import read_text
from reports_gen.errors import Problem

# A cell may be as long as its file (check and import read alike): the csv module's default cap
# of 128 KiB would reject a long note as "malformed".
CELL_LIMIT = 1 << 30
csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
MAX_FIELD_ERRORS = 20  # a file cut or shifted the wrong way is shown 20 times, then counted
MAX_HEADER_ERRORS = 10  # a data row pasted as the header, or a wide export, is shown 10 times
_WHITE_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)


@dataclass
class CsvSource:
    """A CSV file as read: its header and text, to point problems at a column.

    Without `text`, the file is read again the first time a problem needs its lines: a year
    of week files is not kept in memory for the few rows that have a problem.
    """

    path: str
    header: list[str]
    text: str | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def column_of(self, line: int, name: str) -> int | None:
        """Return the 1-based character column where field `name` starts on `line`."""
        if name not in self.header:
            return None
        if self._lines is None:
            text = self.text if self.text is not None else read_text(Path(self.path), [])
            self._lines = (text or "").split("\n")
        if not 1 <= line <= len(self._lines):
            return None
        raw = self._lines[line - 1]
        index = self.header.index(name)
        if '"' not in raw:
            parts = raw.split(",")
            return sum(len(p) + 1 for p in parts[:index]) + 1 if index < len(parts) else None
        # Quoted fields: walk the line, honouring quotes, to find the field's start.
        position, inside, field_no = 0, False, 0
        for position, char in enumerate(raw):
            if field_no == index:
                return position + 1
            if char == '"':
                inside = not inside
            elif char == "," and not inside:
                field_no += 1
        return len(raw) + 1 if field_no == index else None


def read_csv(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]
) -> tuple[pd.DataFrame, CsvSource] | None:
    """Read a canonical CSV file into a frame of stripped strings plus `_file` and `_line`.

    Header problems (empty file, unknown, duplicate or missing columns) and rows with the
    wrong number of fields are added to `problems`; the file is then skipped (None).
    """
    table = read_csv_files([path], required, optional, problems)
    return (table.frame, table.sources[0]) if table.sources else None


@dataclass
class CsvTable:
    """The rows of CSV files of one kind, read together: stripped text cells, `_file` and `_line`.

    `sources` are the files that could be read, in order; `file_index` tells which of them
    each row comes from. `factors` gives each text column as codes per row and its distinct
    values (TableCheck.per_value judges each distinct value once).
    """

    frame: pd.DataFrame
    sources: list[CsvSource]
    file_index: np.ndarray
    factors: dict[str, tuple[np.ndarray, pd.Series]]


@dataclass
class _File:
    """One file's rows as scanned, before the files of a kind are put together."""

    source: CsvSource
    body: bytes = b""  # a file without quotes: its lines, each ending with a line break
    count: int = 0  # ... and how many there are (one row each, blank ones included)
    rows: list[list[str]] | None = None  # a quoted file: its records
    lines: list[int] | None = None  # ... and the line each starts on


def read_csv_files(
    paths: list[Path],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
    every: tuple[str, ...] = (),
) -> CsvTable:
    """Read CSV files of one kind into one table, as read_csv reads each, rows in file order.

    A file with problems is left out. Columns are those of any file's header and `every`; a
    file without one of them reads it as empty. Files without quotes are parsed together,
    in one pass.
    """
    files = [f for f in (_scan(path, required, optional, problems) for path in paths) if f is not None]
    columns = list(dict.fromkeys([*(c for f in files for c in f.source.header), *every]))
    return _combine(files, columns, _parts(files))


Cells = tuple[list[str], np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]  # header, line, factors


def read_csv_each(
    paths: list[Path], raws: list[bytes | None], required: tuple[str, ...], optional: tuple[str, ...]
) -> list[tuple[list[Problem], Cells | None]]:
    """Read CSV files of one kind from their bytes, together as read_csv_files does, but each apart.

    Return each file's problems and its cells: its header, each kept row's line, and each of
    its columns' codes per row and distinct values (None when the file has a problem). A None
    in `raws` reads that file from disk. The bytes are let go of (`raws` emptied) as scanned.
    """
    found: list[list[Problem]] = [[] for _ in paths]
    scanned: list[_File | None] = []
    for i, path in enumerate(paths):
        raw, raws[i] = raws[i], None
        scanned.append(_scan(path, required, optional, found[i], raw))
        del raw
    files = [f for f in scanned if f is not None]
    columns = list(dict.fromkeys(c for f in files for c in f.source.header))
    factors, file_index, line = _kept_factors(columns, _parts(files))
    bounds = np.searchsorted(file_index, np.arange(len(files) + 1))
    cells: list[Cells | None] = []
    at = 0  # the file's place among those that could be read
    for file in scanned:
        if file is None:
            cells.append(None)
            continue
        rows = slice(int(bounds[at]), int(bounds[at + 1]))
        at += 1
        own: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for column in file.source.header:  # its codes among its own values: integers factorize fast
            codes, values = factors[column]
            local, which = pd.factorize(codes[rows])
            own[column] = (local.astype(codes.dtype), values[which])
        cells.append((file.source.header, line[rows], own))
    return list(zip(found, cells, strict=True))


def _parts(files: list[_File]) -> list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
    """Parse the files' rows: cells by column, file and line of each, run by run."""
    parts: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]] = []  # cells, file, line
    start = 0
    while start < len(files):  # runs of plain files with the same header are parsed at once
        end = start + 1
        if files[start].rows is None:
            header = files[start].source.header
            while end < len(files) and files[end].rows is None and files[end].source.header == header:
                end += 1
        parts.append(_cells(files, start, end))
        start = end
    return parts


def _scan(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
    raw: bytes | None = None,
) -> _File | None:
    """Read a file's text and check its header and field counts; None when it has a problem."""
    text = read_text(path, problems, raw)
    if text is None:
        return None
    name = str(path)
    header_line, _, body = text.partition("\n")
    if not header_line.strip():
        problems.append(
            Problem.error(
                name,
                "csv.empty",
                1,
                None,
                columns=",".join(required + optional),
            )
        )
        return None
    try:
        raw_header = next(csv.reader([header_line], strict=True), [""])
    except csv.Error as exc:
        problems.append(Problem.error(name, "csv.malformed-header", 1, None, reason=str(exc)))
        return None
    header = [h.strip() for h in raw_header]
    if not _header_ok(name, raw_header, required, optional, problems):
        return None
    source = CsvSource(name, header)
    if '"' in body:
        return _scan_quoted(source, body, problems)
    return _scan_plain(source, body, problems)


def _header_ok(
    name: str,
    raw_header: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> bool:
    before = len(problems)
    known = set(required) | set(optional)
    position = 1
    seen: set[str] = set()
    found: dict[str, list[tuple[int, str]]] = {"unknown": [], "duplicate": []}  # (column, name)
    for raw in raw_header:
        column = raw.strip()
        at = position + len(raw) - len(raw.lstrip())  # point at the name, not at spaces before it
        if column not in known:
            found["unknown"].append((at, column))
        elif column in seen:
            found["duplicate"].append((at, column))
        seen.add(column)
        position += len(raw) + 1
    expected = ",".join(required + optional)
    for kind, places in found.items():
        unknown = kind == "unknown"
        for at, column in places[:MAX_HEADER_ERRORS]:
            if unknown:
                problems.append(
                    Problem.error(name, "csv.unknown-column", 1, at, column=column, columns=expected)
                )
            else:
                problems.append(Problem.error(name, "csv.duplicate-column", 1, at, column=column))
        if len(places) > MAX_HEADER_ERRORS:  # counted where the first one not shown is
            problems.append(
                Problem.error(
                    name,
                    "csv.more-unknown-columns" if unknown else "csv.more-duplicate-columns",
                    1,
                    places[MAX_HEADER_ERRORS][0],
                    count=len(places) - MAX_HEADER_ERRORS,
                )
            )
    missing = [c for c in required if c not in seen]
    if missing:
        problems.append(
            Problem.error(
                name,
                "csv.missing-columns",
                1,
                None,
                missing=", ".join(missing),
                required=",".join(required),
            )
        )
    return len(problems) == before


def _scan_plain(source: CsvSource, body: str, problems: list[Problem]) -> _File | None:
    # Without quotes every physical line is one record: count fields with numpy, not Python.
    name, header = source.path, source.header
    data = body.encode("utf-8")
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], newlines + 1))
    firsts = raw[starts[starts < len(raw)]]
    if ((firsts == 32) | (firsts == 9)).any():  # a line starts with a space or a tab
        body = _WHITE_LINE.sub("", body)  # a line of spaces looks blank in an editor: treat it so
        data = body.encode("utf-8")
        raw = np.frombuffer(data, dtype=np.uint8)
        newlines = np.flatnonzero(raw == 10)
    ends = np.append(newlines, len(raw)) if len(raw) and raw[-1] != 10 else newlines
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
    commas = np.flatnonzero(raw == 44)
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    blank = (ends - starts) == 0
    bad = np.flatnonzero((fields != len(header)) & ~blank)
    if len(bad):
        for i in bad[:MAX_FIELD_ERRORS]:
            problems.append(
                Problem.error(
                    name,
                    "csv.field-count",
                    int(i) + 2,
                    None,
                    expected=len(header),
                    found=int(fields[i]),
                )
            )
        if len(bad) > MAX_FIELD_ERRORS:
            problems.append(
                Problem.error(
                    name,
                    "csv.more-field-counts",
                    int(bad[MAX_FIELD_ERRORS]) + 2,
                    None,
                    count=len(bad) - MAX_FIELD_ERRORS,
                )
            )
        return None
    if len(raw) and raw[-1] != 10:
        data += b"\n"  # parsed after another file's lines: the last one must end
    return _File(source, body=data, count=len(ends))


def _scan_quoted(source: CsvSource, body: str, problems: list[Problem]) -> _File | None:
    # Quoted fields may span lines, so let the csv module track where each record starts.
    name, header = source.path, source.header
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(body), strict=True)
    start = 2
    wrong, first_unreported = 0, 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) and len(row) <= 1:
                pass  # a blank line, or one of spaces only
            elif len(row) != len(header):
                wrong += 1
                if wrong <= MAX_FIELD_ERRORS:
                    problems.append(
                        Problem.error(
                            name,
                            "csv.field-count",
                            start,
                            None,
                            expected=len(header),
                            found=len(row),
                        )
                    )
                elif wrong == MAX_FIELD_ERRORS + 1:
                    first_unreported = start
            else:
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 2
    except csv.Error as exc:
        problems.append(Problem.error(name, "csv.malformed", start, None, reason=str(exc)))
        return None
    if wrong > MAX_FIELD_ERRORS:
        problems.append(
            Problem.error(
                name,
                "csv.more-field-counts",
                first_unreported,
                None,
                count=wrong - MAX_FIELD_ERRORS,
            )
        )
    if wrong:
        return None
    return _File(source, rows=rows, lines=lines)


def _cells(files: list[_File], start: int, end: int) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Return the raw cells by column of files[start:end], with each row's file and line."""
    header = files[start].source.header
    if files[start].rows is not None:  # one quoted file
        rows, lines = files[start].rows or [], files[start].lines or []
        cells = {c: np.array([row[i] for row in rows], dtype=object) for i, c in enumerate(header)}
        return cells, np.full(len(rows), start, dtype=np.intp), np.array(lines, dtype=np.int64)
    counts = [f.count for f in files[start:end]]
    total = sum(counts)
    index = np.repeat(np.arange(start, end, dtype=np.intp), counts)
    line = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum([0, *counts[:-1]]), counts) + 2
    if not total:
        return {c: np.array([], dtype=object) for c in header}, index, line
    data = b"".join(f.body for f in files[start:end])
    parsed = _parse(data, header)
    if len(parsed) != total:  # never seen; parse file by file rather than misplace a row's line
        parsed = pd.concat([_parse(f.body, header) for f in files[start:end]], ignore_index=True)
    for file in files[start:end]:
        file.body = b""  # parsed: let the text go
    return {c: parsed.pop(c).to_numpy(dtype=object) for c in header}, index, line


def _parse(data: bytes, header: list[str]) -> pd.DataFrame:
    """Parse lines without quotes into text cells, one row per line (a blank line: empty cells)."""
    if not data:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
    return pd.read_csv(
        io.BytesIO(data),
        header=None,
        names=header,
        dtype=object,
        na_filter=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )


def _combine(
    files: list[_File], columns: list[str], parts: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]
) -> CsvTable:
    """Trim every cell, drop rows left without content, and type the columns as text."""
    factors, file_index, line = _kept_factors(columns, parts)
    data: dict[str, object] = {}
    kept: dict[str, tuple[np.ndarray, pd.Series]] = {}
    for column, (codes, uniques) in factors.items():
        data[column] = pd.array(uniques, dtype="str").take(codes)
        kept[column] = (codes, pd.Series(uniques, dtype=object))
    data[LINE] = line
    names = np.array([f.source.path for f in files], dtype=object)
    data[FILE] = pd.array(names, dtype="str").take(file_index)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(line)), copy=False)  # the arrays are new
    return CsvTable(frame, [f.source for f in files], file_index, kept)


def _kept_factors(
    columns: list[str], parts: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """Trim every cell and drop rows left without content: each column's codes and values, file and line."""
    size = sum(len(line) for _, _, line in parts)
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    filled = np.zeros(size, dtype=bool)
    for column in columns:  # each column's raw cells are let go once factorized
        codes, uniques = _trimmed_factors(_column(parts, column))
        factors[column] = (codes, uniques)
        filled |= (uniques != "")[codes]
    # A row whose every cell is empty once trimmed (a blank line, a spreadsheet's row of bare
    # commas, a row of spaces and commas) carries nothing: drop it, quoted file or not.
    keep = None if filled.all() else filled
    file_index = np.concatenate([np.array([], dtype=np.intp), *(index for _, index, _ in parts)])
    line = np.concatenate([np.array([], dtype=np.int64), *(line for _, _, line in parts)])
    if keep is not None:
        file_index, line = file_index[keep], line[keep]
        factors = {column: (codes[keep], uniques) for column, (codes, uniques) in factors.items()}
    return factors, file_index, line


def _column(parts: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]], column: str) -> np.ndarray:
    """Join a column's cells over the parts; a part without the column has it empty."""
    values = [cells.pop(column, None) for cells, _, _ in parts]
    if len(values) == 1 and values[0] is not None:
        return values[0]
    missing = [np.full(len(line), "", dtype=object) for _, _, line in parts]
    joined = [v if v is not None else m for v, m in zip(values, missing, strict=True)]
    return np.concatenate([np.array([], dtype=object), *joined])


def _trimmed_factors(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factorize text cells after trimming them: codes per row and the distinct trimmed values.

    Trimming each distinct value once is as stripping every cell, at a fraction of the cost.
    """
    codes, uniques = pd.factorize(values)
    small = np.int32 if len(uniques) < 2**31 else np.int64  # half the memory of a code per cell
    trimmed = np.array([value.strip() for value in uniques], dtype=object)
    if (trimmed == uniques).all():
        return codes.astype(small), uniques
    again, distinct = pd.factorize(trimmed)
    return again.astype(small)[codes], distinct
