"""The manager pages (issue 13): insights hub, outlet books, rankings, no-order reasons and
order channels, period-to-date comparisons, the open pipeline, and the hooks other pages call
(outlet links, a target period's breakdown, the digest downloads).

Every figure comes from `metrics.insights` / `metrics.comparisons` / `metrics.digest`; this
module only arranges and formats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import pandas as pd

from reports_gen.metrics import insights
from reports_gen.site import outletbook, urls
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.htmlparts import Cell, Formats, Links, directory_urls, each, esc, period_name, sort_key
from reports_gen.site.markdown import link
from reports_gen.site.pageparts import Page
from reports_gen.site.views import View


@dataclass
class Manager:
    """What the manager pages share: the view, formatters, links and the computed insights."""

    view: View
    links: Links
    # the outlet books are made in this many parts (runs of reps): a large company's books are
    # 55 MB of HTML, which one part would hold at once, on one core
    book_parts: int = 8

    @cached_property
    def fmt(self) -> Formats:
        """Cached locale formatters."""
        return Formats(self.view.tr)

    @cached_property
    def history(self) -> insights.OutletHistory:
        """Every outlet's history as of D."""
        report = self.view.report
        return insights.outlet_history(report.dataset, report.metrics, report.alerts)

    @cached_property
    def books(self) -> pd.Series:
        """outlet_id -> the page of its outlet book."""
        return outletbook.book_pages(self.view.ds.outlets)

    @cached_property
    def book_runs(self) -> list[pd.Series]:
        """The books in `book_parts` runs of reps, in rep order: outlet_id -> book page each."""
        books = self.books
        reps = books.str.split("/").str[1].to_numpy()  # the book page's rep
        order, n = pd.unique(reps), self.book_parts
        runs = [order[len(order) * k // n : len(order) * (k + 1) // n] for k in range(n)]
        return [books[pd.Index(reps).isin(run)] for run in runs]

    @cached_property
    def book_siblings(self) -> dict[str, list[str]]:
        """rep -> every page of the rep's book, in order (for the links between them)."""
        siblings: dict[str, list[str]] = {}
        for page in self.books.unique():
            siblings.setdefault(page.split("/")[1], []).append(page)
        return {r: sorted(ps, key=outletbook.book_part) for r, ps in siblings.items()}

    @cached_property
    def visit_map(self) -> pd.DataFrame:
        """The outlets with a place and their status in D's week (for the books' maps)."""
        return insights.week_visit_map(self.view.ds, self.view.as_of)

    @cached_property
    def reasons(self) -> pd.DataFrame:
        """Visits without an order by week, team, person and reason."""
        return insights.no_order_reasons(self.view.ds, self.view.metrics.people)

    @cached_property
    def channels(self) -> pd.DataFrame:
        """Orders per week, team and channel."""
        return insights.order_channels(self.view.ds, self.view.metrics.people)

    @cached_property
    def drop_sizes(self) -> dict[tuple[str, str, str], float]:
        """(scope, id, week) -> the weekly drop size (what View.row gives, without a row lookup)."""
        weekly = self.view.metrics.weekly
        keys = zip(weekly["scope"].tolist(), weekly["id"].tolist(), weekly["week"].tolist(), strict=True)
        return dict(zip(keys, weekly["drop_size"].to_numpy(), strict=True))

    def share(self) -> None:
        """Compute what several parts read, once, before the parts are shared with a forked
        process: neither process then computes it again, and the child reads it copy-on-write."""
        for name in ("history", "books", "book_runs", "book_siblings", "visit_map"):
            getattr(self, name)

    def person(self, person_id: str, page: str) -> str:
        """An HTML link to a person's page."""
        return self.links.a(
            esc(self.view.people[person_id].name if person_id in self.view.people else person_id),
            urls.person_page(person_id),
            page,
        )

    def team(self, team_id: str, page: str) -> str:
        """An HTML link to a team's page."""
        team = self.view.teams.get(team_id)
        return self.links.a(esc(team.name if team else team_id), urls.team_page(team_id), page)


def manager_for(view: View, project: Path | None = None) -> Manager:
    """Return the view's Manager (one per view, so the insights are computed once)."""
    found = view.__dict__.get("_mgr")
    if found is None:
        found = Manager(view, Links(directory_urls(project) if project else True))
        view.__dict__["_mgr"] = found
    return found


# -- hooks called from the existing pages ------------------------------------------------------------


def outlet_link(view: View, outlet_id: str, text: str, page: str) -> str:
    """Return a Markdown link from `page` to an outlet's history (text: escaped Markdown)."""
    books = manager_for(view).books
    if outlet_id not in books.index:
        return text
    return link(text, outletbook.outlet_target(books, outlet_id), page)


def manager_parts(view: View, project: Path | None = None) -> list[Callable[[ChartBook], list[Page]]]:
    """The manager pages in site order, a family of pages per part (see `pages._parts`); each
    part asks its book for its charts."""
    from reports_gen.site import managercompare, managerpipeline, managerreasons
    from reports_gen.site import managerviews as mv

    def full_width(made: Iterable[Page]) -> list[Page]:
        pages = list(made)
        for page in pages:
            page.hide = ("navigation", "toc")
        return pages

    m = manager_for(view, project)
    books = [partial(lambda book, k: full_width(mv.outlet_books(m, k)), k=k) for k in range(m.book_parts)]
    return [
        lambda book: full_width([mv.hub_page(m)]),
        lambda book: full_width([mv.outlets_index(m)]),
        *books,
        lambda book: full_width(mv.ranking_pages(m)),
        lambda book: full_width(managerreasons.reason_pages(m, book)),
        lambda book: full_width([managercompare.comparisons_page(m)]),
        lambda book: full_width(managerpipeline.pipeline_pages(m, book)),
    ]


def target_breakdown(view: View, period: str, page: str) -> str:
    """Return a target period's breakdown (teams, people, sub-periods) as Markdown with HTML tables."""
    from reports_gen.site import managerviews as mv

    return mv.breakdown_section(manager_for(view), period, page)


def downloads_section(view: View) -> str:
    """Return the Downloads page's list of weekly digests and the Atom feed."""
    from reports_gen.site import managerviews as mv

    return mv.downloads_list(manager_for(view))


def abbr(m: Manager, key: str) -> str:
    """A column header with its explanation as <abbr title>, where the short form needs one."""
    tr = m.view.tr
    short, long = tr(f"mgr.col.{key}"), tr(f"mgr.abbr.{key}")
    return f'<abbr title="{esc(long)}">{short}</abbr>' if long != f"mgr.abbr.{key}" else short


def period_label(m: Manager, code: str | None) -> str:
    """Name a period as people say it ('November 2026'); '' for none."""
    return period_name(m.view.tr, code)


def cell_money(m: Manager, value: float) -> Cell:
    """A money cell sorted by its value."""
    return Cell("–" if pd.isna(value) else m.fmt.money(value), sort_key(value))


def cell_number(m: Manager, value: float) -> Cell:
    """A count cell sorted by its value."""
    return Cell("–" if pd.isna(value) else m.fmt.number(value), sort_key(value))


def cell_percent(m: Manager, value: float) -> Cell:
    """A percentage cell sorted by its value."""
    return Cell("–" if pd.isna(value) else m.fmt.percent(value), sort_key(value))


def money_cells(m: Manager, values: object) -> list[Cell]:
    """`cell_money` of every value of a column, each distinct value formatted once."""
    return _cells(m.fmt.money_each(values), values)


def number_cells(m: Manager, values: object) -> list[Cell]:
    """`cell_number` of every value of a column, each distinct value formatted once."""
    return _cells(m.fmt.number_each(values), values)


def percent_cells(m: Manager, values: object) -> list[Cell]:
    """`cell_percent` of every value of a column, each distinct value formatted once."""
    return _cells(m.fmt.percent_each(values), values)


def _cells(texts: object, values: object) -> list[Cell]:
    column = pd.Series(values)
    shown = pd.Series(texts, dtype=object).where(column.notna().to_numpy(), "–")
    return [Cell(t, k) for t, k in zip(shown, each(column, sort_key), strict=True)]
