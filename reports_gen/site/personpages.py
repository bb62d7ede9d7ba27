"""The people index and each person's page: figures, trends, alerts, overdue outlets, missed calls."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reports_gen.site import managerpages, urls
from reports_gen.site.alertpages import alert_records, alert_rows
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.markdown import link, md, table
from reports_gen.site.pageparts import (
    KPIS,
    MAX_ROWS,
    Page,
    page_memo,
    people_tables,
    per_view,
    period_table,
    scope_periods,
    trend_charts,
)
from reports_gen.site.views import View, day_text
from reports_gen.workcalendar import parse_week


def people_index(view: View) -> Page:
    """Everyone who worked in the latest week, by team."""
    path, week = urls.PEOPLE, view.latest
    teams = []
    for team_id, team in view.teams.items():
        tables = people_tables(view, view.ds.org.members(team_id), week, path)
        if any(tables.values()):
            teams.append({"name": link(md(team.name), urls.team_page(team_id), path), **tables})
    return Page(path, "people.md.j2", {"week": view.week_label(week, long=True), "teams": teams})


def person_page(view: View, book: ChartBook, person_id: str) -> Page:
    """A person's trends, targets, overdue outlets, missed calls and activities."""
    path, week, person = urls.person_page(person_id), view.latest, view.people[person_id]
    tr = view.tr
    sales = person.role == "sales"
    lead = tr(
        "person.lead",
        role=tr(f"role.{person.role}"),
        team=link(view.team_name(person.team), urls.team_page(person.team), path),
    )
    if person.start:
        lead += f" · {tr('person.since', date=tr.date(person.start))}"
    if person.end and person.end <= view.as_of:
        lead += f" · **{tr('person.until', date=tr.date(person.end))}**"
    recent = set(view.recent_weeks(4))
    recent_start = pd.Timestamp(parse_week(min(recent)).start)
    alerts, columns = view.report.alerts, per_view(view, "alert_columns", _alert_columns)
    activities = _alerts_since(view, person_id, "missed_activity", recent_start)[:MAX_ROWS]
    gaps = columns["date"][_alerts_since(view, person_id, "log_gap", recent_start)]
    overdue = columns["outlet_id"][_alerts_at(view, person_id, "overdue_outlet")[: MAX_ROWS * 2]].tolist()
    metrics = KPIS if sales else ("activity_rate", "activities_done", "new_prospects", "log_gap_days")
    return Page(
        path,
        "person.md.j2",
        {
            "title": md(person.name),
            "lead": lead,
            "is_sales": sales,
            "cards": view.cards("person", person_id, week, metrics),
            "trend": trend_charts(view, book, "person", person_id, f"person-{person_id}", person.name, sales)
            if sales
            else [],
            "targets": period_table(view, scope_periods(view, "person", person_id), path, with_scope=False),
            "overdue": _overdue_table(view, overdue, path),
            "outlet_count": int(per_view(view, "outlet_counts", _outlet_counts).get(person_id, 0)),
            "week": link(view.week_label(week), urls.week_page(week), path),
            "missed_calls": _missed_calls(view, person_id, week),
            "missed_activities": alert_rows(
                view, alert_records(alerts.iloc[activities]) if len(activities) else [], path
            ),
            "log_gaps": ", ".join(day_text(view, d) for d in gaps),
        },
        title=person.name,
    )


def _alerts_at(view: View, person_id: str, kind: str) -> np.ndarray:
    """The rows of a person's alerts of one kind, in the order of the alerts (grouped once)."""
    at = per_view(view, "alert_kinds", _alert_kinds).get((person_id, kind))
    return np.zeros(0, dtype=np.intp) if at is None else at


def _alerts_since(view: View, person_id: str, kind: str, since: pd.Timestamp) -> np.ndarray:
    """The rows of a person's alerts of one kind dated on or after `since` (none without a date)."""
    at = _alerts_at(view, person_id, kind)
    return at[per_view(view, "alert_columns", _alert_columns)["date"][at] >= since.to_datetime64()]


def _alert_columns(view: View) -> dict[str, np.ndarray]:
    """The alerts' dates and outlets as arrays (what a person's rows are cut out of)."""
    alerts = view.report.alerts
    return {"date": alerts["date"].to_numpy(), "outlet_id": alerts["outlet_id"].to_numpy(dtype=object)}


