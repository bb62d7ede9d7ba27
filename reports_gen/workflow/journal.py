"""Write several data files all or nothing, and finish or undo an interrupted write later.

The steps, each durable before the next: (1) a journal `DATA/.import-journal.json` naming
every file and folder the import will touch, state "staging"; (2) the new contents written
beside their targets as `.NAME.importing`; (3) the journal set to "committing"; (4) each
staged file renamed over its target; (5) the journal removed. A kill at any moment leaves a
journal that `recover` reads on the next `import` or `check`: while "staging" it removes
what was staged (nothing was changed yet); once "committing" it renames the rest in place,
except over a file that was edited since (its digest differs from the journal's): that one
is kept as it is, and named.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reports_gen.errors import Message, ReportsError
from reports_gen.fileio import WriteError, atomic_write, fsync_dir
from reports_gen.i18n import Translator

JOURNAL = ".import-journal.json"
STAGED = ".{name}.importing"


@dataclass(frozen=True)
class Recovery:
    """What `recover` did with an interrupted import: "finished", "rolled back" or "" (nothing)."""

    action: str
    files: int = 0
    kept: tuple[str, ...] = ()  # files changed by hand since the interruption: left as they are

    @property
    def note(self) -> str:
        """Return the one line that tells the user, in English, or "" when there was nothing to recover."""
        return self.text(Translator("en"))

    def text(self, tr: Translator) -> str:
        """Return the one line that tells the user, in `tr`'s language, or "" when there was nothing."""
        if not self.action:
            return ""
        if self.kept:
            return tr("cli.recover.finished_except", files=", ".join(self.kept))
        return tr("cli.recover.finished" if self.action == "finished" else "cli.recover.rolled_back")


def write_files(data_dir: Path, contents: dict[Path, bytes]) -> None:
    """Replace or create every file of `contents` (paths inside `data_dir`), all or nothing."""
    if not contents:
        return
    recover(data_dir)
    created = _missing_folders(data_dir, contents)
    entries = [
        {"target": str(path), "staged": str(_staged(path)), "before": _digest(path)} for path in contents
    ]
    journal = data_dir / JOURNAL
    try:
        _save(journal, "staging", entries, created)
        for folder in created:
            Path(folder).mkdir(exist_ok=True)
        for path, data in contents.items():
            atomic_write(_staged(path), data)
        _save(journal, "committing", entries, created)
    except WriteError as exc:
        _roll_back(data_dir, journal, entries, created)
        raise ReportsError.of(
            "import.not-written", error=Message(exc.code, tuple(exc.params.items()))
        ) from None
    try:
        _roll_forward(journal, entries)
    except OSError as exc:
        raise ReportsError.of(
            "import.not-finished", file=str(exc.filename or data_dir), reason=str(exc.strerror)
        ) from None


def recover(data_dir: Path) -> Recovery:
    """Finish or roll back an import that was interrupted; remove its leftovers."""
    journal = data_dir / JOURNAL
    for leftover in data_dir.glob(f".{JOURNAL}.*.tmp"):  # killed while writing the journal itself
        leftover.unlink(missing_ok=True)
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        state, entries, created = record["state"], record["entries"], record["created"]
    except FileNotFoundError:
        return Recovery("")
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # unreadable: written atomically, so never half a journal
        return Recovery("")
    if state == "committing":
        # A file edited since the interruption keeps the edit: never overwrite what a user wrote.
        kept = [
            e for e in entries if Path(e["staged"]).exists() and _digest(Path(e["target"])) != e.get("before")
        ]
        for entry in kept:
            Path(entry["staged"]).unlink(missing_ok=True)
        try:
            _roll_forward(journal, [e for e in entries if e not in kept])
        except OSError as exc:
            raise ReportsError.of(
                "import.interrupted-not-finished",
                file=str(exc.filename or data_dir),
                reason=str(exc.strerror),
            ) from None
        return Recovery("finished", len(entries), tuple(e["target"] for e in kept))
    _roll_back(data_dir, journal, entries, created)
    return Recovery("rolled back", len(entries))


def _digest(path: Path) -> str | None:
    """Return the SHA-256 of a file's bytes, or None when there is no file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _staged(path: Path) -> Path:
    return path.with_name(STAGED.format(name=path.name))


def _missing_folders(data_dir: Path, contents: dict[Path, bytes]) -> list[str]:
    """Return the folders to create, parents first (weeks/ and weeks/<week>/ of a new week)."""
    folders: list[str] = []
    for path in contents:
        missing = [p for p in reversed(path.parents) if data_dir in p.parents and not p.exists()]
        folders += [str(p) for p in missing if str(p) not in folders]
    return folders


def _save(journal: Path, state: str, entries: list[dict], created: list[str]) -> None:
    record = {"state": state, "entries": entries, "created": created}
    atomic_write(journal, json.dumps(record, ensure_ascii=False, indent=1))


def _roll_forward(journal: Path, entries: list[dict]) -> None:
    for entry in entries:
        staged = Path(entry["staged"])
        if staged.exists():  # absent: renamed before the interruption
            os.replace(staged, entry["target"])
    for folder in {Path(e["target"]).parent for e in entries}:
        fsync_dir(folder)
    journal.unlink(missing_ok=True)


def _roll_back(data_dir: Path, journal: Path, entries: list[dict], created: list[str]) -> None:
    for entry in entries:
        staged = Path(entry["staged"])
        # the staged file, and atomic_write's temporary file of it (".NAME.XXXX.tmp")
        for leftover in [staged, *staged.parent.glob(f".{staged.name}.*.tmp")]:
            with contextlib.suppress(OSError):
                leftover.unlink()
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            Path(folder).rmdir()  # only when empty: never anything a user put there
    journal.unlink(missing_ok=True)
