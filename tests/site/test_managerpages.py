"""The manager pages (issue 13) in the built example site, checked against the export
(`downloads/weekly.csv`) and against the raw rows of the data files, read here with plain pandas."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from fixtures import ROOT

from reports_gen.i18n import Translator
from reports_gen.site.htmlparts import Cell, Links, html_table

DATA = ROOT / "data"
TR = Translator("id", "IDR")  # the example's language; used only to format expected figures


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def raw():
    """Every week's calls and sales as written in the files, and the outlets."""
    calls = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(DATA.glob("weeks/*/calls.csv"))]
    )
    sales = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(DATA.glob("weeks/*/sales.csv"))]
    )
    for frame in (calls, sales):
        frame["date"] = pd.to_datetime(frame["date"])
        frame["order_value"] = pd.to_numeric(frame["order_value"].replace("", "0"))
        frame["week"] = frame["date"].dt.strftime("%G-W%V")
    calls["visited"] = calls["visited"].str.lower().isin(["yes", "y", "true", "1", "ya"])
    outlets = pd.read_csv(DATA / "outlets.csv", dtype=str, keep_default_na=False)
    return calls, sales, outlets


@pytest.fixture(scope="module")
def weekly(example_site):
    return pd.read_csv(
        example_site.site_dir / "downloads" / "weekly.csv", dtype={"id": str}, keep_default_na=False
    )


def _value(weekly: pd.DataFrame, week: str, scope: str, ident: str, metric: str) -> float:
    row = weekly[
        (weekly["week"] == week)
        & (weekly["scope"] == scope)
        & (weekly["id"] == ident)
        & (weekly["metric"] == metric)
    ]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_every_outlet_has_an_anchor_in_its_reps_book(example_site, raw):
    _, _, outlets = raw
    site = example_site.site_dir
    found = {}
    for page in sorted((site / "outlets").glob("*/*.html")) + sorted((site / "outlets").glob("*/*/*.html")):
        for section in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
            "section.mgr-outlet"
        ):
            found[section["id"]] = page.relative_to(site).parts[1]  # outlets/<rep>/...
    assert found == dict(zip(outlets["outlet_id"], outlets["rep_id"], strict=True))


def test_outlet_sections_match_the_raw_rows(example_site, raw):
    calls, sales, outlets = raw
    site = example_site.site_dir
    as_of = pd.Timestamp("2026-11-22")  # Sunday of the latest week folder, 2026-W47
    first = pd.Timestamp("2026-08-24")  # Monday 12 weeks before W47's Monday: 13 calendar weeks
    sample = outlets.iloc[::97]  # a fixed spread of outlets over every rep
    assert len(sample) >= 8
    for outlet in sample.itertuples():
        books = sorted((site / "outlets" / outlet.rep_id).rglob("*.html"))
        section = next(
            s
            for b in books
            for s in BeautifulSoup(b.read_text(encoding="utf-8"), "html.parser").select(
                f'section[id="{outlet.outlet_id}"]'
            )
        )
        mine = calls[(calls["outlet_id"] == outlet.outlet_id) & (calls["date"] <= as_of)]
        window = mine[mine["date"] >= first]
        visited = window[window["visited"]]
        text = section.get_text(" ", strip=True)
        last = mine.loc[mine["visited"], "date"].max()
        assert f"Kunjungan terakhir: {TR.date(last.date())} · {(as_of - last).days} hari lalu" in text, outlet
        assert f"kunjungan {len(visited)} ·" in text
        assert f"order {int((visited['order_value'] > 0).sum())} ·" in text
        my_sales = sales[
            (sales["outlet_id"] == outlet.outlet_id) & (sales["date"] >= first) & (sales["date"] <= as_of)
        ]
        total = window["order_value"].sum() + my_sales["order_value"].sum()
        assert f"omzet {TR.money(total)}" in text
        # Each week's revenue cell: calls and sales of that outlet in that week.
        for row in section.select("table.mgr-visits tbody tr"):
            week = "2026-" + row.th.get_text(strip=True)
            expected = (
                window.loc[window["week"] == week, "order_value"].sum()
                + my_sales.loc[my_sales["week"] == week, "order_value"].sum()
            )
            assert row.select("td")[-1].get_text(strip=True) == TR.money(expected), (outlet.outlet_id, week)
        # Every call of the window is listed, missed ones as "terlewat".
        items = section.select("ul.mgr-inline li")
        assert len(items) == len(window)
        assert sum("terlewat" in li.get_text() for li in items) == int((~window["visited"]).sum())


