"""Generated pages: each page kind is a function that turns the view into a template context."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from reports_gen.metrics.prospects import pipeline
from reports_gen.metrics.weekly import HEADLINE_METRICS, activity_mix, activity_totals
from reports_gen.site import alertparts, managerpages, outletbook, urls
from reports_gen.site.chartbook import Cells, ChartBook, table_cells
from reports_gen.site.markdown import link, md, relative, table
from reports_gen.site.views import View, day_text
from reports_gen.workcalendar import parse_period, parse_week

KPIS = HEADLINE_METRICS
WEEK_COLUMNS = (
    "attainment",
    "revenue",
    "revenue_target",
    "actual_calls",
    "effective_calls",
    "ec_ratio",
    "pjp_rate",
    "coverage",
    "activities_done",
    "new_prospects",
)
# Identity, then attainment (what a manager looks for first), then what explains it.
PERSON_COLUMNS = (
    "attainment",
    "revenue",
    "revenue_target",
    "actual_calls",
    "effective_calls",
    "ec_ratio",
    "pjp_rate",
    "coverage",
    "log_gap_days",
    "activities_done",
)
# Marketing people sell through others: they are judged on activities and prospects, not Rp0.
MARKETING_COLUMNS = (
    "activity_rate",
    "activities_planned",
    "activities_done",
    "activities_missed",
    "new_prospects",
    "log_gap_days",
)
MAX_ROWS = 50  # long lists are cut here; the CSV download has them all
MAX_GROUP_ROWS = 5  # per team and kind on a week's alert page
LIST_TEMPLATES = {"alerts_week.md.j2", "target.md.j2"}  # long lists, kept out of the search index

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("reports_gen", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # Markdown, not HTML: data text is escaped with `md` where it is placed
)
_ENV.filters["md"] = md


@dataclass
class Page:
    """A page to write: its path under the docs root, template and context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # The top tabs are the navigation: the left sidebar is hidden to leave room for tables.
    hide: tuple[str, ...] = ("navigation", "toc")
    # A title from the data (a name) is given explicitly: MkDocs would put the H1's text, tags
    # and all, into <title> unescaped.
    title: str | None = None
    # Long lists (a week's alerts, a period's targets) stay out of the search index: they would
    # swamp the results and slow the build; their people and teams have pages of their own.
    searchable: bool = True


def plan_pages(view: View, book: ChartBook, downloads: dict[str, int]) -> list[Page]:
    """Return every generated page, asking `book` for the charts they show."""
    pages = [home(view, book), weeks_index(view)]
    pages += [week_page(view, book, w) for w in view.weeks]
    pages += [teams_index(view)] + [team_page(view, book, t) for t in view.teams]
    pages += [people_index(view)] + [person_page(view, book, p) for p in view.people]
    pages += list(target_pages(view, book))
    pages += [activities_page(view, book), prospects_page(view, book), alerts_index(view)]
    pages += [alerts_week(view, w) for w in view.weeks]
    pages.append(downloads_page(view, downloads))
    for page in pages:
        page.searchable = page.template not in LIST_TEMPLATES
    pages += managerpages.plan_manager_pages(view, book)  # issue 13: the manager pages
    return pages


def render_pages(pages: list[Page], view: View, book: ChartBook) -> dict[str, str]:
    """Render every page's template; return path -> Markdown."""
    return dict(iter_pages(pages, view, book))


def iter_pages(pages: list[Page], view: View, book: ChartBook) -> Iterator[tuple[str, str]]:
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
        yield page.path, front + _ENV.get_template(page.template).render(context).lstrip("\n")


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


# -- shared pieces -------------------------------------------------------------------------------


def _metric_table(
    view: View, frame: Any, first: list[str], first_header: str, columns: tuple[str, ...]
) -> str:
    headers = [first_header] + [view.tr(f"col.{c}") for c in columns]
    # Column by column: each distinct value is formatted once (Babel is slow per call).
    cells = [[_att(text, c) for text in view.fmt_column(c, frame[c].tolist())] for c in columns]
    rows = [[label, *figures] for label, figures in zip(first, zip(*cells, strict=True), strict=True)]
    return table(headers, rows, numeric=range(1, len(headers)))


def _figure(view: View, column: str, value: float) -> str:
    return _att(view.fmt(column, value), column)


FULL_PERIOD = ("target", "actual", "attainment", "expected_to_date", "pace", "projection", "required_per_day")
SHORT_PERIOD = ("target", "actual", "attainment", "pace", "projection")


