"""Render the site's charts once: requests are collected first, then drawn, cached by content."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import babel
import matplotlib
import pandas as pd
from matplotlib.font_manager import FontProperties, findfont

from reports_gen import i18n
from reports_gen.fileio import atomic_write
from reports_gen.i18n import Translator

from . import chartalt, charts, chartstyle, markdown, morecharts  # issue 13: morecharts

CHARTS_DIR = "charts"
# A chart's data table as the pages show it: escaped headers and rows (see `table_cells`).
Cells = tuple[list[str], list[list[str]]]


@dataclass(frozen=True)
class ChartRequest:
    """A chart a page wants: the charts.py function, its name and its arguments."""

    name: str
    function: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def path(self) -> str:
        """Return the chart's path under the docs root."""
        return f"{CHARTS_DIR}/{self.name}.svg"

    def key(self, language: str, currency: str, inputs: bytes | None = None) -> str:
        """Return a digest of everything that decides the chart's bytes (`inputs`: drawing_inputs())."""
        digest = hashlib.sha256()
        digest.update(drawing_inputs() if inputs is None else inputs)
        digest.update(f"{self.name}|{self.function}|{language}|{currency}".encode())
        for value in (*self.args, *(v for _, v in self.kwargs)):
            digest.update(_fingerprint(value))
        return digest.hexdigest()[:32]


def _fingerprint(value: Any) -> bytes:
    if isinstance(value, pd.DataFrame):
        buffer = io.StringIO()
        value.to_csv(buffer, index=False)
        return buffer.getvalue().encode()
    return repr(value).encode()


I18N_DIR = Path(i18n.__file__).parent


@functools.lru_cache(maxsize=4)
def drawing_inputs(i18n_dir: Path = I18N_DIR) -> bytes:
    """Return a digest of everything besides a chart's data that decides its bytes.

    The chart code (with the shared style and alt texts), the translations and number formats
    (every i18n file: a chart may use any key), the escaping of its data table (markdown),
    matplotlib's and Babel's versions, and the font.
    """
    digest = hashlib.sha256()
    modules = (charts, chartstyle, chartalt, morecharts, i18n, markdown)
    for path in [Path(str(m.__file__)) for m in modules] + sorted(i18n_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(f"matplotlib {matplotlib.__version__} babel {babel.__version__}".encode())
    family = cast(list[str], chartstyle.RC["font.sans-serif"])  # the font the charts are measured in
    font = findfont(FontProperties(family=family))
    digest.update(Path(font).name.encode() + b"\0" + Path(font).read_bytes())
    return digest.digest()


class ChartBook:
    """Collects chart requests from the pages and renders each distinct one once."""

    def __init__(self, tr: Translator):
        self.tr = tr
        self.requests: dict[str, ChartRequest] = {}
        self.rendered: dict[str, charts.Chart] = {}
        self.cells: dict[str, Cells] = {}  # each chart's data table, escaped when it was drawn
        self.drawn = 0  # charts drawn by the last render (the others came from the cache)
        self._pending: list[tuple[ChartRequest, Path | None, Any]] = []  # drawing: a Future or a job
        self._pool: ProcessPoolExecutor | None = None
        self._cache: Path | None = None
        self._used: set[str] = set()

    def add(self, name: str, function: str, *args: Any, **kwargs: Any) -> str:
        """Ask for a chart; return its name (the key pages use to show it)."""
        self.requests[name] = ChartRequest(name, function, args, tuple(sorted(kwargs.items())))
        return name

    def render(
        self,
        cache: Path | None,
        workers: int = 1,
        progress: Callable[[int, int], None] | None = None,
        defer: bool = False,
    ) -> dict[str, bytes]:
        """Draw every requested chart (reusing cached ones); return docs-root path -> SVG bytes.

        With `defer`, the charts that are not cached are only described here (alt text and
        data table, all the pages need) and drawn in the background: the result then holds the
        cached charts only, and `finish` writes the others once drawn. MkDocs renders the pages
        meanwhile, and needs the drawings only when it copies them (issue 14).
        """
        todo = []
        used: set[str] = set()
        inputs = drawing_inputs()
        for request in self.requests.values():
            key = request.key(self.tr.language, self.tr.currency, inputs)
            used.add(f"{key}.pickle")
            cached = cache / f"{key}.pickle" if cache else None
            found = _load(cached) if cached is not None else None
            if found is not None:
                self.rendered[request.name], self.cells[request.name] = found
            else:
                todo.append((request, cached))
        self.drawn = len(todo)
        self._cache, self._used = cache, used
        jobs = [
            (r.function, r.name, r.args, dict(r.kwargs), self.tr.language, self.tr.currency) for r, _ in todo
        ]
        if workers > 1 and len(jobs) > 20:
            # Drawing in the background yields to the pages and MkDocs, which wait for nothing else.
            self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_yield_cpu if defer else None)
        if defer:
            described = self._pool.map(_describe, jobs, chunksize=8) if self._pool else map(_describe, jobs)
            for (request, _), (chart, cells) in zip(todo, described, strict=True):
                self.rendered[request.name], self.cells[request.name] = chart, cells
            self._pending = [
                (request, cached, self._pool.submit(_draw, job) if self._pool else job)
                for (request, cached), job in zip(todo, jobs, strict=True)
            ]
            return {self.requests[name].path: chart.svg for name, chart in self.rendered.items() if chart.svg}
        self._pending = [(request, cached, job) for (request, cached), job in zip(todo, jobs, strict=True)]
        self._wait(progress)
        return {self.requests[name].path: chart.svg for name, chart in self.rendered.items()}

    @property
    def pending_paths(self) -> list[str]:
        """Return the docs-root paths of the charts still being drawn."""
        return [request.path for request, _, _ in self._pending]

    def finish(self, root: Path) -> None:
        """Wait for the charts still being drawn and write them under `root` (a docs root)."""
        paths = [(root / request.path, request.name) for request, _, _ in self._pending]
        self._wait(None)
        for path, name in paths:
            atomic_write(path, self.rendered[name].svg)

    def abandon(self) -> None:
        """Stop drawing (a failed build): nothing more is written."""
        self._pending = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _wait(self, progress: Callable[[int, int], None] | None) -> None:
        """Collect every pending drawing, cache it, and keep only the cached charts used."""
        pending, self._pending = self._pending, []
        items = [item for _, _, item in pending]
        try:
            results: Iterable[tuple[charts.Chart, Cells]]
            if items and isinstance(items[0], Future):
                results = (future.result() for future in items)
            elif self._pool is not None:
                results = self._pool.map(_draw, items, chunksize=4)
            else:
                results = map(_draw, items)
            for done, ((request, cached, _), (chart, cells)) in enumerate(
                zip(pending, results, strict=True), 1
            ):
                self.rendered[request.name], self.cells[request.name] = chart, cells
                if cached is not None:
                    atomic_write(cached, pickle.dumps((chart, cells)))
                if progress:
                    progress(done, len(pending))
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        if self._cache is not None:
            _prune(self._cache, self._used)


