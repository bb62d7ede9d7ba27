"""Render the site's charts once: requests are collected first, then drawn, cached by content."""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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

    def add(self, name: str, function: str, *args: Any, **kwargs: Any) -> str:
        """Ask for a chart; return its name (the key pages use to show it)."""
        self.requests[name] = ChartRequest(name, function, args, tuple(sorted(kwargs.items())))
        return name

    def render(
        self, cache: Path | None, workers: int = 1, progress: Callable[[int, int], None] | None = None
    ) -> dict[str, bytes]:
        """Draw every requested chart (reusing cached ones); return docs-root path -> SVG bytes."""
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
        jobs = [
            (r.function, r.name, r.args, dict(r.kwargs), self.tr.language, self.tr.currency) for r, _ in todo
        ]
        results: list[tuple[charts.Chart, Cells]] = []
        if workers > 1 and len(jobs) > 20:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for drawn in pool.map(_draw, jobs, chunksize=4):
                    results.append(drawn)
                    if progress:
                        progress(len(results), len(jobs))
        else:
            for job in jobs:
                results.append(_draw(job))
                if progress:
                    progress(len(results), len(jobs))
        for (request, cached), (chart, cells) in zip(todo, results, strict=True):
            self.rendered[request.name], self.cells[request.name] = chart, cells
            if cached is not None:
                atomic_write(cached, pickle.dumps((chart, cells)))
        if cache is not None:
            _prune(cache, used)
        return {self.requests[name].path: chart.svg for name, chart in self.rendered.items()}


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


def _draw(job: tuple[str, str, tuple, dict, str, str]) -> tuple[charts.Chart, Cells]:
    function, name, args, kwargs, language, currency = job
    draw = getattr(charts, function, None) or getattr(morecharts, function)  # issue 13
    chart = draw(name, *args, tr=Translator(language, currency), **kwargs)
    return chart, table_cells(chart.table)  # escaped once, here, and cached with the drawing
