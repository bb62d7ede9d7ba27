"""The charts' shared look: matplotlib style and palette, figure and legend layout, axes and bars.

The look works on Material's light and dark schemes: transparent background, mid-grey text and an
Okabe-Ito palette. Margins and legends are sized from text measured in the font the SVG names, so
no draw is needed to lay a chart out. The style is applied with `matplotlib.rc_context`, which is
process-wide: draw charts in parallel processes, not threads.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from babel.dates import format_skeleton
from matplotlib import ft2font
from matplotlib.collections import PolyCollection
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from reports_gen.i18n import Translator

P = ParamSpec("P")
R = TypeVar("R")

# Narrow enough that 11 pt text stays at least 11 CSS px when a 390 px phone shows the chart
# full width (4.8 in = 461 px drawn into about 358 px), and never blown up on a laptop (CSS caps it).
FIGSIZE = (4.8, 3.2)
BAR_ROW = 0.3  # inches per row of a ranking, so long lists of people stay readable
MAX_WEEK_LABELS = 7  # a phone-width chart has room for about seven "W47" labels
MIN_WEEK_SLOTS = 8
LEGEND_ROW = 14.5  # height in points of a legend row
GREY = "#7a7a7a"
# Okabe-Ito colours that keep a 3:1 contrast on white and on Material's dark slate (#1e2129),
# except SKY, used only for large filled areas behind a darker series.
BLUE, SKY, GREEN, VERMILLION = "#0072B2", "#56B4E9", "#009E73", "#D55E00"

RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "reports-gen",
    "text.parse_math": False,  # names such as "Toko $1$" are text, never mathtext
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "text.color": GREY,
    "axes.labelcolor": GREY,
    "axes.edgecolor": GREY,
    "xtick.color": GREY,
    "ytick.color": GREY,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "grid.color": GREY,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 11,
}


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Run a chart function inside the site's matplotlib style (also read when saving)."""

    @wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs.get("svg") is False:  # only described (alt text and table): nothing is drawn
            return draw(*args, **kwargs)
        with matplotlib.rc_context(RC):
            return draw(*args, **kwargs)

    return wrapper


def figure(rows: int = 0) -> tuple[Figure, Axes]:
    """Return a figure of the standard size, taller when `rows` horizontal bars need more room.

    The image has no title: the page's heading or caption names the chart, once.
    """
    fig = Figure(figsize=(FIGSIZE[0], max(FIGSIZE[1], 0.9 + BAR_ROW * rows)))
    ax = fig.add_subplot()
    _reserve_top(fig, "", legend_rows=0)
    return fig, ax


def legend(ax: Axes, handles: Sequence[Line2D | Patch]) -> None:
    """Put the legend between the title and the plot, where it never covers data, wrapped to fit."""
    size = RC["legend.fontsize"]
    # Entry: handle (1.8 em) + gap (0.8 em) + text; columns are 1.4 em apart.
    widths = [size * 2.6 + text_width(handle.get_label(), size) + size * 1.4 for handle in handles]
    rows = 1
    while rows < len(handles) and _legend_width(widths, rows) > FIGSIZE[0] * 72 * 0.8:
        rows += 1
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=math.ceil(len(handles) / rows),
        borderaxespad=0.3,
        borderpad=0,
        handlelength=1.8,
        columnspacing=1.4,
        labelspacing=0.4,
    )
    _reserve_top(ax.get_figure(root=True), "", rows)


def _reserve_top(fig: Figure | None, title: str, legend_rows: int) -> None:
    if fig is None:
        return
    top = 2 + (15 if title else 0) + 8 + LEGEND_ROW * legend_rows
    fig.subplots_adjust(top=1 - top / (fig.get_figheight() * 72))


def fit_margins(fig: Figure) -> None:
    """Size the left, right and bottom margins to the tick labels (cheaper than constrained layout)."""
    ax, *twins = fig.axes
    width, height = (inches * 72 for inches in fig.get_size_inches())
    left = min(8 + _widest(ax.yaxis), width * 0.45)
    right = 8 + _widest(twins[0].yaxis) if twins else 14
    lines = max((label.count("\n") + 1 for label in _tick_labels(ax.xaxis)), default=0)
    bottom = 6 + (lines * 12 + 5 if ax.xaxis.get_visible() else 0)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height)


def _tick_labels(axis: Axis) -> list[str]:
    low, high = sorted(axis.get_view_interval())
    locs = [loc for loc in axis.get_majorticklocs() if low - 1e-9 <= loc <= high + 1e-9]
    return axis.get_major_formatter().format_ticks(locs) if locs else []


def _widest(axis: Axis) -> float:
    """Width in points of the widest tick label plus its padding."""
    return max((text_width(label, RC["font.size"]) for label in _tick_labels(axis)), default=0) + 4


@lru_cache(maxsize=1)
def _font() -> ft2font.FT2Font:
    font = ft2font.FT2Font(findfont(FontProperties(family=RC["font.sans-serif"])))
    font.set_size(100, 72)
    return font


# A forked chart worker must open the font itself: a FreeType face shares its file offset with
# the parent's, and concurrent reads then fail ("invalid outline"). matplotlib does the same.
os.register_at_fork(after_in_child=_font.cache_clear)


