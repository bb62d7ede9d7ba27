"""The alert pages, and the alert tables and groups the home, team and person pages show."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from reports_gen.site import alertparts, managerpages, outletbook, urls
from reports_gen.site.markdown import link, md, relative, table
from reports_gen.site.pageparts import MAX_ROWS, Page, link_key, memo_link, memo_url, page_memo, per_view
from reports_gen.site.views import View, day_text

ALERT_FIELDS = ("person_id", "team_id", "kind", "kind_label", "date", "outlet_id", "detail")


def alert_records(alerts: pd.DataFrame) -> list[dict[str, Any]]:
    """The alert fields the tables show, one dict per row (column by column, not row by row)."""
    fields = [f for f in ALERT_FIELDS if f in alerts.columns]
    columns = [alerts[f].tolist() for f in fields]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


def alert_table(
    view: View, alerts: pd.DataFrame, page: str, limit: int = MAX_ROWS, who: bool = True, kind: bool = True
) -> str:
    """Alert rows; the sentence never names the person, who has a column of their own."""
    return alert_rows(view, alert_records(alerts.head(limit)), page, who, kind)


def alert_rows(
    view: View, alerts: list[dict[str, Any]], page: str, who: bool = True, kind: bool = True
) -> str:
    headers = (
        ([view.tr("col.person")] if who else [])
        + ([view.tr("col.kind")] if kind else [])
        + [view.tr("col.date"), view.tr("col.detail")]
    )
    memo = page_memo(view)
    rows = []
    for a in alerts:
        # the same few thousand sentences, days and outlets come back week after week
        day, outlet, detail = ("day", a["date"]), ("outlet", a.get("outlet_id", "")), ("md", a["detail"])
        if day not in memo:
            memo[day] = day_text(view, a["date"])
        if outlet not in memo:
            memo[outlet] = _outlet_target(view, outlet[1])
        if detail not in memo:
            memo[detail] = md(a["detail"])
        url = None if memo[outlet] is None else memo_url(memo, memo[outlet], page)
        rows.append(
            ([_who(view, a, page)] if who else [])
            + ([a.get("kind_label") or view.tr(f"kind.{a['kind']}")] if kind else [])
            + [memo[day], memo[detail] if url is None else f"[{memo[detail]}]({url})"]
        )
    return table(headers, rows)


def _outlet_target(view: View, outlet_id: str) -> str | None:
    """Where `managerpages.outlet_link` (issue 13) points; None when the outlet has no page."""
    books = managerpages.manager_for(view).books
    return outletbook.outlet_target(books, outlet_id) if outlet_id in books.index else None


def _who(view: View, alert: dict[str, Any], page: str) -> str:
    person, team = alert["person_id"], alert["team_id"]
    target = urls.person_page(person) if person else urls.team_page(team) if team else ""
    key = ("who", person, team, *link_key(target, page))  # the link _who_link makes, once per place
    memo = page_memo(view)
    if key not in memo:
        memo[key] = _who_link(view, alert, page)
    return memo[key]


def _who_link(view: View, alert: dict[str, Any], page: str) -> str:
    if alert["person_id"]:
        return link(view.person_name(alert["person_id"]), urls.person_page(alert["person_id"]), page)
    if alert["team_id"]:
        return link(view.team_name(alert["team_id"]), urls.team_page(alert["team_id"]), page)
    return view.tr("scope.company")


def _who_name(view: View, alert: dict[str, Any]) -> str:
    if alert["person_id"]:
        return view.person_name(alert["person_id"])
    return view.team_name(alert["team_id"]) if alert["team_id"] else view.tr("scope.company")


def _count_text(view: View, counts: Counter[str]) -> str:
    from reports_gen.metrics.alerts import ALERT_KINDS

    return ", ".join(
        view.tr(f"count.one.{k}" if counts[k] == 1 else f"count.{k}", count=view.tr.number(counts[k]))
        for k in ALERT_KINDS
        if counts[k]
    )


def alert_groups(view: View, alerts: pd.DataFrame, page: str) -> list[dict[str, Any]]:
    """Alerts grouped by person (or team), each with its counts and rows to expand.

    Groups are ranked by their most severe alert, then by size (ties: first seen); each group's rows
    run most severe first, then by date. One sort and one pass over the rows for every group.
    """
    if alerts.empty:
        return []
    severity = view.severity.reindex(alerts.index).to_numpy()
    dates = alerts["date"]
    stamps = np.where(dates.isna().to_numpy(), np.iinfo(np.int64).max, dates.to_numpy().astype("int64"))
    order = np.lexsort((stamps, -severity)).tolist()  # stable: severity down, date up, NaT last
    fields = [f for f in ALERT_FIELDS if f in alerts.columns]
    columns = {f: alerts[f].tolist() for f in fields}
    kinds = columns["kind"]
    people, teams = columns["person_id"], columns["team_id"]
    keys = [p if p != "" else "team:" + t for p, t in zip(people, teams, strict=True)]
    stats: dict[str, list[int]] = {}  # key -> [highest severity, size], in order of first appearance
    for key, level in zip(keys, severity.tolist(), strict=True):
        seen = stats.setdefault(key, [level, 0])
        seen[0], seen[1] = max(seen[0], level), seen[1] + 1
    members: dict[str, list[int]] = {key: [] for key in stats}
    for i in order:
        members[keys[i]].append(i)
    groups = []
    for key in sorted(stats, key=lambda k: (-stats[k][0], -stats[k][1])):  # stable
        mine = members[key]
        shown = [{f: columns[f][i] for f in fields} for i in mine[:MAX_ROWS]]  # only the rows shown
        groups.append(
            {
                "name": _who_name(view, shown[0]),
                "who": _who(view, shown[0], page),
                "counts": _count_text(view, Counter(kinds[i] for i in mine)),
                "table": alert_rows(view, shown, page, who=False),
                "more": max(len(mine) - MAX_ROWS, 0),
            }
        )
    return groups


def home_alerts(view: View, alerts: pd.DataFrame, path: str) -> list[dict[str, str]]:
    """Per team, the few alerts that matter most (config thresholds) and counts for the rest.

    One row per person and kind, most severe first (then in the order of ALERT_KINDS), the
    kind carrying its count: three days without logs are one row, not three.
    """
    parts = alertparts.team_alerts(view, alerts, np.zeros(len(alerts), dtype=object))
    return _home_teams(view, parts.get(0, []), path)


def _home_teams(view: View, parts: list[alertparts.TeamAlerts], path: str) -> list[dict[str, str]]:
    """The home-page form of each team's alerts (alertparts.team_alerts) on the page at `path`."""
    memo = page_memo(view)
    return [
        {
            "id": t.team_id,
            "name": memo_link(memo, view.team_name(t.team_id), urls.team_page(t.team_id), path)
            if t.team_id
            else view.tr("scope.company"),
            "table": alert_rows(view, t.top[:MAX_ROWS], path),
            "rest": view.tr("home.alerts_rest", counts=_count_text(view, t.rest)) if t.rest.total() else "",
        }
        for t in parts
    ]


