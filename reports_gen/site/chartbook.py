"""Render the site's charts once: requests are collected first, then drawn, cached by content."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import multiprocessing
import os
import pickle
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, cast

import babel
import matplotlib
import pandas as pd
from matplotlib.font_manager import FontProperties, findfont

from reports_gen import i18n
from reports_gen.fileio import atomic_write
from reports_gen.i18n import Translator

from . import chartalt, charts, chartstyle, forked, markdown, morecharts  # issue 13: morecharts

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


Job = tuple[str, str, tuple[Any, ...], dict[str, Any], str, str]  # what a worker needs to draw a chart
# Fewer new charts than this are drawn in this process: starting workers would cost more.
POOL_FROM = 20
# How much lower the drawing workers' priority is: enough for the pages and MkDocs to keep a core
# of their own on a quiet machine (a weight of 335 against 1,024), not so much that other programs
# starve the drawing, which the build waits for in the end.
NICENESS = 5


@dataclass
class _Queued:
    """A chart to draw: what it is, where it is cached, the worker's job, and its drawing under way."""

    request: ChartRequest
    cached: Path | None
    job: Job
    future: Future | None = None

    def done(self) -> bool:
        return self.future is not None and self.future.done()

    def result(self) -> tuple[charts.Chart, Cells]:
        return self.future.result() if self.future is not None else _draw(self.job)


