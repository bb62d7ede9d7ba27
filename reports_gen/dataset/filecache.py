"""Keep what reading one data file gave, so a rebuild reads again only the files that changed.

Only reading is kept (a CSV file's text cells and header and field problems, targets.yaml's
targets and problems): every rule that compares rows runs on every build over all the files
together, so the problems of a build and their order are those of a read without the cache.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reports_gen.dataset.csvfile import CsvSource, CsvTable, read_csv_each, read_csv_files
from reports_gen.dataset.model import Organisation, TargetSpec
from reports_gen.dataset.schema import FILE, LINE
from reports_gen.dataset.settings import read_targets
from reports_gen.errors import Problem
from reports_gen.fileio import atomic_write

_TAG = "reports-gen read cache 1"
_MISS = object()


def file_digests(root: Path) -> dict[str, str]:
    """Return the digest of each file's bytes under a data directory, by its path there."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file())
    }


@dataclass
class Lookup:
    """A file looked up in the cache: what reading it gave (`hit`), or the bytes to read (`raw`).

    `key` is None when the file's bytes could not be read.
    """

    path: Path
    key: str | None
    raw: bytes | None
    hit: bool = False
    value: Any = None
    problems: list[Problem] = field(default_factory=list)


class ReadCache:
    """What reading each file of a data directory gave, kept in `folder` between builds.

    An entry is keyed by the file's path under `root`, its bytes, what it was read as (`kind`,
    which names every setting the reading depends on) and `salt` (the code's digest). `digests`
    may give each file's bytes digest by path under `root` (as data_digest hashed them): a file
    found in the cache is then not read at all. An entry that cannot be read back is read again.
    New entries are written by a thread (their fsync waits while reading goes on): call
    `finish` once the reading is done.
    """

    def __init__(self, folder: Path, root: Path, salt: bytes = b"", digests: Mapping[str, str] | None = None):
        self.folder, self.root, self.salt = Path(folder), Path(root), salt
        self.digests = dict(digests or {})
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self._writer: ThreadPoolExecutor | None = None
        self._writes: list[Future[None]] = []

    def fetch(
        self,
        path: Path,
        kind: str,
        read: Callable[[bytes | None, list[Problem]], Any],
        problems: list[Problem],
        valid: Callable[[Any], bool],
    ) -> Any:
        """Return what `read(raw, found)` gives for the file at `path`, adding its problems to `problems`.

        `read` gets the file's bytes (None when they could not be read: it reports that itself)
        and the list to add the file's problems to; both are kept when the bytes could be read.
        """
        found = self.lookup(path, kind, valid)
        if not found.hit:
            local: list[Problem] = []
            self.keep(found, read(found.raw, local), local)
        problems.extend(found.problems)
        return found.value

    def lookup(self, path: Path, kind: str, valid: Callable[[Any], bool]) -> Lookup:
        """Look a file up: its value and problems when kept (and `valid`), else its bytes to read."""
        rel = path.relative_to(self.root).as_posix()
        given = self._key(rel, self.digests[rel], kind) if rel in self.digests else None
        if given is not None and (found := self._load(given, valid)) is not _MISS:
            return self._hit(path, given, found)
        try:
            raw = path.read_bytes()
        except OSError:
            return Lookup(path, None, None)  # reported by the reader as reading reports it
        key = self._key(rel, hashlib.sha256(raw).hexdigest(), kind)  # of the bytes read: no race
        if key != given and (found := self._load(key, valid)) is not _MISS:
            return self._hit(path, key, found)
        self.misses += 1
        return Lookup(path, key, raw)

    def keep(self, found: Lookup, value: Any, problems: list[Problem]) -> None:
        """Keep what reading a file looked up in vain gave (unless its bytes could not be read)."""
        found.value, found.problems, found.raw = value, problems, None
        if found.key is None:
            return
        self.used.add(found.key)
        kept = (_TAG, found.key, value, self._relative(problems))
        entry = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-cache")
        self._writes.append(self._writer.submit(atomic_write, self._path(found.key), entry))

    def digest_of(self, path: Path) -> str:
        """Return the digest of a file's bytes (the given one, if any), or "" when it cannot be read."""
        rel = path.relative_to(self.root).as_posix()
        if rel in self.digests:
            return self.digests[rel]
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return ""

    def finish(self) -> None:
        """Wait for the new entries to be written (raising WriteError if one could not be), then prune."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
            writes, self._writes = self._writes, []
            for write in writes:
                write.result()
        self.prune()

    def prune(self) -> None:
        """Delete the entries this read did not use, so the cache never grows week after week."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def _key(self, rel: str, digest: str, kind: str) -> str:
        text = f"{rel}\0{digest}\0{kind}\0".encode()
        return hashlib.sha256(text + self.salt).hexdigest()[:40]

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def _load(self, key: str, valid: Callable[[Any], bool]) -> Any:
        """Return the (value, problems) kept under `key`, or _MISS when there is none to trust."""
        try:
            with self._path(key).open("rb") as handle:
                entry = pickle.load(handle)
            if not (isinstance(entry, tuple) and len(entry) == 4 and entry[:2] == (_TAG, key)):
                return _MISS
            _, _, value, kept = entry
            if not (valid(value) and isinstance(kept, list) and all(_is_kept(k) for k in kept)):
                return _MISS
        except Exception:  # noqa: BLE001 - a missing, damaged or foreign entry is read again
            return _MISS
        self.used.add(key)
        return value, kept

    def _hit(self, path: Path, key: str, found: tuple[Any, list[tuple[bool, Problem]]]) -> Lookup:
        value, kept = found
        self.hits += 1
        prefix = str(self.root)
        problems = [replace(p, path=prefix + p.path) if under else p for under, p in kept]
        return Lookup(path, key, None, True, value, problems)

    def _relative(self, problems: list[Problem]) -> list[tuple[bool, Problem]]:
        """Keep problems with paths under the data directory relative to it: it may move."""
        prefix = str(self.root)
        return [
            (True, replace(p, path=p.path[len(prefix) :])) if p.path.startswith(prefix) else (False, p)
            for p in problems
        ]


