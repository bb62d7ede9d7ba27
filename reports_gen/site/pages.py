"""Generated pages: each page kind is a function that turns the view into a template context."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

import jinja2
import pandas as pd

from reports_gen.metrics.prospects import pipeline
from reports_gen.metrics.weekly import activity_mix, activity_totals
from reports_gen.site import forked, managerpages, urls
from reports_gen.site.alertpages import alert_groups, alert_table, alerts_index, alerts_week, home_alerts
from reports_gen.site.chartbook import POOL_FROM, Cells, ChartBook, ChartRequest, table_cells
from reports_gen.site.markdown import link, md, relative, table
from reports_gen.site.pageparts import (
    KPIS,
    LIST_TEMPLATES,
    MAX_ROWS,
    SHORT_PERIOD,
    WEEK_COLUMNS,
    Page,
    WeeklyRows,
    collector_paused,
    company_weeks,
    metric_table,
    page_link,
    people_tables,
    per_view,
    period_table,
    scope_periods,
    trend_charts,
    working_people,
)
from reports_gen.site.personpages import people_index, person_page
from reports_gen.site.views import View, day_text
from reports_gen.workcalendar import parse_period, parse_week

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("reports_gen", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # Markdown, not HTML: data text is escaped with `md` where it is placed
)
TEMPLATES.filters["md"] = md


def plan_pages(view: View, book: ChartBook, downloads: dict[str, int]) -> list[Page]:
    """Return every generated page, asking `book` for the charts they show."""
    return plan_site(view, book, downloads)[0]


def plan_site(
    view: View, book: ChartBook, downloads: dict[str, int], files: Sequence[Callable[[], Files]] = ()
) -> tuple[list[Page], Files]:
    """Plan every page, and make the other `files` of the site, on two cores where it can.

    The second core goes to whichever needs it: the charts to draw, or else the pages. This
    process plans the pages until PROBE charts were asked for. If few of those must be drawn (a
    rebuild), the `files` (path -> bytes: downloads, digests) and the rest of the pages are made
    part by part on both cores (`forked.share`), the files first, so this process makes and keeps
    them; else (a first build, a new week) the drawing workers start at once and take the second
    core, and this process makes the rest alone. A part planned in the forked child asks a book
    of its own for its charts, and the child draws those the cache lacks (up to POOL_FROM in
    all) into the cache; they are asked of `book` here, part by part, so the charts come in page
    order as if planned in one process. The forked child and the drawing workers are never both
    running.
    """

    left_to_draw = [POOL_FROM]  # the charts the forked child may still draw (its own copy)

    def unit(part: Part) -> Unit:
        def run(beside: bool) -> tuple[list[Page], list[ChartRequest], Files, int]:
            if not beside:
                return part(book), [], {}, 0
            into = ChartBook(book.tr)
            made = part(into)
            drawn = into.draw_missing(book.cache, left_to_draw[0])
            left_to_draw[0] -= drawn
            return made, list(into.requests.values()), {}, drawn

        return run

    def other(make: Callable[[], Files]) -> Unit:
        return lambda beside: ([], [], make(), 0)

    pages: list[Page] = []
    made_files: Files = {}
    units = [unit(part) for part in _parts(view, downloads)]
    with collector_paused():
        with book.drawing_held():
            while units and len(book.requests) < PROBE:
                pages += units.pop(0)(False)[0]
            # the files first, so that this process makes (and keeps) them while the child plans
            units = [other(make) for make in files] + units
            if book.few_to_draw:  # a rebuild
                view.share()
                managerpages.manager_for(view).share()
                # this process draws the waiting charts while it waits for the child's last part
                for made, requests, more, drawn in forked.share(units, idle=book.draw_one):
                    for request in requests:
                        book.ask(request)
                    book.drawn_elsewhere(drawn)
                    pages += made
                    made_files.update(more)
                units = []
        for run in units:  # the drawing workers are running
            made, _, more, _ = run(False)
            pages += made
            made_files.update(more)
    return pages, made_files


# The charts the pages ask for before the build decides what its second core is for.
PROBE = 40


Part = Callable[[ChartBook], list[Page]]
Files = dict[str, bytes]
# a part of the site or other files: its pages, the charts they ask for and those drawn beside
Unit = Callable[[bool], tuple[list[Page], list[ChartRequest], Files, int]]


def _parts(view: View, downloads: dict[str, int]) -> list[Part]:
    """Every page, in site order, in parts of one page or one family of pages each."""

    def listed(*made: Page) -> list[Page]:  # a general page: searchable unless a long list
        for page in made:
            page.searchable = page.template not in LIST_TEMPLATES
        return list(made)

    parts: list[Part] = [lambda b: listed(home(view, b), weeks_index(view))]
    parts += [partial(lambda b, w: listed(week_page(view, b, w)), w=w) for w in view.weeks]
    parts.append(lambda b: listed(teams_index(view)))
    parts += [partial(lambda b, t: listed(team_page(view, b, t)), t=t) for t in view.teams]
    parts.append(lambda b: listed(people_index(view)))
    parts += [partial(lambda b, p: listed(person_page(view, b, p)), p=p) for p in view.people]
    parts.append(lambda b: listed(targets_index(view)))
    parts += [partial(lambda b, k: listed(*_target_part(view, b, k)), k=k) for k in range(TARGET_PARTS)]
    parts.append(lambda b: listed(activities_page(view, b), prospects_page(view, b), alerts_index(view)))
    parts += [partial(lambda b, w: listed(alerts_week(view, w)), w=w) for w in view.weeks]
    parts.append(lambda b: listed(downloads_page(view, downloads)))
    return parts + managerpages.manager_parts(view)  # issue 13: the manager pages


def render_pages(pages: list[Page], view: View, book: ChartBook) -> dict[str, str]:
    """Render every page's template; return path -> Markdown."""
    return dict(iter_pages(pages, view, book))


