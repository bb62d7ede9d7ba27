"""Targets in depth: a target period's company target by team, each team's by person, and a
quarter by its months (a half or a year by its quarters)."""

from __future__ import annotations

import pandas as pd

from reports_gen.metrics import comparisons as cmp
from reports_gen.site.htmlparts import Cell, esc, html_table, sort_key
from reports_gen.site.managerpages import Manager


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
    team_of = m.view.metrics.people["team"]
    parts = [f"## {tr('mgr.breakdown.title')}", tr("mgr.breakdown.lead")]
    for metric, rows in frame.groupby("metric", sort=False):
        label = tr(f"mgr.metric.{metric}")
        company = rows[rows["scope"] == "company"]
        teams = rows[rows["scope"] == "team"]
        parts.append(f"### {tr('mgr.breakdown.by_team', metric=label)}")
        parts.append(_table(m, metric, pd.concat([company, teams]), path, first=tr("mgr.col.team")))
        gap = _unallocated(m, metric, company, teams)
        if gap:
            parts.append(gap)
        if metric != "revenue":
            continue
        people = rows[(rows["scope"] == "person") & (rows["target"].notna() | (rows["actual"] != 0))]
        by_team = dict(tuple(people.groupby(team_of.reindex(people["id"]).to_numpy(), sort=False)))
        for team_id, team in m.view.teams.items():
            if team_id not in by_team:
                continue
            own = teams[teams["id"] == team_id]
            parts.append(f"#### {tr('mgr.breakdown.by_person', team=esc(team.name), metric=label)}")
            parts.append(
                _table(m, metric, pd.concat([own, by_team[team_id]]), path, first=tr("mgr.col.person"))
            )
    subs = cmp.sub_periods(m.view.metrics, period, pace)
    subs = subs[(subs["scope"] == "company") | (subs["metric"] == "revenue")]
    if not subs.empty:
        parts.append(f"### {tr('mgr.breakdown.by_sub')}")
        for metric, rows in subs.groupby("metric", sort=False):
            body = []
            for r in rows.to_dict("records"):
                name = tr("mgr.scope.company") if r["scope"] == "company" else m.team(r["id"], path)
                body.append([Cell(f"{esc(r['sub_period'])} · {name}"), *_figures(m, metric, r)])
            parts.append(
                html_table(
                    [tr("mgr.col.sub_period"), *_headers(m)],
                    body,
                    numeric=(1, 2, 3),
                    sortable=False,
                    caption=tr("mgr.breakdown.sub_caption", metric=tr(f"mgr.metric.{metric}")),
                )
            )
    return "\n\n".join(parts)


def _headers(m: Manager) -> list[str]:
    tr = m.view.tr
    return [tr("mgr.col.target"), tr("mgr.col.actual"), tr("mgr.col.attainment"), tr("mgr.col.status")]


def _figures(m: Manager, metric: str, r: dict) -> list[Cell]:
    fmt = m.fmt.money if metric == "revenue" else m.fmt.number

    def value(v: float) -> Cell:
        return Cell("–" if pd.isna(v) else fmt(v), sort_key(v))

    attainment = r["attainment"]
    return [
        value(r["target"]),
        value(r["actual"]),
        Cell("–" if pd.isna(attainment) else m.fmt.percent(attainment), sort_key(attainment)),
        Cell(m.fmt.status(r["status"]), r["status"]),
    ]


def _table(m: Manager, metric: str, rows: pd.DataFrame, path: str, first: str) -> str:
    tr = m.view.tr
    body = []
    for r in rows.to_dict("records"):  # a few dozen rows
        if r["scope"] == "company":
            name = f"<strong>{tr('mgr.scope.company')}</strong>"
        elif r["scope"] == "team":
            name = m.team(r["id"], path)
        else:
            name = m.person(r["id"], path)
        body.append([Cell(name), *_figures(m, metric, r)])
    return html_table([first, *_headers(m)], body, numeric=(1, 2, 3), keys=False)


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
