"""The no-order reasons pages (a Pareto per week, team and person) and the order channels and
drop size per team and week, from a Manager."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from reports_gen.metrics import insights
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.htmlparts import Cell, each, esc, html_table, sort_key
from reports_gen.site.managerpages import Manager, abbr, cell_money, number_cells, percent_cells
from reports_gen.site.markdown import link, md
from reports_gen.site.pageparts import Page

RECENT = 8


def reason_pages(m: Manager, book: ChartBook) -> Iterator[Page]:
    """The reasons index (latest week per team, channel mix over time) and one page per week."""
    view, tr = m.view, m.view.tr
    weeks = view.weeks
    reasons = m.reasons
    # Every Pareto at once (per week; per week and team; top two per week and person), then split.
    company = _split(_labelled(m, insights.pareto(reasons, by=["week"])), ["week"])
    every_team = _labelled(m, insights.pareto(reasons, by=["week", "team"]))
    team_rows = _reason_rows(m, every_team)
    people = _split(_person_reasons(m, insights.pareto(reasons, top=2, by=["week", "person_id"])), ["week"])
    channels = _channel_cells(m, insights.channel_shares(m.channels, weeks))
    empty = _labelled(m, insights.pareto(reasons.iloc[:0]))
    no_people = _person_reasons(m, insights.pareto(reasons.iloc[:0], top=2, by=["week", "person_id"]))
    links: dict[tuple[str, str], str] = {}  # the week pages share a folder: a link reads alike on all
    for week in weeks:
        chart = _company_chart(m, book, week, company.get(week, empty))
        yield _reason_week(m, week, chart, team_rows, people.get(week, no_people), channels, links)
    path = "reasons/index.md"
    latest = weeks[-1]
    team_charts = []
    latest_teams = every_team[every_team["week"] == latest]
    for team_id, team in view.teams.items():
        mine = latest_teams[latest_teams["team"] == team_id]
        if mine.empty:
            continue
        team_charts.append(
            book.add(
                f"mgr-reasons-{latest}-team-{team_id}",
                "pareto_chart",
                _chart_frame(mine),
                title=tr("mgr.reasons.chart", scope=team.name, week=tr.period(latest, long=False)),
            )
        )
    mix = insights.channel_mix(m.channels, weeks[-13:])
    labels = {c: tr(f"mgr.channel.{c}") for c in insights.CHANNELS}
    channel = book.add(
        "mgr-channels-company", "channel_chart", mix, title=tr("mgr.channels.chart"), labels=labels
    )
    yield Page(
        path,
        "mgr_reasons.md.j2",
        {
            "week": latest,
            "company": _company_chart(m, book, latest, company.get(latest, empty)),
            "teams": team_charts,
            "channel": channel,
            "drop": _drop_size_table(m, weeks[-RECENT:], path),
            "weeks": [link(w, f"reasons/{w}.md", path) for w in reversed(weeks)],
        },
        title=tr("mgr.reasons.title"),
    )


def _split(frame: pd.DataFrame, keys: list[str]) -> dict:
    """Split a frame into a dict by the value of its key column(s); none when it has no rows."""
    if frame.empty or not set(keys) <= set(frame.columns):
        return {}
    return {
        k[0] if isinstance(k, tuple) and len(k) == 1 else k: g for k, g in frame.groupby(keys, sort=False)
    }


def _reason_rows(m: Manager, teams: pd.DataFrame) -> dict[tuple[str, str], list[list[Cell]]]:
    """(week, team) -> the rows of its reasons table, every column formatted at once."""
    if teams.empty:
        return {}
    label = [Cell(t) for t in each(teams["label"], esc)]
    count = number_cells(m, teams["count"])
    share, cumulative = percent_cells(m, teams["share"]), percent_cells(m, teams["cumulative"])
    rows = [list(r) for r in zip(label, count, share, cumulative, strict=True)]
    return {
        (week, team): [rows[i] for i in at]
        for (week, team), at in teams.groupby(["week", "team"], sort=False).indices.items()
    }


def _person_reasons(m: Manager, data: pd.DataFrame) -> pd.DataFrame:
    """One row per week and person: visits without an order, and the two top reasons as text."""
    keys = ["week", "person_id"]
    total = data.groupby(keys)["count"].sum().rename("total")
    top = _labelled(m, data[data["reason"] != insights.OTHER])
    text = top["label"].map(esc) + " (" + top["count"].map(m.fmt.number) + ")"
    position = top.groupby(keys).cumcount().map({0: "first", 1: "second"})
    wide = pd.DataFrame({"week": top["week"], "person_id": top["person_id"], "pos": position, "text": text})
    wide = wide.pivot(index=keys, columns="pos", values="text").reindex(columns=["first", "second"])
    out = pd.concat([total, wide.astype(object)], axis=1).fillna({"first": "", "second": ""})
    return out.reset_index().sort_values(keys, kind="stable")


def _labelled(m: Manager, data: pd.DataFrame) -> pd.DataFrame:
    """Give OTHER and UNSTATED their words in the site language."""
    tr = m.view.tr
    words = {insights.OTHER: tr("mgr.reasons.other"), insights.UNSTATED: tr("mgr.reasons.unstated")}
    return data.assign(label=data["reason"].map(words).fillna(data["label"]))


def _chart_frame(data: pd.DataFrame) -> pd.DataFrame:
    return data[["label", "count", "share", "cumulative"]].reset_index(drop=True)


def _company_chart(m: Manager, book: ChartBook, week: str, data: pd.DataFrame) -> str:
    title = m.view.tr(
        "mgr.reasons.chart", scope=m.view.tr("mgr.scope.company"), week=m.view.tr.period(week, long=False)
    )
    return book.add(f"mgr-reasons-{week}-company", "pareto_chart", _chart_frame(data), title=title)


def _reason_week(
    m: Manager,
    week: str,
    chart: str,
    team_rows: dict[tuple[str, str], list[list[Cell]]],
    people: pd.DataFrame,
    channels: dict[tuple[str, str], list[Cell]],
    links: dict[tuple[str, str], str],
) -> Page:
    """A week's page; `links`: the person and team links made for the week pages so far."""
    view, tr = m.view, m.view.tr
    path = f"reasons/{week}.md"
    team_tables = []
    headers = [
        tr("mgr.col.reason"),
        tr("mgr.col.visits_no_order"),
        tr("mgr.col.share"),
        tr("mgr.col.cumulative"),
    ]
    for team_id, team in view.teams.items():
        rows = team_rows.get((week, team_id))
        if rows is None:
            continue
        team_tables.append(
            {"name": md(team.name), "table": html_table(headers, rows, (1, 2, 3), sortable=False)}
        )
    person_rows = []
    totals = number_cells(m, people["total"])
    for pid, total, first, second in zip(
        people["person_id"], totals, people["first"], people["second"], strict=True
    ):
        person = view.people.get(pid)
        person_rows.append(
            [
                Cell(_link(m, links, "person", pid, path), esc(person.name if person else pid)),
                Cell(_link(m, links, "team", person.team, path) if person else ""),
                total,
                Cell(first),
                Cell(second),
            ]
        )
    person_headers = [
        tr("mgr.col.person"),
        tr("mgr.col.team"),
        tr("mgr.col.visits_no_order"),
        tr("mgr.col.reason_1"),
        tr("mgr.col.reason_2"),
    ]
    return Page(
        path,
        "mgr_reasons_week.md.j2",
        {
            "week": week,
            "span": view.span(week),
            "company": chart,
            "teams": team_tables,
            "people": html_table(person_headers, person_rows, numeric=(2,)),
            "channels": _channel_table(m, week, channels, lambda t: _link(m, links, "team", t, path)),
            "back": link(tr("mgr.reasons.title"), "reasons/index.md", path),
        },
        title=tr("mgr.reasons.week_title", week=tr.period(week, long=False)),
        searchable=False,
    )


