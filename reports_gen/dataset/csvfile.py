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
_WHITE_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)
# Whitespace other than a plain space or a line break: rare in exports, so it is looked for anywhere.
_ODD_SPACE = re.compile(r"[\t\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


@dataclass
class CsvSource:
    """A CSV file as read: its header and text, to point problems at a column."""

    path: str
    header: list[str]
    text: str = field(repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def column_of(self, line: int, name: str) -> int | None:
        """Return the 1-based character column where field `name` starts on `line`."""
        if name not in self.header:
            return None
        if self._lines is None:
            self._lines = self.text.split("\n")
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
    text = read_text(path, problems)
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
    raw_header = next(csv.reader([header_line]), [""])
    header = [h.strip() for h in raw_header]
    if not _header_ok(name, raw_header, required, optional, problems):
        return None
    source = CsvSource(name, header, text)
    if '"' in body:
        frame = _read_quoted(name, header, body, problems)
    else:
        frame = _read_plain(name, header, body, problems)
    if frame is None:
        return None
    frame[FILE] = name
    return frame, source


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
    for raw in raw_header:
        column = raw.strip()
        at = position + len(raw) - len(raw.lstrip())  # point at the name, not at spaces before it
        if column not in known:
            problems.append(
                Problem.error(
                    name,
                    "csv.unknown-column",
                    1,
                    at,
                    column=column,
                    columns=",".join(required + optional),
                )
            )
        elif column in seen:
            problems.append(Problem.error(name, "csv.duplicate-column", 1, at, column=column))
        seen.add(column)
        position += len(raw) + 1
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


def _read_plain(name: str, header: list[str], body: str, problems: list[Problem]) -> pd.DataFrame | None:
    # Without quotes every physical line is one record: count fields with numpy, not Python.
    if "\n " in body or "\n\t" in body or body[:1] in (" ", "\t"):
        body = _WHITE_LINE.sub("", body)  # a line of spaces looks blank in an editor: treat it so
    raw = np.frombuffer(body.encode("utf-8"), dtype=np.uint8)
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
    if len(ends) == 0:
        return _empty(header)
    frame = pd.read_csv(
        io.StringIO(body),
        header=None,
        names=header,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
    )
    frame[LINE] = np.arange(2, len(frame) + 2)
    # Rows of bare commas (a spreadsheet's empty rows) carry nothing, like blank lines.
    content = (ends - starts) > (fields - 1)
    return _strip(frame[content[: len(frame)]].reset_index(drop=True), header, body)


def _read_quoted(name: str, header: list[str], body: str, problems: list[Problem]) -> pd.DataFrame | None:
    # Quoted fields may span lines, so let the csv module track where each record starts.
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
    frame = pd.DataFrame(rows, columns=header, dtype=str) if rows else _empty(header)
    frame[LINE] = np.array(lines, dtype=np.int64)
    return _tidy(frame, header, body)


def _strip(frame: pd.DataFrame, header: list[str], text: str) -> pd.DataFrame:
    # Stripping a million cells is slow, so only when some cell can have padding at all: a quoted
    # file (a cell may hold a line break), or whitespace, a non-breaking space too, next to a
    # comma, a line end or the text's ends.
    padded = any(pad in text for pad in (" ,", ", ", " \n", "\n ")) or text[:1] == " " or text[-1:] == " "
    if '"' in text or padded or _ODD_SPACE.search(text):
        for column in header:
            frame[column] = frame[column].str.strip()
    return frame


def _tidy(frame: pd.DataFrame, header: list[str], text: str) -> pd.DataFrame:
    frame = _strip(frame, header, text)
    # Fully empty rows (blank lines, rows of bare commas) carry nothing: drop them.
    filled = np.zeros(len(frame), dtype=bool)
    for column in header:
        filled |= (frame[column] != "").to_numpy()
    return frame[filled].reset_index(drop=True)


def _empty(header: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=str) for c in header})
    frame[LINE] = pd.Series([], dtype=np.int64)
    return frame