def iter_pages(pages: Iterable[Page], view: View, book: ChartBook) -> Iterator[tuple[str, str]]:
    """Render the pages' templates one by one: (path, Markdown), so that each can be written at once."""
    tr = view.tr
    note = view.freshness()  # the home page alone says when the site was built
    notes = {w: view.freshness(upto=w) for w in view.weeks}  # a period's page: data up to its end
    home = view.freshness(dt.date.today())
    charts = {
        name: _ChartView(chart, dict(book.requests[name].kwargs).get("title", ""), book.cells.get(name))
        for name, chart in book.rendered.items()
    }
    for page in pages:

        def chart_path(name: str, _page: Page = page) -> str:
            return relative(book.requests[name].path, _page.path)

        context = {
            "tr": tr,
            "note": home if page.path == urls.HOME else notes.get(_page_upto(view, page.path), note),
            "charts": charts,
            "chart_path": chart_path,
            "as_of": tr.date(view.as_of),
            **page.context,
        }
        front = (
            "---\n"
            + (f"title: {json.dumps(html.escape(page.title))}\n" if page.title else "")
            + ("" if page.searchable else "search:\n  exclude: true\n")
            + "hide:\n"
            + "".join(f"  - {h}\n" for h in page.hide)
            + "---\n"
        )
        yield page.path, front + TEMPLATES.get_template(page.template).render(context).lstrip("\n")


_PERIOD_PAGE = re.compile(
    r"^(?:weeks|alerts|rankings|reasons|targets)/(\d{4}-(?:W\d{2}|\d{2}|Q\d|H\d))(?:/index)?\.md$"
)


def _page_upto(view: View, path: str) -> str:
    """Return the last week of the period a page is about (`weeks/2026-W12/index.md`,
    `targets/2026-09/index.md`), or '' for a page about the whole data."""
    found = _PERIOD_PAGE.match(path)
    if not found:
        return ""
    try:
        end = parse_period(found.group(1)).end
    except ValueError:
        return ""
    shown = [w for w in view.weeks if parse_week(w).start <= end]
    return shown[-1] if shown else ""


class _ChartView:
    """A rendered chart as the templates use it."""

    def __init__(self, chart: Any, caption: str, cells: Cells | None = None):
        self.alt = chart.alt
        self.caption = md(caption)
        # The data table was escaped when the chart was drawn, and cached with it.
        headers, rows = cells if cells is not None else table_cells(chart.table)
        self.table_md = table(headers, rows, numeric=range(1, len(headers)))


# -- pages ---------------------------------------------------------------------------------------


