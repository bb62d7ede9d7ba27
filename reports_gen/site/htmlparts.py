"""Raw-HTML pieces for the manager pages: links that follow MkDocs' URL style, sortable tables,
status badges and cached formatters. Big tables are emitted as HTML blocks so that Markdown's
inline pass never walks their cells (issue 14); every text from the data is escaped here.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from reports_gen.i18n import Translator
from reports_gen.workcalendar import parse_period


class _TolerantLoader(yaml.SafeLoader):
    """A YAML loader that reads mkdocs.yml and ignores `!!python/name:` and other tags."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def directory_urls(project: Path) -> bool:
    """Read `use_directory_urls` from the project's mkdocs.yml (MkDocs' default: true)."""
    config = project / "mkdocs.yml"
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}  # noqa: S506
    except (OSError, yaml.YAMLError):
        return True
    return bool(data.get("use_directory_urls", True)) if isinstance(data, dict) else True


@dataclass(frozen=True)
class Links:
    """Relative URLs between generated pages, as MkDocs will serve them."""

    directory: bool = True

    def url(self, page: str) -> str:
        """Return the URL path of a docs-root page (`a/b.md` -> `a/b/` or `a/b.html`)."""
        stem = page[:-3] if page.endswith(".md") else page
        if not self.directory:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem[:-5] if stem.endswith("/index") else stem + "/"

    def href(self, target: str, from_page: str) -> str:
        """Return the relative link from `from_page` to `target` (`page.md` or `page.md#anchor`)."""
        page, _, anchor = target.partition("#")
        to, here = self.url(page), self.url(from_page)
        base = here.rstrip("/") if self.directory else posixpath.dirname(here)
        rel = posixpath.relpath(to or ".", base or ".")
        if self.directory and (to.endswith("/") or to == ""):
            rel = "./" if rel == "." else rel + "/"
        return html.escape(rel + (f"#{anchor}" if anchor else ""), quote=True)

    def a(self, text: str, target: str, from_page: str) -> str:
        """Return an `<a>` element; `text` must already be escaped HTML."""
        return f'<a href="{self.href(target, from_page)}">{text}</a>'


def esc(text: object) -> str:
    """Escape a value from the data for HTML."""
    return html.escape("" if text is None else str(text), quote=True)


@dataclass(frozen=True)
class Cell:
    """A table cell: escaped HTML content and an optional sort key (plain number or text)."""

    html: str
    sort: str | None = None


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell | str]],
    numeric: Sequence[int] = (),
    sortable: bool = True,
    caption: str = "",
    css: str = "",
) -> str:
    """Return a one-line-per-row HTML table (headers are trusted HTML, e.g. with <abbr>).

    Sortable tables sort numeric columns by each cell's `data-sort`; the first column is a
    row header. Cells carry `data-label` so the phone stylesheet can show them as cards.
    """
    if not rows:
        return ""
    classes = " ".join(c for c in ("mgr-table", "mgr-sortable" if sortable else "", css) if c)
    labels = [_label(h) for h in headers]
    number = ' data-sort-method="number" class="mgr-num"'
    head = "".join(f'<th scope="col"{number if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            c = cell if isinstance(cell, Cell) else Cell(str(cell))
            sort = f' data-sort="{esc(c.sort)}"' if c.sort is not None else ""
            cls = ' class="mgr-num"' if i in numeric else ""
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f'<{tag}{scope}{cls} data-label="{labels[i]}"{sort}>{c.html}</{tag}>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (
        f'<div class="mgr-scroll" tabindex="0" role="region" aria-label="{_label(caption or headers[0])}">'
        f'<table class="{classes}">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table></div>"
    )


def _label(header: str) -> str:
    """Plain text of a header (tags removed) for data-label attributes."""
    return esc(html.unescape(re.sub(r"<[^>]+>", "", header)))


def sort_key(value: float | None) -> str:
    """Return a number as a sort key; missing values sort last (as very small)."""
    if value is None or value != value:  # NaN
        return "-1e300"
    return repr(float(value))


class Formats:
    """Locale formatters with a cache per distinct value (Babel is slow per call)."""

    def __init__(self, tr: Translator):
        self.tr = tr
        self.money: Callable[[float], str] = lru_cache(maxsize=65536)(tr.money)
        self.money_compact: Callable[[float], str] = lru_cache(maxsize=65536)(tr.money_compact)
        self.number: Callable[..., str] = lru_cache(maxsize=65536)(tr.number)
        self.percent: Callable[..., str] = lru_cache(maxsize=65536)(tr.percent)

    def status(self, status: str) -> str:
        """Return a status badge (icon and word, so it reads without colour)."""
        if not status:
            return "–"
        icon = {"achieved": "✔", "on_track": "➜", "at_risk": "!", "behind": "✖", "upcoming": "…"}.get(
            status, ""
        )
        word = self.tr(f"mgr.status.{status}")
        mark = f'<span aria-hidden="true">{icon}</span>'
        return f'<span class="rg-status rg-{status} mgr-badge">{mark} {word}</span>'

    def change(self, value: float | None) -> str:
        """Return a rank change: ▲2 (moved up), ▼1, = or –, with a text for screen readers."""
        if value is None or value != value:
            return '<span class="mgr-rank-new">–</span>'
        n = int(value)
        if n > 0:
            return f'<span class="mgr-up" title="{self.tr("mgr.rank.up", n=n)}">▲{n}</span>'
        if n < 0:
            return f'<span class="mgr-down" title="{self.tr("mgr.rank.down", n=-n)}">▼{-n}</span>'
        return f'<span class="mgr-same" title="{self.tr("mgr.rank.same")}">=</span>'


def period_name(tr: Translator, code: str | None) -> str:
    """Name a period as people say it: 'November 2026', 'Q4 2026', 'H2 2026'; weeks keep their code."""
    if not code:
        return ""
    period = parse_period(code)
    if period.kind == "month":
        return tr(f"mgr.month.{period.start.month}") + f" {period.start.year}"
    if period.kind == "quarter":
        return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"
    if period.kind == "half":
        return f"H{1 if period.start.month == 1 else 2} {period.start.year}"
    return code