def test_outlet_names_link_to_their_history(example_site, raw):
    site = example_site.site_dir
    page = soup(site, "people/wiwik/index.html")
    links = [a["href"] for a in page.select("article a[href*='outlets/']")]
    assert links, "the person page names outlets (overdue, missed visits) and links them"
    for href in links:
        path, anchor = href.split("#")
        target = (site / "people" / "wiwik" / path).resolve()
        target = target / "index.html" if target.is_dir() else target
        assert BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=anchor), href


def test_digest_matches_the_export(example_site, weekly, raw):
    calls, sales, _ = raw
    site = example_site.site_dir
    text = (site / "downloads" / "digest" / "company.txt").read_text(encoding="utf-8")
    assert len(text) <= 1000
    week = "2026-W47"
    revenue = _value(weekly, week, "company", "", "revenue")
    # the export itself equals the raw rows: calls and sales of the week
    raw_revenue = (
        calls.loc[calls["week"] == week, "order_value"].sum()
        + sales.loc[sales["week"] == week, "order_value"].sum()
    )
    assert revenue == raw_revenue
    assert f"Omzet {TR.money(revenue)}" in text
    ac, ec = (_value(weekly, week, "company", "", m) for m in ("actual_calls", "effective_calls"))
    assert ac == int(calls.loc[calls["week"] == week, "visited"].sum())
    assert f"AC {TR.number(ac)} · EC {TR.number(ec)}" in text
    ratio = _value(weekly, week, "company", "", "ec_ratio")
    assert f"rasio EC {TR.percent(ratio)}" in text
    assert f"PJP {TR.percent(_value(weekly, week, 'company', '', 'pjp_rate'))}" in text
    assert f"pencapaian {TR.percent(_value(weekly, week, 'company', '', 'attainment'))}" in text
    before = _value(weekly, "2026-W46", "company", "", "revenue")
    assert f"{TR.percent(abs(revenue - before) / before)} dibanding minggu lalu" in text
    team = (site / "downloads" / "digest" / "team-sidoarjo.txt").read_text(encoding="utf-8")
    assert f"Omzet {TR.money(_value(weekly, week, 'team', 'sidoarjo', 'revenue'))}" in team
    assert text.rstrip().endswith("weeks/2026-W47/index.html")  # the link to the full report
    page = soup(site, "downloads/digest/company.html")
    assert page.find("html")["lang"] == "id" and TR.money(revenue) in page.get_text()


