"""Render the site's charts once: requests are collected first, then drawn, cached by content."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reports_gen.i18n import Translator

from . import chartalt, charts, chartstyle, morecharts  # issue 13: morecharts

CHARTS_DIR = "charts"


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

    def key(self, language: str, currency: str) -> str:
        """Return a digest of everything that decides the chart's bytes."""
        digest = hashlib.sha256()
        digest.update(_CHARTS_VERSION)
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


# Every module that decides a chart's bytes: a change to the shared style also invalidates the cache.
_CHARTS_VERSION = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (charts, chartstyle, chartalt, morecharts))
).digest()


class ChartBook:
    """Collects chart requests from the pages and renders each distinct one once."""

    def __init__(self, tr: Translator):
        self.tr = tr
        self.requests: dict[str, ChartRequest] = {}
        self.rendered: dict[str, charts.Chart] = {}
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
        for request in self.requests.values():
            cached = cache / f"{request.key(self.tr.language, self.tr.currency)}.pickle" if cache else None
            if cached is not None and cached.exists():
                self.rendered[request.name] = pickle.loads(cached.read_bytes())
            else:
                todo.append((request, cached))
        self.drawn = len(todo)
        jobs = [
            (r.function, r.name, r.args, dict(r.kwargs), self.tr.language, self.tr.currency) for r, _ in todo
        ]
        results: list[charts.Chart] = []
        if workers > 1 and len(jobs) > 20:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for chart in pool.map(_draw, jobs, chunksize=4):
                    results.append(chart)
                    if progress:
                        progress(len(results), len(jobs))
        else:
            for job in jobs:
                results.append(_draw(job))
                if progress:
                    progress(len(results), len(jobs))
        for (request, cached), chart in zip(todo, results, strict=True):
            self.rendered[request.name] = chart
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(chart))
        return {self.requests[name].path: chart.svg for name, chart in self.rendered.items()}


def _draw(job: tuple[str, str, tuple, dict, str, str]) -> charts.Chart:
    function, name, args, kwargs, language, currency = job
    draw = getattr(charts, function, None) or getattr(morecharts, function)  # issue 13
    return draw(name, *args, tr=Translator(language, currency), **kwargs)
