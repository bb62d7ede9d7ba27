"""Charts for the site: SVG figures, each with alt text and a table of the numbers it draws.

Pure: frames in, `Chart` out, no file I/O. Figures are built on `matplotlib.figure.Figure`
(no pyplot, so nothing global to close) and saved with a fixed hash salt and no date, so the
same data always gives the same bytes. The look works on Material's light and dark schemes:
transparent background, mid-grey text and an Okabe-Ito palette. The style is applied with
`matplotlib.rc_context`, which is process-wide: draw charts in parallel processes, not threads.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from babel.dates import format_skeleton
from matplotlib import ft2font
from matplotlib.collections import PolyCollection
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, MultipleLocator

from .validate import STAGES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    from .i18n import Translator

FIGSIZE = (8.0, 3.6)
BAR_ROW = 0.26  # inches per row of a ranking, so long lists of people stay readable
MAX_WEEK_LABELS = 13
MIN_WEEK_SLOTS = 8
LEGEND_ROW = 14.5  # height in points of a legend row
GREY = "#7a7a7a"
# Okabe-Ito colours that keep a 3:1 contrast on white and on Material's dark slate (#1e2129),
# except SKY, used only for large filled areas behind a darker series.
BLUE, SKY, GREEN, VERMILLION = "#0072B2", "#56B4E9", "#009E73", "#D55E00"

_RC = {
    "svg.fonttype": "none", "svg.hashsalt": "reports-gen",
    "text.parse_math": False,  # names such as "Toko $1$" are text, never mathtext
    "font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"], "font.size": 10,
    "text.color": GREY, "axes.labelcolor": GREY, "axes.edgecolor": GREY,
    "xtick.color": GREY, "ytick.color": GREY,
    "axes.facecolor": "none", "figure.facecolor": "none",
    "savefig.facecolor": "none", "savefig.edgecolor": "none",
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": False,
    "axes.titlesize": 11, "axes.titleweight": "bold", "axes.titlelocation": "left",
    "grid.color": GREY, "grid.alpha": 0.25, "grid.linewidth": 0.6,
    "legend.frameon": False, "legend.fontsize": 9,
}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG bytes, alt text and the numbers drawn as a display-ready table."""

    name: str
    svg: bytes
    alt: str
    table: pd.DataFrame = field(compare=False)


def _styled(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Run a chart function inside the site's matplotlib style (also read when saving)."""
    @wraps(draw)
    def wrapper(*args: object, **kwargs: object) -> Chart:
        with matplotlib.rc_context(_RC):
            return draw(*args, **kwargs)
    return wrapper


@_styled
def revenue_chart(name: str, weeks: pd.DataFrame, tr: Translator, title: str) -> Chart:
    """Draw revenue per week as bars with the weekly revenue target as a step line."""
    data = _week_frame(weeks, ["revenue", "revenue_target"])
    table = _table(tr, data, {"chart.col.week": ("week", str), "chart.revenue": ("revenue", tr.money),
                              "chart.revenue_target": ("revenue_target", tr.money),
                              "chart.attainment": ("attainment", tr.percent)},
                   attainment=_ratio(data["revenue"], data["revenue_target"]))
    fig, ax = _figure(title)
    if data["revenue"].notna().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, data["week"], table)
    x = np.arange(len(data))
    _bars(ax, x, data["revenue"], 0.7, BLUE)
    handles = [Patch(color=BLUE, label=tr("chart.revenue"))]
    if data["revenue_target"].notna().any():
        # Steps from bar edge to bar edge, so each week's target spans its whole bar.
        ax.stairs(data["revenue_target"], np.arange(len(data) + 1) - 0.5, baseline=None, color=VERMILLION,
                  linewidth=2, zorder=3)
        handles.append(Line2D([], [], color=VERMILLION, linewidth=2, label=tr("chart.revenue_target")))
    _value_axis(ax, tr.money_compact, np.nanmax(data[["revenue", "revenue_target"]].to_numpy()))
    _week_axis(ax, data["week"])
    _legend(ax, handles)
    return _chart(name, fig, _revenue_alt(tr, title, data), table)