class ChartBook:
    """Collects chart requests from the pages and renders each distinct one once.

    After `start`, each chart is looked up in the cache as the pages ask for it, and drawn by
    low-priority worker processes from then on, while the pages are still being planned.
    """

    def __init__(self, tr: Translator):
        self.tr = tr
        self.requests: dict[str, ChartRequest] = {}
        self.rendered: dict[str, charts.Chart] = {}
        self.cells: dict[str, Cells] = {}  # each chart's data table, escaped when it was drawn
        self.drawn = 0  # charts drawn by the last render (the others came from the cache)
        self._started = False
        self._cache: Path | None = None
        self._inputs = b""
        self._workers = 1
        self._pool: ProcessPoolExecutor | None = None
        self._todo: dict[str, _Queued] = {}  # the charts to draw, by name
        self._used: set[str] = set()  # the cache files this build uses
        self._held = False  # no drawing worker is started while held (`drawing_held`)
        self._drawn_early = 0  # charts drawn before `render` (`draw_one`)

    def start(self, cache: Path | None, workers: int = 1) -> None:
        """Look charts up in `cache` and start drawing the others as soon as they are asked for."""
        self._started, self._cache, self._workers = True, cache, workers
        self._inputs = drawing_inputs()
        for request in self.requests.values():
            self._look_up(request)

    def add(self, name: str, function: str, *args: Any, **kwargs: Any) -> str:
        """Ask for a chart; return its name (the key pages use to show it)."""
        self.ask(ChartRequest(name, function, args, tuple(sorted(kwargs.items()))))
        return name

    def ask(self, request: ChartRequest) -> None:
        """Ask for a chart another book recorded (`add` without building the request)."""
        self.requests[request.name] = request
        if self._started:
            self._look_up(request)

    def _look_up(self, request: ChartRequest) -> None:
        """Take the chart from the cache, or queue it for drawing (in the background once many)."""
        key = request.key(self.tr.language, self.tr.currency, self._inputs)
        self._used.add(f"{key}.pickle")
        cached = self._cache / f"{key}.pickle" if self._cache else None
        found = _load(cached) if cached is not None else None
        self._todo.pop(request.name, None)
        if found is not None:
            self.rendered[request.name], self.cells[request.name] = found
            return
        job: Job = (*_job_of(request), self.tr.language, self.tr.currency)
        queued = self._todo[request.name] = _Queued(request, cached, job)
        if self._pool is not None:
            queued.future = self._pool.submit(_draw, job)
        else:
            self._start_drawing()

    def _start_drawing(self) -> None:
        """Start the drawing workers once enough charts wait for them, unless drawing is held."""
        if self._pool is not None or self._held or self._workers < 2:
            return
        if len(self._todo) > POOL_FROM:
            # Drawing in the background yields to the pages and MkDocs, which wait for nothing else.
            self._pool = drawing_pool(self._workers, niceness=NICENESS)
            for waiting in self._todo.values():
                waiting.future = self._pool.submit(_draw, waiting.job)

    def draw_one(self) -> bool:
        """Draw here and now one chart no worker is drawing; False when none is waiting."""
        for name, queued in self._todo.items():
            if queued.future is None:
                del self._todo[name]
                self._keep(queued)
                self._drawn_early += 1
                return True
        return False

    def draw_missing(self, cache: Path | None, limit: int) -> int:
        """Draw each chart asked of this book that `cache` lacks into the cache, at most `limit`;
        return how many.

        Planning's second process draws the new charts of the pages it plans, so they are drawn
        on both cores; the build finds them in the cache when it asks for them in turn. Past the
        limit (a new week: hundreds), they are left to the drawing workers, which take less memory.
        """
        if cache is None:
            return 0
        inputs, drawn = drawing_inputs(), 0
        for request in self.requests.values():
            if drawn >= limit:
                break
            path = cache / f"{request.key(self.tr.language, self.tr.currency, inputs)}.pickle"
            if not path.exists():
                job: Job = (*_job_of(request), self.tr.language, self.tr.currency)
                atomic_write(path, pickle.dumps(_draw(job)))
                drawn += 1
        return drawn

    def drawn_elsewhere(self, count: int) -> None:
        """Count charts another process drew into the cache for this build (draw_missing)."""
        self._drawn_early += count

    @property
    def cache(self) -> Path | None:
        """The folder the charts are cached in (once started)."""
        return self._cache

    @property
    def few_to_draw(self) -> bool:
        """Tell whether too few of the charts asked for are to be drawn to start the workers."""
        return len(self._todo) <= POOL_FROM

    @contextlib.contextmanager
    def drawing_held(self) -> Iterator[None]:
        """Start no drawing worker in the block (the pages are planned on both cores), then
        start them if charts wait: planning's second process and the drawing workers never
        hold memory at the same time."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
            self._start_drawing()

    def render(
        self,
        cache: Path | None,
        workers: int = 1,
        progress: Callable[[int, int], None] | None = None,
        defer: bool = False,
    ) -> dict[str, bytes]:
        """Draw every requested chart (reusing cached ones); return docs-root path -> SVG bytes.

        With `defer`, the charts still being drawn are only described here (alt text and data
        table, all the pages need): the result then leaves them out, and `finish` writes them
        once drawn. MkDocs renders the pages meanwhile, and needs the drawings only when it
        copies them (issue 14).
        """
        if not self._started:
            self.start(cache, workers)
        self.drawn = len(self._todo) + self._drawn_early
        if defer:
            for name in [name for name, queued in self._todo.items() if queued.done()]:
                self._keep(self._todo.pop(name))
            self._describe()
        else:
            self._wait(progress)
        return {self.requests[name].path: chart.svg for name, chart in self.rendered.items() if chart.svg}

    def _describe(self) -> None:
        """Give the charts not drawn yet their alt text and table, here.

        Two more worker processes beside the drawing ones took no less time (the drawing
        workers hold both cores) and added about 100 MB to the build's peak memory.
        """
        for name, queued in self._todo.items():
            self.rendered[name], self.cells[name] = _describe(queued.job)

    @property
    def pending_paths(self) -> list[str]:
        """Return the docs-root paths of the charts still being drawn."""
        return [queued.request.path for queued in self._todo.values()]

    def finish(self, root: Path) -> None:
        """Wait for the charts still being drawn and write them under `root` (a docs root)."""
        names = list(self._todo)
        self._wait(None)
        for name in names:
            atomic_write(root / self.requests[name].path, self.rendered[name].svg)

    def abandon(self) -> None:
        """Stop drawing (a failed build): nothing more is written."""
        self._todo = {}
        self._stop()

    def _wait(self, progress: Callable[[int, int], None] | None) -> None:
        """Collect every chart still to draw, cache it, and keep only the cached charts used."""
        todo, self._todo = list(self._todo.values()), {}
        try:
            self._share_the_few(todo)
            for done, queued in enumerate(todo, 1):
                self._keep(queued)
                if progress:
                    progress(done, len(todo))
        finally:
            self._stop()
        if self._cache is not None:
            _prune(self._cache, self._used)

    def _share_the_few(self, todo: list[_Queued]) -> None:
        """Draw a few charts no worker draws on two cores: a forked copy takes them from the end.

        Too few to start the workers for (a rebuild, a `serve` edit), they would be drawn here one
        after the other; forked.share draws any the copy does not send back here.
        """
        waiting = [queued for queued in todo if queued.future is None]
        if self._workers < 2 or len(waiting) < 2:
            return
        units = [functools.partial(_draw_unit, queued.job) for queued in waiting]
        for queued, drawn in zip(waiting, forked.share(units), strict=True):
            queued.future = Future()
            queued.future.set_result(drawn)

    def _keep(self, queued: _Queued) -> None:
        """Take a drawn chart, and cache it."""
        drawn = queued.result()
        self.rendered[queued.request.name], self.cells[queued.request.name] = drawn
        if queued.cached is not None:
            atomic_write(queued.cached, pickle.dumps(drawn))

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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


def _job_of(request: ChartRequest) -> tuple[str, str, tuple[Any, ...], dict[str, Any]]:
    return request.function, request.name, request.args, dict(request.kwargs)


def _draw_unit(job: Job, beside: bool) -> tuple[charts.Chart, Cells]:
    return _draw(job)


def _draw(job: Job, svg: bool = True) -> tuple[charts.Chart, Cells]:
    function, name, args, kwargs, language, currency = job
    draw = getattr(charts, function, None) or getattr(morecharts, function)  # issue 13
    chart = draw(name, *args, tr=Translator(language, currency), svg=svg, **kwargs)
    return chart, table_cells(chart.table)  # escaped once, here, and cached with the drawing


def drawing_pool(workers: int, niceness: int = 0) -> ProcessPoolExecutor:
    """A pool of drawing processes, started from a fresh interpreter where the platform can.

    Forked from a build, each worker would start with the whole report in its memory (shared at
    first, copied as it is touched: about 450 MB a worker on a large company, in peak memory);
    a fork server's workers hold only the drawing code. Each worker dies with the process that
    started it (Linux) and runs `niceness` lower in priority.
    """
    context = _start_method()
    forked_here = (context or multiprocessing.get_context()).get_start_method() == "fork"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_start,
        initargs=(os.getpid(), forked_here, niceness),
    )


# From this much memory in the build, drawing workers come from a fork server; below it (a
# small company), forking the build is cheap in memory and saves the server's start (~1 s).
FORK_SERVER_FROM = 400 << 20


def _start_method() -> BaseContext | None:
    if not sys.platform.startswith("linux"):
        return None  # the platform's own (spawn on Windows and macOS)
    if _resident() < FORK_SERVER_FROM:
        return multiprocessing.get_context("fork")
    return _fork_server()


@lru_cache(maxsize=1)
def _fork_server() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # each worker is forked with the drawing code loaded
    return context


def _resident() -> int:
    """This process's resident memory in bytes (Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return FORK_SERVER_FROM  # unknown: the fork server
    return pages * os.sysconf("SC_PAGE_SIZE")


def _worker_start(build: int, forked_here: bool, niceness: int) -> None:
    """Set a drawing worker up: it dies with the build (a killed build leaves no worker drawing
    or holding its output), and runs `niceness` lower in priority where the system has that."""
    if forked_here:  # the kernel kills it with its parent (Linux)
        forked.die_with_parent(build)
    elif os.name == "posix":
        # A fork server's child: its parent is the server, which lives as long as any of its
        # children holds the build's "alive" pipe, as each does. It watches the build itself.
        threading.Thread(target=_exit_with, args=(build,), daemon=True).start()
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)


def _exit_with(build: int) -> None:  # pragma: no cover - runs in a drawing worker
    """Leave this process as soon as the process `build` has ended."""
    try:
        handle = os.pidfd_open(build)  # readable once the process has ended (Linux 5.3+)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
        os._exit(1)
    while True:  # elsewhere: look every second
        time.sleep(1.0)
        try:
            os.kill(build, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass


def _describe(job: Job) -> tuple[charts.Chart, Cells]:
    """Return a chart's alt text and data table without drawing it (its SVG is empty)."""
    return _draw(job, svg=False)
