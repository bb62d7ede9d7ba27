"""What the generated pages share: the page record, the column sets, tables, links and per-view caches."""

from __future__ import annotations

import contextlib
import gc
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from reports_gen.metrics.weekly import HEADLINE_METRICS
from reports_gen.site import urls
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.markdown import link, md, relative, table
from reports_gen.site.views import View

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


# -- shared pieces -------------------------------------------------------------------------------


def metric_table(
    view: View, frame: Any, first: list[str], first_header: str, columns: tuple[str, ...]
) -> str:
    headers = [first_header] + [view.tr(f"col.{c}") for c in columns]
    # Column by column: each distinct value is formatted once (Babel is slow per call).
    cells = [[_att(text, c) for text in view.fmt_column(c, frame[c].tolist())] for c in columns]
    rows = [[label, *figures] for label, figures in zip(first, zip(*cells, strict=True), strict=True)]
    return table(headers, rows, numeric=range(1, len(headers)))


def figure_text(view: View, column: str, value: float) -> str:
    return _att(view.fmt(column, value), column)


FULL_PERIOD = ("target", "actual", "attainment", "expected_to_date", "pace", "projection", "required_per_day")
SHORT_PERIOD = ("target", "actual", "attainment", "pace", "projection")


def period_table(
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
    memo = page_memo(view)
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
    memo = page_memo(view)
    if key not in memo:
        memo[key] = link(view.scope_name(scope, ident), urls.scope_page(scope, ident), page)
    return memo[key]


def page_memo(view: View) -> dict[tuple[Any, ...], Any]:
    """Cells the pages repeat (links, days), made once per view.

    A link's text depends only on the ids and on the folder of the page it is on (markdown.relative).
    """
    found = view.__dict__.get("_page_memo")
    if found is None:
        found = view.__dict__["_page_memo"] = {}
    return found


def memo_link(memo: dict[tuple[Any, ...], Any], text: str, target: str, page: str) -> str:
    """`markdown.link(text, target, page)`, the path between two folders worked out once."""
    return f"[{text}]({memo_url(memo, target, page)})"


def memo_url(memo: dict[tuple[Any, ...], Any], target: str, page: str) -> str:
    """`markdown.relative(target, page)`, the path between two folders worked out once."""
    folder, _, name = target.rpartition("/")
    if name in ("", ".", ".."):
        return relative(target, page)
    key = ("relative", folder, posixpath.dirname(page))
    if key not in memo:
        memo[key] = relative(folder or ".", page)
    up = memo[key]
    return name if up == "." else f"{up}/{name}"


def page_link(view: View, kind: str, ident: str, text: str, path: str) -> str:
    """A Markdown link to a person's or team's page, made once per place it is linked from."""
    target = urls.person_page(ident) if kind == "person" else urls.team_page(ident)
    key = (f"{kind}-page", ident, *link_key(target, path))
    memo = page_memo(view)
    if key not in memo:
        memo[key] = link(text, target, path)
    return memo[key]


def link_key(target: str, page: str) -> tuple[Any, ...]:
    """What markdown.relative(target, page) depends on: the page's folder, or only how deep it is
    when the target lies in another top folder (the path climbs to the root, then down), so that
    the week pages (weeks/2026-W01/, weeks/2026-W02/...) share their links to people and teams."""
    folder = posixpath.dirname(page)
    parts = folder.split("/") if folder else []
    clean = all(p not in ("", ".", "..") for p in parts) and not target.startswith((".", "/"))
    if parts and clean and target.partition("/")[0] != parts[0]:
        return ("depth", len(parts))
    return ("folder", folder)


def per_view(view: View, name: str, make: Any) -> Any:
    """Return `make(view)`, computed once per view (what every person's page looks up)."""
    key = f"_pages_{name}"
    if key not in view.__dict__:
        view.__dict__[key] = make(view)
    return view.__dict__[key]


def trend_charts(
    view: View, book: ChartBook, scope: str, ident: str, prefix: str, title: str, sales: bool = True
) -> list[str]:
    def weeks(*columns: str) -> pd.DataFrame:
        return view.series_columns(scope, ident, ["week", *columns])

    th = view.ds.config.thresholds
    tr = view.tr
    names = [
        book.add(
            f"{prefix}-revenue",
            "revenue_chart",
            weeks("revenue", "revenue_target"),
            title=tr("kpi.revenue"),
        )
    ]
    if sales:
        names.append(
            book.add(
                f"{prefix}-calls",
                "calls_chart",
                weeks("actual_calls", "effective_calls", "ec_ratio"),
                title=f"{tr('kpi.actual_calls')} / {tr('kpi.effective_calls')}",
                ec_threshold=th.ec_ratio,
            )
        )
        names.append(
            book.add(
                f"{prefix}-compliance",
                "compliance_chart",
                weeks("pjp_rate", "coverage"),
                title=f"{tr('kpi.pjp_rate')} / {tr('kpi.coverage')}",
                pjp_threshold=th.pjp_rate,
                coverage_threshold=th.coverage,
            )
        )
    return names


def company_weeks(view: View, path: str, columns: tuple[str, ...]) -> str:
    """The company's figures per week, newest first, each week linked from `path`."""
    frame = WeeklyRows(view, np.array([view.positions("company", [""], w)[0] for w in reversed(view.weeks)]))
    labels = [link(view.week_label(w), urls.week_page(w), path) for w in reversed(view.weeks)]
    return metric_table(view, frame, labels, view.tr("col.week"), columns)


def working_people(view: View, people: list[Any], week: str) -> tuple[list[Any], np.ndarray]:
    """The people who worked in a week (leavers and people not started yet drop out), with their
    rows in view.metrics.weekly."""
    at = view.positions("person", [p.id for p in people], week)
    shown = (view.column("working_days")[at] > 0) | (view.column("actual_calls")[at] > 0)
    return [p for p, keep in zip(people, shown.tolist(), strict=True) if keep], at[shown]


class WeeklyRows:
    """Rows of view.metrics.weekly read column by column (what metric_table reads), no frame cut."""

    def __init__(self, view: View, at: np.ndarray):
        self.view, self.at = view, at

    def __getitem__(self, column: str) -> np.ndarray:
        return self.view.column(column)[self.at]


def people_tables(view: View, people: list[Any], week: str, path: str) -> dict[str, str]:
    """Sales people on sales figures, marketing people on activities and prospects."""
    kept, at = working_people(view, people, week)
    out = {}
    for role, columns in (("sales", PERSON_COLUMNS), ("marketing", MARKETING_COLUMNS)):
        mine = [i for i, p in enumerate(kept) if p.role == role]
        out[role] = (
            metric_table(
                view,
                WeeklyRows(view, at[mine]),
                [page_link(view, "person", kept[i].id, md(kept[i].name), path) for i in mine],
                view.tr("col.person"),
                columns,
            )
            if mine
            else ""
        )
    return out


def _scope_period_rows(view: View) -> dict[tuple[str, str], np.ndarray]:
    periods = view.metrics.periods
    return periods.groupby(["scope", "id"], sort=False).indices if len(periods) else {}


def scope_periods(view: View, scope: str, ident: str) -> pd.DataFrame:
    """The current target periods of a team or person (the rows of view.metrics.periods, in order)."""
    at = per_view(view, "scope_periods", _scope_period_rows).get((scope, ident))
    periods = view.metrics.periods
    return periods.iloc[at] if at is not None else periods.iloc[:0]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while pages are planned, and restart it after.

    Planning makes millions of small objects (cells, links, strings) while the report's
    frames are alive; every so many, the collector walks all of them again, which cost about
    a sixth of planning on the large case. Pages make no reference cycles worth collecting
    early: whatever they leave is collected once the collector runs again.

    What planning made is then handed to the oldest generation (freeze, unfreeze) rather than
    walked by the young generations' next collections: it lives until the pages are written.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()  # every tracked object back in the oldest generation, none walked
        if was_enabled:
            gc.enable()