@_styled
def calls_chart(name: str, weeks: pd.DataFrame, tr: Translator, title: str, ec_threshold: float) -> Chart:
    """Draw actual and effective calls per week, with the EC ratio and its threshold on a % axis."""
    data = _week_frame(weeks, ["actual_calls", "effective_calls", "ec_ratio"])
    table = _table(tr, data, {"chart.col.week": ("week", str),
                              "chart.actual_calls": ("actual_calls", tr.number),
                              "chart.effective_calls": ("effective_calls", tr.number),
                              "chart.ec_ratio": ("ec_ratio", tr.percent)})
    fig, ax = _figure(title)
    if data[["actual_calls", "effective_calls", "ec_ratio"]].notna().sum().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, data["week"], table)
    x = np.arange(len(data))
    # EC is a subset of AC, so EC is drawn as a narrower bar inside the AC bar.
    _bars(ax, x, data["actual_calls"], 0.75, SKY)
    _bars(ax, x, data["effective_calls"], 0.45, BLUE)
    # Bars use the lower ~60 % of the height so the ratio line (mostly 50-90 %) runs above them, and
    # the count ticks sit on the same four grid lines as 25/50/75/100 %.
    step = _nice_step(np.nanmax([*data["actual_calls"], *data["effective_calls"], 1.0]) * 1.6 / 4)
    _value_axis(ax, tr.number, 4 * step)
    ax.set_ylim(0, 4 * step * 1.04)
    ax.yaxis.set_major_locator(MultipleLocator(step))
    ratio_ax = ax.twinx()
    line = _line_style(len(data))
    ratio_ax.plot(x, data["ec_ratio"], color=VERMILLION, marker="o", zorder=3, **line)
    ratio_ax.axhline(ec_threshold, color=VERMILLION, linewidth=1.2, linestyle=(0, (5, 3)), alpha=0.8)
    _percent_axis(ratio_ax, tr, data["ec_ratio"], grid=False)
    ratio_ax.spines["right"].set_visible(True)
    _week_axis(ax, data["week"])
    _legend(ax, [Patch(color=SKY, label=tr("chart.actual_calls")),
                 Patch(color=BLUE, label=tr("chart.effective_calls")),
                 Line2D([], [], color=VERMILLION, marker="o", label=tr("chart.ec_ratio"), **line),
                 Line2D([], [], color=VERMILLION, linewidth=1.2, linestyle=(0, (5, 3)),
                        label=tr("chart.threshold", value=tr.percent(ec_threshold)))])
    return _chart(name, fig, _calls_alt(tr, title, data, ec_threshold), table)


@_styled
def compliance_chart(name: str, weeks: pd.DataFrame, tr: Translator, title: str, pjp_threshold: float,
                     coverage_threshold: float) -> Chart:
    """Draw journey-plan compliance and outlet coverage per week with their thresholds."""
    data = _week_frame(weeks, ["pjp_rate", "coverage"])
    table = _table(tr, data, {"chart.col.week": ("week", str), "chart.pjp_rate": ("pjp_rate", tr.percent),
                              "chart.coverage": ("coverage", tr.percent)})
    fig, ax = _figure(title)
    if data[["pjp_rate", "coverage"]].notna().sum().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, data["week"], table)
    x = np.arange(len(data))
    series = (("pjp_rate", pjp_threshold, BLUE, "o", "chart.pjp_threshold"),
              ("coverage", coverage_threshold, GREEN, "s", "chart.coverage_threshold"))
    handles, line = [], _line_style(len(data))
    for column, threshold, color, marker, threshold_key in series:
        ax.plot(x, data[column], color=color, marker=marker, zorder=3, **line)
        ax.axhline(threshold, color=color, linewidth=1.2, linestyle=(0, (5, 3)), alpha=0.8, zorder=2)
        handles.append(Line2D([], [], color=color, marker=marker, label=tr(f"chart.{column}"), **line))
        handles.append(Line2D([], [], color=color, linewidth=1.2, linestyle=(0, (5, 3)),
                              label=tr(threshold_key, value=tr.percent(threshold))))
    _percent_axis(ax, tr, data[["pjp_rate", "coverage"]].stack())
    _week_axis(ax, data["week"])
    _legend(ax, [handles[0], handles[2], handles[1], handles[3]])
    return _chart(name, fig, _compliance_alt(tr, title, data, pjp_threshold, coverage_threshold), table)