def _is_kept(item: object) -> bool:
    return isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Problem)


@dataclass
class CsvPiece:
    """One CSV file as read alone: its header, each kept row's line, each column's codes and values."""

    header: list[str]
    line: np.ndarray
    columns: dict[str, tuple[np.ndarray, np.ndarray]]

    def __getstate__(self) -> dict[str, Any]:
        """Keep each column's values as one text: unpickled ten times faster than an object array.

        A cell never holds a NUL character (a file with one is refused as binary).
        """
        columns = {c: (codes, "\0".join(values), len(values)) for c, (codes, values) in self.columns.items()}
        return {"header": self.header, "line": self.line, "columns": columns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a piece kept by __getstate__."""
        self.header, self.line = state["header"], state["line"]
        self.columns = {
            c: (codes, _split(text, count)) for c, (codes, text, count) in state["columns"].items()
        }

    def sound(self) -> bool:
        """Tell whether the piece holds together (a damaged entry may not)."""
        return (
            isinstance(self.header, list)
            and all(isinstance(name, str) for name in self.header)
            and isinstance(self.line, np.ndarray)
            and self.line.dtype == np.int64
            and set(self.columns) == set(self.header)
            and all(_sound(codes, values, len(self.line)) for codes, values in self.columns.values())
        )


def _sound(codes: object, values: object, size: int) -> bool:
    """Tell whether a column's codes are `size` integers pointing into its values."""
    return (
        isinstance(codes, np.ndarray)
        and codes.dtype.kind == "i"
        and len(codes) == size
        and isinstance(values, np.ndarray)
        and values.dtype == object
        and (not size or 0 <= codes.min() <= codes.max() < len(values))
    )


# While a kind of file is looked up: one text object per distinct value over all its files.
_SHARED: ContextVar[dict[str, str] | None] = ContextVar("shared_values", default=None)


def _split(text: str, count: int) -> np.ndarray:
    """Return the `count` values joined with NUL in `text`, as an object array.

    A value seen in an earlier file is that file's text object: a year of week files names the
    same outlets every week, and one copy of each is kept instead of one per file.
    """
    values = np.empty(count, dtype=object)
    if count:
        parts = text.split("\0")
        shared = _SHARED.get()
        values[:] = parts if shared is None else list(map(shared.setdefault, parts, parts))
        # (raises for a text of another count: a damaged entry)
    return values


def read_csv_kind(
    paths: list[Path],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
    every: tuple[str, ...] = (),
    cache: ReadCache | None = None,
) -> CsvTable:
    """Read CSV files of one kind as read_csv_files does, each file from the cache when it has it."""
    if cache is None:
        return read_csv_files(paths, required, optional, problems, every)
    kind = f"csv|{','.join(required)}|{','.join(optional)}"
    token = _SHARED.set({})
    try:
        looked = [cache.lookup(path, kind, _is_piece) for path in paths]
    finally:
        _SHARED.reset(token)
    missed = [found for found in looked if not found.hit]
    raws = [found.raw for found in missed]
    for found in missed:
        found.raw = None  # read_csv_each lets each go once scanned
    for found, (problems_of, cells) in zip(
        missed, read_csv_each([f.path for f in missed], raws, required, optional), strict=True
    ):
        cache.keep(found, None if cells is None else CsvPiece(*cells), problems_of)
    for found in looked:
        problems.extend(found.problems)
    kept = [(str(found.path), found.value) for found in looked if found.value is not None]
    return join_pieces([name for name, _ in kept], [piece for _, piece in kept], every)


def _is_piece(value: object) -> bool:
    return value is None or (isinstance(value, CsvPiece) and value.sound())


def join_pieces(names: list[str], pieces: list[CsvPiece], every: tuple[str, ...] = ()) -> CsvTable:
    """Put files read alone together into the table read_csv_files gives for them all."""
    columns = list(dict.fromkeys([*(c for p in pieces for c in p.header), *every]))
    sizes = [len(p.line) for p in pieces]
    file_index = np.repeat(np.arange(len(pieces), dtype=np.intp), sizes)
    line = np.concatenate([np.array([], dtype=np.int64), *(p.line for p in pieces)])
    data: dict[str, object] = {}
    factors: dict[str, tuple[np.ndarray, pd.Series]] = {}
    for column in columns:
        codes, values = _join_column(pieces, sizes, column)
        data[column] = pd.array(values, dtype="str").take(codes)
        factors[column] = (codes, pd.Series(values, dtype=object))
    data[LINE] = line
    data[FILE] = pd.array(np.array(names, dtype=object), dtype="str").take(file_index)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(line)), copy=False)
    sources = [CsvSource(name, piece.header) for name, piece in zip(names, pieces, strict=True)]
    return CsvTable(frame, sources, file_index, factors)


