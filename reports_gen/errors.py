"""The exception hierarchy and the Problem record that every check reports."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at a place a user can open in an editor."""

    path: str
    line: int | None
    col: int | None
    level: Level
    message: str
    hint: str = ""

    def format_text(self, relative_to: Path | None = None) -> str:
        """Render as `path:line:col: level: message (hint)`."""
        where = display_path(self.path, relative_to)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.level}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def format_github(self, relative_to: Path | None = None) -> str:
        """Render as a GitHub Actions workflow command (an annotation)."""
        props = [f"file={_gh_escape_prop(display_path(self.path, relative_to))}"]
        if self.line is not None:
            props.append(f"line={self.line}")
            if self.col is not None:
                props.append(f"col={self.col}")
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return f"::{self.level} {','.join(props)}::{_gh_escape_data(message)}"

    def as_dict(self, relative_to: Path | None = None) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "path": display_path(self.path, relative_to),
            "line": self.line,
            "column": self.col,
            "level": self.level,
            "message": self.message,
            "hint": self.hint or None,
        }


def display_path(path: str, relative_to: Path | None = None) -> str:
    """Show a path relative to the working directory when it lies below it."""
    base = relative_to or Path.cwd()
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel.replace(os.sep, "/")


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


class ReportsError(Exception):
    """Base of every error reports-gen reports to a user without a traceback."""

    exit_code = 1


class DataError(ReportsError):
    """The data directory has problems; `problems` lists each of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        errors = sum(1 for p in problems if p.level == "error")
        super().__init__(f"{errors} error(s) in the data")


class ConfigError(ReportsError):
    """A setting or command-line value cannot be used."""


class BuildError(ReportsError):
    """The site could not be generated or built."""


def _problem_order(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line or 0, p.col or 0, p.message)
