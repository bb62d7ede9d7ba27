"""Page builders of the manager pages: each returns a Page (template + context) from a Manager.

This module has the insights hub, the outlets index and books, and the rankings; the no-order
reasons and channels are in managerreasons, the comparisons in managercompare and the open
pipeline in managerpipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from reports_gen.metrics import insights
from reports_gen.site import urls
from reports_gen.site.htmlparts import Cell, each, esc, html_table, sort_key
from reports_gen.site.managerpages import Manager, abbr, cell_money, cell_number, period_label
from reports_gen.site.markdown import link, md
from reports_gen.site.outletbook import render_books
from reports_gen.site.pageparts import Page
from reports_gen.site.visitmap import render_maps

# -- hub -----------------------------------------------------------------------------------------


def hub_page(m: Manager) -> Page:
    """The insights tab: what each manager page answers, with links."""
    path = "insights/index.md"
    items = [
        ("rankings/index.md", "rankings"),
        ("comparisons.md", "comparisons"),
        ("reasons/index.md", "reasons"),
        ("pipeline.md", "pipeline"),
        ("outlets/index.md", "outlets"),
    ]
    tr = m.view.tr
    entries = [{"link": link(tr(f"mgr.{k}.title"), p, path), "text": tr(f"mgr.hub.{k}")} for p, k in items]
    return Page(path, "mgr_hub.md.j2", {"entries": entries}, title=tr("mgr.hub.title"))


# -- outlets -------------------------------------------------------------------------------------


def outlets_index(m: Manager) -> Page:
    """The outlets index: per team and rep, the outlets, their visits and revenue, and the books."""
    view, tr = m.view, m.view.tr
    summary = m.history.summary
    per_rep = summary.groupby("rep_id").agg(
        outlets=("name", "size"),
        overdue=("overdue", "sum"),
        visits=("visits", "sum"),
        revenue=("revenue", "sum"),
    )
    path = "outlets/index.md"
    sections = []
    for team_id, team in view.teams.items():
        rows = []
        for person in view.ds.org.members(team_id):
            if person.id not in per_rep.index:
                continue
            r = per_rep.loc[person.id]
            pages = m.book_siblings.get(person.id, [])
            book_links = " ".join(
                m.links.a(
                    tr("mgr.outlets.part", n=i + 1) if len(pages) > 1 else tr("mgr.outlets.open_book"),
                    p,
                    path,
                )
                for i, p in enumerate(pages)
            )
            rows.append(
                [
                    Cell(m.person(person.id, path), esc(person.name)),
                    cell_number(m, r["outlets"]),
                    cell_number(m, r["overdue"]),
                    cell_number(m, r["visits"]),
                    cell_money(m, r["revenue"]),
                    Cell(book_links),
                ]
            )
        if rows:
            headers = [
                tr("mgr.col.person"),
                tr("mgr.col.outlets"),
                tr("mgr.col.overdue"),
                tr("mgr.col.visits_13"),
                tr("mgr.col.revenue_13"),
                tr("mgr.col.book"),
            ]
            sections.append({"name": md(team.name), "table": html_table(headers, rows, numeric=(1, 2, 3, 4))})
    return Page(
        path,
        "mgr_outlets.md.j2",
        {"sections": sections, "weeks": len(m.history.weeks)},
        title=tr("mgr.outlets.title"),
    )


def outlet_books(m: Manager, part: int) -> Iterator[Page]:
    """The outlet books of one of the runs of reps (`Manager.book_runs`), so that the books are
    made a part at a time (on both cores, and without every book's HTML in memory at once)."""
    view, tr = m.view, m.view.tr
    books = m.book_runs[part]
    if books.empty:
        return
    names = {p: v.name for p, v in view.people.items()}
    html = render_books(m.history.of(books.index), books, names, m.fmt, m.links)
    parts_of = books.groupby(books.to_numpy()).size()
    siblings_of = m.book_siblings
    path = "outlets/index.md"
    maps = render_maps(m.visit_map, books, tr, view.latest)
    for page, block in html.items():
        rep = page.split("/")[1]
        owner = view.people.get(rep)
        name = owner.name if owner else rep
        siblings = siblings_of.get(rep, [])
        nav = (
            " · ".join(
                (f"**{i + 1}**" if p == page else link(str(i + 1), p, page)) for i, p in enumerate(siblings)
            )
            if len(siblings) > 1
            else ""
        )
        count = int(parts_of[page])
        yield Page(
            page,
            "mgr_book.md.j2",
            {
                "name": md(name),
                "person": link(md(name), urls.person_page(rep), page),
                "count": count,
                "nav": nav,
                "block": block,
                "map": maps.get(page, ""),
                "back": link(tr("mgr.outlets.title"), path, page),
            },
            title=tr("mgr.book.title", name=name),
            searchable=False,
        )


# -- rankings ------------------------------------------------------------------------------------


def ranking_pages(m: Manager) -> Iterator[Page]:
    """A ranking page per week and per month, and an index with the latest of each."""
    view, tr = m.view, m.view.tr
    metrics = view.metrics
    weeks = insights.rank_people(insights.person_weeks(metrics), metrics.people)
    weeks = weeks[weeks["period"].isin(view.weeks)].reset_index(drop=True)
    months = insights.rank_people(insights.person_months(metrics), metrics.people).reset_index(drop=True)
    figures = {"week": _ranking_cells(m, weeks), "month": _ranking_cells(m, months)}
    week_list = list(dict.fromkeys(weeks["period"]))
    month_list = list(dict.fromkeys(months["period"]))
    # The period pages share a folder and depth, so their links to a person or team read alike:
    # each person's and team's cells are made once for all of them.
    who: _Who = {}
    for kind, frame, codes in (("week", weeks, week_list), ("month", months, month_list)):
        for code, rows in frame.groupby("period", sort=False):
            path = f"rankings/{code}.md"
            before = codes[codes.index(code) - 1] if codes.index(code) else None
            yield Page(
                path,
                "mgr_ranking.md.j2",
                {
                    "title": tr(f"mgr.rankings.{kind}_title", period=period_label(m, code)),
                    "lead": tr("mgr.rankings.lead_change", before=period_label(m, before))
                    if before
                    else tr("mgr.rankings.lead_first"),
                    "table": _ranking_table(m, rows, path, figures[kind], who),
                    "back": link(tr("mgr.rankings.title"), "rankings/index.md", path),
                },
                title=tr(f"mgr.rankings.{kind}_title", period=period_label(m, code)),
                searchable=False,  # a table of names and figures: noise in the search index
            )
    path = "rankings/index.md"
    latest = weeks[weeks["period"] == week_list[-1]] if week_list else weeks
    yield Page(
        path,
        "mgr_rankings.md.j2",
        {
            "latest": period_label(m, week_list[-1]) if week_list else "",
            "table": _ranking_table(m, latest, path, figures["week"], {}),
            "weeks": [link(w, f"rankings/{w}.md", path) for w in reversed(week_list)],
            "months": [link(period_label(m, c), f"rankings/{c}.md", path) for c in reversed(month_list)],
        },
        title=tr("mgr.rankings.title"),
    )


def _ranking_cells(m: Manager, frame: pd.DataFrame) -> list[list[Cell]]:
    """Each row's rank, rank change and figure cells (by position), every column formatted at once."""
    fmts = {
        "attainment": m.fmt.percent_each,
        "ec_ratio": m.fmt.percent_each,
        "pjp_rate": m.fmt.percent_each,
        "revenue": m.fmt.money_each,
    }
    rank = frame["rank_attainment"]
    columns = [
        [Cell(t, k) for t, k in zip(each(rank, _rank), each(-rank, sort_key), strict=True)],
        [
            Cell(t, k)
            for t, k in zip(
                each(frame["change_attainment"], m.fmt.change),
                each(frame["change_attainment"], sort_key),
                strict=True,
            )
        ],
    ]
    for metric in insights.RANKED:
        value = frame[metric]
        text = pd.Series(fmts[metric](value), dtype=object).where(value.notna().to_numpy(), "–")
        if metric != "attainment":
            place, change = (
                each(frame[f"rank_{metric}"], _rank),
                each(frame[f"change_{metric}"], m.fmt.change),
            )
            text = text + ' <small class="mgr-rank">' + place + " " + change + "</small>"
        columns.append([Cell(t, k) for t, k in zip(text, each(value, sort_key), strict=True)])
    return [list(r) for r in zip(*columns, strict=True)] if len(frame) else []


_Who = dict[tuple[str, str], tuple[Cell, Cell]]  # (person, team) -> their cells on pages of one folder


def _ranking_table(m: Manager, rows: pd.DataFrame, path: str, figures: list[list[Cell]], who: _Who) -> str:
    """A ranking table; `who`: each person's and team's cells, kept for pages of the same folder."""
    tr = m.view.tr
    body = []
    for at, pid, team in zip(rows.index, rows["person_id"], rows["team"], strict=True):
        rank, change, *cells = figures[at]
        found = who.get((pid, team))
        if found is None:
            person = Cell(m.person(pid, path), esc(m.view.people[pid].name))
            found = who[(pid, team)] = (person, Cell(m.team(team, path)))
        person, team_cell = found
        body.append([person, rank, change, team_cell, *cells])
    headers = [
        tr("mgr.col.person"),
        tr("mgr.col.rank"),
        abbr(m, "rank_change"),
        tr("mgr.col.team"),
        tr("mgr.col.attainment"),
        abbr(m, "ec_ratio"),
        abbr(m, "pjp_rate"),
        tr("mgr.col.revenue"),
    ]
    return html_table(headers, body, numeric=(1, 2, 4, 5, 6, 7), caption=tr("mgr.rankings.caption"))


def _rank(value: float) -> str:
    return "–" if pd.isna(value) else f"#{int(value)}"


# -- targets in depth and downloads --------------------------------------------------------------


def breakdown_section(m: Manager, period: str, path: str) -> str:
    """Return a target period's breakdown: company by team, each team by person, and by sub-period."""
    from reports_gen.site.managertargets import breakdown_markdown

    return breakdown_markdown(m, period, path)


def downloads_list(m: Manager) -> str:
    """Return the Markdown list of the digest files and the Atom feed on the Downloads page."""
    from reports_gen.site.digest import digest_files_index

    return digest_files_index(m.view)