def home(view: View, book: ChartBook) -> Page:
    """The latest week at a glance."""
    week, path = view.latest, urls.HOME
    current = view.metrics.periods
    kinds = (
        current["period"].str.match(r"^\d{4}-(\d{2}|Q\d)$")
        & current["scope"].isin(["company", "team"])
        & (current["metric"] == "revenue")
    )
    alerts = view.alerts_in(week)
    trend = book.add(
        "company-revenue",
        "revenue_chart",
        view.series("company", "")[["week", "revenue", "revenue_target"]],
        title=view.tr("home.trend"),
    )
    more = view.tr(
        "home.alerts_more",
        count=view.tr.number(len(alerts)),
        link=link(
            view.tr("alerts.week_title", week=view.tr.period(week, False)), urls.alerts_page(week), path
        ),
    )
    built = dt.date.today()
    return Page(
        path,
        "home.md.j2",
        {
            "company": md(view.ds.config.company),
            "week": link(view.week_label(week, long=True), urls.week_page(week), path),
            "warnings": view.data_warnings(built),
            "cards": view.cards("company", "", week, KPIS),
            "targets": period_table(view, current[kinds], path, columns=SHORT_PERIOD),
            "trend": trend,
            "teams": home_alerts(view, alerts, path),
            "alerts_more": more,
        },
        # <title> becomes "Beranda - <company>", not the company twice.
        title=view.tr("nav.home"),
    )


def weeks_index(view: View) -> Page:
    """Every week, newest first."""
    path = urls.WEEKS
    return Page(path, "weeks.md.j2", {"table": company_weeks(view, path, WEEK_COLUMNS)})


def week_page(view: View, book: ChartBook, week: str) -> Page:
    """Company, team and person tables of one week."""
    path = urls.week_page(week)
    index = view.weeks.index(week)
    prev = link(view.tr("week.prev"), urls.week_page(view.weeks[index - 1]), path) if index else ""
    nxt = (
        link(view.tr("week.next"), urls.week_page(view.weeks[index + 1]), path)
        if index + 1 < len(view.weeks)
        else ""
    )
    teams = list(view.teams)
    team_rows = WeeklyRows(view, view.positions("team", teams, week))
    kept, at = working_people(view, list(view.people.values()), week)
    sales = [i for i, p in enumerate(kept) if p.role == "sales"]
    people = [kept[i] for i in sales]
    ranking = (
        pd.DataFrame(
            {
                "label": [p.name for p in people],
                "revenue": view.column("revenue")[at[sales]],
                "target": view.column("revenue_target")[at[sales]],
            }
        )
        if people
        else pd.DataFrame(columns=["label", "revenue", "target"])
    )
    chart = book.add(f"week-{week}-people", "ranking_chart", ranking, title=view.tr("week.chart_people"))
    alerts = view.alerts_in(week)
    return Page(
        path,
        "week.md.j2",
        {
            "week": view.tr.period(week),
            "prev": prev,
            "next": nxt,
            "cards": view.cards("company", "", week, KPIS),
            "teams": metric_table(
                view,
                team_rows,
                [page_link(view, "team", t, view.team_name(t), path) for t in teams],
                view.tr("col.team"),
                WEEK_COLUMNS,
            ),
            "people": people_tables(view, list(view.people.values()), week, path),
            "chart": chart,
            "alert_count": len(alerts),
            "alerts": link(
                view.tr("alerts.week_title", week=view.tr.period(week, False)), urls.alerts_page(week), path
            )
            if len(alerts)
            else "",
        },
    )


def teams_index(view: View) -> Page:
    """Each team in the latest week."""
    path, week = urls.TEAMS, view.latest
    frame = WeeklyRows(view, view.positions("team", list(view.teams), week))
    labels = [link(view.team_name(t), urls.team_page(t), path) for t in view.teams]
    return Page(
        path,
        "teams.md.j2",
        {
            "week": view.week_label(week, long=True),
            "table": metric_table(view, frame, labels, view.tr("col.team"), WEEK_COLUMNS),
        },
    )


def team_page(view: View, book: ChartBook, team_id: str) -> Page:
    """A team's trends, targets, members and alerts."""
    path, week, team = urls.team_page(team_id), view.latest, view.teams[team_id]
    members = view.ds.org.members(team_id)
    workers = len(working_people(view, members, week)[0])
    alerts = view.alerts_in(week)
    alerts = alerts[alerts["team_id"] == team_id]
    manager = view.person_name(team.manager) if team.manager else "–"
    return Page(
        path,
        "team.md.j2",
        {
            "title": view.tr("team.title", name=md(team.name)),
            "lead": view.tr("team.lead", manager=manager, members=workers),
            "cards": view.cards("team", team_id, week, KPIS),
            "trend": trend_charts(view, book, "team", team_id, f"team-{team_id}", team.name),
            "targets": period_table(view, scope_periods(view, "team", team_id), path, with_scope=False),
            "week": link(view.week_label(week), urls.week_page(week), path),
            "members": people_tables(view, members, week, path),
            "alerts": alert_groups(view, alerts, path),
        },
        title=view.tr("team.title", name=team.name),
    )