def test_atom_feed_and_downloads_page(example_site):
    site = example_site.site_dir
    feed = ET.parse(site / "downloads" / "weekly.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 12  # the last 12 weeks, newest first
    assert "Minggu ke-47 (16–22 Nov 2026)" in entries[0].find("a:title", ns).text  # Translator.period
    assert (
        entries[0].find("a:updated", ns).text.startswith("2026-11-22")
    )  # the week's Sunday, not the build time
    downloads = soup(site, "downloads.html")
    hrefs = {a["href"] for a in downloads.select("article a")}
    assert any(h.endswith("digest/company.txt") for h in hrefs)
    assert any(h.endswith("digest/team-sby-timur.html") for h in hrefs)
    assert any(h.endswith("weekly.atom") for h in hrefs)


def test_rankings_sortable_offline_and_equal_to_the_export(example_site, weekly):
    site = example_site.site_dir
    page = soup(site, "rankings/2026-W47.html")
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any(s.endswith("assets/tablesort.min.js") for s in scripts)
    vendored = (site / "assets" / "tablesort.min.js").read_text(encoding="utf-8")
    assert vendored.startswith("/*!\n * tablesort v5.6.0") and "Licensed MIT" in vendored[:200]
    table = page.select_one("table.mgr-sortable")
    assert [th.get("scope") for th in table.select("thead th")] == ["col"] * 8
    rows = table.select("tbody tr")
    # sales people who worked in W47, sorted by attainment rank: #1 first
    assert rows[0].select("td")[0].get_text(strip=True) == "#1"
    name = rows[0].th.get_text(strip=True)
    team = yaml.safe_load((DATA / "team.yaml").read_text(encoding="utf-8"))
    person = next(p["id"] for p in team["people"] if p["name"] == name)
    revenue = _value(weekly, "2026-W47", "person", person, "revenue")
    assert rows[0].select("td")[-1]["data-sort"] == repr(revenue)
    attainments = [float(r.select("td")[3]["data-sort"]) for r in rows]
    assert attainments == sorted(attainments, reverse=True)


def test_target_page_breaks_down_by_team_person_and_month(example_site):
    page = soup(example_site.site_dir, "targets/2026-Q4/index.html")
    text = page.get_text(" ", strip=True)
    assert "Rincian" in text and "Per sub-periode" in text
    assert "Surabaya Timur per orang: omzet" in text
    statuses = {s.get_text(" ", strip=True).split(" ", 1)[1] for s in page.select(".mgr-badge")}
    assert statuses <= {"Tercapai", "Sesuai jadwal", "Berisiko", "Tertinggal", "Belum mulai"}
    assert "Belum mulai" in statuses  # December, as of 22 Nov


def test_comparisons_say_no_data_for_last_year(example_site):
    page = soup(example_site.site_dir, "comparisons.html")
    # the example starts in 2026-W22 (25 May): last year is not in the data, October is.
    revenue = [
        td.get_text(" ", strip=True)
        for td in page.select("table.mgr-table")[0].select("tbody tr")[0].find_all(["th", "td"])
    ]
    assert revenue[0] == "Omzet"
    assert revenue[4] == "Belum ada data tahun lalu" and revenue[5] == "–"
    assert revenue[2].startswith("Rp") and revenue[2] != "Rp0"  # the same days of October


def test_new_pages_stay_small(example_site):
    site = example_site.site_dir
    for folder in ("outlets", "rankings", "reasons", "pipeline", "comparisons", "insights"):
        for page in (site / folder).rglob("*.html"):
            assert page.stat().st_size < 400_000, page


def test_links_follow_the_url_style():
    assert Links(True).href("outlets/andi/index.md#O1", "people/andi.md") == "../../outlets/andi/#O1"
    assert Links(True).href("people/andi.md", "outlets/andi/2.md") == "../../../people/andi/"
    assert Links(False).href("outlets/andi/index.md#O1", "people/andi.md") == "../outlets/andi/index.html#O1"
    assert Links(False).href("index.md", "weeks/2026-W47.md") == "../index.html"
    assert Links(True).href("index.md", "comparisons.md") == "../"


def test_html_tables_escape_data_and_label_cells():
    table = html_table(
        ["<abbr title='x'>AC</abbr>", "B"], [[Cell("&lt;b&gt;"), Cell("1", "1.0")]], numeric=(1,)
    )
    assert 'data-label="AC"' in table and 'data-sort="1.0"' in table and "<b>" not in table
    assert '<th scope="row"' in table and 'tabindex="0"' in table
    assert html_table(["A"], []) == ""


def test_fast_formats_print_exactly_what_babel_prints():
    from reports_gen.site.htmlparts import Formats

    values = [0.0, 0.5, 1.5, 2.5, 0.125, 0.135, 2.5749999999999997, 311_800.0, 2_058_458.333, 1_234_567.5]
    values += [i * 7_919.37 for i in range(2_000)] + [i / 997 for i in range(2_000)]
    for language in ("id", "en"):
        tr = Translator(language, "IDR")
        fmt = Formats(tr)
        assert [fmt.money(v) for v in values] == [tr.money(v) for v in values]
        assert [fmt.percent(v) for v in values] == [tr.percent(v) for v in values]
    usd = Formats(Translator("en", "USD"))
    assert usd.money(1.5) == "$1.50"  # cents: no fast path, Babel itself