def _period_table(
    view: View,
    periods: pd.DataFrame,
    page: str,
    with_period: bool = True,
    columns: tuple[str, ...] = FULL_PERIOD,
    with_scope: bool = True,
) -> str:
    # Identity and status first: the badge is what a manager looks for.
    headers = (
        ([view.tr("col.period")] if with_period else [])
        + ([view.tr("col.scope")] if with_scope else [])
        + [view.tr("col.status"), view.tr("col.metric")]
        + [view.tr(f"col.{c}") for c in columns]
    )
    memo = _memo(view)
    where = posixpath.dirname(page)
    metrics = periods["metric"].tolist()
    figures = [[_att(t, c) for t in view.fmt_target_column(metrics, c, periods[c].tolist())] for c in columns]
    rows = []
    for i, (period, scope, ident, status, metric) in enumerate(
        zip(*(periods[c].tolist() for c in ("period", "scope", "id", "status")), metrics, strict=True)
    ):
        first = []
        if with_period:
            key = ("period", period, where)
            if key not in memo:
                memo[key] = link(view.period_label(period), urls.target_page(period), page)
            first.append(memo[key])
        if with_scope:
            first.append(_scope_link(view, scope, ident, page))
        rows.append(
            [*first, view.status(status), view.tr(f"metric.{metric}"), *(column[i] for column in figures)]
        )
    offset = len(headers) - len(columns)
    return table(headers, rows, numeric=range(offset, offset + len(columns)))


def _att(text: str, column: str) -> str:
    return f'<span class="rg-att">{text}</span>' if column == "attainment" else text


def _scope_link(view: View, scope: str, ident: str, page: str) -> str:
    if scope == "company":
        return view.tr("scope.company")
    key = ("scope", scope, ident, posixpath.dirname(page))
    memo = _memo(view)
    if key not in memo:
        memo[key] = link(view.scope_name(scope, ident), urls.scope_page(scope, ident), page)
    return memo[key]


def _memo(view: View) -> dict[tuple[Any, ...], Any]:
    """Cells the pages repeat (links, days), made once per view.

    A link's text depends only on the ids and on the folder of the page it is on (markdown.relative).
    """
    found = view.__dict__.get("_page_memo")
    if found is None:
        found = view.__dict__["_page_memo"] = {}
    return found


_ALERT_FIELDS = ("person_id", "team_id", "kind", "kind_label", "date", "outlet_id", "detail")


def _records(alerts: pd.DataFrame) -> list[dict[str, Any]]:
    """The alert fields the tables show, one dict per row (column by column, not row by row)."""
    fields = [f for f in _ALERT_FIELDS if f in alerts.columns]
    columns = [alerts[f].tolist() for f in fields]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


def _alert_table(
    view: View, alerts: pd.DataFrame, page: str, limit: int = MAX_ROWS, who: bool = True, kind: bool = True
) -> str:
    """Alert rows; the sentence never names the person, who has a column of their own."""
    return _alert_rows(view, _records(alerts.head(limit)), page, who, kind)


def _alert_rows(
    view: View, alerts: list[dict[str, Any]], page: str, who: bool = True, kind: bool = True
) -> str:
    headers = (
        ([view.tr("col.person")] if who else [])
        + ([view.tr("col.kind")] if kind else [])
        + [view.tr("col.date"), view.tr("col.detail")]
    )
    memo = _memo(view)
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
        url = None if memo[outlet] is None else _url(memo, memo[outlet], page)
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


def _link(memo: dict[tuple[Any, ...], Any], text: str, target: str, page: str) -> str:
    """`markdown.link(text, target, page)`, the path between two folders worked out once."""
    return f"[{text}]({_url(memo, target, page)})"


def _url(memo: dict[tuple[Any, ...], Any], target: str, page: str) -> str:
    """`markdown.relative(target, page)`, the path between two folders worked out once."""
    folder, _, name = target.rpartition("/")
    if name in ("", ".", ".."):
        return relative(target, page)
    key = ("relative", folder, posixpath.dirname(page))
    if key not in memo:
        memo[key] = relative(folder or ".", page)
    up = memo[key]
    return name if up == "." else f"{up}/{name}"


def _who(view: View, alert: dict[str, Any], page: str) -> str:
    key = ("who", alert["person_id"], alert["team_id"], posixpath.dirname(page))
    memo = _memo(view)
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