@_styled
def burnup_chart(name: str, days: pd.DataFrame, tr: Translator, title: str, target: float,
                 money: bool) -> Chart:
    """Draw a target period's cumulative actual against expected, the target and the projection."""
    data = _day_frame(days)
    fmt = tr.money if money else tr.number
    last = data["actual_cum"].last_valid_index()
    projection = data["projection"].dropna()
    projection = float(projection.iloc[-1]) if len(projection) and last is not None else math.nan
    # The projection is drawn from the last actual point to the period's last day.
    projected = pd.Series(np.nan, index=data.index)
    if not math.isnan(projection):
        projected.iloc[[last, -1]] = [data.loc[last, "actual_cum"], projection]
    table = _table(tr, data, {"chart.col.date": ("date", lambda day: tr.date(day.date())),
                              "chart.actual_cum": ("actual_cum", fmt),
                              "chart.expected_cum": ("expected_cum", fmt),
                              "chart.projection": ("projected", fmt)}, projected=projected)
    fig, ax = _figure(title)
    if data[["actual_cum", "expected_cum"]].notna().sum().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, None, table)
    x = date2num(data["date"])
    compact = tr.money_compact if money else tr.number
    styles = [(data["actual_cum"], BLUE, 2.4, "-", "chart.actual_cum"),
              (data["expected_cum"], GREEN, 1.6, (0, (5, 3)), "chart.expected_cum"),
              (projected, BLUE, 1.8, (0, (1, 2)), "chart.projection")]
    handles = []
    for values, color, width, style, key in styles:
        drawn = values.notna().to_numpy()
        if drawn.any():
            ax.plot(x[drawn], values[drawn], color=color, linewidth=width, linestyle=style,
                    zorder=4 if color == BLUE else 2)
            handles.append(Line2D([], [], color=color, linewidth=width, linestyle=style, label=tr(key)))
    if last is not None:
        ax.plot(x[last], data.loc[last, "actual_cum"], color=BLUE, marker="o", markersize=5, zorder=5)
    if not _missing(target):
        ax.axhline(target, color=VERMILLION, linewidth=1.4, zorder=3)
        handles.insert(2, Line2D([], [], color=VERMILLION, linewidth=1.4,
                                 label=tr("chart.period_target", value=compact(target))))
    _value_axis(ax, compact, np.nanmax([*data[["actual_cum", "expected_cum"]].to_numpy().ravel(), target,
                                        projection]))
    _date_axis(ax, tr, x)
    _legend(ax, handles)
    return _chart(name, fig, _burnup_alt(tr, title, data, target, projection, money), table)


@_styled
def activity_chart(name: str, mix: pd.DataFrame, tr: Translator, title: str) -> Chart:
    """Draw planned against done activities per activity type as horizontal bars."""
    data = _numeric(mix, ["type", "planned", "done", "missed"], ["planned", "done", "missed"])
    data = data[data["type"].notna()].reset_index(drop=True)
    data["label"] = [_name(tr, "activity", kind) for kind in data["type"]]
    table = _table(tr, data, {"chart.col.activity_type": ("label", str),
                              "chart.planned": ("planned", tr.number), "chart.done": ("done", tr.number),
                              "chart.missed": ("missed", tr.number)})
    fig, ax = _figure(title)
    if data[["planned", "done"]].notna().sum().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, None, table)
    y = np.arange(len(data))
    height = min(0.38, 2.4 / len(data))
    for offset, column, color in ((-height / 2, "planned", SKY), (height / 2, "done", BLUE)):
        values = data[column].fillna(0)
        _bars(ax, y + offset, values, height, color, horizontal=True)
        for position, value in zip(y + offset, values, strict=True):
            ax.annotate(tr.number(value), (value, position), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=9)
    _category_axis(ax, y, data["label"])
    ax.set_xlim(0, max(data[["planned", "done"]].max().max(), 1) * 1.1)
    _legend(ax, [Patch(color=SKY, label=tr("chart.planned")), Patch(color=BLUE, label=tr("chart.done"))])
    return _chart(name, fig, _activity_alt(tr, title, data), table)


