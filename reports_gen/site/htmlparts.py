"""Raw-HTML pieces for the manager pages: links that follow MkDocs' URL style, sortable tables,
status badges and cached formatters. Big tables are emitted as HTML blocks so that Markdown's
inline pass never walks their cells (issue 14); every text from the data is escaped here.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import yaml

from reports_gen.i18n import Translator
from reports_gen.site.markdown import _parts, relpath
from reports_gen.site.markdown import relpath as _relpath  # noqa: F401  (its old home, kept for callers)
from reports_gen.site.views import _STATUS_ICONS as STATUS_ICONS


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
        base = _base(self, from_page)
        parts = _parts(base or ".")
        if parts and parts[0] != _head(self, target):
            # no folder in common: the link only climbs the folders of `base`, whatever they are
            return _href_up(self, target, len(parts), base)
        return _href(self, target, base)

    def _href(self, target: str, base: str) -> str:
        """The link to `target` from pages whose URLs resolve against the folder `base`."""
        page, _, anchor = target.partition("#")
        to = self.url(page)
        rel = relpath(to or ".", base or ".")
        if self.directory and (to.endswith("/") or to == ""):
            rel = "./" if rel == "." else rel + "/"
        return html.escape(rel + (f"#{anchor}" if anchor else ""), quote=True)

    def a(self, text: str, target: str, from_page: str) -> str:
        """Return an `<a>` element; `text` must already be escaped HTML."""
        return f'<a href="{self.href(target, from_page)}">{text}</a>'


@lru_cache(maxsize=65536)
def _href(links: Links, target: str, base: str) -> str:
    # thousands of links from pages in the same few folders: relpath once per target and folder
    return links._href(target, base)


_UP: dict[tuple[Links, str, int], str] = {}


def _href_up(links: Links, target: str, depth: int, base: str) -> str:
    # `base` is any folder `depth` deep sharing no first folder with the target: one link for all
    key = (links, target, depth)
    found = _UP.get(key)
    if found is None:
        if len(_UP) >= 65536:
            _UP.clear()
        found = _UP[key] = links._href(target, base)
    return found


@lru_cache(maxsize=65536)
def _head(links: Links, target: str) -> str:
    """The first folder of a target's URL ('' for the home page)."""
    return links.url(target.partition("#")[0]).partition("/")[0]


@lru_cache(maxsize=16384)
def _base(links: Links, from_page: str) -> str:
    """The folder a page's relative links resolve against (its URL's, as MkDocs serves it)."""
    here = links.url(from_page)
    return here.rstrip("/") if links.directory else posixpath.dirname(here)


def esc(text: object) -> str:
    """Escape a value from the data for HTML."""
    return html.escape("" if text is None else str(text), quote=True)


class Cell(NamedTuple):
    """A table cell: escaped HTML content and an optional sort key (plain number or text).

    A named tuple: tables make tens of thousands, and a tuple is made faster than a dataclass.
    """

    html: str
    sort: str | None = None


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell | str]],
    numeric: Sequence[int] = (),
    sortable: bool = True,
    caption: str = "",
    css: str = "",
    keys: bool = True,
) -> str:
    """Return a one-line-per-row HTML table (headers are trusted HTML, e.g. with <abbr>).

    Sortable tables sort numeric columns by each cell's `data-sort` (with `keys=False` the
    script reads the figures in the page's locale instead, which keeps long tables lighter);
    the first column is a row header. Cells carry `data-label` for the phone stylesheet's cards.
    """
    if not rows:
        return ""
    classes = " ".join(c for c in ("mgr-table", "mgr-sortable" if sortable else "", css) if c)
    labels = [_label(h) for h in headers]
    number = ' data-sort-method="number" class="mgr-num"' if keys else ' class="mgr-num"'
    head = "".join(f'<th scope="col"{number if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    # each column's opening tag (a row header first) and closing tag, worked out once
    row_head, number_cell = ' scope="row"', ' class="mgr-num"'
    opens = [
        ("<th" + row_head if i == 0 else "<td")
        + (number_cell if i in numeric else "")
        + f' data-label="{label}"'
        for i, label in enumerate(labels)
    ]
    closes = ["</th>"] + ["</td>"] * (len(labels) - 1)
    with_keys = sortable and keys
    body = []
    for row in rows:
        cells = ["<tr>"]
        for i, cell in enumerate(row):
            c = cell if isinstance(cell, Cell) else Cell(str(cell))
            sort = f' data-sort="{esc(c.sort)}"' if with_keys and c.sort is not None else ""
            cells.append(f"{opens[i]}{sort}>{c.html}{closes[i]}")
        cells.append("</tr>")
        body.append("".join(cells))
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (
        f'<div class="mgr-scroll" tabindex="0" role="region" aria-label="{_label(caption or headers[0])}">'
        f'<table class="{classes}">{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table></div>"
    )


@lru_cache(maxsize=4096)
def _label(header: str) -> str:
    """Plain text of a header (tags removed) for data-label attributes."""
    text = re.sub(r"<small>.*?</small>", "", header)  # the short label, not its details
    return esc(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()))


