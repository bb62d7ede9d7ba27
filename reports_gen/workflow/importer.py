"""`reports-gen import`: turn an Excel or CSV export into canonical week files.

The pipeline: read the export (spreadsheet.py) → map its headers and read its cells into
canonical text (cells.py) → split the rows by ISO week → plan what each week file gains
(skipping rows already there) → validate the planned data directory as a whole → write every
file, or none.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import check_data, missing_data_dir
from reports_gen.dataset.schema import LINE, WEEK_KINDS
from reports_gen.errors import ConfigError, DataError, MessageError, Param, Place, Problem, ReportsError
from reports_gen.workcalendar import parse_week, week_code
from reports_gen.workflow.cells import (
    DECIMAL_MARKS,
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
from reports_gen.workflow.spreadsheet import RawExport, map_columns, read_export

__all__ = ["ImportResult", "WeekFile", "canonicalise", "import_file", "read_export"]

BOOLEAN_COLUMNS = ("planned", "visited", "done")
NUMBER_COLUMNS = ("order_value", "units", "expected_value")
CALL_KEY = ("date", "rep_id", "outlet_id")
_STAGES = {
    "baru": "new",
    "dihubungi": "contacted",
    "kontak": "contacted",
    "terkualifikasi": "qualified",
    "penawaran": "proposal",
    "menang": "won",
    "deal": "won",
    "closing": "won",
    "kalah": "lost",
    "gagal": "lost",
    "batal": "lost",
}
_TOTALS = {"total", "grandtotal", "subtotal", "jumlah", "totalkeseluruhan"}


@dataclass(frozen=True)
class WeekFile:
    """What an import adds to one week file."""

    path: Path
    week: str
    added: int
    already: int
    new_file: bool
    rows: str  # the appended rows as canonical CSV text (with the header for a new file)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: each week file touched, and warnings worth showing."""

    source: Path
    kind: str
    files: tuple[WeekFile, ...]
    warnings: tuple[Problem, ...]
    written: bool
    sheet: str | None = None  # the sheet read, when the workbook has several


