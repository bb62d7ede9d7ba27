"""The exception hierarchy and the Problem record that every check reports.

A Problem names its message by a stable code (`calls.order-without-visit`) and parameters;
the words come from `i18n/messages.<language>.yaml` (`problem.<code>` and `problem.<code>.hint`),
so the same problem reads in the data's language and no caller ever matches message text.

To add one: pick a code `<file or area>.<what-is-wrong>`, write `problem.<code>` (and, when
it helps, `problem.<code>.hint`) in both messages files with the same `{names}`, and make it
with `Problem.error(path, code, line, col, name=value, ...)`. Values are text or numbers as
they should read (`repr(x)` or `{name!r}` to quote what the data says), a `Place` for another
line, a `Term` or `Choices` for codes that must show through their labels, a `Message` for a
reason worded elsewhere. An error raised to the CLI uses `ConfigError.of(code, ...)`.
A message about a `count` of things words the count of 1 in `problem.<code>.one` ("1 planned
visit has ..."), as `Translator.plural` does; `problem.<code>` words every other count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Self

from reports_gen.i18n import Translator

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Place:
    """A line named in a message: `line 3` of the problem's own file, or `weeks/2026-W47/calls.csv:3`."""

    line: int
    path: str = ""  # "" = the file of the problem itself

    def render(self, tr: Translator) -> str:
        """Return the place in words of `tr`'s language."""
        return f"{self.path}:{self.line}" if self.path else tr("problem.place.line", line=self.line)


@dataclass(frozen=True)
class Term:
    """A code shown through its translated label (`stage.qualified` -> Terkualifikasi), never raw.

    In a template, `{name:lower}` writes the label in lower case mid-sentence ("aktivitas
    media sosial"); a code without a label is shown as it is written in the data.
    """

    key: str
    code: str

    def render(self, tr: Translator) -> str:
        """Return the label in `tr`'s language, or the code when there is none."""
        return _Label(tr.template(self.key) or self.code)


@dataclass(frozen=True)
class Choices:
    """The values a column accepts: `{name}` lists the codes, `{name:labelled}` adds each label."""

    codes: tuple[str, ...]
    label_prefix: str = ""  # e.g. "stage." -> the site's label of each stage

    def render(self, tr: Translator) -> str:
        """Return the codes as a list, ready to be labelled by the template."""
        labels = [(tr.template(self.label_prefix + c) or c) if self.label_prefix else c for c in self.codes]
        return _ChoiceText(", ".join(self.codes), codes=self.codes, labels=tuple(labels))


@dataclass(frozen=True)
class Message:
    """A whole message as a parameter of another (e.g. why a period is invalid), worded in its language."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, tr: Translator) -> str:
        """Return the message in `tr`'s language."""
        return render(self.code, dict(self.params), tr)


Param = str | int | float | Place | Term | Choices | Message


class _Label(str):
    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec == "lower":
            return _lower_first(str(self))
        return format(str(self), spec)


class _ChoiceText(str):
    codes: tuple[str, ...]
    labels: tuple[str, ...]

    def __new__(cls, text: str, codes: tuple[str, ...], labels: tuple[str, ...]) -> _ChoiceText:
        made = super().__new__(cls, text)
        made.codes, made.labels = codes, labels
        return made

    def __format__(self, spec: str) -> str:
        if spec == "labelled":
            return ", ".join(
                code if label.lower() == code.lower() else f"{code} ({_lower_first(label)})"
                for code, label in zip(self.codes, self.labels, strict=True)
            )
        return format(str(self), spec)


def _lower_first(text: str) -> str:
    # "Media sosial" -> "media sosial", but "PJP" and "WhatsApp" keep their capitals.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_ENGLISH = Translator("en")