def sort_key(value: float | None) -> str:
    """Return a number as a sort key; missing values sort last (as very small)."""
    if value is None or value != value:  # NaN
        return "-1e300"
    return repr(float(value))


class Formats:
    """Locale formatters with a cache per distinct value (Babel is slow per call)."""

    def __init__(self, tr: Translator):
        self.tr = tr
        self._babel_money: Callable[[float], str] = _signed_cache(tr.money)
        self._money_parts = _whole_money_parts(tr)
        self.money_compact: Callable[[float], str] = _signed_cache(tr.money_compact)
        self.number: Callable[..., str] = _signed_cache(tr.number)
        self._babel_percent: Callable[..., str] = _signed_cache(tr.percent)
        self._percent_parts = _whole_percent_parts(tr)
        self._number_parts = _whole_number_parts(tr)

    def money(self, value: float) -> str:
        """Format money like `Translator.money`, whole amounts without a Babel call per value."""
        parts = self._money_parts
        if parts is None or value != value or value < 0 or _negative_zero(value):
            return self._babel_money(value)  # Babel's sign: -0.0 prints as -Rp0
        prefix, group, suffix = parts
        whole = int(Decimal(repr(float(value))).quantize(Decimal(1), ROUND_HALF_EVEN))  # as Babel rounds
        return prefix + f"{whole:,}".replace(",", group) + suffix

    def percent(self, value: float) -> str:
        """Format a ratio like `Translator.percent` (whole percent), without a Babel call per value."""
        parts = self._percent_parts
        if parts is None or value != value or value < 0 or _negative_zero(value):
            return self._babel_percent(value)  # Babel's sign: -0.0 prints as -0%
        prefix, group, suffix = parts
        # as Babel does: the shortest decimal of the float, scaled, rounded half to even
        whole = int(Decimal(repr(float(value))).scaleb(2).quantize(Decimal(1), ROUND_HALF_EVEN))
        return prefix + f"{whole:,}".replace(",", group) + suffix

    def money_each(self, values: object) -> np.ndarray:
        """Format a column of money like `money`: whole amounts with one vectorised rounding."""
        return _whole_each(values, self._money_parts, self.money)

    def percent_each(self, values: object) -> np.ndarray:
        """Format a column of ratios like `percent`, once per distinct value."""
        return each(values, self.percent)

    def number_each(self, values: object) -> np.ndarray:
        """Format a column of counts like `number` (whole), with one vectorised rounding."""
        return _whole_each(values, self._number_parts, self.number)

    def status(self, status: str) -> str:
        """Return the site's status badge (views.View.status: its icon, word and colours)."""
        if not status:
            return "–"
        icon = STATUS_ICONS.get(status, "")
        return (
            f'<span class="rg-status rg-{status} mgr-badge"><span aria-hidden="true">{icon}</span>'
            f"{self.tr('status.' + status)}</span>"
        )

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