def targets_index(view: View) -> Page:
    """The targets index: the current, past and upcoming periods."""
    every = view.all_periods
    tr = view.tr
    sections = []
    for phase in ("current", "past", "upcoming"):
        subset = every[every["phase"] == phase]
        if phase == "past":
            subset = subset.iloc[::-1]
        if not subset.empty:
            sections.append(
                {
                    "title": tr(f"targets.{phase}"),
                    "table": period_table(view, _headline(subset), urls.TARGETS, columns=SHORT_PERIOD),
                }
            )
    return Page(urls.TARGETS, "targets.md.j2", {"sections": sections})


def target_pages(view: View, book: ChartBook) -> Iterator[Page]:
    """The targets index and one page per target period with its burn-up charts."""
    yield targets_index(view)
    for period in per_view(view, "period_rows", _period_rows):
        yield target_page(view, book, period)


def target_page(view: View, book: ChartBook, period: str) -> Page:
    """A target period's page: its targets, burn-ups, people and breakdown."""
    # Team burn-ups where a reader looks: the current periods and those ended in the last 4 weeks.
    recent = pd.Timestamp(parse_week(view.recent_weeks(4)[0]).start)
    return _target_page(view, book, period, per_view(view, "period_rows", _period_rows)[period], recent)


# The target periods' pages come in this many parts of as many periods each: how many periods
# there are is known only once `all_periods` is worked out, which each process does itself.
TARGET_PARTS = 8


