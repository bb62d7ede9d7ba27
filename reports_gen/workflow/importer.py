"""`reports-gen import`: turn an Excel or CSV export into canonical data files.

The pipeline: finish any interrupted import → read the export (spreadsheet.py) → map its
headers and read its cells into canonical text (canonical.py) → match ids to the ones the
data directory defines → plan what each file gains (rows completed, replaced, added) →
validate the planned data directory as a whole (importcheck.py) → write every file, or none
(journal.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import missing_data_dir
from reports_gen.dataset.schema import LINE, WEEK_KINDS
from reports_gen.errors import ConfigError, DataError, MessageError, Place, Problem
from reports_gen.workcalendar import parse_week, week_code
from reports_gen.workflow.canonical import canonical_existing, canonicalise, match_ids
from reports_gen.workflow.cells import DECIMAL_MARKS
from reports_gen.workflow.csvedit import CsvText, csv_line
from reports_gen.workflow.importcheck import FilePlan, changed_values, validate_plans
from reports_gen.workflow.journal import Recovery, recover, write_files
from reports_gen.workflow.masterdata import plan_example_removal, plan_team
from reports_gen.workflow.spreadsheet import IMPORT_COLUMNS, RawExport, read_export

__all__ = ["ImportResult", "WeekFile", "canonicalise", "import_file", "read_export"]

KINDS = (*WEEK_KINDS, "outlets", "team")
# The columns that identify a row: an export's row with the same key completes that row.
KEYS = {"calls": ("date", "rep_id", "outlet_id"), "outlets": ("outlet_id",)}


@dataclass(frozen=True)
class WeekFile:
    """What an import does to one file (a week file, outlets.csv or team.yaml)."""

    path: Path
    week: str
    added: int
    already: int
    new_file: bool
    rows: str  # the added rows as canonical CSV text (with the header for a new file)
    completed: int = 0  # existing rows whose blank columns were filled in
    replaced: int = 0  # existing rows whose values were replaced (--replace)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: each file touched, and warnings worth showing."""

    source: Path
    kind: str
    files: tuple[WeekFile, ...]
    warnings: tuple[Problem, ...]
    written: bool
    sheet: str | None = None  # the sheet read, when the workbook has several
    recovered: Recovery = Recovery("")  # an interrupted import that was finished or rolled back first


def import_file(
    path: Path,
    kind: str,
    data_dir: Path,
    week: str | None = None,
    decimal: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
) -> ImportResult:
    """Import an export into the data directory; on errors raise DataError, writing nothing."""
    week = _check_options(kind, decimal, week, data_dir)
    recovered = recover(data_dir)
    # Read the export, make its rows canonical and its ids the data directory's own
    raw = read_export(path, kind)
    rows, problems = canonicalise(raw, kind, decimal)
    _stop_on_errors(problems)
    rows = match_ids(rows, raw, kind, data_dir, problems)
    if kind in WEEK_KINDS:
        rows = _assign_weeks(rows, raw, week, problems)
    _stop_on_errors(problems)
    # Plan each file: rows completed, replaced or added
    plans = _plan_all(data_dir, kind, rows, raw, problems, replace)
    _stop_on_errors(problems)
    # Validate the data directory as it would be, with the source's row numbers
    problems += validate_plans(data_dir, plans, raw, kind)
    _stop_on_errors(problems)
    if not dry_run:
        write_files(data_dir, {p.path: p.content for p in plans if p.changed})
    files = tuple(
        WeekFile(p.path, p.week, p.added, p.already, p.new_file, p.added_text, p.completed, p.replaced)
        for p in plans
        if p.shown
    )
    warnings = tuple(p for p in problems if p.level == "warning")
    sheet = raw.sheet if len(raw.sheets) > 1 else None
    return ImportResult(path, kind, files, warnings, not dry_run, sheet, recovered)


def _check_options(kind: str, decimal: str | None, week: str | None, data_dir: Path) -> str | None:
    if kind not in KINDS:
        raise ConfigError.of("import.unknown-kind", kind=repr(kind), kinds=", ".join(KINDS))
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise ConfigError.of("import.unknown-decimal", decimal=repr(decimal))
    if week is not None and kind not in WEEK_KINDS:
        raise ConfigError.of("import.week-of-week-files", kind=kind)
    if week is not None:
        try:
            week = parse_week(week).code
        except MessageError as exc:
            raise ConfigError.of(exc.code, **exc.params) from None
    if not data_dir.is_dir():
        raise DataError([missing_data_dir(data_dir)])
    return week


