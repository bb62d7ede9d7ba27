"""Outlet books: every outlet's history at its own address, `outlets/<rep>/index.md#<outlet_id>`.

One book per responsible rep (split into parts of OUTLETS_PER_PAGE outlets), each outlet a
section with its anchor: who covers it, visit frequency, last visit and days since, overdue,
and its last 13 weeks week by week (every visit with outcome, order and no-order reason, and
the week's revenue). Pages are built column-wise (no per-visit Python loop) as HTML blocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports_gen.metrics.insights import OutletHistory
from reports_gen.site import urls
from reports_gen.site.htmlparts import Formats, Links, esc

# About 3 KB of HTML per outlet: 100 keep a book page under 400 KB (issue 14); a rep with more
# outlets gets parts of equal size (87 on the large demo company: one page each).
OUTLETS_PER_PAGE = 100


def book_pages(outlets: pd.DataFrame) -> pd.Series:
    """Return outlet_id -> docs-root page of its book (`outlets/<rep>/index.md`, then `2.md`...)."""
    ordered = outlets.sort_values(["rep_id", "outlet_id"], kind="stable")
    count = ordered.groupby("rep_id")["outlet_id"].transform("size")
    size = np.ceil(count / np.ceil(count / OUTLETS_PER_PAGE)).astype(int)
    part = ordered.groupby("rep_id").cumcount() // size + 1
    page = "outlets/" + ordered["rep_id"] + "/" + part.map(lambda n: "index.md" if n == 1 else f"{n}.md")
    return pd.Series(page.to_numpy(), index=ordered["outlet_id"].to_numpy())


def outlet_target(pages: pd.Series, outlet_id: str) -> str:
    """Return the docs-root address of an outlet: its book page and anchor."""
    return f"{pages[outlet_id]}#{outlet_id}"


def render_books(
    history: OutletHistory, pages: pd.Series, names: dict[str, str], fmt: Formats, links: Links
) -> dict[str, str]:
    """Return book page -> the HTML block of its outlets' sections."""
    tr = fmt.tr
    weeks = _week_rows(history, fmt)
    s = history.summary.loc[pages.index]
    page = pd.Series(pages.to_numpy(), index=pages.index)
    rep_link = pd.Series(
        [
            links.a(esc(names.get(r, r)), urls.person_page(r), p)
            for r, p in zip(s["rep_id"], page, strict=True)
        ],
        index=s.index,
    )
    last = s["last_visit"].map(lambda d: tr.date(d.date()) if pd.notna(d) else tr("mgr.outlet.never"))
    since = s["days_since"].map(
        lambda d: "" if pd.isna(d) else " · " + tr("mgr.outlet.days_ago", days=int(d))
    )
    overdue = s["overdue"].map(
        lambda o: f' <span class="mgr-flag">⚠ {tr("mgr.outlet.overdue")}</span>' if o else ""
    )
    kind = s["type"].map(lambda t: tr(f"mgr.type.{t}"))
    per_week = s["visits_per_week"].map(
        lambda v: tr("mgr.outlet.per_week", n=fmt.number(v, 0 if v == int(v) else 1))
    )
    figures = (
        tr("mgr.outlet.visits", n="")
        + s["visits"].map(fmt.number)
        + " · "
        + tr("mgr.outlet.orders", n="")
        + s["orders"].map(fmt.number)
        + " · "
        + tr("mgr.outlet.revenue", n="")
        + s["revenue"].map(fmt.money)
        + " · "
        + tr("mgr.outlet.drop_size", n="")
        + s["drop_size"].map(lambda v: "–" if pd.isna(v) else fmt.money(v))
    )
    head = (
        '<section class="mgr-outlet" id="'
        + s.index.map(esc)
        + '"><h2>'
        + s["name"].map(esc)
        + " <small>"
        + s.index.map(esc)
        + "</small>"
        + overdue
        + "</h2>"
        + '<p class="mgr-meta">'
        + kind
        + " · "
        + s["area"].map(esc)
        + " · "
        + tr("mgr.outlet.covered_by")
        + " "
        + rep_link
        + " · "
        + per_week
        + "</p>"
        + '<p class="mgr-meta">'
        + tr("mgr.outlet.last_visit")
        + ": "
        + last
        + since
        + "</p>"
        + '<p class="mgr-meta">'
        + tr("mgr.outlet.last_weeks", n=len(history.weeks))
        + ": "
        + figures
        + "</p>"
    )
    body = weeks.reindex(s.index).fillna("")
    caption = tr("mgr.outlet.caption")
    header = (
        f'<table class="mgr-table mgr-visits"><caption class="mgr-sr">{caption}</caption><thead><tr>'
        f'<th scope="col">{tr("mgr.col.week")}</th><th scope="col">{tr("mgr.col.visits")}</th>'
        f'<th scope="col" class="mgr-num">{tr("mgr.col.week_revenue")}</th></tr></thead><tbody>'
    )
    sections = head + header + body + "</tbody></table></section>\n"
    joined = sections.groupby(page.reindex(s.index).to_numpy(), sort=False).sum()  # cython string sum
    return {p: f'<div class="mgr-book">\n{text}</div>' for p, text in joined.items()}


def _week_rows(history: OutletHistory, fmt: Formats) -> pd.Series:
    """Return outlet_id -> the `<tr>` rows of its history weeks, newest first, built column-wise."""
    tr = fmt.tr
    v = history.visits
    outcome = v["outcome"].map(
        {
            "visited": "✓ " + tr("mgr.outcome.visited"),
            "unplanned": "✓ " + tr("mgr.outcome.unplanned"),
            "missed": "✗ " + tr("mgr.outcome.missed"),
            "pending": "? " + tr("mgr.outcome.pending"),
        }
    )
    order = v["order_value"].map(lambda x: fmt.money(x) if x > 0 else "")
    reason = v["no_order_reason"].map(esc)
    visited = v["outcome"].isin(["visited", "unplanned"])
    detail = order.where(v["order_value"] > 0, reason.where(visited & (reason != ""), ""))
    weekday = v["date"].dt.day_of_week.map({i: tr(f"mgr.weekday.{i}") for i in range(7)})
    day = weekday + " " + v["date"].dt.day.astype(str) + "/" + v["date"].dt.month.astype(str)
    item = "<li>" + day + " " + outcome + detail.map(lambda t: f" · {t}" if t else "") + "</li>"
    visits = item.groupby([v["outlet_id"], v["week"]]).sum()
    grid = pd.MultiIndex.from_product(
        [history.summary.index, list(history.weeks)], names=["outlet_id", "week"]
    )
    revenue = history.weekly.set_index(["outlet_id", "week"])["revenue"].reindex(grid).fillna(0)
    cells = visits.reindex(grid).fillna("")
    rows = (
        '<tr><th scope="row">'
        + grid.get_level_values("week").str.slice(5)
        + "</th><td>"
        + cells.map(lambda c: f'<ul class="mgr-inline">{c}</ul>' if c else "–").to_numpy()
        + '</td><td class="mgr-num">'
        + revenue.map(fmt.money).to_numpy()
        + "</td></tr>"
    )
    rows = pd.Series(rows, index=grid)
    newest_first = rows.iloc[::-1]
    return newest_first.groupby(level="outlet_id", sort=False).sum()
