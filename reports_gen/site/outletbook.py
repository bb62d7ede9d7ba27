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
from reports_gen.site.htmlparts import Formats, Links, each, esc

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


def book_part(page: str) -> int:
    """Return the part number of a book page: 1 for `index.md`, n for `n.md`."""
    name = page.rsplit("/", 1)[-1]
    return 1 if name == "index.md" else int(name.removesuffix(".md"))


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
    page = pages.to_numpy()
    rep_link = np.array(
        [
            links.a(esc(names.get(r, r)), urls.person_page(r), p)
            for r, p in zip(s["rep_id"].to_numpy(dtype=object), page, strict=True)
        ],
        dtype=object,
    )
    last = each(s["last_visit"], lambda d: tr.date(d.date()) if pd.notna(d) else tr("mgr.outlet.never"))
    since = each(
        s["days_since"], lambda d: "" if pd.isna(d) else " · " + tr("mgr.outlet.days_ago", days=int(d))
    )
    # An entity, not the sign itself: the books stay one byte a character in memory (they are large).
    flag = f' <span class="mgr-flag">&#9888; {tr("mgr.outlet.overdue")}</span>'
    overdue = np.where(s["overdue"].to_numpy(dtype=bool), flag, "").astype(object)
    kind = each(s["type"], lambda t: tr(f"mgr.type.{t}"))
    per_week = each(
        s["visits_per_week"], lambda v: tr("mgr.outlet.per_week", n=fmt.number(v, 0 if v == int(v) else 1))
    )
    drop = s["drop_size"].to_numpy(dtype=float)
    drop_text = np.full(len(s), "&#8211;", dtype=object)  # "–": entities keep the books one byte a character
    drop_text[~np.isnan(drop)] = fmt.money_each(drop[~np.isnan(drop)])
    figures = (
        tr("mgr.outlet.visits", n="")
        + fmt.number_each(s["visits"])
        + " · "
        + tr("mgr.outlet.orders", n="")
        + fmt.number_each(s["orders"])
        + " · "
        + tr("mgr.outlet.revenue", n="")
        + fmt.money_each(s["revenue"])
        + " · "
        + tr("mgr.outlet.drop_size", n="")
        + drop_text
    )
    ids = each(s.index, esc)
    head = (
        '<section class="mgr-outlet" id="'
        + ids
        + '"><h2>'
        + each(s["name"], esc)
        + " <small>"
        + ids
        + "</small>"
        + overdue
        + "</h2>"
        + '<p class="mgr-meta">'
        + kind
        + " · "
        + each(s["area"], esc)
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
    body = weeks.reindex(s.index).fillna("").to_numpy(dtype=object)
    caption = tr("mgr.outlet.caption")
    header = (
        f'<table class="mgr-table mgr-visits"><caption class="mgr-sr">{caption}</caption><thead><tr>'
        f'<th scope="col">{tr("mgr.col.week")}</th><th scope="col">{tr("mgr.col.visits")}</th>'
        f'<th scope="col" class="mgr-num">{tr("mgr.col.week_revenue")}</th></tr></thead><tbody>'
    )
    sections = head + header + body + "</tbody></table></section>\n"
    out: dict[str, list[str]] = {}
    for p, text in zip(page, sections, strict=True):  # pages in their first outlet's order
        out.setdefault(p, []).append(text)
    return {p: '<div class="mgr-book">\n' + "".join(texts) + "</div>" for p, texts in out.items()}


def _week_rows(history: OutletHistory, fmt: Formats) -> pd.Series:
    """Return outlet_id -> the `<tr>` rows of its history weeks, newest first, built column-wise."""
    outlets, weeks = history.summary.index, list(history.weeks)
    cells = _visit_lists(history, fmt).reshape(len(outlets), len(weeks))
    listed = cells != ""
    # each outlet x history week's revenue, 0 where it has none (the weekly rows put on a grid)
    weekly = history.weekly
    week_at = pd.Index(weeks).get_indexer(weekly["week"])
    at = _cell(outlets.get_indexer(weekly["outlet_id"]), week_at, len(weeks))
    revenue = np.zeros(len(outlets) * len(weeks))
    revenue[at[at >= 0]] = weekly["revenue"].to_numpy(dtype=float)[at >= 0]
    revenue[np.isnan(revenue)] = 0  # as fillna(0)
    heads = np.array(
        [
            [
                f'<tr><th scope="row">{w[5:]}</th><td>&#8211;',
                f'<tr><th scope="row">{w[5:]}</th><td><ul class="mgr-inline">',
            ]
            for w in weeks
        ],
        dtype=object,
    ).reshape(len(weeks), 2)
    tails = np.array(['</td><td class="mgr-num">', '</ul></td><td class="mgr-num">'], dtype=object)
    column = np.arange(len(weeks))
    pieces = np.stack(
        [
            heads[column, listed.astype(int)],
            cells,
            tails[listed.astype(int)],
            fmt.money_each(revenue).reshape(len(outlets), len(weeks)),
            np.full(cells.shape, "</td></tr>", dtype=object),
        ],
        axis=2,
    )[:, ::-1]  # newest week first
    rows = ["".join(r) for r in pieces.reshape(len(outlets), -1).tolist()]
    return pd.Series(rows, index=outlets, dtype=object)


def _visit_lists(history: OutletHistory, fmt: Formats) -> np.ndarray:
    """Return the `<li>` items of each outlet x history week (outlet-major), in visit order."""
    tr = fmt.tr
    v = history.visits
    words = {
        "visited": "&#10003; " + tr("mgr.outcome.visited"),  # ✓
        "unplanned": "&#10003; " + tr("mgr.outcome.unplanned"),
        "missed": "&#10007; " + tr("mgr.outcome.missed"),  # ✗
        "pending": "? " + tr("mgr.outcome.pending"),
    }
    # "<li>weekday d/m outcome" once per distinct date and outcome
    days, day_values = pd.factorize(v["date"], use_na_sentinel=False)
    outcomes, outcome_values = pd.factorize(v["outcome"].to_numpy(dtype=object), use_na_sentinel=False)
    openers = np.array(
        [
            [
                f"<li>{tr(f'mgr.weekday.{d.day_of_week}')} {d.day}/{d.month} {words.get(str(o), '')}"
                for o in outcome_values
            ]
            for d in day_values
        ],
        dtype=object,
    ).reshape(len(day_values), len(outcome_values))
    # " · order value" or " · no-order reason" (for a visit) and the closing tag
    value = v["order_value"].to_numpy(dtype=float)
    ordered = value > 0
    closers = each(v["no_order_reason"], lambda r: f" · {esc(r)}</li>" if esc(r) else "</li>")
    closers[~np.isin(outcome_values.astype(object), ["visited", "unplanned"])[outcomes]] = "</li>"
    closers[ordered] = " · " + fmt.money_each(value[ordered]) + "</li>"
    items = openers[days, outcomes] + closers
    # each visit's cell of the outlet x week grid; the items of a cell joined in visit order
    outlet = history.summary.index.get_indexer(v["outlet_id"])
    cell = _cell(outlet, pd.Index(list(history.weeks)).get_indexer(v["week"]), len(history.weeks))
    out = np.full(len(history.summary) * len(history.weeks), "", dtype=object)
    cell, items = cell[cell >= 0], items[cell >= 0]
    if len(cell):
        order = np.argsort(cell, kind="stable")
        cell, items = cell[order], items[order]
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        out[cell[starts]] = np.add.reduceat(items, starts)
    return out


def _cell(outlet: np.ndarray, week: np.ndarray, weeks: int) -> np.ndarray:
    """Each row's cell of the outlet x history week grid (outlet-major), -1 outside it."""
    return np.where((outlet >= 0) & (week >= 0), outlet * weeks + week, -1)
