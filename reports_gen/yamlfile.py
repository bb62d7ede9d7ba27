"""Read YAML while keeping the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

YamlPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed YAML document with the position of every node, keyed by its path."""

    path: str
    data: Any
    marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, *keys: str | int) -> tuple[int | None, int | None]:
        """Return (line, column) of the node at `keys`, or of its nearest ancestor."""
        at: YamlPath = tuple(keys)
        while at:
            if at in self.marks:
                return self.marks[at]
            at = at[:-1]
        return self.marks.get((), (None, None))

    def problem(self, keys: YamlPath, message: str, hint: str = "", level: str = "error") -> Problem:
        """Make a Problem located at the node `keys`."""
        line, col = self.where(*keys)
        return Problem(self.path, line, col, level, message, hint)  # type: ignore[arg-type]


def read_yaml(path: Path, problems: list[Problem]) -> YamlDoc | None:
    """Parse a YAML file; on failure add a Problem and return None."""
    text = read_text(path, problems)
    if text is None:
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        problems.append(Problem(str(path), line, col, "error", f"invalid YAML: {reason}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(str(path), None, None, "error", f"invalid YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    doc = YamlDoc(str(path), data)
    if node is not None:
        _collect_marks(loader, node, (), doc.marks)
    return doc


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file (BOM tolerated); add a Problem for binary or non-UTF-8 content."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), None, None, "error", f"cannot read file: {exc.strerror}"))
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(
            Problem(str(path), line, None, "error", "binary content (NUL byte): not a text file")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                str(path), line, col, "error",
                f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8, or bring it in with `reports-gen import`",
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _collect_marks(loader: yaml.SafeLoader, node: yaml.Node, at: YamlPath, marks: dict) -> None:
    marks[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
            except yaml.YAMLError:
                continue
            if not isinstance(key, str | int):
                key = str(key)
            _collect_marks(loader, value_node, (*at, key), marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(loader, item, (*at, index), marks)