def _target_part(view: View, book: ChartBook, part: int) -> list[Page]:
    periods = list(per_view(view, "period_rows", _period_rows))
    share = slice(part * len(periods) // TARGET_PARTS, (part + 1) * len(periods) // TARGET_PARTS)
    return [target_page(view, book, period) for period in periods[share]]


def _period_rows(view: View) -> dict[str, pd.DataFrame]:
    """Each target period's rows of `all_periods`, in their order."""
    return {str(period): rows for period, rows in view.all_periods.groupby("period", sort=False)}


def _headline(rows: pd.DataFrame) -> pd.DataFrame:
    """The scopes a list of periods shows: company and teams, or on a large company (over
    MAX_ROWS rows) the company's own targets, teams only where the company has none."""
    shown = rows[rows["scope"] != "person"]
    if len(shown) <= MAX_ROWS:
        return shown
    own = set(shown.loc[shown["scope"] == "company", "period"])
    return shown[(shown["scope"] == "company") | ~shown["period"].isin(own)]


def _target_page(view: View, book: ChartBook, period: str, rows: pd.DataFrame, recent: pd.Timestamp) -> Page:
    path = urls.target_page(period)
    tr = view.tr
    first = rows.iloc[0]
    phase = first["phase"]
    as_day = view.as_of if phase == "current" else first["end"].date()
    # A burn-up for every company target, and for each team's revenue target while it is recent.
    charted = rows["scope"] == "company"
    if phase == "current" or first["end"] >= recent:
        charted |= (rows["scope"] == "team") & (rows["metric"] == "revenue")
    burnups = (
        []
        if phase == "upcoming"
        else [_burnup(view, book, period, p) for p in rows[charted].to_dict("records")]
    )
    people = rows[rows["scope"] == "person"]
    total = len(people)
    if total > MAX_ROWS:  # a large company: the people furthest behind; revenue is in the breakdown
        people = people.sort_values("attainment", kind="stable").head(MAX_ROWS)
    return Page(
        path,
        "target.md.j2",
        {
            "period": tr.period(period),
            "start": tr.date(first["start"].date()),
            "end": tr.date(first["end"].date()),
            "as_day": tr.date(as_day) if phase != "upcoming" else "–",
            "summary": period_table(view, _headline(rows), path, with_period=False),
            "burnups": burnups,
            "people": period_table(view, people, path, with_period=False, columns=SHORT_PERIOD)
            if total
            else "",
            "people_shown": len(people),
            "people_total": total,
            "breakdown": managerpages.target_breakdown(view, period, path),  # issue 13
        },
    )


def _burnup(view: View, book: ChartBook, period: str, p: dict[str, Any]) -> str:
    days = view.burnup(period, p["scope"], p["id"], p["metric"])
    days["projection"] = p["projection"]
    scope = view.scope_name(p["scope"], p["id"])
    return book.add(
        f"target-{period}-{p['scope']}-{p['id'] or 'all'}-{p['metric']}",
        "burnup_chart",
        days,
        title=view.tr("target.burnup", scope=scope, metric=view.tr(f"metric.{p['metric']}")),
        target=float(p["target"]),
        money=p["metric"] == "revenue",
    )


def activities_page(view: View, book: ChartBook) -> Page:
    """Activity mix, planned vs done per week and person, and what was not done."""
    tr, path = view.tr, urls.ACTIVITIES
    recent = view.recent_weeks(4)
    mix = activity_mix(view.ds.activities, recent)
    chart = book.add("activities-mix", "activity_chart", mix, title=tr("activities.title"))
    columns = ("activities_planned", "activities_done", "activities_missed", "activity_rate")
    weekly = company_weeks(view, path, columns)
    sums = activity_totals(view.metrics.facts, recent)
    labels = [link(view.person_name(p), urls.person_page(p), path) for p in sums.index]
    missed = view.report.alerts
    missed = missed[
        (missed["kind"] == "missed_activity") & (missed["date"] >= pd.Timestamp(parse_week(recent[0]).start))
    ]
    return Page(
        path,
        "activities.md.j2",
        {
            "first": tr.period(recent[0], False),
            "last": tr.period(recent[-1], False),
            "mix": chart,
            "weekly": weekly,
            "people": metric_table(view, sums, labels, tr("col.person"), columns) if len(sums) else "",
            "missed": alert_table(view, missed.iloc[::-1], path),
        },
    )


def prospects_page(view: View, book: ChartBook) -> Page:
    """The pipeline by stage, sources, open, stale and closed prospects."""
    tr, path = view.tr, urls.PROSPECTS
    day = pd.Timestamp(view.as_of)
    summary = view.metrics.prospects
    funnel = pipeline(summary)
    chart = book.add("prospects-funnel", "funnel_chart", funnel, title=tr("prospects.funnel"))
    columns = ("new_prospects", "prospects_won", "prospects_lost", "win_rate")
    weekly = company_weeks(view, path, columns)
    sources = summary.groupby("source").agg(
        count=("stage", "size"), won=("stage", lambda s: int((s == "won").sum()))
    )
    source_rows = [[md(s or "–"), tr.number(r["count"]), tr.number(r["won"])] for s, r in sources.iterrows()]
    open_ = summary[summary["open"]].sort_values("expected_value", ascending=False)
    stale_days = view.ds.config.thresholds.stale_prospect_days
    stale = open_[open_["stale"]]
    closed = summary[~summary["open"] & (summary["last_date"] >= day - pd.Timedelta(weeks=8))]
    return Page(
        path,
        "prospects.md.j2",
        {
            "funnel": chart,
            "weekly": weekly,
            "stale_days": stale_days,
            "sources": table(
                [tr("col.source"), tr("col.count"), tr("col.prospects_won")], source_rows, (1, 2)
            ),
            # Long lists stop at MAX_ROWS * 2 rows: the largest open, the longest stale, the latest closed.
            "open": _prospect_table(view, open_.head(MAX_ROWS * 2), path),
            "open_more": max(len(open_) - MAX_ROWS * 2, 0),
            "stale": _prospect_table(view, stale.sort_values("last_date").head(MAX_ROWS * 2), path),
            "stale_more": max(len(stale) - MAX_ROWS * 2, 0),
            "closed": _prospect_table(
                view, closed.sort_values("last_date", ascending=False).head(MAX_ROWS * 2), path
            ),
            "closed_more": max(len(closed) - MAX_ROWS * 2, 0),
        },
    )


def _prospect_table(view: View, frame: pd.DataFrame, path: str) -> str:
    tr = view.tr
    headers = [
        tr("col.prospect"),
        tr("col.owner"),
        tr("col.stage"),
        tr("col.source"),
        tr("col.expected_value"),
        tr("col.last_event"),
    ]
    rows = [
        [
            f"{md(r['name'])} ({md(pid)})",
            link(view.person_name(r["owner_id"]), urls.person_page(r["owner_id"]), path),
            tr(f"stage.{r['stage']}"),
            md(r["source"] or "–"),
            view.fmt("expected_value", r["expected_value"]),
            day_text(view, r["last_date"]),
        ]
        for pid, r in frame.iterrows()
    ]
    return table(headers, rows, numeric=(4,))


def downloads_page(view: View, rows: dict[str, int]) -> Page:
    """Links to the export CSVs."""
    files = [
        {
            "name": name,
            "path": urls.download(name),
            "text": view.tr(f"downloads.{name[:-4]}"),
            "rows": view.tr.number(count),
        }
        for name, count in rows.items()
    ]
    digests = managerpages.downloads_section(view)  # weekly digest and Atom feed
    return Page(urls.DOWNLOADS, "downloads.md.j2", {"files": files, "digests": digests})