def import_file(
    path: Path,
    kind: str,
    data_dir: Path,
    week: str | None = None,
    decimal: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import an export into `DATA/weeks/<week>/<kind>.csv`; on errors raise DataError, writing nothing."""
    if kind not in WEEK_KINDS:
        raise ConfigError.of("import.unknown-kind", kind=repr(kind), kinds=", ".join(WEEK_KINDS))
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise ConfigError.of("import.unknown-decimal", decimal=repr(decimal))
    if week is not None:
        try:
            week = parse_week(week).code
        except MessageError as exc:
            raise ConfigError.of(exc.code, **exc.params) from None
    if not data_dir.is_dir():
        raise DataError([missing_data_dir(data_dir)])
    # Read the export and make its rows canonical
    raw = read_export(path, kind)
    rows, problems = canonicalise(raw, kind, decimal)
    rows = _assign_weeks(rows, raw, week, problems)
    _stop_on_errors(problems)
    # Plan each week file: what is new, what is already there
    plans = [
        _plan(data_dir, code, kind, group, raw, problems) for code, group in rows.groupby("_week", sort=True)
    ]
    _stop_on_errors(problems)
    # Validate the data directory as it would be, with the source's row numbers
    problems += _validate(data_dir, plans, raw, kind)
    _stop_on_errors(problems)
    if not dry_run:
        _write_all([p for p in plans if p.added])
    files = tuple(WeekFile(p.path, p.week, p.added, p.already, p.new_file, p.appended) for p in plans)
    return ImportResult(
        path,
        kind,
        files,
        tuple(p for p in problems if p.level == "warning"),
        not dry_run,
        raw.sheet if len(raw.sheets) > 1 else None,
    )


def canonicalise(raw: RawExport, kind: str, decimal: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the export's rows as canonical text in SPEC column order (plus `_line`), and the problems."""
    mapping = map_columns(raw, kind)
    problems = list(mapping.problems)
    out = pd.DataFrame(index=raw.frame.index)
    path = str(raw.path)
    lines = raw.frame[LINE].tolist()
    for column in WEEK_KINDS[kind].columns:
        if column not in mapping.columns:
            out[column] = "no" if column in BOOLEAN_COLUMNS else ""
            continue
        cells = raw.frame[mapping.columns[column]].tolist()
        header = mapping.headers[column]
        out[column] = _convert(
            column,
            cells,
            decimal,
            lambda i, code, params, h=header: problems.append(
                Problem.error(path, code, lines[i], None, header=h, **dict(params))
            ),
        )
    out[LINE] = lines
    keep = _data_rows(raw, out, WEEK_KINDS[kind].columns, problems)
    if "date" in mapping.columns:  # unreadable dates are reported already; empty ones are not
        blank = raw.frame[mapping.columns["date"]].map(is_empty)
        for line in out.loc[keep & blank, LINE]:
            problems.append(
                Problem.error(
                    path,
                    "import.missing-date",
                    int(line),
                    None,
                    header=mapping.headers["date"],
                )
            )
    out = out[keep].reset_index(drop=True)
    if out.empty and not any(p.level == "error" for p in problems):
        problems.append(Problem.error(path, "import.no-rows", raw.header_line))
    return out, problems


def _convert(column: str, cells: list, decimal: str | None, report) -> list[str]:
    """Read one column's cells into canonical text, reporting unreadable cells by position."""
    if column == "date":
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
        return ["yes" if p.value else "no" for p in flags]
    if column in NUMBER_COLUMNS:
        numbers = resolve_column([parse_number(c, decimal) for c in cells])
        for i, n in enumerate(numbers):
            _report_number(i, cells[i], n, report)
        return [format_number(n.value) for n in numbers]
    texts = [text_cell(c) for c in cells]
    if column == "stage":
        return [_STAGES.get(t.lower(), t.lower()) for t in texts]
    if column == "type":
        return [re.sub(r"[\s-]+", "_", t.lower()) for t in texts]
    return texts


def _report_number(i: int, cell: object, number: Number, report) -> None:
    if number.error:
        report(i, number.error, number.params)
    elif number.ambiguous:
        report(i, "import.ambiguous-number", ambiguity_params(text_cell(cell), number).items())


def _data_rows(
    raw: RawExport, out: pd.DataFrame, columns: tuple[str, ...], problems: list[Problem]
) -> pd.Series:
    """Mark the rows to import; skip a totals row at the bottom of a report, with a warning."""
    booleans = [c for c in BOOLEAN_COLUMNS if c in columns]
    filled = (out[[c for c in columns if c not in booleans]] != "").any(axis=1)
    keep = filled | (out[booleans] == "yes").any(axis=1) if booleans else filled
    cells = raw.frame.drop(columns=[LINE]).itertuples(index=False)
    for i, row in enumerate(cells):
        text = next((text_cell(c) for c in row if not is_empty(c)), "")
        if keep.iloc[i] and out["date"].iloc[i] == "" and re.sub(r"\W", "", text.lower()) in _TOTALS:
            line = int(out[LINE].iloc[i])
            keep.iloc[i] = False
            problems[:] = [p for p in problems if not (p.path == str(raw.path) and p.line == line)]
            problems.append(
                Problem.warning(
                    str(raw.path),
                    "import.total-row-skipped",
                    line,
                    None,
                    text=repr(text),
                )
            )
    return keep


def _assign_weeks(
    rows: pd.DataFrame, raw: RawExport, week: str | None, problems: list[Problem]
) -> pd.DataFrame:
    """Add each row's ISO week (`_week`); with `week`, report rows dated outside it."""
    rows = rows[rows["date"] != ""].copy()  # rows without a date are reported already
    rows["_week"] = [week_code(dt.date.fromisoformat(d)) for d in rows["date"]]
    if week is not None:
        period = parse_week(week)
        for line, day, code in zip(rows[LINE], rows["date"], rows["_week"], strict=True):
            if code != period.code:
                problems.append(
                    Problem.error(
                        str(raw.path),
                        "import.outside-week",
                        int(line),
                        None,
                        date=day,
                        week=period.code,
                        start=str(period.start),
                        end=str(period.end),
                        belongs=code,
                    )
                )
    return rows


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level == "error" for p in problems):
        raise DataError(problems)


@dataclass
class _Plan:
    """One week file as it would be after the import, and where its new lines come from."""

    path: Path
    week: str
    new_file: bool
    original: bytes
    appended: str = ""
    added: int = 0
    already: int = 0
    line_map: dict[int, int] = field(default_factory=dict)  # file line -> source row
    # file line -> (character column where a field starts, its SPEC column), for each new line
    field_columns: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def prefix(self) -> bytes:
        """Return the original bytes, untouched, ending with a line break (nothing for a new file)."""
        if self.new_file:
            return b""
        newline = b"\r\n" if b"\r\n" in self.original else b"\n"
        return self.original if self.original.endswith((b"\n", b"\r")) else self.original + newline

    @property
    def content(self) -> bytes:
        """Return the file's bytes after the import: the original ones, then the new rows."""
        text = self.appended.replace("\n", "\r\n") if b"\r\n" in self.original else self.appended
        return self.prefix + text.encode("utf-8")

    def first_new_line(self) -> int:
        """Return the line number, as validation counts, of the first appended line."""
        text = self.prefix.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        return text.count("\n") + 1