def _join_column(pieces: list[CsvPiece], sizes: list[int], column: str) -> tuple[np.ndarray, np.ndarray]:
    """Join a column's codes over the pieces into codes of the distinct values of them all."""
    empty = np.array([""], dtype=object)  # a file without the column reads it as empty
    parts = [
        piece.columns.get(column, (np.zeros(size, dtype=np.int32), empty))
        for piece, size in zip(pieces, sizes, strict=True)
    ]
    starts = np.cumsum([0, *(len(values) for _, values in parts)])[:-1]
    joined, values = pd.factorize(np.concatenate([np.array([], dtype=object), *(v for _, v in parts)]))
    small = np.int32 if len(values) < 2**31 else np.int64
    joined = joined.astype(small)
    codes = [joined[start + local] for (local, _), start in zip(parts, starts, strict=True)]
    return np.concatenate([np.array([], dtype=small), *codes]), values


def read_targets_kind(
    path: Path, org: Organisation, problems: list[Problem], check_scopes: bool, cache: ReadCache | None
) -> list[TargetSpec]:
    """Read targets.yaml as read_targets does, from the cache when it and team.yaml did not change."""
    if cache is None or not path.exists():
        return read_targets(path, org, problems, check_scopes=check_scopes)
    team = cache.digest_of(path.parent / "team.yaml") if check_scopes else ""  # the scopes name its people
    kind = f"targets|{team}|{check_scopes}"

    def read(raw: bytes | None, found: list[Problem]) -> list[TargetSpec]:
        return read_targets(path, org, found, check_scopes, raw)

    return cache.fetch(path, kind, read, problems, _is_targets)


def _is_targets(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(t, TargetSpec) for t in value)