def _alert_kinds(view: View) -> dict[tuple[str, str], np.ndarray]:
    alerts = view.report.alerts
    return dict(alerts.groupby(["person_id", "kind"], sort=False).indices) if len(alerts) else {}


def _outlet_counts(view: View) -> pd.Series:
    return view.ds.outlets["rep_id"].value_counts()


def _overdue_table(view: View, ids: list[str], path: str = "") -> str:
    """The overdue outlets `ids` (the first MAX_ROWS * 2 of a person's) with their last visit."""
    if not ids:
        return ""  # markdown.table of no rows
    tr = view.tr
    headers = [
        tr("col.outlet"),
        tr("col.type"),
        tr("col.area"),
        tr("col.visits_per_week"),
        tr("col.last_visit"),
        tr("col.days_since"),
    ]
    return table(headers, _overdue_rows(view, ids, path), numeric=(3, 5))


def _overdue_rows(view: View, ids: list[str], path: str) -> list[list[str]]:
    """The rows of outlets `ids` on the page at `path`; every overdue outlet's cells made at once."""
    memo = page_memo(view)
    if ("overdue-cells", ids[0]) not in memo:
        alerts = view.report.alerts
        every = alerts.loc[alerts["kind"] == "overdue_outlet", "outlet_id"].tolist()
        todo = list(dict.fromkeys([*ids, *every]))
        for outlet_id, cells in zip(todo, _outlet_cells(view, todo), strict=True):
            memo[("overdue-cells", outlet_id)] = cells
    rows = []
    for outlet_id in ids:
        label, *cells = memo[("overdue-cells", outlet_id)]
        rows.append([managerpages.outlet_link(view, outlet_id, label, path), *cells])
    return rows


def _outlet_cells(view: View, ids: list[str]) -> list[list[str]]:
    """Each outlet's label (to link) and its other cells, column by column."""
    outlets = per_view(view, "outlets", lambda v: v.ds.outlets.set_index("outlet_id")).loc[ids]
    seen = pd.to_datetime(managerpages.manager_for(view).history.summary["last_visit"].reindex(ids))
    days = (pd.Timestamp(view.as_of) - seen).dt.days  # NaN where never visited
    tr = view.tr
    areas = outlets["area"] if "area" in outlets.columns else pd.Series("", index=outlets.index)
    return [
        [
            f"{md(name)} ({md(outlet_id)})",
            tr(f"outlet_type.{kind}"),
            md(area),
            tr.number(per_week, 0 if float(per_week).is_integer() else 1),
            day_text(view, last),
            "–" if pd.isna(n) else tr.number(int(n)),
        ]
        for outlet_id, name, kind, area, per_week, last, n in zip(
            ids, outlets["name"], outlets["type"], areas, outlets["visits_per_week"], seen, days, strict=True
        )
    ]


def _missed_calls(view: View, person_id: str, week: str) -> str:
    labels, outlets = view.missed_call_rows(person_id, week, MAX_ROWS)
    if not labels:
        return ""  # markdown.table of no rows
    tr = view.tr
    page = urls.person_page(person_id)
    headers = [tr("col.date"), tr("col.outlet"), tr("col.notes")]
    cells = _missed_cells(view, week)
    rows = [
        [day, managerpages.outlet_link(view, outlet_id, name, page), notes]
        for outlet_id, (day, name, notes) in zip(outlets, (cells[i] for i in labels), strict=True)
    ]
    return table(headers, rows)


def _missed_cells(view: View, week: str) -> dict[Any, tuple[str, str, str]]:
    """Each missed call of a week (by row label): its day, outlet name and notes, made at once."""
    memo = page_memo(view)
    key = ("missed-cells", week)
    if key not in memo:
        rows = view.missed_calls_in(week)
        names = view.outlet_names
        memo[key] = {
            label: (
                day_text(view, date),
                md(names.get(outlet_id, outlet_id)),
                md(" · ".join(x for x in (reason, notes) if x)),
            )
            for label, date, outlet_id, reason, notes in zip(
                rows.index,
                rows["date"],
                rows["outlet_id"],
                rows["no_order_reason"],
                rows["notes"],
                strict=True,
            )
        }
    return memo[key]
