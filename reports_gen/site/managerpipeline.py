"""The open pipeline pages: open prospects apart from won/lost, per team and owner, with the
prospects to reassign, from a Manager."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from reports_gen.metrics import insights
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.htmlparts import Cell, each, esc, html_table
from reports_gen.site.managerpages import Manager, cell_money, cell_number, money_cells, number_cells
from reports_gen.site.markdown import link, md
from reports_gen.site.pageparts import Page


def pipeline_pages(m: Manager, book: ChartBook) -> Iterator[Page]:
    """The open pipeline apart from won/lost, per team, and prospects to reassign; a page per
    team with each owner's open prospects (age, idle days, expected value)."""
    view, tr = m.view, m.view.tr
    path = "pipeline.md"
    stages = insights.funnel(view.ds, view.metrics)
    stages["label"] = [tr(f"mgr.stage.{s}") for s in stages["stage"]]
    chart = book.add("mgr-pipeline", "pipeline_chart", stages, title=tr("mgr.pipeline.chart"))
    open_ = insights.open_pipeline(view.ds, view.metrics)
    cells = _open_cells(m, open_)
    open_ = open_.assign(_at=range(len(open_)))  # each prospect's row of `cells`
    teams = open_.groupby("team", sort=False).agg(
        count=("stage", "size"),
        value=("expected_value", "sum"),
        stale=("stale", "sum"),
        left=("owner_left", "sum"),
    )
    summary = [
        [
            Cell(m.links.a(esc(team.name), f"pipeline/{team_id}.md", path), esc(team.name)),
            cell_number(m, teams.at[team_id, "count"]),
            cell_money(m, teams.at[team_id, "value"]),
            cell_number(m, teams.at[team_id, "stale"]),
            cell_number(m, teams.at[team_id, "left"]),
        ]
        for team_id, team in view.teams.items()
        if team_id in teams.index
    ]
    headers = [
        tr("mgr.col.team"),
        tr("mgr.col.open"),
        tr("mgr.col.expected_value"),
        tr("mgr.col.stale"),
        tr("mgr.col.to_reassign"),
    ]
    reassign = open_[open_["owner_left"]]
    yield Page(
        path,
        "mgr_pipeline.md.j2",
        {
            "chart": chart,
            "teams": html_table(headers, summary, numeric=(1, 2, 3, 4)),
            "reassign": _open_table(
                m, reassign["_at"].tolist(), cells, owners=reassign["owner_id"].tolist(), path=path
            )
            if len(reassign)
            else "",
            "open_count": m.fmt.number(len(open_)),
            "open_value": m.fmt.money(open_["expected_value"].sum()),
            "stale_days": view.ds.config.thresholds.stale_prospect_days,
        },
        title=tr("mgr.pipeline.title"),
    )
    # every team's owners at once (each team's owners sorted, their prospects in the list's order)
    per_owner = open_.groupby(["team", "owner_id"], sort=True)
    owners = per_owner.agg(
        count=("stage", "size"),
        value=("expected_value", "sum"),
        stale=("stale", "sum"),
        left=("owner_left", "any"),
    )
    groups = per_owner.indices if len(open_) else {}
    left = open_["owner_left"].to_numpy()
    listed = set(owners.index.get_level_values("team"))
    for team_id in dict.fromkeys(open_["team"].tolist()):  # teams in order of first appearance
        if team_id in view.teams:
            mine = owners.loc[team_id] if team_id in listed else owners.droplevel("team").iloc[:0]
            yield _pipeline_team(m, team_id, mine, groups, left, cells)


def _pipeline_team(
    m: Manager,
    team_id: str,
    owners: pd.DataFrame,
    groups: dict[tuple[str, str], np.ndarray],
    left: np.ndarray,
    cells: list[list[Cell]],
) -> Page:
    """A team's page: `owners` its owners' figures, `groups` each (team, owner)'s rows of `cells`."""
    view, tr = m.view, m.view.tr
    path = f"pipeline/{team_id}.md"
    flag = f' <span class="mgr-flag">⚠ {tr("mgr.pipeline.left")}</span>'
    summary = [
        [
            Cell(
                m.person(o, path) + (flag if r.left else ""),
                esc(view.people[o].name if o in view.people else o),
            ),
            cell_number(m, r.count),
            cell_money(m, r.value),
            cell_number(m, r.stale),
        ]
        for o, r in zip(owners.index, owners.itertuples(index=False), strict=True)
    ]
    headers = [tr("mgr.col.owner"), tr("mgr.col.open"), tr("mgr.col.expected_value"), tr("mgr.col.stale")]
    # each owner's prospects by position (owners in the summary's sorted order)
    lists = [
        {
            "name": view.person_name(owner),
            "left": bool(left[groups[(team_id, owner)]].any()),
            "table": _open_table(m, groups[(team_id, owner)].tolist(), cells),
        }
        for owner in owners.index
    ]
    team = view.teams[team_id]
    return Page(
        path,
        "mgr_pipeline_team.md.j2",
        {
            "name": md(team.name),
            "owners": html_table(headers, summary, numeric=(1, 2, 3)),
            "lists": lists,
            "stale_days": view.ds.config.thresholds.stale_prospect_days,
            "back": link(tr("mgr.pipeline.title"), "pipeline.md", path),
        },
        title=tr("mgr.pipeline.team_title", name=team.name),
        searchable=False,
    )


def _open_cells(m: Manager, rows: pd.DataFrame) -> list[list[Cell]]:
    """Each open prospect's cells but its owner's: every column formatted at once."""
    tr = m.view.tr
    stale, reassign = tr("mgr.pipeline.stale"), tr("mgr.pipeline.reassign")
    flags = np.where(rows["stale"].to_numpy(dtype=bool), stale, "").astype(object)
    left = rows["owner_left"].to_numpy(dtype=bool)
    flags[left] = np.where(flags[left] != "", flags[left] + " · " + reassign, reassign)
    names = each(rows["name"], esc)
    columns = [
        [Cell(f"{n} <small>{pid}</small>", n) for n, pid in zip(names, each(rows.index, esc), strict=True)],
        [Cell(t) for t in each(rows["stage"], lambda s: tr(f"mgr.stage.{s}"))],
        number_cells(m, rows["age_days"]),
        number_cells(m, rows["idle_days"]),
        money_cells(m, rows["expected_value"]),
        [Cell(f) for f in flags],
    ]
    return [list(r) for r in zip(*columns, strict=True)]


def _open_table(
    m: Manager, rows: list[int], cells: list[list[Cell]], owners: list[str] | None = None, path: str = ""
) -> str:
    """The open prospects at `rows` of `cells`, with an owner column when `owners` are given."""
    tr = m.view.tr
    with_owner = owners is not None
    body = []
    for i, at in enumerate(rows):
        name, *rest = cells[at]
        body.append([name, Cell(m.person(owners[i], path)), *rest] if owners is not None else cells[at])
    headers = [tr("mgr.col.prospect")] + ([tr("mgr.col.owner")] if with_owner else [])
    headers += [
        tr("mgr.col.stage"),
        tr("mgr.col.age_days"),
        tr("mgr.col.idle_days"),
        tr("mgr.col.expected_value"),
        tr("mgr.col.flags"),
    ]
    offset = 1 if with_owner else 0
    return html_table(headers, body, numeric=(2 + offset, 3 + offset, 4 + offset))