def _plan(
    data_dir: Path, week: str, kind: str, rows: pd.DataFrame, raw: RawExport, problems: list[Problem]
) -> _Plan:
    """Work out which rows the week file gains: those not already in it."""
    spec = WEEK_KINDS[kind]
    path = data_dir / "weeks" / week / spec.name
    all_columns = list(WEEK_KINDS[kind].columns)
    original = path.read_bytes() if path.is_file() else b""
    existing = _existing_rows(original, all_columns, spec.name == "calls.csv")
    plan = _Plan(path, week, new_file=not existing.header, original=original)
    header = existing.header or all_columns
    text_lines: list[str] = [] if existing.header else [_csv_line(header)[0]]
    line = plan.first_new_line() + (0 if existing.header else 1)
    lost: set[str] = set()
    for record in rows[all_columns + [LINE]].itertuples(index=False):
        values, source_line = dict(zip(all_columns, record[:-1], strict=True)), int(record[-1])
        full = tuple(values[c] for c in all_columns)
        if existing.rows[full] > 0:
            existing.rows[full] -= 1
            plan.already += 1
            continue
        if existing.keys and (key := tuple(values[c] for c in CALL_KEY)) in existing.keys:
            plan.already += 1
            at, same = existing.keys[key]
            problems.append(
                Problem.warning(
                    str(raw.path),
                    "import.call-already-there" if same == full else "import.call-differs",
                    source_line,
                    None,
                    rep=key[1],
                    outlet=key[2],
                    date=key[0],
                    place=Place(at, f"weeks/{week}/calls.csv"),
                )
            )
            continue
        for column in all_columns:
            if values[column] and column not in header and column not in lost:
                lost.add(column)
                problems.append(
                    Problem.error(
                        str(raw.path),
                        "import.column-not-in-file",
                        source_line,
                        None,
                        file=f"weeks/{week}/{spec.name}",
                        column=column,
                    )
                )
        text, starts = _csv_line([values.get(c, "") for c in header])
        plan.line_map[line] = source_line
        plan.field_columns[line] = list(zip(starts, header, strict=True))
        text_lines.append(text)
        line += text.count("\n") + 1
        plan.added += 1
    plan.appended = "".join(t + "\n" for t in text_lines) if plan.added else ""
    return plan


@dataclass
class _Existing:
    """A week file's rows in canonical form: counted (to skip repeats) and, for calls, by key."""

    header: list[str]
    rows: Counter
    keys: dict[tuple[str, ...], tuple[int, tuple[str, ...]]]  # call key -> (line, full row)


def _existing_rows(original: bytes, all_columns: list[str], calls: bool) -> _Existing:
    """Read a week file's rows, made canonical the way imported rows are, to spot repeats."""
    text = original.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    existing = _Existing([], Counter(), {})
    if not text.strip():
        return existing
    reader = csv.reader(io.StringIO(text))
    key_at = [all_columns.index(c) for c in CALL_KEY]
    try:
        existing.header = [h.strip() for h in next(reader)]
        start = reader.line_num + 1
        for record in reader:
            if any(v.strip() for v in record):
                values = {h: v.strip() for h, v in zip(existing.header, record, strict=False)}
                full = tuple(_canonical_existing(c, values.get(c, "")) for c in all_columns)
                existing.rows[full] += 1
                if calls:
                    existing.keys.setdefault(tuple(full[i] for i in key_at), (start, full))
            start = reader.line_num + 1
    except csv.Error:
        pass  # a malformed file: the validation step reports where
    return existing


def _canonical_existing(column: str, value: str) -> str:
    """Make a hand-written value canonical when it can be (`Ya` -> `yes`, `1500000.0` -> `1500000`)."""
    converted = _convert(column, [value], None, lambda *args: None)[0]
    return converted if converted or not value else value


def _csv_line(values: list[str]) -> tuple[str, list[int]]:
    """Write one CSV record (quoting only where needed); return it and each field's start column."""
    fields, starts, position = [], [], 1
    for value in values:
        quoted = '"' + value.replace('"', '""') + '"' if any(ch in value for ch in ',"\n\r') else value
        fields.append(quoted)
        starts.append(position)
        position += len(quoted) + 1
    return ",".join(fields), starts


