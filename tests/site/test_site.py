"""The generated site: an end-to-end build of the example data, links, numbers and escaping."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup
from fixtures import CALLS_W47, OUTLETS, ROOT, TEAM, build_project, write_data

from reports_gen.metrics.report import compute_report


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_every_week_team_and_person_has_a_page(example_site):
    site = example_site.site_dir
    report = compute_report(ROOT / "data")
    for week in report.dataset.weeks:
        assert (site / "weeks" / week / "index.html").exists(), week
        assert (site / "alerts" / week / "index.html").exists(), week
    for team in report.dataset.org.teams:
        assert (site / "teams" / team.id / "index.html").exists()
    for person in report.dataset.org.people:
        assert (site / "people" / person.id / "index.html").exists()
    for page in (
        "index.html",
        "targets/index.html",
        "activities/index.html",
        "prospects/index.html",
        "alerts/index.html",
        "downloads/index.html",
        "guide/index.html",
    ):
        assert (site / page).exists(), page
    for name in ("weekly.csv", "periods.csv", "alerts.csv"):
        assert (site / "downloads" / name).stat().st_size > 0


def test_no_broken_link_or_image_and_nothing_external(example_site):
    site = example_site.site_dir
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 80
    broken = []
    for page in pages:
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")):
            for element in html.find_all(tag):
                url = element.get(attribute)
                if not url or url.startswith(("#", "mailto:", "data:")):
                    continue
                parsed = urlparse(url)
                if parsed.scheme or parsed.netloc:
                    broken.append(f"{page.relative_to(site)}: external {tag} {url}")
                    continue
                base = site if parsed.path.startswith("/") else page.parent  # 404.html links from the root
                target = (base / unquote(parsed.path).lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{page.relative_to(site)}: {tag} {url}")
    assert broken == []


def test_home_numbers_agree_with_the_metrics(example_site):
    report = compute_report(ROOT / "data")
    tr = report.tr
    weekly = report.metrics.weekly
    latest = report.dataset.weeks[-1]
    company = weekly[(weekly["scope"] == "company") & (weekly["week"] == latest)].iloc[0]
    home = soup(example_site.site_dir, "index.html")
    cards = {
        c.select_one(".rg-kpi-label").get_text(): c.select_one(".rg-kpi-value").get_text()
        for c in home.select(".rg-cards li")
    }
    assert cards[tr("kpi.revenue")] == tr.money(company["revenue"])
    assert cards[tr("kpi.actual_calls")] == tr.number(company["actual_calls"])
    assert cards[tr("kpi.effective_calls")] == tr.number(company["effective_calls"])
    assert cards[tr("kpi.ec_ratio")] == tr.percent(company["ec_ratio"])
    assert cards[tr("kpi.coverage")] == tr.percent(company["coverage"])


def test_week_page_people_table_agrees_with_the_metrics(example_site):
    report = compute_report(ROOT / "data")
    tr = report.tr
    weekly = report.metrics.weekly
    week = report.dataset.weeks[-2]
    page = soup(example_site.site_dir, f"weeks/{week}/index.html")
    tables = page.select("article table")
    people = next(t for t in tables if t.find("a", href=re.compile(r"people/")))
    names = {p.name: p.id for p in report.dataset.org.people}
    checked = 0
    headers = [h.get_text(strip=True) for h in people.select("thead th")]
    for row in people.select("tbody tr"):
        # Each cell after the first carries its column's name for the phone cards.
        labels = [lbl.extract().get_text(strip=True) for lbl in row.select(".rg-lbl")]
        assert labels == headers[1:]
        cells = [c.get_text(strip=True) for c in row.find_all("td")]
        person = names[cells[0]]
        expected = weekly[(weekly["scope"] == "person") & (weekly["id"] == person) & (weekly["week"] == week)]
        # Columns: name, attainment, revenue, target, AC, EC, ...
        assert cells[1] == tr.percent(expected["attainment"].item())
        assert cells[2] == tr.money(expected["revenue"].item())
        assert cells[4] == tr.number(expected["actual_calls"].item())
        assert cells[5] == tr.number(expected["effective_calls"].item())
        checked += 1
    assert checked >= 8


def test_downloads_are_the_exports(example_site, tmp_path):
    from click.testing import CliRunner

    from reports_gen.cli import cli

    out = tmp_path / "export"
    assert CliRunner().invoke(cli, ["export", "--data", str(ROOT / "data"), "--out", str(out)]).exit_code == 0
    for name in ("weekly.csv", "periods.csv", "alerts.csv"):
        assert (example_site.site_dir / "downloads" / name).read_bytes() == (out / name).read_bytes()


def test_site_language_and_offline_theme(example_site):
    home = soup(example_site.site_dir, "index.html")
    assert home.html["lang"] == "id"
    css = " ".join(link.get("href", "") for link in home.find_all("link"))
    assert "fonts.googleapis" not in css


HOSTILE = "<script>alert('x')</script> **Bold** [click](http://evil.example) :fire: | pipe $x^$"


def test_hostile_names_and_notes_are_escaped(tmp_path):
    team = TEAM.replace("Andi Saputra", '"' + HOSTILE + '"').replace("name: East", 'name: "<b>East</b>"')
    outlets = OUTLETS.replace("UD Sentosa", "<img src=x onerror=alert(1)>")
    calls = CALLS_W47.replace("Toko tutup,", '"<iframe src=//evil.example></iframe>",')
    data = write_data(
        tmp_path / "data", {"team.yaml": team, "outlets.csv": outlets, "weeks/2026-W47/calls.csv": calls}
    )
    result = build_project(tmp_path / "project", data)
    html = "\n".join(p.read_text(encoding="utf-8") for p in result.site_dir.rglob("*.html"))
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<iframe" not in html
    parsed = BeautifulSoup(html, "html.parser")
    assert parsed.find_all(attrs={"onerror": True}) == []
    assert parsed.find_all("iframe") == []
    assert 'href="http://evil.example"' not in html
    assert "<b>East</b>" not in html
    person = soup(result.site_dir, "people/andi/index.html")
    assert person.find("h1").get_text(strip=True).rstrip("¶") == HOSTILE  # shown exactly as typed
    week = soup(result.site_dir, "weeks/2026-W47/index.html")
    assert "&lt;b&gt;East&lt;/b&gt;" in str(week)


def test_guide_toc_in_the_site_language_and_theme_strings_localised(example_site):
    guide = soup(example_site.site_dir, "guide/index.html")
    toc = [a["href"] for a in guide.select("nav.md-nav--secondary a.md-nav__link")]
    # The guide keeps both languages in tabs; the site is Indonesian, so only those headings.
    assert "#tiga-pertanyaan-yang-dijawab-situs-ini" in toc
    assert "#the-three-questions-this-site-answers" not in toc
    week = soup(example_site.site_dir, f"weeks/{compute_report(ROOT / 'data').dataset.weeks[-1]}/index.html")
    assert {a["title"] for a in week.select("a.headerlink")} == {"Tautan ke bagian ini"}
    assert week.select_one("div.md-search")["aria-label"] == "Cari"
    home = soup(example_site.site_dir, "index.html")
    assert home.title.get_text() == "Beranda - PT Sinar Nusantara Distribusi"  # not the company twice