def _whole_each(
    values: object, parts: tuple[str, str, str] | None, format_value: Callable[[Any], str]
) -> np.ndarray:
    """Format a column of whole figures (prefix, grouped digits, suffix), `format_value` for the rest.

    np.rint rounds half to even on the float itself, as Babel does on its shortest decimal: a tie
    x.5 is exact in binary, and no other float's shortest decimal is a tie. Negative numbers,
    -0.0 and NaN (and figures beyond 2**53) go to `format_value`, once per distinct value.
    """
    raw = np.asarray(values, dtype=object)
    number = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    out = np.empty(len(raw), dtype=object)
    fast = np.zeros(len(raw), dtype=bool)
    if parts is not None:
        fast = (number >= 0) & ~np.signbit(number) & (number < 2**53)
    if fast.any():
        prefix, group, suffix = parts  # type: ignore[misc]
        codes, wholes = pd.factorize(np.rint(number[fast]).astype(np.int64))
        text = np.array([prefix + f"{w:,}".replace(",", group) + suffix for w in wholes], dtype=object)
        out[fast] = text[codes]
    if not fast.all():
        out[~fast] = each(raw[~fast], format_value)
    return out


def each(values: object, format_value: Callable[[Any], str]) -> np.ndarray:
    """Return `format_value` of every value (an object array), calling it once per distinct value.

    For numbers: equal values print alike (1 and 1.0), NaN and None alike, and -0.0 apart from
    0.0 (a hash table holds them as one value; Babel prints -0.0 with its minus sign).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    text = np.array([format_value(u) for u in np.asarray(uniques, dtype=object)], dtype=object)
    out = text[codes]
    numeric = series.dtype == object or pd.api.types.is_numeric_dtype(series.dtype)
    zeros = [i for i, u in enumerate(uniques) if _is_zero(u)] if numeric else []
    if zeros:
        at = np.flatnonzero(np.isin(codes, zeros))
        signed = np.signbit(series.to_numpy()[at].astype(float))
        out[at[signed]] = format_value(-0.0)
        out[at[~signed]] = format_value(0.0)
    return out


def _is_zero(value: object) -> bool:
    try:
        return bool(value == 0) and not isinstance(value, str)
    except (TypeError, ValueError):
        return False


def _negative_zero(value: object) -> bool:
    """True for -0.0 (equal to 0.0 and hashed alike, but Babel prints it with a minus sign)."""
    try:
        return value == 0 and math.copysign(1.0, value) < 0  # type: ignore[arg-type]
    except TypeError:
        return False


def _signed_cache(format_value: Callable[..., str]) -> Callable[..., str]:
    """Cache a formatter per distinct value, telling -0.0 from 0.0 (a plain cache mixes them)."""

    @lru_cache(maxsize=65536)
    def cached(value: object, negative_zero: bool, *args: object) -> str:
        return format_value(value, *args)

    def call(value: object, *args: object) -> str:
        return cached(value, _negative_zero(value), *args)

    return call


def period_name(tr: Translator, code: str | None) -> str:
    """Name a period as people say it: 'November 2026', 'Q4 2026', 'H2 2026'; weeks keep their code."""
    if not code:
        return ""
    return tr.period(code, long=False)  # the site's one way to name a period


def _whole_money_parts(tr: Translator) -> tuple[str, str, str] | None:
    """(prefix, group separator, suffix) when the currency shows whole amounts, else None.

    Read off the Translator's own output, so the fast path prints exactly what Babel prints.
    """
    sample = tr.money(1234567.0)
    match = re.fullmatch(r"(\D*)1(?P<g>\D?)234(?P=g)567(\D*)", sample)
    if match is None or tr.money(1234567.4) != sample or tr.money(1234567.6) != tr.money(1234568.0):
        return None
    return match[1], match["g"], match[3]


def _whole_number_parts(tr: Translator) -> tuple[str, str, str] | None:
    """(prefix, group separator, suffix) of the Translator's whole numbers, else None."""
    sample = tr.number(1234567.0)
    match = re.fullmatch(r"(\D*)1(?P<g>\D?)234(?P=g)567(\D*)", sample)
    if match is None or tr.number(2.5) != tr.number(2.0) or tr.number(3.5) != tr.number(4.0):
        return None
    return match[1], match["g"], match[3]


def _whole_percent_parts(tr: Translator) -> tuple[str, str, str] | None:
    """(prefix, group separator, suffix) of the Translator's whole percentages, else None."""
    sample = tr.percent(12345.67)  # 1234567%
    match = re.fullmatch(r"(\D*)1(?P<g>\D?)234(?P=g)567(\D*)", sample)
    if match is None or tr.percent(0.125) != tr.percent(0.12) or tr.percent(0.135) != tr.percent(0.14):
        return None
    return match[1], match["g"], match[3]