def _plan_all(
    data_dir: Path, kind: str, rows: pd.DataFrame, raw: RawExport, problems: list[Problem], replace: bool
) -> list[FilePlan]:
    if kind == "team":
        return [plan_team(data_dir, rows, raw, problems, replace), *plan_example_removal(data_dir, "team")]
    if kind == "outlets":
        plan = _plan_csv(data_dir / "outlets.csv", "", kind, rows, raw, problems, replace)
        return [plan, *plan_example_removal(data_dir, "outlets", plan)]
    name = WEEK_KINDS[kind].name
    return [
        _plan_csv(data_dir / "weeks" / code / name, code, kind, group, raw, problems, replace)
        for code, group in rows.groupby("_week", sort=True)
    ]


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


def _with_defaults(values: dict[str, str]) -> dict[str, str]:
    """Fill what a new row needs: `planned` blank means no (a blank outcome stays "not reported")."""
    if values.get("planned") == "":
        values = {**values, "planned": "no"}
    return values


def _plan_csv(
    path: Path,
    week: str,
    kind: str,
    rows: pd.DataFrame,
    raw: RawExport,
    problems: list[Problem],
    replace: bool,
) -> FilePlan:
    """Work out what a CSV file gains: completed rows (same key), replaced rows, added rows."""
    columns = list(IMPORT_COLUMNS[kind])
    original = path.read_bytes() if path.is_file() else b""
    text = CsvText.parse(original)
    new_file = not text.header
    if new_file:
        text = CsvText.parse((csv_line(columns)[0] + "\n").encode("utf-8"))
    plan = FilePlan(path, week, new_file, original, text)
    plan.added_text = text.lines[0] + "\n" if new_file else ""
    header = text.header
    current = {r.start: dict(r.values) for r in text.records}
    seen = Counter(tuple(canonical_existing(c, r.values.get(c, "")) for c in columns) for r in text.records)
    key_columns = KEYS.get(kind)
    by_key: dict[tuple[str, ...], int] = {}
    if key_columns:
        for r in text.records:
            by_key.setdefault(tuple(canonical_existing(c, r.values.get(c, "")) for c in key_columns), r.start)
    missing_reported: set[str] = set()
    for record in rows[columns + [LINE]].itertuples(index=False):
        values, source_line = dict(zip(columns, record[:-1], strict=True)), int(record[-1])
        full = tuple(_with_defaults(values)[c] for c in columns)
        if seen[full] > 0:
            seen[full] -= 1
            plan.already += 1
            continue
        for column in columns:
            if values[column] and column not in header and column not in missing_reported:
                missing_reported.add(column)
                problems.append(_no_column(raw, source_line, path, column))
        start = by_key.get(tuple(values[c] for c in key_columns)) if key_columns else None
        if start is None:
            line_text, starts = csv_line([_with_defaults(values).get(c, "") for c in header])
            plan.add(line_text, source_line, list(zip(starts, header, strict=True)))
            continue
        _complete(plan, start, current[start], values, header, raw, source_line, problems, replace)
    return plan


def _complete(
    plan: FilePlan,
    start: int,
    existing: dict[str, str],
    values: dict[str, str],
    header: list[str],
    raw: RawExport,
    source_line: int,
    problems: list[Problem],
    replace: bool,
) -> None:
    """Fill a matching row's blank columns; a changed filled value is a conflict unless `replace`."""
    filled: list[tuple[str, str, str]] = []
    conflicts: list[tuple[str, str, str]] = []
    for column in header:
        new = values.get(column, "")
        old = canonical_existing(column, existing.get(column, ""))
        if not new or new == old:
            continue
        (conflicts if old else filled).append((column, existing.get(column, ""), new))
    if not filled and not (conflicts and replace):
        plan.already += 1
    if conflicts and not replace:
        problems.append(
            Problem.warning(
                str(raw.path),
                "import.row-differs",
                source_line,
                None,
                place=Place(start, plan.display),
                changes=changed_values(conflicts),
            )
        )
    changes = filled + (conflicts if replace else [])
    if not changes:
        return
    for column, _, new in changes:
        existing[column] = new
    line_text, starts = csv_line([existing.get(c, "") for c in header])
    plan.edit(start, line_text, source_line, list(zip(starts, header, strict=True)))
    if conflicts and replace:
        plan.replaced += 1
    else:
        plan.completed += 1


def _no_column(raw: RawExport, source_line: int, path: Path, column: str) -> Problem:
    name = "/".join(path.parts[-3:]) if path.parent.parent.name == "weeks" else path.name
    return Problem.error(
        str(raw.path), "import.column-not-in-file", source_line, None, file=name, column=column
    )