def _alert_groups(view: View, alerts: pd.DataFrame, page: str) -> list[dict[str, Any]]:
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
    fields = [f for f in _ALERT_FIELDS if f in alerts.columns]
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
                "table": _alert_rows(view, shown, page, who=False),
                "more": max(len(mine) - MAX_ROWS, 0),
            }
        )
    return groups


def _trend_charts(
    view: View, book: ChartBook, scope: str, ident: str, prefix: str, title: str, sales: bool = True
) -> list[str]:
    weeks = view.series(scope, ident)
    th = view.ds.config.thresholds
    tr = view.tr
    names = [
        book.add(
            f"{prefix}-revenue",
            "revenue_chart",
            weeks[["week", "revenue", "revenue_target"]],
            title=tr("kpi.revenue"),
        )
    ]
    if sales:
        names.append(
            book.add(
                f"{prefix}-calls",
                "calls_chart",
                weeks[["week", "actual_calls", "effective_calls", "ec_ratio"]],
                title=f"{tr('kpi.actual_calls')} / {tr('kpi.effective_calls')}",
                ec_threshold=th.ec_ratio,
            )
        )
        names.append(
            book.add(
                f"{prefix}-compliance",
                "compliance_chart",
                weeks[["week", "pjp_rate", "coverage"]],
                title=f"{tr('kpi.pjp_rate')} / {tr('kpi.coverage')}",
                pjp_threshold=th.pjp_rate,
                coverage_threshold=th.coverage,
            )
        )
    return names


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
            "targets": _period_table(view, current[kinds], path, columns=SHORT_PERIOD),
            "trend": trend,
            "teams": _home_alerts(view, alerts, path),
            "alerts_more": more,
        },
        # <title> becomes "Beranda - <company>", not the company twice.
        title=view.tr("nav.home"),
    )


def _home_alerts(view: View, alerts: pd.DataFrame, path: str) -> list[dict[str, str]]:
    """Per team, the few alerts that matter most (config thresholds) and counts for the rest.

    One row per person and kind, most severe first (then in the order of ALERT_KINDS), the
    kind carrying its count: three days without logs are one row, not three.
    """
    parts = alertparts.team_alerts(view, alerts, np.zeros(len(alerts), dtype=object))
    return _home_teams(view, parts.get(0, []), path)


def _home_teams(view: View, parts: list[alertparts.TeamAlerts], path: str) -> list[dict[str, str]]:
    """The home-page form of each team's alerts (alertparts.team_alerts) on the page at `path`."""
    memo = _memo(view)
    return [
        {
            "id": t.team_id,
            "name": _link(memo, view.team_name(t.team_id), urls.team_page(t.team_id), path)
            if t.team_id
            else view.tr("scope.company"),
            "table": _alert_rows(view, t.top[:MAX_ROWS], path),
            "rest": view.tr("home.alerts_rest", counts=_count_text(view, t.rest)) if t.rest.total() else "",
        }
        for t in parts
    ]


def _company_weeks(view: View, path: str, columns: tuple[str, ...]) -> str:
    """The company's figures per week, newest first, each week linked from `path`."""
    frame = _WeeklyRows(view, np.array([view.positions("company", [""], w)[0] for w in reversed(view.weeks)]))
    labels = [link(view.week_label(w), urls.week_page(w), path) for w in reversed(view.weeks)]
    return _metric_table(view, frame, labels, view.tr("col.week"), columns)


def weeks_index(view: View) -> Page:
    """Every week, newest first."""
    path = urls.WEEKS
    return Page(path, "weeks.md.j2", {"table": _company_weeks(view, path, WEEK_COLUMNS)})


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
    team_rows = _WeeklyRows(view, view.positions("team", teams, week))
    kept, at = _workers(view, list(view.people.values()), week)
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
            "teams": _metric_table(
                view,
                team_rows,
                [_page_link(view, "team", t, view.team_name(t), path) for t in teams],
                view.tr("col.team"),
                WEEK_COLUMNS,
            ),
            "people": _people_tables(view, list(view.people.values()), week, path),
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
    frame = _WeeklyRows(view, view.positions("team", list(view.teams), week))
    labels = [link(view.team_name(t), urls.team_page(t), path) for t in view.teams]
    return Page(
        path,
        "teams.md.j2",
        {
            "week": view.week_label(week, long=True),
            "table": _metric_table(view, frame, labels, view.tr("col.team"), WEEK_COLUMNS),
        },
    )


