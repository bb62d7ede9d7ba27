"""Page builders of the manager pages: each returns a Page (template + context) from a Manager."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from reports_gen.metrics import comparisons as cmp
from reports_gen.metrics import insights
from reports_gen.site import urls
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.htmlparts import Cell, each, esc, html_table, period_name, sort_key
from reports_gen.site.managerpages import (
    Manager,
    cell_money,
    cell_number,
    cell_percent,
    money_cells,
    number_cells,
    percent_cells,
)
from reports_gen.site.markdown import link, md
from reports_gen.site.outletbook import render_books
from reports_gen.site.pages import Page
from reports_gen.site.visitmap import render_maps

RECENT = 8


def _abbr(m: Manager, key: str) -> str:
    """A column header with its explanation as <abbr title>, where the short form needs one."""
    tr = m.view.tr
    short, long = tr(f"mgr.col.{key}"), tr(f"mgr.abbr.{key}")
    return f'<abbr title="{esc(long)}">{short}</abbr>' if long != f"mgr.abbr.{key}" else short


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


def outlet_pages(m: Manager) -> Iterator[Page]:
    """The outlets index (per team and rep) and the outlet books."""
    view, tr = m.view, m.view.tr
    books = m.books
    html = render_books(m.history, books, {p: v.name for p, v in view.people.items()}, m.fmt, m.links)
    summary = m.history.summary
    per_rep = summary.groupby("rep_id").agg(
        outlets=("name", "size"),
        overdue=("overdue", "sum"),
        visits=("visits", "sum"),
        revenue=("revenue", "sum"),
    )
    parts = books.groupby(books.to_numpy()).size()
    page_of = books.reindex(summary.index).to_numpy()
    rep_pages = {r: set(page_of[at]) for r, at in summary.groupby("rep_id", sort=False).indices.items()}
    siblings_of: dict[str, list[str]] = {}
    for page in parts.index:
        siblings_of.setdefault(page.split("/")[1], []).append(page)
    siblings_of = {r: sorted(ps, key=lambda p: (len(p), p)) for r, ps in siblings_of.items()}
    path = "outlets/index.md"
    sections = []
    for team_id, team in view.teams.items():
        rows = []
        for person in view.ds.org.members(team_id):
            if person.id not in per_rep.index:
                continue
            r = per_rep.loc[person.id]
            pages = sorted(rep_pages.get(person.id, set()), key=lambda p: (len(p), p))
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
    yield Page(
        path,
        "mgr_outlets.md.j2",
        {"sections": sections, "weeks": len(m.history.weeks)},
        title=tr("mgr.outlets.title"),
    )
    week = view.latest
    maps = render_maps(insights.week_visit_map(view.ds, view.as_of), books, tr, week)
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
        count = int(parts[page])
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
    for kind, frame, codes in (("week", weeks, week_list), ("month", months, month_list)):
        for code, rows in frame.groupby("period", sort=False):
            path = f"rankings/{code}.md"
            before = codes[codes.index(code) - 1] if codes.index(code) else None
            yield Page(
                path,
                "mgr_ranking.md.j2",
                {
                    "title": tr(f"mgr.rankings.{kind}_title", period=_period_name(m, code)),
                    "lead": tr("mgr.rankings.lead_change", before=_period_name(m, before))
                    if before
                    else tr("mgr.rankings.lead_first"),
                    "table": _ranking_table(m, rows, path, figures[kind]),
                    "back": link(tr("mgr.rankings.title"), "rankings/index.md", path),
                },
                title=tr(f"mgr.rankings.{kind}_title", period=_period_name(m, code)),
                searchable=False,  # a table of names and figures: noise in the search index
            )
    path = "rankings/index.md"
    latest = weeks[weeks["period"] == week_list[-1]] if week_list else weeks
    yield Page(
        path,
        "mgr_rankings.md.j2",
        {
            "latest": _period_name(m, week_list[-1]) if week_list else "",
            "table": _ranking_table(m, latest, path, figures["week"]),
            "weeks": [link(w, f"rankings/{w}.md", path) for w in reversed(week_list)],
            "months": [link(_period_name(m, c), f"rankings/{c}.md", path) for c in reversed(month_list)],
        },
        title=tr("mgr.rankings.title"),
    )


def _period_name(m: Manager, code: str | None) -> str:
    return period_name(m.view.tr, code)


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


def _ranking_table(m: Manager, rows: pd.DataFrame, path: str, figures: list[list[Cell]]) -> str:
    tr = m.view.tr
    body = []
    for at, pid, team in zip(rows.index, rows["person_id"], rows["team"], strict=True):
        rank, change, *cells = figures[at]
        person = Cell(m.person(pid, path), esc(m.view.people[pid].name))
        body.append([person, rank, change, Cell(m.team(team, path)), *cells])
    headers = [
        tr("mgr.col.person"),
        tr("mgr.col.rank"),
        _abbr(m, "rank_change"),
        tr("mgr.col.team"),
        tr("mgr.col.attainment"),
        _abbr(m, "ec_ratio"),
        _abbr(m, "pjp_rate"),
        tr("mgr.col.revenue"),
    ]
    return html_table(headers, body, numeric=(1, 2, 4, 5, 6, 7), caption=tr("mgr.rankings.caption"))


def _rank(value: float) -> str:
    return "–" if pd.isna(value) else f"#{int(value)}"


# -- no-order reasons and channels ----------------------------------------------------------------


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
    for week in weeks:
        chart = _company_chart(m, book, week, company.get(week, empty))
        yield _reason_week(m, week, chart, team_rows, people.get(week, no_people), channels)
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
) -> Page:
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
                Cell(m.person(pid, path), esc(person.name if person else pid)),
                Cell(m.team(person.team, path) if person else ""),
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
            "channels": _channel_table(m, week, channels, path),
            "back": link(tr("mgr.reasons.title"), "reasons/index.md", path),
        },
        title=tr("mgr.reasons.week_title", week=tr.period(week, long=False)),
        searchable=False,
    )


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


def _channel_table(m: Manager, week: str, channels: dict[tuple[str, str], list[Cell]], path: str) -> str:
    view, tr = m.view, m.view.tr
    none = [Cell(f"{m.fmt.number(0)} <small>(–)</small>", sort_key(0)) for _ in insights.CHANNELS]
    rows = [
        [
            Cell(m.team(team_id, path)),
            *channels.get((week, team_id), none),
            cell_money(m, m.drop_sizes[("team", team_id, week)]),
        ]
        for team_id in view.teams
    ]
    headers = [
        tr("mgr.col.team"),
        *(tr(f"mgr.channel.{c}") for c in insights.CHANNELS),
        _abbr(m, "drop_size"),
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


# -- comparisons ---------------------------------------------------------------------------------


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
            row = [Cell(_abbr(m, metric)), _fmt_metric(m, metric, current[metric])]
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
                "title": tr(f"mgr.window.{window}_long", period=_period_name(m, current["label"])),
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


# -- prospects -----------------------------------------------------------------------------------


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
            "reassign": _open_table(m, reassign, cells, with_owner=True, path=path) if len(reassign) else "",
            "open_count": m.fmt.number(len(open_)),
            "open_value": m.fmt.money(open_["expected_value"].sum()),
            "stale_days": view.ds.config.thresholds.stale_prospect_days,
        },
        title=tr("mgr.pipeline.title"),
    )
    for team_id, rows in open_.groupby("team", sort=False):
        if team_id in view.teams:
            yield _pipeline_team(m, team_id, rows, cells)


def _pipeline_team(m: Manager, team_id: str, open_: pd.DataFrame, cells: list[list[Cell]]) -> Page:
    view, tr = m.view, m.view.tr
    path = f"pipeline/{team_id}.md"
    owners = open_.groupby("owner_id", sort=True).agg(
        count=("stage", "size"),
        value=("expected_value", "sum"),
        stale=("stale", "sum"),
        left=("owner_left", "any"),
    )
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
    lists = [
        {
            "name": view.person_name(owner),
            "left": bool(rows["owner_left"].any()),
            "table": _open_table(m, rows, cells),
        }
        for owner, rows in open_.groupby("owner_id", sort=True)
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
    m: Manager, rows: pd.DataFrame, cells: list[list[Cell]], with_owner: bool = False, path: str = ""
) -> str:
    tr = m.view.tr
    body = []
    for at, owner in zip(rows["_at"], rows["owner_id"], strict=True):
        name, *rest = cells[at]
        body.append([name, Cell(m.person(owner, path)), *rest] if with_owner else cells[at])
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


# -- targets in depth and downloads --------------------------------------------------------------


def breakdown_section(m: Manager, period: str, path: str) -> str:
    """Return a target period's breakdown: company by team, each team by person, and by sub-period."""
    from reports_gen.site.managertargets import breakdown_markdown

    return breakdown_markdown(m, period, path)


def downloads_list(m: Manager) -> str:
    """Return the Markdown list of the digest files and the Atom feed on the Downloads page."""
    from reports_gen.site.digest import digest_files_index

    return digest_files_index(m.view)
