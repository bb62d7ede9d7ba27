"""Validate a data directory as an import would leave it, pointing problems at the export's rows."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reports_gen.dataset.dataset import check_data
from reports_gen.errors import Message, Param, Place, Problem
from reports_gen.fileio import WriteError
from reports_gen.i18n import Translator
from reports_gen.workflow.csvedit import CsvText
from reports_gen.workflow.spreadsheet import RawExport, map_columns


@dataclass
class FilePlan:
    """One data file as it would be after the import, and where its changed lines come from."""

    path: Path
    week: str  # "" for outlets.csv and team.yaml
    new_file: bool
    original: bytes
    text: CsvText | None = None  # None when `content` is given whole (team.yaml)
    added: int = 0
    already: int = 0
    completed: int = 0
    replaced: int = 0
    removed: int = 0  # example rows removed
    shown: bool = True  # listed in the import's report
    whole: bytes | None = None  # the new content, when not an edit of `text`
    sources: dict[int, int] = field(default_factory=dict)  # file line -> source row (for `whole`)
    # record start (edits) or ("+", n) (additions) -> source row and each field's (start column, name)
    _origins: dict[object, tuple[int, list[tuple[int, str]]]] = field(default_factory=dict)
    added_text: str = ""

    @property
    def display(self) -> str:
        """Return the file as a message names it: weeks/2026-W48/calls.csv, outlets.csv."""
        return f"weeks/{self.week}/{self.path.name}" if self.week else self.path.name

    def add(self, text: str, source_line: int, fields: list[tuple[int, str]]) -> None:
        """Append a record that came from the export's row `source_line`."""
        assert self.text is not None
        self._origins[("+", len(self.text.added))] = (source_line, fields)
        self.text.added.append(text)
        self.added_text += text + "\n"
        self.added += 1

    def edit(self, start: int, text: str, source_line: int, fields: list[tuple[int, str]]) -> None:
        """Replace the record starting on line `start` with `text`, which came from `source_line`."""
        assert self.text is not None
        self._origins[start] = (source_line, fields)
        self.text.edits[start] = text

    @property
    def changed(self) -> bool:
        """Tell whether the file's bytes change."""
        return self.content != self.original

    @property
    def content(self) -> bytes:
        """Return the file's bytes after the import."""
        if self.whole is not None:
            return self.whole
        assert self.text is not None
        return self.text.render()[0]

    def line_origins(self) -> dict[int, tuple[int, list[tuple[int, str]]]]:
        """Return file line after the import -> (source row, field columns), for changed lines."""
        if self.whole is not None:
            return {line: (source, []) for line, source in self.sources.items()}
        assert self.text is not None
        _, moved, added_at = self.text.render()
        origins = {moved[start]: origin for start, origin in self._origins.items() if isinstance(start, int)}
        for n, line in enumerate(added_at):
            origins[line] = self._origins[("+", n)]
        return origins


def validate_plans(data_dir: Path, plans: list[FilePlan], raw: RawExport, kind: str) -> list[Problem]:
    """Check the data directory as it would be after the import; return problems that matter to it.

    Errors anywhere stop the import; warnings are kept only for the files it touches.
    """
    headers = map_columns(raw, kind).headers
    with tempfile.TemporaryDirectory(prefix="reports-gen-import-") as tmp:
        root = Path(tmp) / "data"
        _mirror(data_dir, root, {p.path.relative_to(data_dir): p.content for p in plans})
        result = check_data(root)
        prefix = str(root)
        by_path = {str(root / p.path.relative_to(data_dir)): (p, p.line_origins()) for p in plans}
        # Importing sales (say) before the week's calls is fine: calls.csv can come next.
        no_calls = {
            str(root / "weeks" / p.week / "calls.csv"): p for p in plans if kind != "calls" and p.week
        }
        problems: list[Problem] = []
        for problem in result.problems:
            plan, origins = by_path.get(problem.path, (None, {}))
            if plan is not None and problem.line in origins:
                problems.append(_to_source(problem, plan, origins, raw, headers))
            elif problem.path in no_calls and problem.code == "week.calls-missing":
                week = no_calls[problem.path].week
                problems.append(
                    Problem.warning(str(data_dir / "weeks" / week), "import.no-calls-yet", week=week)
                )
            elif problem.level == "error" or plan is not None:
                real = problem.path
                if real.startswith(prefix):
                    real = str(data_dir) + real[len(prefix) :]
                mapped = _map_lines(problem, plan, origins, raw) if plan else problem
                problems.append(dataclasses.replace(mapped, path=real))
        return problems


def _mirror(source: Path, root: Path, planned: dict[Path, bytes]) -> None:
    """Build `root` as `source` with the planned files; link (or copy) everything else."""
    root.mkdir()
    inside = {parent for relative in planned for parent in relative.parents if parent != Path(".")}
    for entry in source.iterdir():
        _mirror_entry(entry, root / entry.name, Path(entry.name), inside, planned)
    for relative, data in planned.items():
        # A scratch copy for validation, thrown away: a crash cannot leave it where a user looks.
        try:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(data)
        except OSError as exc:
            raise WriteError(root / relative, exc) from None


def _mirror_entry(entry: Path, target: Path, relative: Path, inside: set[Path], planned: dict) -> None:
    if relative in planned:
        return
    if relative in inside and entry.is_dir():
        target.mkdir()
        for child in entry.iterdir():
            _mirror_entry(child, target / child.name, relative / child.name, inside, planned)
        return
    _link(entry, target)


def _link(source: Path, target: Path) -> None:
    try:
        target.symlink_to(source.resolve(), target_is_directory=source.is_dir())
    except OSError:  # no symlinks (e.g. Windows without developer mode): copy instead
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def _to_source(
    problem: Problem, plan: FilePlan, origins: dict, raw: RawExport, headers: dict[str, str]
) -> Problem:
    """Point a problem in an imported row at the source file's row and column header."""
    mapped = _map_lines(problem, plan, origins, raw)
    source_line, fields = origins[problem.line or 0]
    if problem.col is not None and fields:
        column = next((name for start, name in reversed(fields) if start <= problem.col), "")
        if header := headers.get(column):
            mapped = mapped.with_values(in_column=header)
    return dataclasses.replace(mapped, path=str(raw.path), line=source_line, col=None)


def _map_lines(problem: Problem, plan: FilePlan, origins: dict, raw: RawExport) -> Problem:
    """Point each line of the planned file that a problem names at the source row, or at the file."""
    changes: dict[str, Param] = {}
    for name, value in problem.params:
        if isinstance(value, Place) and not value.path:
            if value.line in origins:
                changes[name] = Place(origins[value.line][0], raw.path.name)
            else:
                changes[name] = Place(value.line, plan.display)
    return problem.with_values(**changes) if changes else problem


@dataclass(frozen=True)
class Changes:
    """The changed values of a row, each worded by its message and joined with "; "."""

    items: tuple[Message, ...]

    def render(self, tr: Translator) -> str:
        """Return the changes in `tr`'s language."""
        return "; ".join(item.render(tr) for item in self.items)


def changed_values(conflicts: list[tuple[str, object, object]], in_team: bool = False) -> Changes:
    """Word each (column, old, new) as `column 'old' in the file (or team.yaml), 'new' in the export`."""
    return Changes(
        tuple(
            Message(
                "import.changed-in-team" if in_team else "import.changed-in-file",
                (("column", column), ("old", repr(str(old))), ("new", repr(str(new)))),
            )
            for column, old, new in conflicts
        )
    )