def _link(m: Manager, links: dict[tuple[str, str], str], kind: str, ident: str, path: str) -> str:
    """A person's or team's link from `path`, made once for the pages of its folder (`links`)."""
    found = links.get((kind, ident))
    if found is None:
        found = links[(kind, ident)] = m.person(ident, path) if kind == "person" else m.team(ident, path)
    return found


def _channel_cells(m: Manager, shares: pd.DataFrame) -> dict[tuple[str, str], list[Cell]]:
    """(week, team) -> its cells per channel: orders and revenue share, every column formatted at once."""
    columns = []
    for c in insights.CHANNELS:
        orders, share = shares[f"orders_{c}"], shares[f"share_{c}"]
        percent = pd.Series(m.fmt.percent_each(share), dtype=object).where(share.notna().to_numpy(), "–")
        text = m.fmt.number_each(orders) + " <small>(" + percent.to_numpy() + ")</small>"
        columns.append([Cell(t, k) for t, k in zip(text, each(orders, sort_key), strict=True)])
    keys = zip(shares["week"].tolist(), shares["team"].tolist(), strict=True)
    return {key: list(cells) for key, *cells in zip(keys, *columns, strict=True)}


def _channel_table(
    m: Manager, week: str, channels: dict[tuple[str, str], list[Cell]], team_link: Callable[[str], str]
) -> str:
    view, tr = m.view, m.view.tr
    none = [Cell(f"{m.fmt.number(0)} <small>(–)</small>", sort_key(0)) for _ in insights.CHANNELS]
    rows = [
        [
            Cell(team_link(team_id)),
            *channels.get((week, team_id), none),
            cell_money(m, m.drop_sizes[("team", team_id, week)]),
        ]
        for team_id in view.teams
    ]
    headers = [
        tr("mgr.col.team"),
        *(tr(f"mgr.channel.{c}") for c in insights.CHANNELS),
        abbr(m, "drop_size"),
    ]
    return html_table(headers, rows, numeric=range(1, 7), caption=tr("mgr.channels.caption"))


def _drop_size_table(m: Manager, weeks: list[str], path: str) -> str:
    view, tr = m.view, m.view.tr
    rows = [
        [Cell(m.team(t, path))] + [cell_money(m, m.drop_sizes[("team", t, w)]) for w in weeks]
        for t in view.teams
    ]
    rows.append(
        [Cell(tr("mgr.scope.company"))] + [cell_money(m, m.drop_sizes[("company", "", w)]) for w in weeks]
    )
    return html_table(
        [tr("mgr.col.team"), *(w[5:] for w in weeks)],
        rows,
        numeric=range(1, len(weeks) + 1),
        caption=tr("mgr.drop.caption"),
    )
