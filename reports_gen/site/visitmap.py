"""A light, offline map of a rep's outlets in D's week (issue 13, point 8): a hand-built SVG of
points from lat/lon (no tiles, no script), visited vs missed vs not planned, with a text
alternative and the counts beside it. Built column-wise for every book page at once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports_gen.i18n import Translator
from reports_gen.site.htmlparts import esc

WIDTH, HEIGHT, PAD = 600, 320, 16
MARKS = {
    "visited": '<circle cx="{x}" cy="{y}" r="6" class="mgr-map-v"><title>{t}</title></circle>',
    "missed": (
        '<path d="M{x0} {y0}L{x1} {y1}M{x0} {y1}L{x1} {y0}" class="mgr-map-m"><title>{t}</title></path>'
    ),
    "not_planned": '<circle cx="{x}" cy="{y}" r="3" class="mgr-map-n"><title>{t}</title></circle>',
}
ORDER = {"not_planned": 0, "visited": 1, "missed": 2}  # the misses drawn last, on top


def render_maps(points: pd.DataFrame, pages: pd.Series, tr: Translator, week: str) -> dict[str, str]:
    """Return book page -> an HTML figure with the SVG map of its outlets (pages with points only)."""
    if points.empty:
        return {}
    df = points.assign(page=pages.reindex(points["outlet_id"]).to_numpy()).dropna(subset=["page"])
    by_page = df.groupby("page")
    lat0, lat1 = by_page["lat"].transform("min"), by_page["lat"].transform("max")
    lon0, lon1 = by_page["lon"].transform("min"), by_page["lon"].transform("max")
    squeeze = np.cos(np.radians((lat0 + lat1) / 2))  # equirectangular: a degree of lon is shorter
    span_x = ((lon1 - lon0) * squeeze).clip(lower=1e-6)
    span_y = (lat1 - lat0).clip(lower=1e-6)
    scale = np.minimum((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    x = PAD + ((WIDTH - 2 * PAD) - span_x * scale) / 2 + (df["lon"] - lon0) * squeeze * scale
    y = PAD + ((HEIGHT - 2 * PAD) - span_y * scale) / 2 + (lat1 - df["lat"]) * scale
    xs, ys = x.round(1).astype(str), y.round(1).astype(str)
    label = df["name"].map(esc) + " (" + df["outlet_id"].map(esc) + ")"
    marks = pd.Series("", index=df.index)
    for status, template in MARKS.items():
        mine = df["status"] == status
        if status == "missed":
            marks[mine] = [
                template.format(
                    x0=round(a - 5, 1), y0=round(b - 5, 1), x1=round(a + 5, 1), y1=round(b + 5, 1), t=t
                )
                for a, b, t in zip(x[mine], y[mine], label[mine], strict=True)
            ]
        else:
            marks[mine] = [
                template.format(x=a, y=b, t=t)
                for a, b, t in zip(xs[mine], ys[mine], label[mine], strict=True)
            ]
    df = df.assign(mark=marks, _o=df["status"].map(ORDER)).sort_values(["page", "_o"], kind="stable")
    drawn = df.groupby("page", sort=False)["mark"].sum()
    counts = (
        df.groupby(["page", "status"]).size().unstack(fill_value=0).reindex(columns=list(ORDER), fill_value=0)
    )
    out = {}
    name = tr.period(week, long=False)
    for page, svg in drawn.items():
        n = counts.loc[page]
        alt = tr(
            "mgr.map.alt",
            week=name,
            visited=n["visited"],
            missed=n["missed"],
            not_planned=n["not_planned"],
        )
        legend = (
            f'<span class="mgr-map-key mgr-map-kv">●</span> {tr("mgr.map.visited")} {n["visited"]} · '
            f'<span class="mgr-map-key mgr-map-km">✕</span> {tr("mgr.map.missed")} {n["missed"]} · '
            f'<span class="mgr-map-key mgr-map-kn">•</span> {tr("mgr.map.not_planned")} {n["not_planned"]}'
        )
        out[page] = (
            f'<figure class="mgr-map"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="mgr-map-desc"><desc id="mgr-map-desc">{esc(alt)}</desc>{svg}</svg>'
            f"<figcaption>{tr('mgr.map.title', week=name)}: {legend}</figcaption></figure>"
        )
    return out
