"""Charts for the site: SVG figures, each with alt text and a table of the numbers it draws.

Pure: frames in, `Chart` out, no file I/O. Figures are built on `matplotlib.figure.Figure`
(no pyplot, so nothing global to close) and saved with a fixed hash salt and no date, so the
same data always gives the same bytes. The look (style, palette, axes, legend and layout) is
in `chartstyle`; this module decides what each chart draws, says and tabulates.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.dates import date2num
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from reports_gen.dataset.schema import STAGES
from reports_gen.site.chartstyle import (
    BLUE,
    FIGSIZE,
    GREEN,
    RC,
    SKY,
    VERMILLION,
    bars,
    category_axis,
    date_axis,
    figure,
    fit_margins,
    legend,
    line_style,
    nice_step,
    percent_axis,
    styled,
    text_width,
    value_axis,
    week_axis,
)

from . import chartalt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from reports_gen.i18n import Translator


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG bytes, alt text and the numbers drawn as a display-ready table."""

    name: str
    svg: bytes
    alt: str
    table: pd.DataFrame = field(compare=False)


@styled
def revenue_chart(name: str, weeks: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw revenue per week as bars with the weekly revenue target as a step line."""
    data = _week_frame(weeks, ["revenue", "revenue_target"])
    table = _table(
        tr,
        data,
        {
            "chart.col.week": ("week", str),
            "chart.revenue": ("revenue", tr.money),
            "chart.revenue_target": ("revenue_target", tr.money),
            "chart.attainment": ("attainment", tr.percent),
        },
        attainment=_ratio(data["revenue"], data["revenue_target"]),
    )
    if data["revenue"].notna().sum() == 0:
        return _no_data_chart(name, tr, title, data["week"], table, svg)
    alt = chartalt.revenue_alt(tr, title, data)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    x = np.arange(len(data))
    bars(ax, x, data["revenue"], 0.7, BLUE)
    handles: list[Line2D | Patch] = [Patch(color=BLUE, label=tr("chart.revenue"))]
    if data["revenue_target"].notna().any():
        # Steps from bar edge to bar edge, so each week's target spans its whole bar.
        ax.stairs(
            data["revenue_target"],
            np.arange(len(data) + 1) - 0.5,
            baseline=None,
            color=VERMILLION,
            linewidth=2,
            zorder=3,
        )
        handles.append(Line2D([], [], color=VERMILLION, linewidth=2, label=tr("chart.revenue_target")))
    value_axis(ax, tr.money_compact, np.nanmax(data[["revenue", "revenue_target"]].to_numpy()))
    week_axis(ax, data["week"])
    legend(ax, handles)
    return _chart(name, fig, alt, table)


@styled
def calls_chart(
    name: str, weeks: pd.DataFrame, tr: Translator, title: str, ec_threshold: float, svg: bool = True
) -> Chart:
    """Draw actual and effective calls per week, with the EC ratio and its threshold on a % axis."""
    data = _week_frame(weeks, ["actual_calls", "effective_calls", "ec_ratio"])
    table = _table(
        tr,
        data,
        {
            "chart.col.week": ("week", str),
            "chart.actual_calls": ("actual_calls", tr.number),
            "chart.effective_calls": ("effective_calls", tr.number),
            "chart.ec_ratio": ("ec_ratio", tr.percent),
        },
    )
    if data[["actual_calls", "effective_calls", "ec_ratio"]].notna().sum().sum() == 0:
        return _no_data_chart(name, tr, title, data["week"], table, svg)
    alt = chartalt.calls_alt(tr, title, data, ec_threshold)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    x = np.arange(len(data))
    # EC is a subset of AC, so EC is drawn as a narrower bar inside the AC bar.
    bars(ax, x, data["actual_calls"], 0.75, SKY)
    bars(ax, x, data["effective_calls"], 0.45, BLUE)
    # Bars use the lower ~60 % of the height so the ratio line (mostly 50-90 %) runs above them, and
    # the count ticks sit on the same four grid lines as 25/50/75/100 %.
    step = nice_step(np.nanmax([*data["actual_calls"], *data["effective_calls"], 1.0]) * 1.6 / 4)
    value_axis(ax, tr.number, 4 * step)
    ax.set_ylim(0, 4 * step * 1.04)
    ax.yaxis.set_major_locator(MultipleLocator(step))
    ratio_ax = ax.twinx()
    line = line_style(len(data))
    ratio_ax.plot(x, data["ec_ratio"], color=VERMILLION, marker="o", zorder=3, **line)
    ratio_ax.axhline(ec_threshold, color=VERMILLION, linewidth=1.2, linestyle=(0, (5, 3)), alpha=0.8)
    percent_axis(ratio_ax, tr, data["ec_ratio"], grid=False)
    ratio_ax.spines["right"].set_visible(True)
    week_axis(ax, data["week"])
    legend(
        ax,
        [
            Patch(color=SKY, label=tr("chart.actual_calls")),
            Patch(color=BLUE, label=tr("chart.effective_calls")),
            Line2D([], [], color=VERMILLION, marker="o", label=tr("chart.ec_ratio"), **line),
            Line2D(
                [],
                [],
                color=VERMILLION,
                linewidth=1.2,
                linestyle=(0, (5, 3)),
                label=tr("chart.threshold", value=tr.percent(ec_threshold)),
            ),
        ],
    )
    return _chart(name, fig, alt, table)


@styled
def compliance_chart(
    name: str,
    weeks: pd.DataFrame,
    tr: Translator,
    title: str,
    pjp_threshold: float,
    coverage_threshold: float,
    svg: bool = True,
) -> Chart:
    """Draw journey-plan compliance and outlet coverage per week with their thresholds."""
    data = _week_frame(weeks, ["pjp_rate", "coverage"])
    table = _table(
        tr,
        data,
        {
            "chart.col.week": ("week", str),
            "chart.pjp_rate": ("pjp_rate", tr.percent),
            "chart.coverage": ("coverage", tr.percent),
        },
    )
    if data[["pjp_rate", "coverage"]].notna().sum().sum() == 0:
        return _no_data_chart(name, tr, title, data["week"], table, svg)
    alt = chartalt.compliance_alt(tr, title, data, pjp_threshold, coverage_threshold)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    x = np.arange(len(data))
    series = (
        ("pjp_rate", pjp_threshold, BLUE, "o", "chart.pjp_threshold"),
        ("coverage", coverage_threshold, GREEN, "s", "chart.coverage_threshold"),
    )
    handles, line = [], line_style(len(data))
    for column, threshold, color, marker, threshold_key in series:
        ax.plot(x, data[column], color=color, marker=marker, zorder=3, **line)
        ax.axhline(threshold, color=color, linewidth=1.2, linestyle=(0, (5, 3)), alpha=0.8, zorder=2)
        handles.append(Line2D([], [], color=color, marker=marker, label=tr(f"chart.{column}"), **line))
        handles.append(
            Line2D(
                [],
                [],
                color=color,
                linewidth=1.2,
                linestyle=(0, (5, 3)),
                label=tr(threshold_key, value=tr.percent(threshold)),
            )
        )
    percent_axis(ax, tr, data[["pjp_rate", "coverage"]].stack())
    week_axis(ax, data["week"])
    legend(ax, [handles[0], handles[2], handles[1], handles[3]])
    return _chart(name, fig, alt, table)


@styled
def burnup_chart(
    name: str, days: pd.DataFrame, tr: Translator, title: str, target: float, money: bool, svg: bool = True
) -> Chart:
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
    # The table gives the line at the chart's own grain: each week's last day, and the last actual.
    table = _table(
        tr,
        data[_week_ends(data["date"], last)],
        {
            "chart.col.date": ("date", lambda day: tr.date(pd.Timestamp(day).date())),
            "chart.actual_cum": ("actual_cum", fmt),
            "chart.expected_cum": ("expected_cum", fmt),
            "chart.projection": ("projected", fmt),
        },
        projected=projected,
    )
    if data[["actual_cum", "expected_cum"]].notna().sum().sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg)
    alt = chartalt.burnup_alt(tr, title, data, target, projection, money)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    x = date2num(data["date"])
    compact = tr.money_compact if money else tr.number
    styles: list[tuple[pd.Series, str, float, Any, str]] = [
        (data["actual_cum"], BLUE, 2.4, "-", "chart.actual_cum"),
        (data["expected_cum"], GREEN, 1.6, (0, (5, 3)), "chart.expected_cum"),
        (projected, BLUE, 1.8, (0, (1, 2)), "chart.projection"),
    ]
    handles: list[Line2D | Patch] = []
    for values, color, width, style, key in styles:
        drawn = values.notna().to_numpy()
        if drawn.any():
            ax.plot(
                x[drawn],
                values[drawn],
                color=color,
                linewidth=width,
                linestyle=style,
                zorder=4 if color == BLUE else 2,
            )
            handles.append(Line2D([], [], color=color, linewidth=width, linestyle=style, label=tr(key)))
    if last is not None:
        ax.plot(x[last], data.loc[last, "actual_cum"], color=BLUE, marker="o", markersize=5, zorder=5)
    if not chartalt.is_missing(target):
        ax.axhline(target, color=VERMILLION, linewidth=1.4, zorder=3)
        handles.insert(
            2,
            Line2D(
                [],
                [],
                color=VERMILLION,
                linewidth=1.4,
                label=tr("chart.period_target", value=compact(target)),
            ),
        )
    value_axis(
        ax, compact, np.nanmax([*data[["actual_cum", "expected_cum"]].to_numpy().ravel(), target, projection])
    )
    date_axis(ax, tr, x)
    legend(ax, handles)
    return _chart(name, fig, alt, table)


@styled
def activity_chart(name: str, mix: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw planned against done activities per activity type as horizontal bars."""
    data = _numeric(mix, ["type", "planned", "done", "missed"], ["planned", "done", "missed"])
    data = data[data["type"].notna()].reset_index(drop=True)
    data["label"] = [_name(tr, "activity", kind) for kind in data["type"]]
    table = _table(
        tr,
        data,
        {
            "chart.col.activity_type": ("label", str),
            "chart.planned": ("planned", tr.number),
            "chart.done": ("done", tr.number),
            "chart.missed": ("missed", tr.number),
        },
    )
    if data[["planned", "done"]].notna().sum().sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg)
    alt = chartalt.activity_alt(tr, title, data)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    y = np.arange(len(data))
    height = min(0.38, 2.4 / len(data))
    for offset, column, color in ((-height / 2, "planned", SKY), (height / 2, "done", BLUE)):
        values = data[column].fillna(0)
        bars(ax, y + offset, values, height, color, horizontal=True)
        for position, value in zip(y + offset, values, strict=True):
            ax.annotate(
                tr.number(value),
                (value, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=11,
            )
    category_axis(ax, y, fit_labels(data["label"]))
    ax.set_xlim(0, max(data[["planned", "done"]].max().max(), 1) * 1.1)
    legend(ax, [Patch(color=SKY, label=tr("chart.planned")), Patch(color=BLUE, label=tr("chart.done"))])
    return _chart(name, fig, alt, table)


@styled
def funnel_chart(name: str, stages: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw the prospect pipeline as centred horizontal bars, one per stage in stage order."""
    data = _stage_frame(stages)
    data["label"] = [_name(tr, "stage", stage) for stage in data["stage"]]
    table = _table(
        tr,
        data,
        {
            "chart.col.stage": ("label", str),
            "chart.col.prospects": ("count", tr.number),
            "chart.col.expected_value": ("value", tr.money),
        },
    )
    if data["count"].fillna(0).sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg)
    alt = chartalt.funnel_alt(tr, title, data)
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    y = np.arange(len(data))
    counts = data["count"].fillna(0)
    colors = [GREEN if stage == "won" else VERMILLION if stage == "lost" else BLUE for stage in data["stage"]]
    bars(ax, y, counts, 0.72, colors, horizontal=True, start=-counts / 2)
    for position, count, value in zip(y, counts, data["value"], strict=True):
        text = tr.number(count) + ("" if chartalt.is_missing(value) else f" · {tr.money_compact(value)}")
        ax.annotate(
            text, (count / 2, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=11
        )
    widest = max(counts.max(), 1)
    ax.set_xlim(-widest * 0.52, widest * 0.8)
    category_axis(ax, y, fit_labels(data["label"]))
    ax.spines["left"].set_visible(False)
    return _chart(name, fig, alt, table)


MAX_NAME = 18  # characters of a name on a ranking's axis


@styled
def ranking_chart(name: str, ranking: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw revenue per person as horizontal bars, highest first, with each person's target."""
    data = _numeric(ranking, ["label", "revenue", "target"], ["revenue", "target"])
    data = data[data["label"].notna()].astype({"label": str})
    data = data.sort_values("revenue", ascending=False, kind="stable", na_position="last")
    data = data.reset_index(drop=True)
    data["attainment"] = _ratio(data["revenue"], data["target"])
    table = _table(
        tr,
        data,
        {
            "chart.col.name": ("label", str),
            "chart.revenue": ("revenue", tr.money),
            "chart.revenue_target": ("target", tr.money),
            "chart.attainment": ("attainment", tr.percent),
        },
    )
    if data["revenue"].notna().sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg)
    drawn, hidden = _ranking_ends(data)
    alt = chartalt.ranking_alt(tr, title, data)
    if hidden:
        alt += " " + tr(
            "chart.ranking.ends", top=tr.number(RANKING_ENDS[0]), bottom=tr.number(RANKING_ENDS[1])
        )
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure(rows=len(drawn) + bool(hidden))
    # A long ranking leaves a row between its highest and lowest for the people not drawn.
    y = np.arange(len(drawn)) + (np.arange(len(drawn)) >= RANKING_ENDS[0]) * bool(hidden)
    bars(ax, y, drawn["revenue"], 0.62, BLUE, horizontal=True)
    handles: list[Line2D | Patch] = [Patch(color=BLUE, label=tr("chart.revenue"))]
    if drawn["target"].notna().any():
        ax.vlines(drawn["target"], y - 0.42, y + 0.42, color=VERMILLION, linewidth=2.2, zorder=3)
        handles.append(Line2D([], [], color=VERMILLION, linewidth=2.2, label=tr("chart.revenue_target")))
    ends = drawn[["revenue", "target"]].max(axis=1).fillna(0)
    texts = [
        tr.money_compact(revenue) + ("" if chartalt.is_missing(share) else f" · {tr.percent(share)}")
        for revenue, share in zip(drawn["revenue"], drawn["attainment"], strict=True)
    ]
    for position, end, text in zip(y, ends, texts, strict=True):
        ax.annotate(
            text, (end, position), xytext=(5, 0), textcoords="offset points", va="center", fontsize=11
        )
    # Long names are shortened on the axis (the data table keeps them whole): the chart is phone-sized.
    names = fit_labels(drawn["label"].map(lambda s: s if len(s) <= MAX_NAME else s[: MAX_NAME - 1] + "…"))
    if hidden:
        gap = RANKING_ENDS[0]
        names = pd.concat(
            [names[:gap], pd.Series([tr("chart.ranking.more", count=tr.number(hidden))]), names[gap:]]
        )
        y = np.arange(len(drawn) + 1)
    category_axis(ax, y, names)
    # Leave room after the longest bar for its label: the plot is the figure less the names column.
    plot = FIGSIZE[0] * 72 - 26 - max(text_width(label, RC["font.size"]) for label in names)
    room = max(text_width(text, 11) + 10 for text in texts)
    ax.set_xlim(0, max(ends.max(), 1.0) / max(0.3, 1 - room / plot))
    legend(ax, handles)
    return _chart(name, fig, alt, table)


# A long ranking draws its highest and lowest people only (the data table lists everyone): 157
# bars would make a chart 48 inches tall that nobody scrolls through, and cost a third of a second.
RANKING_ENDS = (15, 10)


def _ranking_ends(data: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return the rows a ranking draws (all, or its highest and lowest) and how many it leaves out."""
    top, bottom = RANKING_ENDS
    if len(data) <= top + bottom + 1:  # leaving out a single person would save no room
        return data, 0
    return pd.concat([data.iloc[:top], data.iloc[-bottom:]]), len(data) - top - bottom


# A category label takes at most this share of the chart's width; the rest is for the bars.
MAX_LABEL_SHARE = 0.35


def fit_labels(labels: pd.Series) -> pd.Series:
    """Shorten labels too wide for the chart with an ellipsis (alt text and table keep them whole)."""
    room = FIGSIZE[0] * 72 * MAX_LABEL_SHARE
    return labels.map(lambda text: _shorten(str(text), room))


def _shorten(text: str, room: float) -> str:
    size = RC["font.size"]
    if text_width(text, size) <= room:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (
            (middle, high) if text_width(text[:middle].rstrip() + "…", size) <= room else (low, middle - 1)
        )
    return text[:low].rstrip() + "…"


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


def _week_ends(days: pd.Series, last: int | None) -> np.ndarray:
    """Mark each ISO week's last day among `days` (sorted dates), and the row `last`."""
    weeks = days.dt.to_period("W-SUN")
    keep = (weeks != weeks.shift(-1)).to_numpy(copy=True)
    if last is not None:
        keep[days.index.get_loc(last)] = True
    return keep


def _stage_frame(stages: pd.DataFrame) -> pd.DataFrame:
    """One row per stage in funnel order (absent stages count 0), unknown stages after them."""
    data = _numeric(stages, ["stage", "count", "value"], ["count", "value"])
    data = data[data["stage"].notna()].astype({"stage": str})
    data = data.groupby("stage", sort=False).agg(
        count=("count", "sum"), value=("value", lambda v: v.sum(min_count=1))
    )
    order = [*STAGES, *(stage for stage in data.index if stage not in STAGES)]
    data = data.reindex(order)
    data["count"] = data["count"].fillna(0)
    return data.rename_axis("stage").reset_index()


def _name(tr: Translator, area: str, code: object) -> str:
    """Translate an activity type or stage code, falling back to the code itself for custom ones."""
    key = f"chart.{area}.{code}"
    text = tr(key)
    return str(code).replace("_", " ") if text == key else text


def _no_data_chart(
    name: str,
    tr: Translator,
    title: str,
    weeks: pd.Series | None,
    table: pd.DataFrame,
    svg: bool = True,
    rows: int = 0,
) -> Chart:
    """Return an empty chart: the axes frame with a centred "no data" note (`rows`: see `figure`)."""
    alt = tr("chart.alt.no_data", title=chartalt.chart_title(tr, title))
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure(rows)
    if weeks is not None and len(weeks):
        week_axis(ax, weeks)
    else:
        ax.set_xticks([])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.text(0.5, 0.5, tr("chart.no_data"), transform=ax.transAxes, ha="center", va="center", fontsize=12)
    return _chart(name, fig, alt, table)


def _chart(name: str, fig: Figure, alt: str, table: pd.DataFrame) -> Chart:
    fit_margins(fig)
    buffer = io.BytesIO()
    # No fig.clear() after: it clears each axes, which makes new ticks (7 % of a chart's time),
    # while the figure, made without pyplot, is freed with its last reference anyway.
    fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return Chart(name=name, svg=buffer.getvalue(), alt=alt, table=table)


def _table(
    tr: Translator,
    data: pd.DataFrame,
    columns: dict[str, tuple[str, Callable[[Any], str]]],
    **extra: pd.Series,
) -> pd.DataFrame:
    """Format `data` for display: translated headers, locale-formatted strings, "–" for missing values."""
    data = data.assign(**extra)
    table = {
        tr(key): [("–" if chartalt.is_missing(value) else fmt(value)) for value in data[column]]
        for key, (column, fmt) in columns.items()
    }
    return pd.DataFrame(table, dtype=object)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator != 0)