def render(code: str, params: Mapping[str, Param], tr: Translator | None = None, part: str = "") -> str:
    """Return the message (or, with part=".hint", the hint) of `code` filled with `params`.

    A message with a `count` may have a singular form, `problem.<code>.one`, used when the
    count is 1 (as Translator.plural does; the message itself words every other count).
    A template missing in the language falls back to English; a code without any template
    shows the code and its parameters, so a message is never lost.
    """
    tr = tr or _ENGLISH
    key = f"problem.{code}{part}"
    keys = (f"problem.{code}.one", key) if not part and params.get("count") == 1 else (key,)
    values = {name: value.render(tr) if hasattr(value, "render") else value for name, value in params.items()}
    for translator in (tr, _ENGLISH):
        for each in keys:
            template = translator.template(each)
            if template is None:
                continue
            try:
                return template.format(**values)
            except (KeyError, IndexError, ValueError):
                continue
    if part:
        return ""
    shown = ", ".join(f"{name}={value!r}" for name, value in params.items())
    return f"{code} ({shown})" if shown else code


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, at a place a user can open in an editor.

    Make one with `Problem.error(path, code, line, col, **params)` or `Problem.warning(...)`;
    `line` and `col` are positional, so any other name is free for a message parameter.
    """

    path: str
    line: int | None
    col: int | None
    level: Level
    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def make(
        cls,
        level: Level,
        path: str,
        code: str,
        line: int | None = None,
        col: int | None = None,
        /,
        **params: Param,
    ) -> Problem:
        """Make a problem of `level` with the message `code` and its parameters."""
        if "line" in params or "col" in params:  # Problem.error(path, code, line=3) would lose the place
            raise TypeError("pass line and col by position: Problem.error(path, code, line, col, ...)")
        return cls(str(path), line, col, level, code, tuple(params.items()))

    @classmethod
    def error(
        cls, path: str, code: str, line: int | None = None, col: int | None = None, /, **params: Param
    ) -> Problem:
        """Make an error (it fails the check)."""
        return cls.make("error", path, code, line, col, **params)

    @classmethod
    def warning(
        cls, path: str, code: str, line: int | None = None, col: int | None = None, /, **params: Param
    ) -> Problem:
        """Make a warning (it fails the check only with --strict)."""
        return cls.make("warning", path, code, line, col, **params)

    @property
    def values(self) -> dict[str, Param]:
        """Return the message's parameters by name."""
        return dict(self.params)

    def with_values(self, **changes: Param) -> Problem:
        """Return the same problem with some parameters replaced or added."""
        return replace(self, params=tuple({**self.values, **changes}.items()))

    def text(self, tr: Translator | None = None) -> str:
        """Return the message in `tr`'s language (English without one).

        The parameter `in_column` (an import's source column header) adds "in column 'X'".
        """
        values = self.values
        text = render(self.code, values, tr)
        if "in_column" in values:
            text += (tr or _ENGLISH)("problem.in-column", column=repr(values["in_column"]))
        return text

    def hint_text(self, tr: Translator | None = None) -> str:
        """Return the hint in `tr`'s language ("" when the problem has none)."""
        return render(self.code, self.values, tr, ".hint")

    @property
    def message(self) -> str:
        """Return the message in English."""
        return self.text()

    @property
    def hint(self) -> str:
        """Return the hint in English."""
        return self.hint_text()

    def format_text(self, relative_to: Path | None = None, tr: Translator | None = None) -> str:
        """Render as `path:line:col: level: message (hint: ...)`, the words in `tr`'s language."""
        where = display_path(self.path, relative_to)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.level}: {self.text(tr)}"
        if hint := self.hint_text(tr):
            text += f" (hint: {hint})"
        return text

    def format_github(self, relative_to: Path | None = None, tr: Translator | None = None) -> str:
        """Render as a GitHub Actions workflow command (an annotation)."""
        props = [f"file={_gh_escape_prop(display_path(self.path, relative_to))}"]
        if self.line is not None:
            props.append(f"line={self.line}")
            if self.col is not None:
                props.append(f"col={self.col}")
        hint = self.hint_text(tr)
        message = self.text(tr) + (f" (hint: {hint})" if hint else "")
        return f"::{self.level} {','.join(props)}::{_gh_escape_data(message)}"

    def as_dict(self, relative_to: Path | None = None, tr: Translator | None = None) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "path": display_path(self.path, relative_to),
            "line": self.line,
            "column": self.col,
            "level": self.level,
            "code": self.code,
            "message": self.text(tr),
            "hint": self.hint_text(tr) or None,
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


class MessageError(ValueError):
    """A ValueError whose message is a code and parameters, to be shown in the data's language."""

    def __init__(self, code: str, /, **params: Param):
        self.code = code
        self.params = params
        self.message = Message(code, tuple(params.items()))
        super().__init__(render(code, params))


class ReportsError(Exception):
    """Base of every error reports-gen reports to a user without a traceback.

    Raise it with a message code (`ConfigError.of("init.not-empty", target=...)`) so the CLI
    can word it in the data's language; `str(error)` is the English text.
    """

    exit_code = 1
    code: str = ""
    params: dict[str, Param]

    @classmethod
    def of(cls, code: str, /, **params: Param) -> Self:
        """Make the error whose message is `code` filled with `params`."""
        error = cls(render(code, params))
        error.code, error.params = code, params
        return error

    def text(self, tr: Translator | None = None) -> str:
        """Return the message in `tr`'s language (as raised when it has no code)."""
        return render(self.code, self.params, tr) if self.code else str(self)


class DataError(ReportsError):
    """The data directory has problems; `problems` lists each of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        self.errors = sum(1 for p in problems if p.level == "error")
        super().__init__(f"{self.errors} error(s) in the data")


class ConfigError(ReportsError):
    """A setting or command-line value cannot be used."""


class BuildError(ReportsError):
    """The site could not be generated or built."""


def _problem_order(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line or 0, p.col or 0, p.message)