@_styled
def funnel_chart(name: str, stages: pd.DataFrame, tr: Translator, title: str) -> Chart:
    """Draw the prospect pipeline as centred horizontal bars, one per stage in stage order."""
    data = _stage_frame(stages)
    data["label"] = [_name(tr, "stage", stage) for stage in data["stage"]]
    table = _table(tr, data, {"chart.col.stage": ("label", str), "chart.col.prospects": ("count", tr.number),
                              "chart.col.expected_value": ("value", tr.money)})
    fig, ax = _figure(title)
    if data["count"].fillna(0).sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, None, table)
    y = np.arange(len(data))
    counts = data["count"].fillna(0)
    colors = [GREEN if stage == "won" else VERMILLION if stage == "lost" else BLUE for stage in data["stage"]]
    _bars(ax, y, counts, 0.72, colors, horizontal=True, start=-counts / 2)
    for position, count, value in zip(y, counts, data["value"], strict=True):
        text = tr.number(count) + ("" if _missing(value) else f" · {tr.money_compact(value)}")
        ax.annotate(text, (count / 2, position), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=9)
    widest = max(counts.max(), 1)
    ax.set_xlim(-widest * 0.52, widest * 0.8)
    _category_axis(ax, y, data["label"])
    ax.spines["left"].set_visible(False)
    return _chart(name, fig, _funnel_alt(tr, title, data), table)


