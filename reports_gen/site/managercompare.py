"""The comparisons page: month-, quarter- and year-to-date against the same days of the period
before and of last year, for the company and per team, from a Manager."""

from __future__ import annotations

import pandas as pd

from reports_gen.metrics import comparisons as cmp
from reports_gen.site.htmlparts import Cell, html_table, sort_key
from reports_gen.site.managerpages import Manager, abbr, cell_money, cell_number, cell_percent, period_label
from reports_gen.site.pageparts import Page


def comparisons_page(m: Manager) -> Page:
    """MTD, QTD and YTD against the same days of the period before and of last year."""
    view, tr = m.view, m.view.tr
    frame = cmp.to_date_comparisons(view.metrics, view.ds.first_day)
    path = "comparisons.md"
    sections = []
    for window, (_, bases) in cmp.WINDOWS.items():
        mine = frame[frame["window"] == window]
        company = mine[mine["scope"] == "company"].set_index("basis")
        current = company.loc["current"]
        headers = [
            tr("mgr.col.metric"),
            f"{tr(f'mgr.window.{window}')}<br><small>{_span(m, current)}</small>",
        ]
        for basis in bases:
            headers.append(f"{tr(f'mgr.basis.{basis}')}<br><small>{_span(m, company.loc[basis])}</small>")
            headers.append(tr("mgr.col.change"))
        rows = []
        for metric in cmp.COMPARED:
            row = [Cell(abbr(m, metric)), _fmt_metric(m, metric, current[metric])]
            for basis in bases:
                other = company.loc[basis]
                if not other["available"]:
                    row += [Cell(f"<em>{tr(f'mgr.no_data.{basis}')}</em>"), Cell("–")]
                    continue
                change = cmp.change(pd.Series([current[metric]]), pd.Series([other[metric]]), metric).iloc[0]
                row += [_fmt_metric(m, metric, other[metric]), Cell(_fmt_change(m, metric, change))]
            rows.append(row)
        teams = _team_comparison(m, mine, bases, path)
        sections.append(
            {
                "title": tr(f"mgr.window.{window}_long", period=period_label(m, current["label"])),
                "partial": tr("mgr.compare.partial", start=m.view.tr.date(view.ds.first_day.date()))
                if current["start"] < view.ds.first_day
                else "",
                "table": html_table(headers, rows, numeric=range(1, len(headers)), sortable=False),
                "teams": teams,
            }
        )
    return Page(
        path,
        "mgr_comparisons.md.j2",
        {"sections": sections, "as_of": tr.date(view.as_of)},
        title=tr("mgr.comparisons.title"),
    )


def _team_comparison(m: Manager, frame: pd.DataFrame, bases: tuple[str, ...], path: str) -> str:
    tr = m.view.tr
    rows = []
    teams = frame[(frame["scope"] == "team").to_numpy()]
    by_team = teams.groupby("id", sort=False).indices if len(teams) else {}
    for team_id in m.view.teams:
        mine = teams.iloc[by_team.get(team_id, [])].set_index("basis")
        current = mine.loc["current", "revenue"]
        row = [Cell(m.team(team_id, path)), cell_money(m, current)]
        for basis in bases:
            if not mine.loc[basis, "available"]:
                row += [Cell(f"<em>{tr(f'mgr.no_data.{basis}')}</em>"), Cell("–")]
                continue
            before = mine.loc[basis, "revenue"]
            change = cmp.change(pd.Series([current]), pd.Series([before]), "revenue").iloc[0]
            row += [cell_money(m, before), Cell(_fmt_change(m, "revenue", change), sort_key(change))]
        rows.append(row)
    headers = [tr("mgr.col.team"), tr("mgr.col.revenue")]
    for basis in bases:
        headers += [tr(f"mgr.basis.{basis}"), tr("mgr.col.change")]
    return html_table(headers, rows, numeric=range(1, len(headers)), caption=tr("mgr.compare.teams"))


def _span(m: Manager, row: pd.Series) -> str:
    tr = m.view.tr
    return f"{tr.date(row['start'].date())} – {tr.date(row['end'].date())}"


def _fmt_metric(m: Manager, metric: str, value: float) -> Cell:
    if metric == "revenue":
        return cell_money(m, value)
    if metric in cmp.COMPARED_RATIOS:
        return cell_percent(m, value)
    return cell_number(m, value)


def _fmt_change(m: Manager, metric: str, change: float) -> str:
    if pd.isna(change):
        return "–"
    if metric in cmp.COMPARED_RATIOS:
        text = m.view.tr("mgr.points", n=m.fmt.number(abs(change) * 100, 1))
    else:
        text = m.fmt.percent(abs(change))
    if change > 0:
        return f'<span class="mgr-up">▲ {text}</span>'
    if change < 0:
        return f'<span class="mgr-down">▼ {text}</span>'
    return f'<span class="mgr-same">= {text}</span>'