@lru_cache(maxsize=2048)
def text_width(text: str, size: float) -> float:
    """Return the width in points of `text` (its longest line) in the font the SVG is measured with."""
    font = _font()
    advance = {
        char: font.load_char(ord(char), flags=ft2font.LoadFlags.NO_HINTING).horiAdvance / 6400
        for char in set(text) - {"\n"}
    }
    return max(sum(advance[char] for char in line) for line in text.split("\n")) * size


def _legend_width(widths: list[float], rows: int) -> float:
    """Width of a legend laid out in `rows` rows: matplotlib fills it column by column."""
    return sum(max(widths[start : start + rows]) for start in range(0, len(widths), rows))


def value_axis(ax: Axes, fmt: Callable[[float], str], highest: float) -> None:
    """Start the y axis at 0 and end it near `highest`, on a round tick when one is close."""
    # Steps 1-2-5 only: a tick such as 1.25 would show rounded in the compact money format.
    locator = MaxNLocator(nbins=5, steps=[1, 2, 5, 10], min_n_ticks=3)
    top = (highest if np.isfinite(highest) and highest > 1 else 1.0) * 1.02
    rounded = locator.tick_values(0, top)[-1]
    ax.set_ylim(0, rounded if rounded <= top * 1.25 else top * 1.04)
    ax.yaxis.set_major_locator(locator)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: fmt(value)))
    ax.grid(True, axis="y", zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)


def bars(
    ax: Axes,
    at: np.ndarray,
    lengths: pd.Series,
    thickness: float,
    color: str | list[str],
    horizontal: bool = False,
    start: pd.Series | float = 0.0,
) -> None:
    """Draw bars as one collection: much faster than `Axes.bar`, which adds and measures a patch per bar."""
    low = np.broadcast_to(np.asarray(start, dtype=float), len(at))
    high = low + np.nan_to_num(np.asarray(lengths, dtype=float))
    side_a, side_b = np.asarray(at, dtype=float) - thickness / 2, np.asarray(at, dtype=float) + thickness / 2
    corners = np.stack(
        [np.stack(pair, axis=-1) for pair in ((low, side_a), (high, side_a), (high, side_b), (low, side_b))],
        axis=1,
    )
    if not horizontal:
        corners = corners[..., ::-1]
    ax.add_collection(
        PolyCollection(list(corners), facecolors=color, edgecolors="none", zorder=2), autolim=False
    )


def nice_step(value: float) -> float:
    """Return the smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value` (and 1)."""
    magnitude = 10 ** math.floor(math.log10(max(value, 1.0)))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def line_style(points: int) -> dict[str, Any]:
    """Return line and marker sizes: thinner and smaller when many weeks share the width."""
    return {"linewidth": 2.0, "markersize": 3.5} if points <= 26 else {"linewidth": 1.5, "markersize": 2.5}


def category_axis(ax: Axes, y: np.ndarray, labels: pd.Series) -> None:
    """Label horizontal bars top to bottom; their values are written beside them, so no x axis."""
    ax.set_yticks(y, list(labels))
    ax.set_ylim(len(y) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)


def percent_axis(ax: Axes, tr: Translator, values: pd.Series, grid: bool = True) -> None:
    """Scale the y axis from 0 % to at least 100 %, ticked every 25 %."""
    top = max(1.0, float(values.max()) if values.notna().any() else 1.0)
    ax.set_ylim(0, top * 1.04)
    ax.yaxis.set_major_locator(FixedLocator(np.arange(0, top + 0.01, 0.25).tolist()))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: tr.percent(value)))
    ax.tick_params(axis="y", length=0)
    if grid:
        ax.grid(True, axis="y", zorder=0)
        ax.set_axisbelow(True)


def week_axis(ax: Axes, weeks: pd.Series) -> None:
    """Label weeks as W47, thinned to at most MAX_WEEK_LABELS, with the year when the range spans two."""
    codes = list(weeks)
    step = max(1, math.ceil(len(codes) / MAX_WEEK_LABELS))
    ticks = [i for i in range(len(codes)) if (len(codes) - 1 - i) % step == 0]
    years = {code[:4] for code in codes}
    labels, shown_year = [], None
    for i in ticks:
        year, week = codes[i][:4], codes[i].rpartition("-")[2] or codes[i]
        labels.append(f"{week}\n{year}" if len(years) > 1 and year != shown_year else week)
        shown_year = year
    ax.set_xticks(ticks, labels)
    # A few weeks stay centred at a normal bar width instead of stretching across the chart.
    spare = max(0.0, (MIN_WEEK_SLOTS - len(codes)) / 2)
    ax.set_xlim(-0.6 - spare, len(codes) - 0.4 + spare)
    ax.tick_params(axis="x", length=0)


def date_axis(ax: Axes, tr: Translator, x: np.ndarray) -> None:
    """Label days as short localised dates (2 Nov) across the period `x` spans."""
    locator = AutoDateLocator(minticks=5, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: format_skeleton("MMMd", num2date(value).date(), locale=tr.locale))
    )
    ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
    ax.tick_params(axis="x", length=3)