@_styled
def ranking_chart(name: str, ranking: pd.DataFrame, tr: Translator, title: str) -> Chart:
    """Draw revenue per person as horizontal bars, highest first, with each person's target."""
    data = _numeric(ranking, ["label", "revenue", "target"], ["revenue", "target"])
    data = data[data["label"].notna()].astype({"label": str})
    data = data.sort_values("revenue", ascending=False, kind="stable", na_position="last")
    data = data.reset_index(drop=True)
    data["attainment"] = _ratio(data["revenue"], data["target"])
    table = _table(tr, data, {"chart.col.name": ("label", str), "chart.revenue": ("revenue", tr.money),
                              "chart.revenue_target": ("target", tr.money),
                              "chart.attainment": ("attainment", tr.percent)})
    fig, ax = _figure(title, rows=int(data["revenue"].notna().any()) * len(data))
    if data["revenue"].notna().sum() == 0:
        return _no_data_chart(name, fig, ax, tr, title, None, table)
    y = np.arange(len(data))
    _bars(ax, y, data["revenue"], 0.62, BLUE, horizontal=True)
    handles = [Patch(color=BLUE, label=tr("chart.revenue"))]
    if data["target"].notna().any():
        ax.vlines(data["target"], y - 0.42, y + 0.42, color=VERMILLION, linewidth=2.2, zorder=3)
        handles.append(Line2D([], [], color=VERMILLION, linewidth=2.2, label=tr("chart.revenue_target")))
    ends = data[["revenue", "target"]].max(axis=1).fillna(0)
    texts = [tr.money_compact(revenue) + ("" if _missing(share) else f" · {tr.percent(share)}")
             for revenue, share in zip(data["revenue"], data["attainment"], strict=True)]
    for position, (end, text) in enumerate(zip(ends, texts, strict=True)):
        ax.annotate(text, (end, position), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    _category_axis(ax, y, data["label"])
    # Leave room after the longest bar for its label: the plot is the figure less the names column.
    plot = FIGSIZE[0] * 72 - 26 - max(_text_width(label, _RC["font.size"]) for label in data["label"])
    room = max(_text_width(text, 9) + 10 for text in texts)
    ax.set_xlim(0, max(ends.max(), 1.0) / max(0.3, 1 - room / plot))
    _legend(ax, handles)
    return _chart(name, fig, _ranking_alt(tr, title, data), table)


def _numeric(frame: pd.DataFrame, columns: list[str], numbers: list[str]) -> pd.DataFrame:
    """Keep `columns` (adding missing ones as empty) and make `numbers` float, NaN where unreadable."""
    data = frame.reindex(columns=columns).copy() if frame is not None else pd.DataFrame(columns=columns)
    for column in numbers:
        data[column] = pd.to_numeric(data[column], errors="coerce").astype(float)
    return data


def _week_frame(weeks: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
    data = _numeric(weeks, ["week", *numbers], numbers)
    data = data[data["week"].notna()].astype({"week": str})
    return data.sort_values("week", kind="stable").reset_index(drop=True)


def _day_frame(days: pd.DataFrame) -> pd.DataFrame:
    numbers = ["actual_cum", "expected_cum", "projection"]
    data = _numeric(days, ["date", *numbers], numbers)
    data["date"] = pd.to_datetime(data["date"], errors="coerce")
    data = data[data["date"].notna()]
    return data.sort_values("date", kind="stable").reset_index(drop=True)


def _stage_frame(stages: pd.DataFrame) -> pd.DataFrame:
    """One row per stage in funnel order (absent stages count 0), unknown stages after them."""
    data = _numeric(stages, ["stage", "count", "value"], ["count", "value"])
    data = data[data["stage"].notna()].astype({"stage": str})
    data = data.groupby("stage", sort=False).agg(count=("count", "sum"), value=("value", lambda v: v.sum(
        min_count=1)))
    order = [*STAGES, *(stage for stage in data.index if stage not in STAGES)]
    data = data.reindex(order)
    data["count"] = data["count"].fillna(0)
    return data.rename_axis("stage").reset_index()


def _name(tr: Translator, area: str, code: object) -> str:
    """Translate an activity type or stage code, falling back to the code itself for custom ones."""
    key = f"chart.{area}.{code}"
    text = tr(key)
    return str(code).replace("_", " ") if text == key else text


def _figure(title: str, rows: int = 0) -> tuple[Figure, Axes]:
    """A figure of the standard size, taller when `rows` horizontal bars need more room."""
    fig = Figure(figsize=(FIGSIZE[0], max(FIGSIZE[1], 0.9 + BAR_ROW * rows)))
    ax = fig.add_subplot()
    ax.set_title(title, pad=8)
    _reserve_top(fig, title, legend_rows=0)
    return fig, ax


def _legend(ax: Axes, handles: Sequence[Line2D | Patch]) -> None:
    """Put the legend between the title and the plot, where it never covers data, wrapped to fit."""
    size = _RC["legend.fontsize"]
    # Entry: handle (1.8 em) + gap (0.8 em) + text; columns are 1.4 em apart.
    widths = [size * 2.6 + _text_width(handle.get_label(), size) + size * 1.4 for handle in handles]
    rows = 1
    while rows < len(handles) and _legend_width(widths, rows) > FIGSIZE[0] * 72 * 0.8:
        rows += 1
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=math.ceil(len(handles) / rows),
              borderaxespad=0.3, borderpad=0, handlelength=1.8, columnspacing=1.4, labelspacing=0.4)
    title = ax.get_title(loc="left")
    ax.set_title(title, pad=8 + LEGEND_ROW * rows)
    _reserve_top(ax.figure, title, rows)


def _reserve_top(fig: Figure, title: str, legend_rows: int) -> None:
    top = 2 + (15 if title else 0) + 8 + LEGEND_ROW * legend_rows
    fig.subplots_adjust(top=1 - top / (fig.get_figheight() * 72))


def _fit_margins(fig: Figure) -> None:
    """Size the left, right and bottom margins to the tick labels (cheaper than constrained layout)."""
    ax, *twins = fig.axes
    width, height = (inches * 72 for inches in fig.get_size_inches())
    left = 8 + _widest(ax.yaxis)
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
    return max((_text_width(label, _RC["font.size"]) for label in _tick_labels(axis)), default=0) + 4


@lru_cache(maxsize=1)
def _font() -> ft2font.FT2Font:
    font = ft2font.FT2Font(findfont(FontProperties(family=_RC["font.sans-serif"])))
    font.set_size(100, 72)
    return font


@lru_cache(maxsize=2048)
def _text_width(text: str, size: float) -> float:
    """Width in points of `text` (its longest line) in the font the SVG is measured with."""
    font = _font()
    advance = {char: font.load_char(ord(char), flags=ft2font.LoadFlags.NO_HINTING).horiAdvance / 6400
               for char in set(text) - {"\n"}}
    return max(sum(advance[char] for char in line) for line in text.split("\n")) * size


def _legend_width(widths: list[float], rows: int) -> float:
    """Width of a legend laid out in `rows` rows: matplotlib fills it column by column."""
    return sum(max(widths[start:start + rows]) for start in range(0, len(widths), rows))


def _value_axis(ax: Axes, fmt: Callable[[float], str], highest: float) -> None:
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


def _bars(ax: Axes, at: np.ndarray, lengths: pd.Series, thickness: float, color: str | list[str],
          horizontal: bool = False, start: pd.Series | float = 0.0) -> None:
    """Draw bars as one collection: much faster than `Axes.bar`, which adds and measures a patch per bar."""
    low = np.broadcast_to(np.asarray(start, dtype=float), len(at))
    high = low + np.nan_to_num(np.asarray(lengths, dtype=float))
    side_a, side_b = np.asarray(at, dtype=float) - thickness / 2, np.asarray(at, dtype=float) + thickness / 2
    corners = np.stack([np.stack(pair, axis=-1) for pair in
                        ((low, side_a), (high, side_a), (high, side_b), (low, side_b))], axis=1)
    if not horizontal:
        corners = corners[..., ::-1]
    ax.add_collection(PolyCollection(corners, facecolors=color, edgecolors="none", zorder=2),
                      autolim=False)


def _nice_step(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value` (and at least 1)."""
    magnitude = 10 ** math.floor(math.log10(max(value, 1.0)))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def _line_style(points: int) -> dict[str, float]:
    """Thinner lines and smaller markers when many weeks share the width."""
    return {"linewidth": 2.0, "markersize": 3.5} if points <= 26 else {"linewidth": 1.5, "markersize": 2.5}


def _category_axis(ax: Axes, y: np.ndarray, labels: pd.Series) -> None:
    """Label horizontal bars top to bottom; their values are written beside them, so no x axis."""
    ax.set_yticks(y, list(labels))
    ax.set_ylim(len(y) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)


def _percent_axis(ax: Axes, tr: Translator, values: pd.Series, grid: bool = True) -> None:
    top = max(1.0, float(values.max()) if values.notna().any() else 1.0)
    ax.set_ylim(0, top * 1.04)
    ax.yaxis.set_major_locator(FixedLocator(np.arange(0, top + 0.01, 0.25)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: tr.percent(value)))
    ax.tick_params(axis="y", length=0)
    if grid:
        ax.grid(True, axis="y", zorder=0)
        ax.set_axisbelow(True)


def _week_axis(ax: Axes, weeks: pd.Series) -> None:
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


def _date_axis(ax: Axes, tr: Translator, x: np.ndarray) -> None:
    locator = AutoDateLocator(minticks=5, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _pos: format_skeleton("MMMd", num2date(value).date(), locale=tr.locale)))
    ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
    ax.tick_params(axis="x", length=3)


def _no_data_chart(name: str, fig: Figure, ax: Axes, tr: Translator, title: str, weeks: pd.Series | None,
                   table: pd.DataFrame) -> Chart:
    """Finish an empty chart: the axes frame with a centred "no data" note."""
    if weeks is not None and len(weeks):
        _week_axis(ax, weeks)
    else:
        ax.set_xticks([])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.text(0.5, 0.5, tr("chart.no_data"), transform=ax.transAxes, ha="center", va="center", fontsize=12)
    return _chart(name, fig, tr("chart.alt.no_data", title=_title(tr, title)), table)


def _chart(name: str, fig: Figure, alt: str, table: pd.DataFrame) -> Chart:
    _fit_margins(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    fig.clear()
    return Chart(name=name, svg=buffer.getvalue(), alt=alt, table=table)


def _table(tr: Translator, data: pd.DataFrame, columns: dict[str, tuple[str, Callable[[object], str]]],
           **extra: pd.Series) -> pd.DataFrame:
    """Format `data` for display: translated headers, locale-formatted strings, "–" for missing values."""
    data = data.assign(**extra)
    table = {tr(key): [("–" if _missing(value) else fmt(value)) for value in data[column]]
             for key, (column, fmt) in columns.items()}
    return pd.DataFrame(table, dtype=object)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator != 0)


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _title(tr: Translator, title: str) -> str:
    return title.strip() or tr("chart.untitled")


def _period(tr: Translator, first: str, last: str) -> str:
    return first if first == last else tr("chart.range", first=first, last=last)


def _revenue_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    latest = data.iloc[-1]
    best = data.loc[data["revenue"].idxmax()]
    values = {"title": _title(tr, title), "period": _period(tr, data["week"].iloc[0], latest["week"]),
              "latest": tr.money_compact(latest["revenue"]), "highest": tr.money_compact(best["revenue"]),
              "highest_week": best["week"]}
    if _missing(latest["revenue_target"]) or latest["revenue_target"] == 0:
        return tr("chart.revenue.alt_no_target", **values)
    return tr("chart.revenue.alt", target=tr.money_compact(latest["revenue_target"]),
              attainment=tr.percent(latest["revenue"] / latest["revenue_target"]), **values)


def _calls_alt(tr: Translator, title: str, data: pd.DataFrame, ec_threshold: float) -> str:
    latest = data.iloc[-1]
    ratios = data["ec_ratio"].dropna()
    return tr("chart.calls.alt", title=_title(tr, title),
              period=_period(tr, data["week"].iloc[0], latest["week"]),
              actual=tr.number(latest["actual_calls"]), effective=tr.number(latest["effective_calls"]),
              ratio=tr.percent(latest["ec_ratio"]), threshold=tr.percent(ec_threshold),
              below=tr.number(int((ratios < ec_threshold).sum())), weeks=tr.number(len(ratios)))


def _compliance_alt(tr: Translator, title: str, data: pd.DataFrame, pjp_threshold: float,
                    coverage_threshold: float) -> str:
    latest = data.iloc[-1]
    pjp, coverage = data["pjp_rate"].dropna(), data["coverage"].dropna()
    return tr("chart.compliance.alt", title=_title(tr, title),
              period=_period(tr, data["week"].iloc[0], latest["week"]),
              pjp=tr.percent(latest["pjp_rate"]), pjp_threshold=tr.percent(pjp_threshold),
              coverage=tr.percent(latest["coverage"]), coverage_threshold=tr.percent(coverage_threshold),
              pjp_below=tr.number(int((pjp < pjp_threshold).sum())), pjp_weeks=tr.number(len(pjp)),
              coverage_below=tr.number(int((coverage < coverage_threshold).sum())),
              coverage_weeks=tr.number(len(coverage)))


def _burnup_alt(tr: Translator, title: str, data: pd.DataFrame, target: float, projection: float,
                money: bool) -> str:
    fmt = tr.money_compact if money else tr.number
    first, end = (tr.date(data["date"].iloc[i].date()) for i in (0, -1))
    values = {"title": _title(tr, title), "target": fmt(target), "period": _period(tr, first, end)}
    last = data["actual_cum"].last_valid_index()
    if last is None:
        return tr("chart.burnup.alt_not_started", **values)
    actual, expected = data.loc[last, "actual_cum"], data.loc[last, "expected_cum"]
    alt = tr("chart.burnup.alt", actual=fmt(actual), as_of=tr.date(data.loc[last, "date"].date()),
             expected=fmt(expected), pace=tr.percent(actual / expected if expected else math.nan), **values)
    if not math.isnan(projection):
        attainment = projection / target if not _missing(target) and target else math.nan
        alt += " " + tr("chart.burnup.alt_projection", projection=fmt(projection),
                        attainment=tr.percent(attainment))
    return alt


def _activity_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    planned, done, missed = (data[column].sum() for column in ("planned", "done", "missed"))
    top = data.loc[data["done"].fillna(-1).idxmax()]
    rate = (planned - missed) / planned if planned else math.nan
    return tr("chart.activity.alt", title=_title(tr, title), done=tr.number(done),
              planned=tr.number(planned), missed=tr.number(missed), rate=tr.percent(rate), top=top["label"],
              top_done=tr.number(top["done"]))


def _funnel_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    stages = ", ".join(f"{label} {tr.number(count)}" for label, count in zip(data["label"], data["count"],
                                                                                 strict=True))
    alt = tr("chart.funnel.alt", title=_title(tr, title), total=tr.number(data["count"].sum()), stages=stages)
    open_value = data.loc[~data["stage"].isin(["won", "lost"]), "value"].sum(min_count=1)
    if not _missing(open_value):
        alt += " " + tr("chart.funnel.alt_value", value=tr.money_compact(open_value))
    return alt


def _ranking_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    ranked = data.dropna(subset=["revenue"])
    with_target = data["attainment"].dropna()
    return tr("chart.ranking.alt", title=_title(tr, title), count=tr.number(len(data)),
              total=tr.money_compact(ranked["revenue"].sum()), top=ranked["label"].iloc[0],
              top_value=tr.money_compact(ranked["revenue"].iloc[0]), bottom=ranked["label"].iloc[-1],
              bottom_value=tr.money_compact(ranked["revenue"].iloc[-1]),
              met=tr.number(int((with_target >= 1).sum())), targets=tr.number(len(with_target)))
