"""The manager pages' charts: no-order reasons (Pareto), order channel mix, open vs closed pipeline.

Pure like `charts`: frames in, `Chart` out (SVG, alt text, the numbers as a table), in the
shared look of `chartstyle`. Labels arrive translated; numbers are formatted here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from reports_gen.site.charts import Chart, _chart, _no_data_chart, _numeric, _table
from reports_gen.site.chartstyle import (
    BLUE,
    GREEN,
    GREY,
    SKY,
    VERMILLION,
    bars,
    category_axis,
    figure,
    legend,
    percent_axis,
    styled,
    week_axis,
)

if TYPE_CHECKING:
    from reports_gen.i18n import Translator

CHANNEL_COLORS = (BLUE, SKY, GREEN, "#E69F00", GREY)  # visit, phone, WhatsApp, online, other


@styled
def pareto_chart(name: str, reasons: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw no-order reasons as bars, most frequent first, with the cumulative share as a line."""
    data = _numeric(reasons, ["label", "count", "share", "cumulative"], ["count", "share", "cumulative"])
    data = data[data["label"].notna()].astype({"label": str}).reset_index(drop=True)
    table = _table(
        tr,
        data,
        {
            "mgr.chart.reason": ("label", str),
            "mgr.chart.visits": ("count", tr.number),
            "mgr.chart.share": ("share", tr.percent),
            "mgr.chart.cumulative": ("cumulative", tr.percent),
        },
    )
    if data["count"].fillna(0).sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg, rows=len(data))
    top = data.iloc[0]
    alt = tr(
        "mgr.chart.pareto_alt",
        title=title,
        total=tr.number(data["count"].sum()),
        top=top["label"],
        share=tr.percent(top["share"]),
        count=tr.number(len(data)),
    )
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure(rows=len(data))
    y = np.arange(len(data))
    bars(ax, y, data["count"], 0.62, BLUE, horizontal=True)
    for position, count, share in zip(y, data["count"], data["share"], strict=True):
        text = f"{tr.number(count)} · {tr.percent(share)}"
        ax.annotate(
            text, (count, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9
        )
    category_axis(ax, y, data["label"])
    ax.set_xlim(0, data["count"].max() * 1.3)
    ax.set_xticks([])  # each bar carries its count and share, each point its cumulative share
    ax.spines["bottom"].set_visible(False)
    scale = ax.get_xlim()[1] / 1.05  # the cumulative line on the same axes: 100 % near the right edge
    ax.plot(data["cumulative"] * scale, y, color=VERMILLION, marker="o", linewidth=1.8, zorder=3)
    for position, cumulative in zip(y, data["cumulative"], strict=True):
        ax.annotate(
            tr.percent(cumulative),
            (cumulative * scale, position),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=VERMILLION,
        )
    legend(
        ax,
        [
            Patch(color=BLUE, label=tr("mgr.chart.visits")),
            Line2D([], [], color=VERMILLION, marker="o", label=tr("mgr.chart.cumulative")),
        ],
    )
    return _chart(name, fig, alt, table)


@styled
def channel_chart(
    name: str, mix: pd.DataFrame, tr: Translator, title: str, labels: dict[str, str], svg: bool = True
) -> Chart:
    """Draw the share of revenue per order channel and week as stacked bars."""
    channels = list(labels)
    shares = [f"share_{c}" for c in channels]
    data = _numeric(mix, ["week", "revenue", *shares], ["revenue", *shares])
    data = data[data["week"].notna()].astype({"week": str}).reset_index(drop=True)
    columns: dict[str, tuple[str, Callable[[Any], str]]] = {"chart.col.week": ("week", str)}
    columns.update({f"mgr.channel.{c}": (f"share_{c}", tr.percent) for c in channels})
    columns["chart.revenue"] = ("revenue", tr.money)
    table = _table(tr, data, columns)
    if data["revenue"].fillna(0).sum() == 0:
        return _no_data_chart(name, tr, title, data["week"], table, svg)
    latest = data.iloc[-1]
    parts = ", ".join(
        f"{labels[c]} {tr.percent(latest[f'share_{c}'])}"
        for c in channels
        if not pd.isna(latest[f"share_{c}"]) and latest[f"share_{c}"] > 0
    )
    alt = tr(
        "mgr.chart.channel_alt", title=title, week=tr.period(latest["week"], long=False), parts=parts or "–"
    )
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure()
    x = np.arange(len(data))
    bottom = np.zeros(len(data))
    for channel, color in zip(channels, CHANNEL_COLORS, strict=False):
        values = data[f"share_{channel}"].fillna(0).to_numpy()
        bars(ax, x, values, 0.7, color, start=bottom)
        bottom = bottom + values
    week_axis(ax, data["week"])
    percent_axis(ax, tr, pd.Series([0.0, 1.0]))
    legend(ax, [Patch(color=c, label=labels[k]) for k, c in zip(channels, CHANNEL_COLORS, strict=False)])
    return _chart(name, fig, alt, table)


@styled
def pipeline_chart(name: str, stages: pd.DataFrame, tr: Translator, title: str, svg: bool = True) -> Chart:
    """Draw open prospects per stage apart from the closed ones (won, lost), with their value."""
    data = _numeric(stages, ["label", "group", "count", "value"], ["count", "value"])
    data = data[data["label"].notna()].reset_index(drop=True)
    data["group_label"] = [tr(f"mgr.pipeline.{g}") for g in data["group"]]
    table = _table(
        tr,
        data,
        {
            "mgr.col.group": ("group_label", str),
            "chart.col.stage": ("label", str),
            "chart.col.prospects": ("count", tr.number),
            "chart.col.expected_value": ("value", tr.money),
        },
    )
    if data["count"].fillna(0).sum() == 0:
        return _no_data_chart(name, tr, title, None, table, svg, rows=len(data) + 1)
    open_ = data[data["group"] == "open"]
    alt = tr(
        "mgr.chart.pipeline_alt",
        title=title,
        open=tr.number(open_["count"].sum()),
        value=tr.money_compact(open_["value"].sum()),
        won=tr.number(data.loc[data["group"] == "closed", "count"].iloc[0]),
        lost=tr.number(data.loc[data["group"] == "closed", "count"].iloc[-1]),
    )
    if not svg:
        return Chart(name, b"", alt, table)
    fig, ax = figure(rows=len(data) + 1)
    # a gap row between the open pipeline and the closed prospects
    y = np.array([i + (1 if g == "closed" else 0) for i, g in enumerate(data["group"])], dtype=float)
    colors = [
        BLUE if g == "open" else GREEN if i == "won" else VERMILLION
        for g, i in zip(data["group"], stages["stage"], strict=True)
    ]
    bars(ax, y, data["count"].fillna(0), 0.62, colors, horizontal=True)
    for position, count, value in zip(y, data["count"], data["value"], strict=True):
        ax.annotate(
            f"{tr.number(count)} · {tr.money_compact(value)}",
            (count, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    category_axis(ax, y, data["label"])
    ax.set_xlim(0, max(data["count"].max(), 1) * 1.45)
    ax.set_xticks([])  # the bars carry their counts
    legend(
        ax,
        [
            Patch(color=BLUE, label=tr("mgr.pipeline.open")),
            Patch(color=GREEN, label=tr("mgr.stage.won")),
            Patch(color=VERMILLION, label=tr("mgr.stage.lost")),
        ],
    )
    return _chart(name, fig, alt, table)
