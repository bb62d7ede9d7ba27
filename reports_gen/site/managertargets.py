"""Targets in depth: a target period's company target by team, each team's by person, and a
quarter by its months (a half or a year by its quarters)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports_gen.metrics import comparisons as cmp
from reports_gen.site.htmlparts import Cell, each, esc, html_table
from reports_gen.site.managerpages import Manager, money_cells, number_cells, percent_cells


def breakdown_markdown(m: Manager, period: str, path: str) -> str:
    """Return the breakdown sections of a target period page (Markdown headings, HTML tables).

    Every metric by team; revenue also by person within each team; the sub-periods for the
    company (every metric) and the teams (revenue) — so the page stays small on a large company.
    """
    tr = m.view.tr
    pace = m.view.ds.config.thresholds.pace_at_risk
    frame = cmp.target_breakdown(m.view.metrics, period, pace)
    if frame.empty:
        return ""
    frame = frame.reset_index(drop=True)
    # cells only for the rows a table shows: people appear for revenue alone (below)
    shown = frame[
        (frame["scope"] != "person")
        | ((frame["metric"] == "revenue") & (frame["target"].notna() | (frame["actual"] != 0)))
    ]
    cells: dict[int, list[Cell]] = {
        at: [Cell(n), *f]
        for at, n, f in zip(shown.index, _names(m, shown, path), _figure_cells(m, shown), strict=True)
    }
    team_of = m.view.metrics.people["team"]
    parts = [f"## {tr('mgr.breakdown.title')}", tr("mgr.breakdown.lead")]
    for metric, rows in frame.groupby("metric", sort=False):
        label = tr(f"mgr.metric.{metric}")
        scope = rows["scope"].to_numpy()
        company, teams = rows[scope == "company"], rows[scope == "team"]
        parts.append(f"### {tr('mgr.breakdown.by_team', metric=label)}")
        parts.append(_table(m, cells, [*company.index, *teams.index], first=tr("mgr.col.team")))
        gap = _unallocated(m, metric, company, teams)
        if gap:
            parts.append(gap)
        if metric != "revenue":
            continue
        people = rows[(scope == "person") & (rows["target"].notna() | (rows["actual"] != 0)).to_numpy()]
        by_team = people.groupby(team_of.reindex(people["id"]).to_numpy(), sort=False).indices
        own = teams.groupby("id", sort=False).indices if len(teams) else {}
        for team_id, team in m.view.teams.items():
            if team_id not in by_team:
                continue
            parts.append(f"#### {tr('mgr.breakdown.by_person', team=esc(team.name), metric=label)}")
            at = [*teams.index[own.get(team_id, [])], *people.index[by_team[team_id]]]
            parts.append(_table(m, cells, at, first=tr("mgr.col.person")))
    subs = cmp.sub_periods(m.view.metrics, period, pace)
    subs = subs[(subs["scope"] == "company") | (subs["metric"] == "revenue")]
    if not subs.empty:
        parts.append(f"### {tr('mgr.breakdown.by_sub')}")
        subs = subs.reset_index(drop=True)
        names = [
            Cell(f"{esc(sub)} · {name}")
            for sub, name in zip(subs["sub_period"], _names(m, subs, path, plain=True), strict=True)
        ]
        figures = _figure_cells(m, subs)
        for metric, rows in subs.groupby("metric", sort=False):
            parts.append(
                html_table(
                    [tr("mgr.col.sub_period"), *_headers(m)],
                    [[names[i], *figures[i]] for i in rows.index],
                    numeric=(1, 2, 3),
                    sortable=False,
                    caption=tr("mgr.breakdown.sub_caption", metric=tr(f"mgr.metric.{metric}")),
                )
            )
    return "\n\n".join(parts)


def _headers(m: Manager) -> list[str]:
    tr = m.view.tr
    return [tr("mgr.col.target"), tr("mgr.col.actual"), tr("mgr.col.attainment"), tr("mgr.col.status")]


def _names(m: Manager, frame: pd.DataFrame, path: str, plain: bool = False) -> list[str]:
    """The first cell of each row: the company (in bold unless `plain`), a team or a person, linked."""
    company = m.view.tr("mgr.scope.company")
    company = company if plain else f"<strong>{company}</strong>"
    return [
        company if scope == "company" else m.team(i, path) if scope == "team" else m.person(i, path)
        for scope, i in zip(frame["scope"], frame["id"], strict=True)
    ]


def _figure_cells(m: Manager, frame: pd.DataFrame) -> list[list[Cell]]:
    """Target, actual, attainment and status cells of every row, each column formatted at once."""
    money = (frame["metric"] == "revenue").to_numpy()
    columns = []
    for name in ("target", "actual"):
        cells: list[Cell | None] = [None] * len(frame)
        for at, cell in zip(np.flatnonzero(money), money_cells(m, frame.loc[money, name]), strict=True):
            cells[at] = cell
        for at, cell in zip(np.flatnonzero(~money), number_cells(m, frame.loc[~money, name]), strict=True):
            cells[at] = cell
        columns.append(cells)
    attainment = percent_cells(m, frame["attainment"])
    status = [Cell(t, s) for t, s in zip(each(frame["status"], m.fmt.status), frame["status"], strict=True)]
    return [list(r) for r in zip(*columns, attainment, status, strict=True)]


def _table(m: Manager, cells: dict[int, list[Cell]], at: list, first: str) -> str:
    return html_table([first, *_headers(m)], [cells[i] for i in at], numeric=(1, 2, 3), keys=False)


def _unallocated(m: Manager, metric: str, company: pd.DataFrame, teams: pd.DataFrame) -> str:
    """Say how much of the company target the team targets leave unallocated, if any."""
    if company.empty or company["target"].isna().all():
        return ""
    total, allocated = float(company["target"].iloc[0]), float(teams["target"].sum())
    gap = total - allocated
    if abs(gap) < 0.5:
        return ""
    fmt = m.fmt.money if metric == "revenue" else m.fmt.number
    key = "mgr.breakdown.unallocated" if gap > 0 else "mgr.breakdown.overallocated"
    return m.view.tr(key, allocated=fmt(allocated), total=fmt(total), gap=fmt(abs(gap)))