def alerts_index(view: View) -> Page:
    """Alert counts per week and kind, linking to each week's alerts, and who has alerts now."""
    from reports_gen.metrics.alerts import ALERT_KINDS

    tr, path = view.tr, urls.ALERTS
    alerts = view.report.alerts
    weeks = list(reversed(view.weeks))
    kinds = [k for k in ALERT_KINDS if k not in ("overdue_outlet", "behind_target")]
    rows = []
    for week in weeks:
        mine = view.alerts_in(week)
        counts = mine["kind"].value_counts()
        rows.append(
            [link(view.week_label(week), urls.alerts_page(week), path)]
            + [tr.number(counts.get(k, 0)) for k in kinds]
        )
    current = alerts[alerts["kind"].isin(["behind_target", "overdue_outlet"])]
    everyone = [row for _, row in _count_rows(view, current, path)]
    return Page(
        path,
        "alerts.md.j2",
        {
            "table": table(
                [tr("col.week")] + [tr(f"kind.{k}") for k in kinds], rows, range(1, len(kinds) + 1)
            ),
            "current": home_alerts(view, current, path),
            "everyone": table([tr("col.person"), tr("col.alerts")], everyone),
        },
    )


def alerts_week(view: View, week: str) -> Page:
    """One week's alerts by team: the few that matter most, then everyone's counts per kind.

    The rows themselves are in alerts.csv: on a large company a week has thousands.
    """
    tr, path = view.tr, urls.alerts_page(week)
    parts, counts = per_view(view, "alert_weeks", _alert_weeks)
    everyone: dict[str, list[list[str]]] = {}
    for team_id, person_id, text in counts.get(week, []):
        who = _who(view, {"person_id": person_id, "team_id": team_id}, path)
        everyone.setdefault(team_id, []).append([who, text])
    mine = parts.get(week, [])
    teams = [
        {
            "name": view.team_name(t.team_id) if t.team_id else tr("scope.company"),
            "anchor": f"team-{t.team_id or 'company'}",
            "counts": _count_text(view, t.every),
            "top": shown["table"],
            "everyone": table([tr("col.person"), tr("col.alerts")], everyone[t.team_id]),
        }
        for t, shown in zip(mine, _home_teams(view, mine, path), strict=True)
    ]
    team_links = " · ".join(f"[{t['name']}](#{t['anchor']})" for t in teams) or tr("none")
    return Page(
        path,
        "alerts_week.md.j2",
        {
            "week": tr.period(week),
            "teams": teams,
            "team_links": team_links,
            "back": link(tr("alerts.all_weeks"), urls.ALERTS, path),
            "csv": relative(urls.download("alerts.csv"), path),
        },
        title=tr("alerts.week_title", week=tr.period(week, False)),
    )


_AlertWeeks = tuple[dict[Any, list[alertparts.TeamAlerts]], dict[Any, list[tuple[str, str, str]]]]


def _alert_weeks(view: View) -> _AlertWeeks:
    """Every week's team alerts and per-person counts, worked out at once for all weeks."""
    alerts, weeks = view.report.alerts, view.alert_weeks
    return alertparts.team_alerts(view, alerts, weeks), alertparts.count_rows(view, alerts, weeks)


def _count_rows(view: View, alerts: pd.DataFrame, path: str) -> list[tuple[str, list[str]]]:
    """(team id, [who, "7 missed visits, 2 overdue outlets"]) per person, most severe first."""
    rows = alertparts.count_rows(view, alerts, np.zeros(len(alerts), dtype=object)).get(0, [])
    return [(t, [_who(view, {"person_id": p, "team_id": t}, path), text]) for t, p, text in rows]