def _validate(data_dir: Path, plans: list[_Plan], raw: RawExport, kind: str) -> list[Problem]:
    """Check the data directory as it would be after the import; return problems that matter to it.

    Errors anywhere stop the import; warnings are kept only for the week files it touches.
    """
    headers = map_columns(raw, kind).headers
    with tempfile.TemporaryDirectory(prefix="reports-gen-import-") as tmp:
        root = Path(tmp) / "data"
        _mirror(data_dir, root, plans)
        result = check_data(root)
        prefix = str(root)
        by_path = {str(root / "weeks" / p.week / p.path.name): p for p in plans}
        # Importing sales (say) before the week's calls is fine: calls.csv can come next.
        no_calls = {str(root / "weeks" / p.week / "calls.csv"): p for p in plans if kind != "calls"}
        problems: list[Problem] = []
        for problem in result.problems:
            plan = by_path.get(problem.path)
            if plan is not None and problem.line in plan.line_map:
                problems.append(_to_source(problem, plan, raw, headers))
            elif problem.path in no_calls and problem.code == "week.calls-missing":
                week = no_calls[problem.path].week
                problems.append(
                    Problem.warning(
                        str(data_dir / "weeks" / week),
                        "import.no-calls-yet",
                        week=week,
                    )
                )
            elif problem.level == "error" or plan is not None:
                real = (
                    str(data_dir) + problem.path[len(prefix) :]
                    if problem.path.startswith(prefix)
                    else problem.path
                )
                mapped = _map_lines(problem, plan, raw) if plan else problem
                problems.append(dataclasses.replace(mapped, path=real))
        return problems


def _mirror(data_dir: Path, root: Path, plans: list[_Plan]) -> None:
    """Build `root` as `data_dir` with the planned week files; link (or copy) everything else."""
    root.mkdir()
    touched = {p.week: p for p in plans}
    for entry in data_dir.iterdir():
        if entry.name != "weeks":
            _link(entry, root / entry.name)
    weeks = root / "weeks"
    weeks.mkdir()
    if (data_dir / "weeks").is_dir():
        for entry in (data_dir / "weeks").iterdir():
            if entry.name in touched and entry.is_dir():
                (weeks / entry.name).mkdir()
                for item in entry.iterdir():
                    if item.name != touched[entry.name].path.name:
                        _link(item, weeks / entry.name / item.name)
            else:
                _link(entry, weeks / entry.name)
    for plan in plans:
        (weeks / plan.week).mkdir(exist_ok=True)
        (weeks / plan.week / plan.path.name).write_bytes(plan.content)


def _link(source: Path, target: Path) -> None:
    try:
        target.symlink_to(source.resolve(), target_is_directory=source.is_dir())
    except OSError:  # no symlinks (e.g. Windows without developer mode): copy instead
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def _to_source(problem: Problem, plan: _Plan, raw: RawExport, headers: dict[str, str]) -> Problem:
    """Point a problem in an imported row at the source file's row and column header."""
    mapped = _map_lines(problem, plan, raw)
    line = problem.line or 0
    if problem.col is not None:
        starts = reversed(plan.field_columns[line])
        column = next((name for start, name in starts if start <= problem.col), "")
        if header := headers.get(column):
            mapped = mapped.with_values(in_column=header)
    return dataclasses.replace(mapped, path=str(raw.path), line=plan.line_map[line], col=None)


def _map_lines(problem: Problem, plan: _Plan, raw: RawExport) -> Problem:
    """Point each line of the week file that a problem names at the source row, or at the week file."""
    changes: dict[str, Param] = {}
    for name, value in problem.params:
        if isinstance(value, Place) and not value.path:
            if value.line in plan.line_map:
                changes[name] = Place(plan.line_map[value.line], raw.path.name)
            else:
                changes[name] = Place(value.line, f"weeks/{plan.week}/{plan.path.name}")
    return problem.with_values(**changes) if changes else problem


def _write_all(plans: list[_Plan]) -> None:
    """Write every planned file or none: stage them all beside their targets, then move them in place."""
    created: list[Path] = []
    staged: list[tuple[Path, _Plan]] = []
    replaced: list[_Plan] = []
    try:
        for plan in plans:
            for folder in (plan.path.parent.parent, plan.path.parent):  # weeks/ and weeks/<week>/
                if not folder.exists():
                    folder.mkdir()
                    created.append(folder)
            temp = plan.path.with_name(f".{plan.path.name}.importing")
            temp.write_bytes(plan.content)
            staged.append((temp, plan))
        for temp, plan in staged:
            os.replace(temp, plan.path)
            replaced.append(plan)
    except OSError as exc:
        for plan in replaced:  # put back what was there
            if plan.original:
                plan.path.write_bytes(plan.original)
            else:
                plan.path.unlink(missing_ok=True)
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        raise ReportsError.of(
            "import.write-failed", file=str(exc.filename), reason=str(exc.strerror)
        ) from None
