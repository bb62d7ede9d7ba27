"""`diff`: what a change does to the data and its headline figures, as Markdown for a pull request.

Each side is the data directory at a git revision (or the working tree), read from git's
object store into a temporary directory (gitrev.py), so the user's checkout is never touched.
Both sides go through the same check and report function as `build` and `export`; then
files, weekly metrics, target statuses and alerts are compared.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from reports_gen.dataset.dataset import check_data
from reports_gen.dataset.settings import read_config, read_language
from reports_gen.errors import Problem
from reports_gen.i18n import Translator
from reports_gen.metrics.alerts import ALERT_COLUMNS
from reports_gen.metrics.periods import PERIOD_COLUMNS
from reports_gen.metrics.report import report_of
from reports_gen.metrics.weekly import WEEKLY_METRICS
from reports_gen.workflow import gitrev


@dataclass(frozen=True)
class Side:
    """The data directory at one revision: its files, its problems and, when valid, its figures.

    `files` maps paths below the data directory to their content (line endings normalised);
    `problems` carry paths as in the repository; `weekly`, `periods` and `alerts` are the
    frames of metrics.Metrics and alerts.compute_alerts, None when the data is invalid.
    A revision without a data directory is a valid, empty side (`exists` is False).
    """

    label: str
    exists: bool
    files: dict[str, bytes]
    problems: tuple[Problem, ...]
    as_of: dt.date | None
    weekly: pd.DataFrame | None
    periods: pd.DataFrame | None
    alerts: pd.DataFrame | None
    names: dict[tuple[str, str], str]  # (scope, id) -> display name, for teams and people

    @property
    def valid(self) -> bool:
        """Tell whether the data could be read and computed."""
        return self.weekly is not None

    @property
    def errors(self) -> list[Problem]:
        """Return the problems of level error."""
        return [p for p in self.problems if p.level == "error"]


@dataclass(frozen=True)
class FileChange:
    """A file below the data directory that was added, changed or removed; CSV files with row counts."""

    path: str
    change: str  # "added" | "changed" | "removed"
    rows_before: int | None
    rows_after: int | None


@dataclass(frozen=True)
class DataDiff:
    """Two sides of the data directory, what differs in their files, and the site's translator."""

    data_path: str  # the data directory, relative to the repository root
    base: Side
    head: Side
    files: tuple[FileChange, ...]
    weeks_added: tuple[str, ...]
    weeks_changed: tuple[str, ...]
    weeks_removed: tuple[str, ...]
    tr: Translator


def diff_data(data_dir: Path, base: str, head: str | None = None, as_of: dt.date | None = None) -> DataDiff:
    """Compare the data directory at revision `base` with `head` (default: the working tree).

    Raises RevisionError when `data_dir` is not in a git repository or a revision is unknown.
    """
    repo, data_path = gitrev.locate(data_dir)
    base_commit = gitrev.resolve(repo, base)
    head_commit = gitrev.resolve(repo, head) if head is not None else None
    with tempfile.TemporaryDirectory(prefix="reports-gen-diff-") as tmp:
        base_dir = gitrev.export_tree(repo, base_commit, data_path, Path(tmp) / "base")
        # A HEAD without a data directory is read like a working tree without one: "not found".
        head_dir = (
            data_dir
            if head_commit is None
            else gitrev.export_tree(repo, head_commit, data_path, Path(tmp) / "head") or Path(tmp) / "head"
        )
        tr = _site_translator(head_dir)
        base_side = read_side(base_dir, gitrev.label(base, base_commit), data_path, tr, as_of)
        head_label = tr("diff.working_tree") if head is None else gitrev.label(head, head_commit or "")
        head_side = read_side(head_dir, head_label, data_path, tr, as_of)
    files = compare_files(base_side.files, head_side.files)
    added, changed, removed = _week_changes(base_side.files, head_side.files, files)
    return DataDiff(data_path, base_side, head_side, files, added, changed, removed, tr)


# -- one side ----------------------------------------------------------------------------------


def read_side(root: Path | None, label: str, data_path: str, tr: Translator, as_of: dt.date | None) -> Side:
    """Check the data directory at `root` and compute its figures (None root: an empty side)."""
    if root is None:
        return Side(
            label,
            False,
            {},
            (),
            None,
            _empty(["week", "scope", "id", *WEEKLY_METRICS]),
            _empty(PERIOD_COLUMNS),
            _empty(ALERT_COLUMNS),
            {},
        )
    files = read_files(root)
    result = check_data(root)
    problems = tuple(
        dataclasses.replace(p, path=_repo_path(p.path, root, data_path)) for p in result.problems
    )
    ds = result.dataset
    if ds is None:
        return Side(label, True, files, problems, None, None, None, None, {})
    names = {("team", t.id): t.name for t in ds.org.teams} | {("person", p.id): p.name for p in ds.org.people}
    if not ds.weeks:
        return Side(
            label,
            True,
            files,
            problems,
            None,
            _empty(["week", "scope", "id", *WEEKLY_METRICS]),
            _empty(PERIOD_COLUMNS),
            _empty(ALERT_COLUMNS),
            names,
        )
    report = report_of(ds, as_of, tr)  # the same computation as build and export
    metrics = report.metrics
    return Side(
        label, True, files, problems, metrics.as_of, metrics.weekly, metrics.periods, report.alerts, names
    )


def read_files(root: Path) -> dict[str, bytes]:
    """Return every file below `root` (hidden ones left out) with line endings normalised."""
    files: dict[str, bytes] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes().replace(b"\r\n", b"\n")
    return files


def _repo_path(path: str, root: Path, data_path: str) -> str:
    inside = os.path.relpath(path, root).replace(os.sep, "/")
    return str(PurePosixPath(data_path or ".", inside)) if inside != "." else (data_path or ".")


def _site_translator(head_dir: Path) -> Translator:
    """Return the translator of HEAD's config.yaml, as far as it can be read (English otherwise)."""
    config = read_config(head_dir / "config.yaml", [])
    return Translator(read_language(head_dir), config.currency)


def _empty(columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


# -- comparing files ---------------------------------------------------------------------------


def compare_files(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[FileChange, ...]:
    """List files added, changed or removed, in path order, with data rows of CSV files."""
    changes = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        changes.append(FileChange(path, change, count_rows(path, old), count_rows(path, new)))
    return tuple(changes)


def count_rows(path: str, content: bytes | None) -> int | None:
    """Return the number of data rows of a CSV file (blank ones left out); None for other files."""
    if content is None or not path.endswith(".csv"):
        return None
    text = content.decode("utf-8-sig", "replace")
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    except csv.Error:
        return None
    return max(len(rows) - 1, 0)


def _week_changes(
    before: dict[str, bytes], after: dict[str, bytes], files: tuple[FileChange, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Sort the week folders touched by `files` into added, changed and removed."""
    touched = sorted(
        {parts[1] for change in files if len(parts := change.path.split("/")) >= 3 and parts[0] == "weeks"}
    )
    was, now = _weeks_of(before), _weeks_of(after)
    added = tuple(w for w in touched if w in now and w not in was)
    removed = tuple(w for w in touched if w in was and w not in now)
    changed = tuple(w for w in touched if w in was and w in now)
    return added, changed, removed


def _weeks_of(files: dict[str, bytes]) -> set[str]:
    return {parts[1] for path in files if len(parts := path.split("/")) >= 3 and parts[0] == "weeks"}