def team_page(view: View, book: ChartBook, team_id: str) -> Page:
    """A team's trends, targets, members and alerts."""
    path, week, team = urls.team_page(team_id), view.latest, view.teams[team_id]
    members = view.ds.org.members(team_id)
    workers = len(_workers(view, members, week)[0])
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
            "trend": _trend_charts(view, book, "team", team_id, f"team-{team_id}", team.name),
            "targets": _period_table(view, _scope_periods(view, "team", team_id), path, with_scope=False),
            "week": link(view.week_label(week), urls.week_page(week), path),
            "members": _people_tables(view, members, week, path),
            "alerts": _alert_groups(view, alerts, path),
        },
        title=view.tr("team.title", name=team.name),
    )


def _workers(view: View, people: list[Any], week: str) -> tuple[list[Any], np.ndarray]:
    """The people who worked in a week (leavers and people not started yet drop out), with their
    rows in view.metrics.weekly."""
    at = view.positions("person", [p.id for p in people], week)
    shown = (view.column("working_days")[at] > 0) | (view.column("actual_calls")[at] > 0)
    return [p for p, keep in zip(people, shown.tolist(), strict=True) if keep], at[shown]


class _WeeklyRows:
    """Rows of view.metrics.weekly read column by column (what _metric_table reads), no frame cut."""

    def __init__(self, view: View, at: np.ndarray):
        self.view, self.at = view, at

    def __getitem__(self, column: str) -> np.ndarray:
        return self.view.column(column)[self.at]


def _people_tables(view: View, people: list[Any], week: str, path: str) -> dict[str, str]:
    """Sales people on sales figures, marketing people on activities and prospects."""
    kept, at = _workers(view, people, week)
    out = {}
    for role, columns in (("sales", PERSON_COLUMNS), ("marketing", MARKETING_COLUMNS)):
        mine = [i for i, p in enumerate(kept) if p.role == role]
        out[role] = (
            _metric_table(
                view,
                _WeeklyRows(view, at[mine]),
                [_page_link(view, "person", kept[i].id, md(kept[i].name), path) for i in mine],
                view.tr("col.person"),
                columns,
            )
            if mine
            else ""
        )
    return out


def people_index(view: View) -> Page:
    """Everyone who worked in the latest week, by team."""
    path, week = urls.PEOPLE, view.latest
    teams = []
    for team_id, team in view.teams.items():
        tables = _people_tables(view, view.ds.org.members(team_id), week, path)
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
    alerts = _per_view(view, "alert_fields", _alert_fields)
    dates = alerts["date"]
    activities = [i for i in _alerts_at(view, person_id, "missed_activity") if dates[i] >= recent_start]
    gaps = [dates[i] for i in _alerts_at(view, person_id, "log_gap") if dates[i] >= recent_start]
    overdue = [alerts["outlet_id"][i] for i in _alerts_at(view, person_id, "overdue_outlet")[: MAX_ROWS * 2]]
    metrics = KPIS if sales else ("activity_rate", "activities_done", "new_prospects", "log_gap_days")
    return Page(
        path,
        "person.md.j2",
        {
            "title": md(person.name),
            "lead": lead,
            "is_sales": sales,
            "cards": view.cards("person", person_id, week, metrics),
            "trend": _trend_charts(view, book, "person", person_id, f"person-{person_id}", person.name, sales)
            if sales
            else [],
            "targets": _period_table(view, _scope_periods(view, "person", person_id), path, with_scope=False),
            "overdue": _overdue_table(view, overdue, path),
            "outlet_count": int(_per_view(view, "outlet_counts", _outlet_counts).get(person_id, 0)),
            "week": link(view.week_label(week), urls.week_page(week), path),
            "missed_calls": _missed_calls(view, person_id, week),
            "missed_activities": _alert_rows(
                view, [{f: column[i] for f, column in alerts.items()} for i in activities[:MAX_ROWS]], path
            ),
            "log_gaps": ", ".join(day_text(view, d) for d in gaps),
        },
        title=person.name,
    )


def _per_view(view: View, name: str, make: Any) -> Any:
    """Return `make(view)`, computed once per view (what every person's page looks up)."""
    key = f"_pages_{name}"
    if key not in view.__dict__:
        view.__dict__[key] = make(view)
    return view.__dict__[key]


