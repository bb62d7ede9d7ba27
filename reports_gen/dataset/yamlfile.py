"""Read YAML while keeping the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reports_gen.errors import Level, Param, Place, Problem

YamlPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed YAML document with the position of every node, keyed by its path."""

    path: str
    data: Any
    marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    texts: dict[YamlPath, str] = field(default_factory=dict)  # each scalar as written

    def text(self, keys: YamlPath, value: Any) -> str | None:
        """Return a scalar as its text: as written when YAML read it as something else.

        An id such as `0123`, `1e3`, `no` or `2026-01-01` is text to us, whatever YAML 1.1
        makes of it (83, 1000.0, False, a date); None stays None.
        """
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, dict | list):
            return None
        return self.texts.get(_path(keys), str(value))

    def where(self, *keys: str | int) -> tuple[int | None, int | None]:
        """Return (line, column) of the node at `keys`, or of its nearest ancestor."""
        at: YamlPath = _path(keys)
        while at:
            if at in self.marks:
                return self.marks[at]
            at = at[:-1]
        return self.marks.get((), (None, None))

    def problem(self, keys: YamlPath, code: str, level: Level = "error", /, **params: Param) -> Problem:
        """Make a Problem with the message `code`, located at the node `keys`."""
        line, col = self.where(*keys)
        return Problem.make(level, self.path, code, line, col, **params)

    def key_problem(self, keys: YamlPath, code: str, /, **params: Param) -> Problem:
        """Make an error located at the key of the mapping entry `keys` (e.g. an unknown key)."""
        line, col = self.key_marks.get(_path(keys)) or self.where(*keys)
        return Problem.error(self.path, code, line, col, **params)


def _path(keys: tuple) -> YamlPath:
    # Marks are stored with keys other than text and numbers (null, dates) as their text.
    return tuple(k if isinstance(k, str | int) else str(k) for k in keys)


def read_yaml(path: Path, problems: list[Problem], raw: bytes | None = None) -> YamlDoc | None:
    """Parse a YAML file (its bytes `raw` when already read); on failure add a Problem and return None."""
    text = read_text(path, problems, raw)
    if text is None:
        return None
    loader = None
    doc = YamlDoc(str(path), None)
    duplicates: list[Problem] = []
    try:
        if any(mark in text for mark in ("&", "*", "<<")):
            refused = _refuse_references(text, str(path))
            if refused is not None:
                problems.append(refused)
                return None
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is not None:
            # Marks first: constructing merges `<<` keys into a mapping's own pairs.
            _collect_marks(loader, node, (), doc, duplicates, set())
            doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.problem.startswith("but "):
            reason = f"{exc.context}, {exc.problem}"  # e.g. "expected a single document ..., but found ..."
        problems.append(Problem.error(str(path), "yaml.invalid", line, col, reason=reason))
        return None
    except yaml.reader.ReaderError as exc:  # a control character: PyYAML refuses the whole text
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problems.append(
            Problem.error(
                str(path),
                "yaml.bad-character",
                line,
                col,
                character=f"#x{exc.character:04x}",
                reason=exc.reason,
            )
        )
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem.error(str(path), "yaml.invalid", reason=str(exc)))
        return None
    except RecursionError:
        problems.append(Problem.error(str(path), "yaml.too-deep"))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if duplicates:  # the data silently lost a value: do not use it
        problems.extend(duplicates)
        return None
    return doc


def _refuse_references(text: str, path: str) -> Problem | None:
    """Find the first anchor, alias or merge key, before anything is built from them.

    Data files have no use for them, and a few nested aliases ("billion laughs") expand into
    gigabytes when constructed: reading only the parser's events costs no more than the text.
    """
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return Problem.error(path, "yaml.alias", *_start(event), name=str(event.anchor))
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            return Problem.error(path, "yaml.anchor", *_start(event), name=str(event.anchor))
        if isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.implicit[0]:
            return Problem.error(path, "yaml.merge-key", *_start(event))
    return None


def _start(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


_STR_TAG = "tag:yaml.org,2002:str"


# libyaml's parser is ~10x faster on a large targets.yaml; the pure-Python one is the fallback.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A SafeLoader whose bad scalars become located errors instead of Python exceptions."""

    deep_construct: bool  # set by PyYAML's BaseConstructor; declared for the type checker

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what constructing a text scalar gives, without the machinery
        deep_before = self.deep_construct
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
            self.recursive_objects.pop(node, None)
            self.deep_construct = deep_before
            if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(node.value, str):
                # An impossible date such as 2026-02-30: keep the text, the reader of the
                # value reports it where a date is expected.
                self.constructed_objects[node] = node.value
                return node.value
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from None


def read_text(path: Path, problems: list[Problem], raw: bytes | None = None) -> str | None:
    """Read a UTF-8 text file (BOM tolerated); add a Problem for binary or non-UTF-8 content.

    `raw` is the file's bytes when the caller has read them already.
    """
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem.error(str(path), "file.unreadable", reason=str(exc.strerror)))
            return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem.error(str(path), "file.binary", line))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem.error(
                str(path),
                "file.not-utf8",
                line,
                col,
                byte=f"0x{raw[exc.start]:02x}",
            )
        )
        return None
    if "\r" not in text:  # one fast scan: most files have no carriage return to replace
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _collect_marks(
    loader: yaml.BaseLoader,
    node: yaml.Node,
    at: YamlPath,
    doc: YamlDoc,
    problems: list[Problem],
    seen: set[int],
) -> None:
    if id(node) in seen:  # an alias: its marks were taken where it was defined (may be a cycle)
        return
    seen.add(id(node))
    doc.marks[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        doc.texts[at] = node.value
    if isinstance(node, yaml.MappingNode):
        keys: dict[object, int] = {}
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
            except yaml.YAMLError:
                continue
            if not isinstance(key, str | int):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in keys:
                problems.append(
                    Problem.error(
                        doc.path,
                        "yaml.duplicate-key",
                        line,
                        key_node.start_mark.column + 1,
                        key=repr(key),
                        first=Place(keys[key]),
                    )
                )
            keys.setdefault(key, line)
            doc.key_marks.setdefault((*at, key), (line, key_node.start_mark.column + 1))
            _collect_marks(loader, value_node, (*at, key), doc, problems, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(loader, item, (*at, index), doc, problems, seen)
