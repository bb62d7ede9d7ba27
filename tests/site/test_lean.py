"""Lean pages: burn-ups where readers look, summarised alert pages, capped lists, a small search index."""

from __future__ import annotations

import json
import re

import markdown
import pytest
from bs4 import BeautifulSoup
from fixtures import ROOT

from reports_gen.demo import generate_demo_data
from reports_gen.metrics.report import compute_report
from reports_gen.site import pages
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.views import View


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """8 people in 2 teams, 10 weeks from 2026-W38 to 2026-W47 (as of Sun 22 Nov 2026)."""
    data = tmp_path_factory.mktemp("lean") / "data"
    generate_demo_data(data, people=8, weeks=10, seed=3)
    report = compute_report(data)
    return View(report)


def _rows(table: str) -> list[list[str]]:
    """The body rows of a generated table (Markdown or HTML) as cell texts."""
    html = BeautifulSoup(markdown.markdown(table, extensions=["tables"]), "html.parser")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in html.select("tbody tr")]


def _target_pages(view: View) -> tuple[ChartBook, dict[str, pages.Page]]:
    book = ChartBook(view.tr)
    return book, {page.path: page for page in pages.target_pages(view, book)}


def test_team_burnups_only_for_current_and_recently_ended_periods(demo):
    _, planned = _target_pages(demo)
    burnups = {path: page.context.get("burnups", []) for path, page in planned.items()}
    # The last 4 weeks start on Mon 26 Oct: October (ended Sat 31 Oct) is recent, September
    # (ended Wed 30 Sep) and Q3 are not; November and Q4 are current.
    for period in ("2026-11", "2026-10"):
        names = burnups[f"targets/{period}/index.md"]
        assert f"target-{period}-team-sby-timur-revenue" in names
        assert f"target-{period}-team-sidoarjo-revenue" in names
        assert f"target-{period}-company-all-revenue" in names
    for period in ("2026-09", "2026-Q3"):
        names = burnups[f"targets/{period}/index.md"]
        assert names, period  # the company's own burn-ups stay
        assert all("-company-all-" in name for name in names), names


def test_long_people_list_on_a_target_page_keeps_the_lowest_attainment(demo, monkeypatch):
    monkeypatch.setattr(pages, "MAX_ROWS", 3)
    _, planned = _target_pages(demo)
    page = planned["targets/2026-11/index.md"]
    people = demo.all_periods
    people = people[(people["period"] == "2026-11") & (people["scope"] == "person")]
    assert page.context["people_total"] == len(people) > 3
    assert page.context["people_shown"] == 3
    # The three rows shown are the three lowest attainments, lowest first.
    lowest = sorted(people["attainment"].dropna())[:3]
    rows = _rows(page.context["people"])
    assert len(rows) == 3
    for row, attainment in zip(rows, lowest, strict=True):
        assert demo.tr.percent(attainment) in " ".join(row)


def test_large_index_lists_the_company_targets_only(demo, monkeypatch):
    # 2 teams: every period's company and team rows fit in MAX_ROWS; with a limit of 5 they do
    # not, and the index keeps the company's rows (each period here has a company target).
    every = demo.all_periods
    monkeypatch.setattr(pages, "MAX_ROWS", 5)
    picked = pages._headline(every)
    assert set(picked["scope"]) == {"company"}
    assert len(picked) == int((every["scope"] == "company").sum())
    monkeypatch.setattr(pages, "MAX_ROWS", 10_000)
    assert set(pages._headline(every)["scope"]) == {"company", "team"}


def test_alert_week_page_is_summarised(demo):
    week = "2026-W47"
    page = pages.alerts_week(demo, week)
    alerts = demo.alerts_in(week)
    per_team = demo.ds.config.thresholds.home_alerts_per_team
    total = 0
    for team in page.context["teams"]:
        assert len(_rows(team["top"])) <= per_team
        rows = _rows(team["everyone"])
        total += sum(int(n) for row in rows for n in re.findall(r"\d+", row[1]))
        # One row per person (or the team itself) with alerts in that team.
        team_id = "" if team["anchor"] == "team-company" else team["anchor"].removeprefix("team-")
        assert len(rows) == alerts.loc[alerts["team_id"] == team_id, "person_id"].nunique()
    # The counts add up to every alert of the week: nothing is lost, only summarised.
    assert total == len(alerts)


def test_prospect_lists_are_capped(demo, monkeypatch):
    monkeypatch.setattr(pages, "MAX_ROWS", 1)
    page = pages.prospects_page(demo, ChartBook(demo.tr))
    summary = demo.metrics.prospects
    open_ = int(summary["open"].sum())
    for key in ("open", "stale", "closed"):
        assert len(_rows(page.context[key])) <= 2  # MAX_ROWS * 2
    assert page.context["open_more"] == max(open_ - 2, 0)


def test_search_index_keeps_names_and_drops_figures(example_site):
    index = json.loads((example_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    report = compute_report(ROOT / "data")
    titles = {(d["location"].split("#")[0], d["title"]) for d in docs}
    for person in report.dataset.org.people:
        assert (f"people/{person.id}/index.html", person.name) in titles
    for team in report.dataset.org.teams:
        assert any(loc == f"teams/{team.id}/index.html" for loc, _ in titles)
    # The report pages this change covers (the manager pages index their own short texts).
    kinds = ("index.html", "people/", "teams/", "weeks/", "targets/", "alerts/", "prospects", "activities")
    generated = [d for d in docs if d["location"].startswith(kinds)]
    assert len(generated) >= len(report.dataset.org.people)
    # No figure (rupiah amount) and no freshness note of those pages is indexed.
    assert not [d["location"] for d in generated if "Rp" in d["text"]]
    assert not [d["location"] for d in generated if "Data sampai" in d["text"]]
    assert any(d["text"] for d in docs if d["location"].startswith("guide/"))  # the guide stays


def test_chart_data_is_on_the_page_but_not_in_the_search_index(example_site):
    person = next(p for p in compute_report(ROOT / "data").dataset.org.people if p.role == "sales")
    page = example_site.site_dir / "people" / person.id / "index.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tables = html.select("div.rg-quiet details table")
    assert tables  # the chart's numbers are still one click away