def _alerts_at(view: View, person_id: str, kind: str) -> list[int]:
    """The rows of a person's alerts of one kind, in the order of the alerts (grouped once)."""
    at = _per_view(view, "alert_kinds", _alert_kinds).get((person_id, kind))
    return [] if at is None else at.tolist()


def _alert_fields(view: View) -> dict[str, list[Any]]:
    """The alert fields the tables show, each a list by alert row (as _records reads them)."""
    alerts = view.report.alerts
    return {f: alerts[f].tolist() for f in _ALERT_FIELDS if f in alerts.columns}


def _alert_kinds(view: View) -> dict[tuple[str, str], np.ndarray]:
    alerts = view.report.alerts
    return dict(alerts.groupby(["person_id", "kind"], sort=False).indices) if len(alerts) else {}


def _outlet_counts(view: View) -> pd.Series:
    return view.ds.outlets["rep_id"].value_counts()


def _scope_period_rows(view: View) -> dict[tuple[str, str], np.ndarray]:
    periods = view.metrics.periods
    return periods.groupby(["scope", "id"], sort=False).indices if len(periods) else {}


def _scope_periods(view: View, scope: str, ident: str) -> pd.DataFrame:
    """The current target periods of a team or person (the rows of view.metrics.periods, in order)."""
    at = _per_view(view, "scope_periods", _scope_period_rows).get((scope, ident))
    periods = view.metrics.periods
    return periods.iloc[at] if at is not None else periods.iloc[:0]


def _page_link(view: View, kind: str, ident: str, text: str, path: str) -> str:
    """A Markdown link to a person's or team's page, made once per folder (as markdown.relative)."""
    key = (f"{kind}-page", ident, posixpath.dirname(path))
    memo = _memo(view)
    if key not in memo:
        memo[key] = link(text, urls.person_page(ident) if kind == "person" else urls.team_page(ident), path)
    return memo[key]


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
    memo = _memo(view)
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
    outlets = _per_view(view, "outlets", lambda v: v.ds.outlets.set_index("outlet_id")).loc[ids]
    seen = pd.to_datetime(view.last_visits.reindex(ids))
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
    missed = view.missed_calls(person_id, week).head(MAX_ROWS)
    if missed.empty:
        return ""  # markdown.table of no rows
    tr = view.tr
    page = urls.person_page(person_id)
    headers = [tr("col.date"), tr("col.outlet"), tr("col.notes")]
    cells = _missed_cells(view, week)
    rows = [
        [day, managerpages.outlet_link(view, outlet_id, name, page), notes]
        for outlet_id, (day, name, notes) in zip(
            missed["outlet_id"], (cells[i] for i in missed.index), strict=True
        )
    ]
    return table(headers, rows)


def _missed_cells(view: View, week: str) -> dict[Any, tuple[str, str, str]]:
    """Each missed call of a week (by row label): its day, outlet name and notes, made at once."""
    memo = _memo(view)
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


def target_pages(view: View, book: ChartBook) -> Iterator[Page]:
    """The targets index and one page per target period with its burn-up charts."""
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
                    "table": _period_table(view, _headline(subset), urls.TARGETS, columns=SHORT_PERIOD),
                }
            )
    yield Page(urls.TARGETS, "targets.md.j2", {"sections": sections})
    # Team burn-ups where a reader looks: the current periods and those ended in the last 4 weeks.
    recent = pd.Timestamp(parse_week(view.recent_weeks(4)[0]).start)
    for period, rows in every.groupby("period", sort=False):
        yield _target_page(view, book, str(period), rows, recent)


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
            "summary": _period_table(view, _headline(rows), path, with_period=False),
            "burnups": burnups,
            "people": _period_table(view, people, path, with_period=False, columns=SHORT_PERIOD)
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
    weekly = _company_weeks(view, path, columns)
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
            "people": _metric_table(view, sums, labels, tr("col.person"), columns) if len(sums) else "",
            "missed": _alert_table(view, missed.iloc[::-1], path),
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
    weekly = _company_weeks(view, path, columns)
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
            "current": _home_alerts(view, current, path),
            "everyone": table([tr("col.person"), tr("col.alerts")], everyone),
        },
    )


def alerts_week(view: View, week: str) -> Page:
    """One week's alerts by team: the few that matter most, then everyone's counts per kind.

    The rows themselves are in alerts.csv: on a large company a week has thousands.
    """
    tr, path = view.tr, urls.alerts_page(week)
    parts, counts = _per_view(view, "alert_weeks", _alert_weeks)
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
