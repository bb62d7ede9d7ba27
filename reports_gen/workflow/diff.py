"""`diff`: what a change does to the data and its headline figures, as Markdown for a pull request.

Each side is the data directory at a git revision (or the working tree), read from git's
object store into a temporary directory, so the user's checkout is never touched. Both sides
go through the same check and computations as `build`; then files, weekly metrics, target
statuses and alerts are compared.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from reports_gen.dataset.dataset import check_data
from reports_gen.dataset.settings import read_config, read_language
from reports_gen.errors import Problem, ReportsError
from reports_gen.fileio import atomic_write
from reports_gen.i18n import Translator
from reports_gen.metrics.alerts import ALERT_COLUMNS, compute_alerts
from reports_gen.metrics.weekly import PERIOD_COLUMNS, WEEKLY_METRICS, compute_metrics


class RevisionError(ReportsError):
    """A revision or repository git cannot give us: a usage error."""

    exit_code = 2


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
    repo, data_path = _locate(data_dir)
    base_commit = _resolve(repo, base)
    head_commit = _resolve(repo, head) if head is not None else None
    with tempfile.TemporaryDirectory(prefix="reports-gen-diff-") as tmp:
        base_dir = _export(repo, base_commit, data_path, Path(tmp) / "base")
        # A HEAD without a data directory is read like a working tree without one: "not found".
        head_dir = (
            data_dir
            if head_commit is None
            else _export(repo, head_commit, data_path, Path(tmp) / "head") or Path(tmp) / "head"
        )
        tr = _site_translator(head_dir)
        base_side = read_side(base_dir, _label(base, base_commit), data_path, tr, as_of)
        head_label = tr("diff.working_tree") if head is None else _label(head, head_commit or "")
        head_side = read_side(head_dir, head_label, data_path, tr, as_of)
    files = compare_files(base_side.files, head_side.files)
    added, changed, removed = _week_changes(base_side.files, head_side.files, files)
    return DataDiff(data_path, base_side, head_side, files, added, changed, removed, tr)


# -- git ---------------------------------------------------------------------------------------


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError.of("diff.no-git") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError.of("diff.git-failed", message=message[0] if message else f"git {args[0]} failed")
    return proc.stdout


def _locate(data_dir: Path) -> tuple[Path, str]:
    """Return the repository root and the data directory's path inside it (posix, '' for the root)."""
    target = Path(os.path.abspath(data_dir))
    start = target
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        top = Path(_git(start, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except RevisionError:
        raise RevisionError.of("diff.not-in-repository", data=str(data_dir)) from None
    existing = start.resolve() / target.relative_to(start)
    try:
        relative = existing.relative_to(top)
    except ValueError:
        raise RevisionError.of("diff.outside-repository", data=str(data_dir), top=str(top)) from None
    return top, relative.as_posix() if relative.parts else ""


def _resolve(repo: Path, revision: str) -> str:
    """Return the commit id of a revision, or raise RevisionError with what to do."""
    proc = None
    if revision and not revision.startswith("-"):
        proc = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
            capture_output=True,
            check=False,
        )
    if proc is None or proc.returncode != 0:
        raise RevisionError.of("diff.unknown-revision", revision=repr(revision), repo=str(repo))
    return proc.stdout.decode().strip()


def _export(repo: Path, commit: str, data_path: str, dest: Path) -> Path | None:
    """Write the data directory of `commit` below `dest`; None when the commit has none."""
    pathspec = [data_path] if data_path else []
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspec)
    prefix = f"{data_path}/" if data_path else ""
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == "blob" and mode != "120000" and path.startswith(prefix):  # no symlinks, submodules
            blobs.append((oid, path[len(prefix) :]))
    if not blobs:
        return None
    output = _git(repo, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid, _ in blobs).encode())
    position = 0
    dest.mkdir(parents=True)
    for _, path in blobs:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split(b" ")
        if len(header) != 3:  # "<oid> missing": a clone that lacks the revision's files
            raise RevisionError.of("diff.files-missing", short=commit[:7], commit=commit)
        size = int(header[2])
        target = dest / path
        atomic_write(target, output[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1  # the content is followed by a newline
    return dest


def _label(revision: str, commit: str) -> str:
    short = commit[:7]
    is_sha = re.fullmatch(r"[0-9a-fA-F]{4,64}", revision) and commit.startswith(revision.lower())
    return short if is_sha else f"{revision} ({short})"


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
    metrics = compute_metrics(ds, as_of)
    alerts = compute_alerts(ds, metrics, tr)
    return Side(label, True, files, problems, metrics.as_of, metrics.weekly, metrics.periods, alerts, names)


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