def _prune(cache: Path, used: set[str]) -> None:
    """Keep only the charts this build used: the cache never grows week after week."""
    for path in cache.glob("*.pickle"):
        if path.name not in used:
            path.unlink(missing_ok=True)


def _load(cached: Path) -> tuple[charts.Chart, Cells] | None:
    """Return a cached chart and its table; None when absent or unreadable (it is then drawn again)."""
    try:
        found = pickle.loads(cached.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a cache file from another version or a crash: redraw it
        return None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], charts.Chart):
        return found
    return None


def table_cells(frame: pd.DataFrame) -> Cells:
    """Return a chart's data table escaped for the page: headers and rows of text."""
    headers = [markdown.md(c) for c in frame.columns]
    rows = [[markdown.md(v) for v in row] for row in frame.astype(str).itertuples(index=False)]
    return headers, rows


def _draw(job: tuple[str, str, tuple, dict, str, str], svg: bool = True) -> tuple[charts.Chart, Cells]:
    function, name, args, kwargs, language, currency = job
    draw = getattr(charts, function, None) or getattr(morecharts, function)  # issue 13
    chart = draw(name, *args, tr=Translator(language, currency), svg=svg, **kwargs)
    return chart, table_cells(chart.table)  # escaped once, here, and cached with the drawing


def _yield_cpu() -> None:
    """Run this worker at a lower priority (where the system has priorities)."""
    if hasattr(os, "nice"):
        os.nice(10)


def _describe(job: tuple[str, str, tuple, dict, str, str]) -> tuple[charts.Chart, Cells]:
    """Return a chart's alt text and data table without drawing it (its SVG is empty)."""
    return _draw(job, svg=False)
